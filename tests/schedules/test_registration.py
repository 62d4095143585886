"""Every schedule is registered with Celery beat once, however often the release runs the
command, and each names a task that the worker knows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from toolbox.ai.schedules import SCHEDULES
from toolbox.celery import app

EXPECTED_TASKS = {
    "ai.sweep_generation_jobs",
    "accounts.clear_expired_sessions",
    "learning.submit_expired_attempts",
    "learning.practice_sets_nightly",
    "learning.due_reminders_daily",
    "learning.parent_digests_weekly",
    "learning.housekeeping_daily",
}


def test_every_schedule_is_declared_once_and_names_a_known_task() -> None:
    app.loader.import_default_modules()
    assert {spec.task for spec in SCHEDULES} == EXPECTED_TASKS
    assert len({spec.name for spec in SCHEDULES}) == len(SCHEDULES)
    assert set(app.tasks) >= EXPECTED_TASKS


@pytest.mark.django_db
def test_registering_twice_leaves_one_periodic_task_per_schedule_and_keeps_admin_edits() -> None:
    call_command("register_schedules")
    edited = PeriodicTask.objects.get(task="learning.practice_sets_nightly")
    assert edited.crontab is not None
    edited.crontab.minute = "20"
    edited.crontab.save()
    call_command("register_schedules")

    names = list(PeriodicTask.objects.values_list("name", flat=True))
    assert sorted(names) == sorted(spec.name for spec in SCHEDULES)
    assert PeriodicTask.objects.get(task="learning.practice_sets_nightly").crontab.minute == "20"  # pyright: ignore[reportOptionalMemberAccess]
