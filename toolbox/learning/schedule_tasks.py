"""Celery tasks of the schedules (see toolbox/ai/schedules.py). Beat runs the school-time
ones hourly; each run picks the schools whose local clock shows the hour, so every school
gets its own local 02:00, 07:00 and Sunday 18:00. Each task logs a summary (handled,
skipped, failed) and is safe to run twice for the same period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

import structlog
from celery import Task, group, shared_task
from django.conf import settings
from django.utils import timezone

from toolbox.accounts.models import School
from toolbox.learning.digests import DIGEST_HOUR, DIGEST_WEEKDAY, parent_digests_send
from toolbox.learning.housekeeping import housekeeping_run
from toolbox.learning.reminders import REMINDER_HOUR, due_reminders_send
from toolbox.learning.scheduling import RunSummary, schools_at_local_hour
from toolbox.learning.services.practice import (
    PracticeChunk,
    practice_bank_requests_create,
    practice_chunks,
    practice_sets_create,
)

logger = structlog.get_logger(__name__)

PRACTICE_HOUR = 2


def practice_nightly_prepare(
    *, school_dates: Sequence[tuple[School, dt.date]]
) -> tuple[RunSummary, list[PracticeChunk]]:
    """Ask for practice items where a school's bank is thin, and split the students into chunks."""
    summary = RunSummary(schedule="practice_bank_requests")
    for school, day in school_dates:
        try:
            summary.add(practice_bank_requests_create(school=school, for_date=day))
        except Exception:  # A school whose requests fail still gets its practice sets.
            logger.exception("practice_bank_requests_failed", school_id=school.pk)
            summary.failed += 1
    return summary, practice_chunks(school_dates=school_dates, chunk_size=settings.PRACTICE_CHUNK_SIZE)


@shared_task(name="learning.practice_sets_chunk")
def practice_sets_chunk(student_ids: list[int], for_date: str) -> dict[str, int]:
    summary = practice_sets_create(student_ids=student_ids, for_date=dt.date.fromisoformat(for_date))
    return summary.log(for_date=for_date, students=len(student_ids)).as_dict()


@shared_task(name="learning.practice_sets_nightly")
def practice_sets_nightly() -> int:
    """Hourly: for the schools where it is now 02:xx, fan the students out in chunks."""
    school_dates = schools_at_local_hour(now=timezone.now(), hour=PRACTICE_HOUR)
    summary, chunks = practice_nightly_prepare(school_dates=school_dates)
    if chunks:
        chunk_task = cast(Task, practice_sets_chunk)
        group(chunk_task.s(chunk.student_ids, chunk.for_date.isoformat()) for chunk in chunks).apply_async()
    summary.log(schools=len(school_dates), chunks=len(chunks))
    return len(chunks)


@shared_task(name="learning.parent_digests_weekly")
def parent_digests_weekly() -> dict[str, int]:
    """Hourly: for the schools where it is now Sunday 18:xx, send the weekly digests."""
    now = timezone.now()
    summary = RunSummary(schedule="parent_digests")
    targets: list[School | None] = [
        school for school, _ in schools_at_local_hour(now=now, hour=DIGEST_HOUR, weekday=DIGEST_WEEKDAY)
    ]
    if now.hour == DIGEST_HOUR and now.weekday() == DIGEST_WEEKDAY:
        targets.append(None)  # parents with no school follow UTC
    for school in targets:
        summary.add(parent_digests_send(school=school, now=now))
    return summary.log(schools=len(targets)).as_dict()


@shared_task(name="learning.due_reminders_daily")
def due_reminders_daily() -> dict[str, int]:
    """Hourly: for the schools where it is now 07:xx, remind students of work due soon."""
    now = timezone.now()
    summary = RunSummary(schedule="due_reminders")
    schools = schools_at_local_hour(now=now, hour=REMINDER_HOUR)
    for school, _ in schools:
        summary.add(due_reminders_send(school=school, now=now))
    return summary.log(schools=len(schools)).as_dict()


@shared_task(name="learning.housekeeping_daily")
def housekeeping_daily() -> dict[str, int]:
    return housekeeping_run().log().as_dict()
