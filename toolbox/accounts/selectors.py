"""Reads about accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from toolbox.accounts.models import ParentLink, Role, User


def children_for_parent(*, parent: User) -> QuerySet[ParentLink]:
    """A parent's links with their children, in one query (empty for other roles)."""
    if parent.role != Role.PARENT:
        return ParentLink.objects.none()
    return ParentLink.objects.filter(parent=parent).select_related("student").order_by("student__first_name")
