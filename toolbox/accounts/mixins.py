"""Page guards: each role's pages are for that role only, decided by the permissions module."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from toolbox.accounts import permissions

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])

_ROLE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "student": permissions.is_student,
    "educator": permissions.is_educator,
    "parent": permissions.is_parent,
    "admin": permissions.is_admin,
}


def role_required(role: str) -> Callable[[ViewFunction], ViewFunction]:
    """Anonymous visitors are sent to sign in; signed-in users of another role get 403."""
    check = _ROLE_CHECKS[role]

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(f"This page is for {role}s.")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
