"""A worker is killed with SIGKILL in the middle of a generation job: the job is recovered
and finishes exactly once — one draft, not two.

The first worker blocks inside the quiz-writing stage (see worker_launcher.py), and is
killed there. Its message was never acknowledged (acks_late), so Redis hands it out again
after the visibility timeout, and the sweeper, finding the heartbeat stale, queues the job
again; the conditional claim lets only one of them run it, so the second worker writes the
one and only draft.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from pytest_django import Settings

from tests.factories import EducatorFactory, SchoolFactory
from tests.security.test_redis_faults import FRACTIONS
from tests.security.workers import start_worker, stop_worker
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.services import generation_job_create, generation_jobs_sweep
from toolbox.celery import app
from toolbox.content.models import Quiz

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT_SECONDS = "3"


def _wait(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.3)
    pytest.fail(f"Gave up waiting for {what} after {seconds} s.")


def test_a_job_whose_worker_is_killed_mid_stage_finishes_once_on_another_worker(
    settings: Settings, tmp_path: Path
) -> None:
    settings.OPENAI_API_KEY = ""
    with app.connection_for_write() as broker:
        app.control.purge(connection=broker)
    flag = tmp_path / "blocked"
    timeouts = {"CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT_SECONDS}
    first = start_worker(tmp_path / "first.log", {**timeouts, "TOOLBOX_TEST_BLOCK_QUIZ_FLAG": str(flag)})
    second = None
    try:
        educator = EducatorFactory(school=SchoolFactory())
        job = generation_job_create(
            actor=educator,
            kind=JobKind.QUIZ,
            parameters={"subject": "Maths", "grade": "5", "topic": "Fractions", "source_text": FRACTIONS},
        )
        _wait(flag.exists, "the first worker to reach the quiz stage")
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING
        assert job.attempts == 1

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL

        second = start_worker(tmp_path / "second.log", timeouts)
        # The sweeper finds the heartbeat stale and queues the job again for the second
        # worker. When Redis redelivers the killed worker's unacknowledged message (after the
        # visibility timeout; its timing is kombu's, not ours), the claim turns it into a
        # no-op: whichever arrives first runs the job, and only once.
        stale = timezone.now() + dt.timedelta(seconds=django_settings.AI_JOB_STALE_AFTER_SECONDS + 61)
        report = generation_jobs_sweep(now=stale)
        assert (report.recovered, report.redispatched) == (1, 1)

        _wait(lambda: GenerationJob.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED, "the job to succeed")
        # Give a late redelivery time to arrive; it must not write a second draft.
        time.sleep(2 * int(VISIBILITY_TIMEOUT_SECONDS))
    finally:
        for worker in (first, second):
            if worker is not None:
                stop_worker(worker)
    job.refresh_from_db()
    assert job.attempts == 2
    assert Quiz.objects.filter(generation_job=job).count() == 1
