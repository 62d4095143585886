"""A user's notifications, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolbox.accounts.models import User
from toolbox.freshness import cached_for_users
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
    """The newest notifications (two queries, none while the user's cached list is current)."""
    return cached_for_users(
        key=f"notifications:{user.pk}:{'unread' if unread_only else 'all'}:{limit}",
        user_ids=[user.pk],
        build=lambda: newest_notifications(user=user, unread_only=unread_only, limit=limit),
    )


def newest_notifications(*, user: User, unread_only: bool = False, limit: int = 50) -> NotificationList:
    """The same, read from the database (two queries)."""
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
