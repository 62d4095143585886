"""gunicorn's settings, read by every gunicorn started in the project's directory: the
Procfile's `web` process, and `bench/run`, which measures exactly this configuration.

Sync workers, two per core. On the 2-core benchmark machine they served every page at
the throughput of threaded workers (gthread 4×4: between a fifth less and a third more,
page by page) with a far tighter tail: a sync worker takes the next request only when it is
free, so requests spread over the processes by themselves, while a gthread worker keeps
every keep-alive connection it accepted and serves them with threads that take turns on
the GIL (p95 at 50 connections: parent overview 115 ms against 207, educator class page
285 against 490; the bare view at 10: 5 ms against 902). The pages wait on PostgreSQL and
Redis for a millisecond or two per request, too little for threads to pay off. The
measurements: bench/NOTES.md, "Choosing the gunicorn configuration".
"""

import multiprocessing
import os

worker_class = "sync"
# WEB_CONCURRENCY is the usual knob of platforms that run a Procfile.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
accesslog = "-"
