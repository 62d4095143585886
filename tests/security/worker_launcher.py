"""Starts a real Celery worker; with TOOLBOX_TEST_BLOCK_QUIZ_FLAG set, the worker's quiz
generation writes that file and then blocks, so that a test can kill the worker while it
holds a job in the middle of a stage."""

from __future__ import annotations

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolbox.settings")
django.setup()

from toolbox.ai.providers.offline import OfflineProvider  # noqa: E402
from toolbox.celery import app  # noqa: E402

flag = os.environ.get("TOOLBOX_TEST_BLOCK_QUIZ_FLAG", "")
if flag:
    flag_path = Path(flag)

    def blocked_generate_quiz(self: OfflineProvider, **kwargs: object) -> object:
        flag_path.write_text(str(os.getpid()))
        time.sleep(3600)
        raise RuntimeError("unreachable: the test kills this worker")

    OfflineProvider.generate_quiz = blocked_generate_quiz  # type: ignore[method-assign, assignment]

app.worker_main(
    ["worker", "--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
)
