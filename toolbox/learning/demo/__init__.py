"""The demo school: `python manage.py seed_demo`. Idempotent; `--students N` scales it."""
