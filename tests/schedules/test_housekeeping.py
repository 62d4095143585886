"""Daily housekeeping: expired invites and set-password links go, old job outputs are
cleared (the job rows stay), expired sessions go; a second run finds nothing to do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings

from tests.factories import GenerationJobFactory
from tests.factories.classroom import ParentInviteFactory, SetPasswordLinkFactory
from toolbox.ai.models import GenerationJob, JobStatus
from toolbox.classroom.models import ParentInvite, SetPasswordLink
from toolbox.learning.housekeeping import housekeeping_run

NOW = dt.datetime(2026, 3, 2, 3, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
@override_settings(AI_JOB_OUTPUT_RETENTION_DAYS=30)
def test_housekeeping_removes_what_expired_and_keeps_the_rest() -> None:
    expired_invite = ParentInviteFactory(expires_at=NOW - dt.timedelta(days=1))
    redeemed_invite = ParentInviteFactory(expires_at=NOW - dt.timedelta(days=1), redeemed_at=NOW - dt.timedelta(days=3))
    live_invite = ParentInviteFactory(expires_at=NOW + dt.timedelta(days=1))
    SetPasswordLinkFactory(expires_at=NOW - dt.timedelta(hours=1))
    used_link = SetPasswordLinkFactory(expires_at=NOW - dt.timedelta(hours=1), used_at=NOW - dt.timedelta(days=2))
    live_link = SetPasswordLinkFactory(expires_at=NOW + dt.timedelta(hours=1))
    old_job = GenerationJobFactory(
        status=JobStatus.SUCCEEDED, output={"title": "old"}, finished_at=NOW - dt.timedelta(days=31)
    )
    recent_job = GenerationJobFactory(
        status=JobStatus.SUCCEEDED, output={"title": "recent"}, finished_at=NOW - dt.timedelta(days=29)
    )
    session = SessionStore()
    session.create()
    Session.objects.filter(pk=session.session_key).update(expire_date=NOW - dt.timedelta(minutes=1))
    live_session = SessionStore()
    live_session.create()
    Session.objects.filter(pk=live_session.session_key).update(expire_date=NOW + dt.timedelta(days=1))

    first = housekeeping_run(now=NOW)
    second = housekeeping_run(now=NOW)

    assert set(ParentInvite.objects.values_list("pk", flat=True)) == {redeemed_invite.pk, live_invite.pk}
    assert not ParentInvite.objects.filter(pk=expired_invite.pk).exists()
    assert set(SetPasswordLink.objects.values_list("pk", flat=True)) == {used_link.pk, live_link.pk}
    assert GenerationJob.objects.get(pk=old_job.pk).output is None
    assert GenerationJob.objects.get(pk=recent_job.pk).output == {"title": "recent"}
    assert list(Session.objects.values_list("pk", flat=True)) == [live_session.session_key]
    assert first.details == {
        "invites_expired": 1,
        "set_password_links_expired": 1,
        "job_outputs_pruned": 1,
        "sessions_cleared": 1,
    }
    assert (second.handled, second.failed) == (0, 0)


@pytest.mark.django_db
def test_a_failing_step_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    SetPasswordLinkFactory(expires_at=NOW - dt.timedelta(hours=1))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("table locked")

    monkeypatch.setattr(ParentInvite.objects, "filter", broken)
    summary = housekeeping_run(now=NOW)
    assert summary.failed == 1
    assert summary.details["set_password_links_expired"] == 1


@pytest.mark.django_db
def test_command_runs_housekeeping_for_a_date() -> None:
    ParentInviteFactory(expires_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    ParentInviteFactory(expires_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    call_command("run_schedule", "housekeeping", "--date", "2026-03-02")
    assert ParentInvite.objects.count() == 1
