"""Celery tasks of the AI app: thin, idempotent, and safe to deliver twice."""

from __future__ import annotations

import random

import structlog
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from toolbox.ai.services import (
    RetryableFailureError,
    generation_job_fail,
    generation_job_retry_later,
    generation_job_run,
    generation_jobs_sweep,
)

logger = structlog.get_logger(__name__)

BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 300.0


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with full jitter, so that jobs that failed together do not all
    come back together."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempt - 1, 0))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 — spreading retries, not security.


@shared_task(
    bind=True,
    name="ai.run_generation_job",
    acks_late=True,
    max_retries=None,  # the job's attempt count, kept in the database, is the limit
    soft_time_limit=settings.AI_JOB_SOFT_TIME_LIMIT_SECONDS,
    time_limit=settings.AI_JOB_SOFT_TIME_LIMIT_SECONDS + 30,
)
def run_generation_job(self: Task, job_id: int) -> str:
    try:
        return generation_job_run(job_id=job_id)
    except RetryableFailureError as failure:
        countdown = backoff_seconds(failure.attempt)
        if generation_job_retry_later(
            job_id=job_id, attempt=failure.attempt, reason=failure.message, countdown=countdown
        ):
            logger.info("ai_job_retry", job_id=job_id, attempt=failure.attempt, countdown=round(countdown, 1))
            raise self.retry(countdown=countdown, exc=failure) from failure
        return "failed"
    except (OperationalError, InterfaceError):
        # The database is unreachable, so the job cannot be marked: it stays running, and
        # the sweeper queues it again once its heartbeat is stale.
        raise
    except SoftTimeLimitExceeded:
        minutes = settings.AI_JOB_SOFT_TIME_LIMIT_SECONDS / 60
        generation_job_fail(
            job_id=job_id,
            message=(
                f"The job took longer than {minutes:g} minutes and was stopped. Try a shorter text or fewer questions."
            ),
        )
        return "failed"
    except Exception:
        logger.exception("ai_job_crashed", job_id=job_id)
        generation_job_fail(
            job_id=job_id,
            message=(
                "Something went wrong on our side while writing the drafts; the error has been logged. "
                "Try again, and tell your administrator if it happens again."
            ),
        )
        return "failed"


@shared_task(name="ai.sweep_generation_jobs")
def sweep_generation_jobs() -> dict[str, int]:
    report = generation_jobs_sweep()
    return {"redispatched": report.redispatched, "recovered": report.recovered, "failed": report.failed}
