"""Celery tasks of the learning domain: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from toolbox.learning.services import attempts_submit_expired


@shared_task(name="learning.submit_expired_attempts")
def submit_expired_attempts() -> int:
    """Submit what was saved on attempts whose time ran out (safe to run twice at once)."""
    return attempts_submit_expired()
