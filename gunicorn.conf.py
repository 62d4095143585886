"""gunicorn's settings, read by every gunicorn started in the project's directory: the
Procfile's `web` process, and `bench/run`, which measures exactly this configuration.

Sync workers, two per core. On the 2-core benchmark machine they served every page within
±10% of the throughput of threaded workers (gthread 2×4 and 4×4) with a far tighter tail:
a sync worker takes the next request only when it is free, so requests spread over the
processes by themselves; a gthread worker keeps each keep-alive connection it accepted,
so a busy process goes on collecting requests that its threads then serve one GIL at a
time (the bare view's p95 at 10 connections: 5 ms sync against 902 ms gthread). The pages
wait on PostgreSQL and Redis for a millisecond or two per request, too little for threads
to pay off. The measurements: bench/NOTES.md, "Choosing the gunicorn configuration".
"""

import multiprocessing
import os

worker_class = "sync"
# WEB_CONCURRENCY is the usual knob of platforms that run a Procfile.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
accesslog = "-"
