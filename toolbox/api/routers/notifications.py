"""Notifications: list (all or unread), mark one or all read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.pagination import paginate
from toolbox.api.schemas import PathId, responses
from toolbox.api.schemas.generation import MarkedReadOut, NotificationOut, NotificationPageOut, NotificationQuery
from toolbox.freshness import cached_for_users
from toolbox.learning import services as learning_services
from toolbox.learning.models import Notification

router = Router(tags=["notifications"])

_FIELDS = ("id", "kind", "message", "link", "created_at", "read_at")


def _notification_body(notification: Notification) -> dict[str, Any]:
    return {field: getattr(notification, field) for field in _FIELDS}


@router.get(
    "/notifications",
    response=responses({200: NotificationPageOut}),
    operation_id="list_notifications",
    summary="List my notifications",
    description="Newest first, with how many are unread; `unread=true` lists only those.",
)
def list_notifications(request: HttpRequest, filters: Query[NotificationQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]

    def build() -> dict[str, Any]:
        mine = Notification.objects.filter(user_id=user.pk)
        shown = mine.filter(read_at__isnull=True) if filters.unread else mine
        body = paginate(shown.only(*_FIELDS).order_by("-created_at", "-id"), filters, _notification_body)
        body["unread_count"] = mine.filter(read_at__isnull=True).count()
        return body

    # Cached until the user's notifications change (toolbox/freshness.py).
    key = f"api-notifications:{user.pk}:{filters.unread}:{filters.page}:{filters.page_size}"
    return cached_for_users(key=key, user_ids=[user.pk], build=build)


@router.post(
    "/notifications/{notification_id}/read",
    response=responses({200: NotificationOut}, 404),
    operation_id="mark_notification_read",
    summary="Mark a notification read",
    description="Marking one that is already read changes nothing.",
)
def mark_notification_read(request: HttpRequest, notification_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    notification = learning_services.notification_mark_read(
        user=user, notification=lookups.own_notification(user, notification_id)
    )
    return _notification_body(notification)


@router.post(
    "/notifications/read-all",
    response=responses({200: MarkedReadOut}),
    operation_id="mark_all_notifications_read",
    summary="Mark every notification read",
    description="Answers how many were unread.",
)
def mark_all_notifications_read(request: HttpRequest) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return {"marked": learning_services.notifications_mark_all_read(user=user)}
