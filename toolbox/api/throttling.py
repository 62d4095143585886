"""Rate limits for the API, read from settings.API_THROTTLE_RATES on every request so that
an operator (or a test) can change them without rebuilding the API object."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, UserRateThrottle


def _configured_rate(scope: str) -> str:
    return settings.API_THROTTLE_RATES[scope]


class AnonymousThrottle(AnonRateThrottle):
    """Callers that are not signed in, by IP address."""

    def __init__(self) -> None:
        super().__init__(rate=_configured_rate(self.scope or "anon"))

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(_configured_rate(self.scope or "anon"))
        return super().allow_request(request)


class SignedInThrottle(UserRateThrottle):
    """Signed-in callers, by user id, whichever way they signed in."""

    def __init__(self) -> None:
        super().__init__(rate=_configured_rate(self.scope or "user"))

    def get_cache_key(self, request: HttpRequest) -> str | None:  # type: ignore[override]
        if getattr(request, "auth", None) is None:
            return None
        return super().get_cache_key(request)

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(_configured_rate(self.scope or "user"))
        return super().allow_request(request)


API_THROTTLES = [AnonymousThrottle(), SignedInThrottle()]
