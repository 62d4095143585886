"""Account housekeeping run by Celery beat."""

from __future__ import annotations

import structlog
from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

logger = structlog.get_logger(__name__)


@shared_task(name="accounts.clear_expired_sessions")
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("expired_sessions_cleared", handled=deleted, skipped=0, failed=0)
    return deleted
