"""In-site notifications, each sent at most once per user and dedupe key."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.models import Notification

MESSAGE_MAX_LENGTH = 300


def notification_create(*, user: User, kind: str, message: str, link: str = "", dedupe_key: str) -> Notification | None:
    """Notify a user; None when a notification with this dedupe key was already sent."""
    message = " ".join(message.split())
    if not message or not dedupe_key or not kind:
        raise InvalidInputError("A notification needs a kind, a message and a dedupe key.")
    if len(message) > MESSAGE_MAX_LENGTH:
        message = message[: MESSAGE_MAX_LENGTH - 1] + "…"
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, kind=kind, message=message, link=link, dedupe_key=dedupe_key[:120]
            )
    except IntegrityError:
        return None


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
        return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
