"""API authentication: Clerk bearer tokens or the Django session (with CSRF).

The Clerk middleware has already verified any bearer token and answered 401 for a bad
one; here we only accept the user it signed in. Cookie sessions go through django-ninja's
SessionAuth, which enforces CSRF as Django does for forms.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class ClerkBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if getattr(request, "clerk_authenticated", False) and request.user.is_authenticated:
            return request.user
        return None


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


API_AUTH = [ClerkBearer(), ActiveSessionAuth()]
