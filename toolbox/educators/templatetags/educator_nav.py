"""What the educator navigation shows beside its links; used by layouts/educator.html, so
only educator pages pay for it."""

from __future__ import annotations

from typing import Any

from django import template

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.content.selectors import review_queue_waiting_count

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_waiting(context: dict[str, Any]) -> int:
    """How many lessons and quizzes wait in the signed-in educator's review queue (cached)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not permissions.is_educator(user):
        return 0
    return review_queue_waiting_count(school_id=user.school_id)
