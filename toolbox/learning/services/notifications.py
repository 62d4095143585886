"""In-site notifications, each sent at most once per user and dedupe key."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.freshness import users_changed
from toolbox.learning.models import Notification

MESSAGE_MAX_LENGTH = 300


def notification_prepare(*, user: User, kind: str, message: str, link: str = "", dedupe_key: str) -> Notification:
    """A notification ready to save: checked, its message on one line and within length."""
    message = " ".join(message.split())
    if not message or not dedupe_key or not kind:
        raise InvalidInputError("A notification needs a kind, a message and a dedupe key.")
    if len(message) > MESSAGE_MAX_LENGTH:
        message = message[: MESSAGE_MAX_LENGTH - 1] + "…"
    return Notification(user=user, kind=kind, message=message, link=link, dedupe_key=dedupe_key[:120])


def notification_create(*, user: User, kind: str, message: str, link: str = "", dedupe_key: str) -> Notification | None:
    """Notify a user; None when a notification with this dedupe key was already sent."""
    notification = notification_prepare(user=user, kind=kind, message=message, link=link, dedupe_key=dedupe_key)
    try:
        # The savepoint keeps the caller's transaction usable when the key was already sent.
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None
    return notification


def notifications_create(*, notifications: Sequence[Notification]) -> None:
    """Save prepared notifications in one insert; each one whose dedupe key its user has
    already been sent is skipped."""
    if notifications:
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        users_changed(user_ids={notification.user_id for notification in notifications})


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    with transaction.atomic():
        locked = Notification.objects.select_for_update().filter(pk=notification.pk, user_id=user.pk).first()
        if locked is None:
            raise NotFoundError("That notification does not exist.")
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at"])
        return locked


def notifications_mark_all_read(*, user: User) -> int:
    with transaction.atomic():
        marked = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
        users_changed(user_ids=[user.pk])
        return marked
