"""Clerk sign-in: session tokens from `Authorization: Bearer …` or the `__session` cookie.

Tokens are verified by clerk-backend-api's `authenticate_request` (networkless when
CLERK_JWT_KEY is set) and mapped to the local user by `clerk_user_id`; a user seen for the
first time is created with the role from the token's public metadata (student when absent,
never admin). A bad token answers 401 with a reason in the log, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from clerk_backend_api.security import authenticate_request
from clerk_backend_api.security.types import AuthenticateRequestOptions
from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse, JsonResponse

from toolbox.accounts.models import User
from toolbox.accounts.services import clerk_user_sync

logger = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ClerkVerification:
    payload: dict[str, Any] | None
    reason: str


def request_carries_clerk_token(request: HttpRequest) -> bool:
    authorization = request.headers.get("Authorization", "")
    return authorization.startswith("Bearer ") or "__session" in request.COOKIES


def verify_clerk_request(request: HttpRequest) -> ClerkVerification:
    """Verify the request's Clerk token; the payload is None and `reason` says why on failure."""
    if not settings.CLERK_ENABLED:
        return ClerkVerification(None, "Clerk sign-in is not configured on this server")
    options = AuthenticateRequestOptions(
        secret_key=settings.CLERK_SECRET_KEY or None,
        jwt_key=settings.CLERK_JWT_KEY or None,
        # An empty list would refuse every token; None means "not enforced".
        authorized_parties=list(settings.CLERK_AUTHORIZED_PARTIES) or None,
        accepts_token=["session_token"],
    )
    try:
        state = authenticate_request(request, options)  # type: ignore[arg-type]
    except Exception as error:  # noqa: BLE001 — a malformed token must answer 401, never 500.
        return ClerkVerification(None, f"token could not be parsed ({type(error).__name__})")
    if not state.is_signed_in or not state.payload:
        return ClerkVerification(None, state.message or (state.reason.name if state.reason else "not signed in"))
    if not state.payload.get("sub"):
        return ClerkVerification(None, "token has no subject")
    return ClerkVerification(state.payload, "ok")


class ClerkBackend(BaseBackend):
    """Maps a verified Clerk token payload to the local user, creating it on first sight."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, clerk_payload: dict[str, Any] | None = None, **kwargs: Any
    ) -> User | None:
        if clerk_payload is None:
            return None
        user = clerk_user_sync(
            clerk_user_id=str(clerk_payload["sub"]),
            email=str(clerk_payload.get("email") or ""),
            first_name=str(clerk_payload.get("first_name") or ""),
            last_name=str(clerk_payload.get("last_name") or ""),
            public_metadata=_public_metadata(clerk_payload),
            create_missing=True,
        )
        return user if user.is_active else None

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()


def _public_metadata(payload: dict[str, Any]) -> dict[str, Any]:
    # Clerk puts public metadata into session tokens only through a custom claim; both
    # names in common use are accepted.
    for claim in ("public_metadata", "metadata"):
        value = payload.get(claim)
        if isinstance(value, dict):
            return value
    return {}


def unauthorized_response(detail: str) -> JsonResponse:
    response = JsonResponse(
        {"detail": detail, "code": "not_authenticated", "errors": []},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="toolbox"'
    return response


class ClerkAuthenticationMiddleware:
    """Signs a request in from its Clerk token, statelessly (no session is created).

    A request already signed in by a Django session keeps that user. A request that carries
    a token which does not verify is refused with 401 rather than treated as anonymous, so
    that a client learns its token is bad instead of seeing an empty page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/webhooks/") or not request_carries_clerk_token(request):
            return self.get_response(request)
        has_bearer = request.headers.get("Authorization", "").startswith("Bearer ")
        if request.user.is_authenticated and not has_bearer:
            return self.get_response(request)
        if not settings.CLERK_ENABLED:
            if has_bearer:
                logger.info("clerk_token_rejected", reason="Clerk is not configured")
                return unauthorized_response("Bearer tokens are not accepted: Clerk sign-in is not configured.")
            return self.get_response(request)
        verification = verify_clerk_request(request)
        if verification.payload is None:
            logger.info("clerk_token_rejected", reason=verification.reason, path=request.path)
            return unauthorized_response("Your sign-in token is invalid or has expired. Sign in again.")
        from django.contrib.auth import authenticate

        user = authenticate(request, clerk_payload=verification.payload)
        if user is None:
            logger.info(
                "clerk_token_rejected", reason="account is deactivated", clerk_user_id=verification.payload["sub"]
            )
            return unauthorized_response("This account is deactivated. Ask your school's administrator.")
        request.user = user
        request.clerk_authenticated = True  # type: ignore[attr-defined]
        # A stateless bearer request needs no CSRF token; a browser's cookie request does.
        if has_bearer:
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
