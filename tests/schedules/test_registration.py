"""Every schedule is registered with Celery beat once, however often the release runs the
command, and each names a task that the worker knows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from celery import Task
from django.core.management import call_command
from django.test import Client
from django_celery_beat.models import PeriodicTask

from tests.factories import AdminFactory
from toolbox.accounts.models import User
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


@pytest.mark.django_db
def test_an_admin_sees_and_can_change_the_schedules_in_the_django_admin(
    login: Callable[[User], Client], admin_user: User
) -> None:
    call_command("register_schedules")
    task = PeriodicTask.objects.get(task="learning.parent_digests_weekly")
    client = login(admin_user)

    listing = client.get("/admin/django_celery_beat/periodictask/")
    assert listing.status_code == 200
    assert "Digest: weekly parent digest" in listing.content.decode()

    change = client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")
    assert change.status_code == 200


@pytest.mark.django_db
def test_only_a_site_wide_admin_switches_off_or_runs_the_schedules_every_school_shares(
    login: Callable[[User], Client], admin_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("register_schedules")
    task = PeriodicTask.objects.get(task="learning.parent_digests_weekly")
    sent: list[str] = []
    monkeypatch.setattr(Task, "apply_async", lambda self, *args, **kwargs: sent.append(self.name))
    school_admin = login(admin_user)

    listing = school_admin.get("/admin/django_celery_beat/periodictask/")
    for action in ("disable_tasks", "toggle_tasks", "run_tasks"):
        school_admin.post("/admin/django_celery_beat/periodictask/", {"action": action, "_selected_action": [task.pk]})

    assert listing.context["cl"].model_admin.get_actions(listing.wsgi_request) == {}
    task.refresh_from_db()
    assert task.enabled is True
    assert sent == []

    site_wide = Client()
    site_wide.force_login(AdminFactory(school=None), backend="django.contrib.auth.backends.ModelBackend")
    disabled = site_wide.post(
        "/admin/django_celery_beat/periodictask/", {"action": "disable_tasks", "_selected_action": [task.pk]}
    )
    site_wide.post("/admin/django_celery_beat/periodictask/", {"action": "run_tasks", "_selected_action": [task.pk]})

    assert disabled.status_code == 302
    task.refresh_from_db()
    assert task.enabled is False
    assert sent == ["learning.parent_digests_weekly"]
