"""A user's notifications, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolbox.accounts.models import User
from toolbox.learning.models import (
    Notification,
)


@dataclass(frozen=True, slots=True)
class NotificationItem:
    id: int
    kind: str
    message: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True, slots=True)
class NotificationList:
    items: tuple[NotificationItem, ...]
    unread_count: int


def notifications_for_user(*, user: User, unread_only: bool = False, limit: int = 50) -> NotificationList:
    """The newest notifications (two queries)."""
    queryset = Notification.objects.filter(user_id=user.pk)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    items = tuple(
        NotificationItem(*row)
        for row in queryset.order_by("-created_at", "-id").values_list(
            "id", "kind", "message", "link", "created_at", "read_at"
        )[:limit]
    )
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
    return NotificationList(items=items, unread_count=unread)
