"""Daily housekeeping: remove parent invite codes and set-password links that expired
unused, clear old generation-job outputs (the job rows stay for the record), and clear
expired sign-in sessions. Each step is idempotent: a second run finds nothing left to do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import structlog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from toolbox.ai.models import FINISHED_STATUSES, GenerationJob
from toolbox.classroom.models import ParentInvite, SetPasswordLink
from toolbox.learning.scheduling import RunSummary

logger = structlog.get_logger(__name__)


def _step(summary: RunSummary, name: str, action: Callable[[], int]) -> None:
    """Run one step; a failing step is logged and counted, and the next steps still run."""
    try:
        count = action()
    except Exception:  # one failed step must not stop the others.
        logger.exception("housekeeping_step_failed", step=name)
        summary.failed += 1
        return
    summary.handled += count
    summary.count(name, count)


def housekeeping_run(*, now: dt.datetime | None = None) -> RunSummary:
    now = now or timezone.now()
    summary = RunSummary(schedule="housekeeping")
    output_cutoff = now - dt.timedelta(days=settings.AI_JOB_OUTPUT_RETENTION_DAYS)

    _step(
        summary,
        "invites_expired",
        lambda: ParentInvite.objects.filter(redeemed_at__isnull=True, expires_at__lt=now).delete()[0],
    )
    _step(
        summary,
        "set_password_links_expired",
        lambda: SetPasswordLink.objects.filter(used_at__isnull=True, expires_at__lt=now).delete()[0],
    )
    _step(
        summary,
        "job_outputs_pruned",
        lambda: GenerationJob.objects.filter(
            status__in=FINISHED_STATUSES, finished_at__lt=output_cutoff, output__isnull=False
        ).update(output=None),
    )
    _step(summary, "sessions_cleared", lambda: Session.objects.filter(expire_date__lt=now).delete()[0])
    return summary
