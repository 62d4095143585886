"""The Celery application: settings from Django (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolbox.settings")

app = Celery("toolbox")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
