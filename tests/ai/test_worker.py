"""A real Celery worker consuming from Redis runs generation jobs end to end.

The worker is a separate process pointed at this test run's database (pytest-django's
`test_<name>`), so the test commits for real (`transaction=True`) and waits for the worker.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from celery import Task
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.ai.texts import FRACTIONS
from tests.factories import EducatorFactory, SchoolFactory
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.services import generation_job_create, generation_jobs_sweep
from toolbox.ai.tasks import run_generation_job
from toolbox.celery import app
from toolbox.content.models import ContentStatus, Quiz

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WORKER_LOG = ROOT / "var" / "test-ai-worker.log"


def _database_url() -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    port = params.get("PORT") or 5432
    return f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:{port}/{params['NAME']}"


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    with app.connection_for_write() as broker:
        app.control.purge(connection=broker)  # nothing left over from an earlier run
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "OPENAI_API_KEY": "",
        "SECRET_KEY": "worker-under-test",
        "TOOLBOX_TESTING": "1",
        "LOG_JSON": "1",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "toolbox", "worker", "--pool", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=WORKER_LOG.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(job: GenerationJob, status: str, seconds: float = 30) -> GenerationJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        time.sleep(0.3)
    pytest.fail(f"Job {job.pk} is {job.status} ({job.stage_message}), not {status}, after {seconds} s.")


def parameters() -> dict[str, object]:
    return {"subject": "Maths", "grade": "5", "topic": "Fractions", "source_text": FRACTIONS, "question_count": 5}


@pytest.mark.usefixtures("offline")
def test_a_real_worker_runs_a_job_once_even_when_the_task_is_delivered_twice(
    worker: subprocess.Popen[bytes],
) -> None:
    educator = EducatorFactory(school=SchoolFactory())

    job = generation_job_create(actor=educator, kind=JobKind.LESSON_AND_QUIZ, parameters=parameters())
    assert job.status == JobStatus.QUEUED
    cast(Task, run_generation_job).apply_async(args=[job.pk])  # a duplicate delivery

    job = wait_for(job, JobStatus.SUCCEEDED)
    assert job.progress_percent == 100
    assert job.lesson is not None
    assert job.lesson.status == ContentStatus.DRAFT
    time.sleep(2)  # let the worker take the duplicate too
    assert Quiz.objects.filter(generation_job=job).count() == 1
    job.refresh_from_db()
    assert job.attempts == 1
    assert worker.poll() is None


@pytest.mark.usefixtures("offline")
def test_the_sweeper_sends_a_job_created_while_the_broker_was_unreachable_to_the_worker(
    worker: subprocess.Popen[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    educator = EducatorFactory(school=SchoolFactory())

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Connection refused.")

    with monkeypatch.context() as patched:
        patched.setattr(run_generation_job, "apply_async", broker_down)
        job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters())
    time.sleep(1)
    job.refresh_from_db()
    assert (job.status, job.dispatched_at) == (JobStatus.QUEUED, None)

    assert generation_jobs_sweep(now=timezone.now() + dt.timedelta(minutes=2)).redispatched == 1

    job = wait_for(job, JobStatus.SUCCEEDED)
    assert Quiz.objects.filter(generation_job=job).count() == 1
