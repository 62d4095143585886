"""Clerk sign-in: session tokens from `Authorization: Bearer …` or the `__session` cookie.

Tokens are verified by clerk-backend-api's `authenticate_request` (networkless when
CLERK_JWT_KEY is set) and mapped to the local user by `clerk_user_id`; a user seen for the
first time is created with the role from the token's public metadata (student when absent,
never admin). A bad token answers 401 with a reason in the log, never a 500.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from clerk_backend_api.security import authenticate_request
from clerk_backend_api.security.types import AuthenticateRequestOptions
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse, JsonResponse

from toolbox.accounts.models import User
from toolbox.accounts.services import clerk_user_first_sight

logger = structlog.get_logger(__name__)

SESSION_COOKIE = "__session"


@dataclass(frozen=True)
class ClerkVerification:
    payload: dict[str, Any] | None
    reason: str


@dataclass(frozen=True)
class _TokenCarrier:
    """What `authenticate_request` reads a token from: only the one token we chose."""

    headers: Mapping[str, str]


def clerk_enabled() -> bool:
    # Read on every call rather than from a value computed at import, so that settings
    # changed at run time (tests, a reloaded configuration) take effect.
    return bool(settings.CLERK_SECRET_KEY or settings.CLERK_JWT_KEY)


def bearer_token(request: HttpRequest) -> str | None:
    """The credentials of an `Authorization: Bearer …` header ("" when empty), else None."""
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def clerk_token(request: HttpRequest) -> str | None:
    token = bearer_token(request)
    if token is not None:
        return token
    return request.COOKIES.get(SESSION_COOKIE)


@functools.lru_cache(maxsize=4)
def _single_line_public_key(pem: str) -> str:
    """The PEM key as one OpenSSH line. clerk-backend-api strips every newline from the key
    it is given, which a PEM parser need not accept; an OpenSSH key has none to lose."""
    public_key = serialization.load_pem_public_key(pem.strip().encode())
    return public_key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def verify_clerk_token(token: str) -> ClerkVerification:
    """Verify a Clerk session token; the payload is None and `reason` says why on failure."""
    if not clerk_enabled():
        return ClerkVerification(None, "Clerk sign-in is not configured on this server")
    if not token:
        return ClerkVerification(None, "the bearer token is empty")
    jwt_key = None
    if settings.CLERK_JWT_KEY:
        try:
            jwt_key = _single_line_public_key(settings.CLERK_JWT_KEY)
        except (ValueError, TypeError) as error:
            return ClerkVerification(None, f"CLERK_JWT_KEY is not a PEM public key ({type(error).__name__})")
    options = AuthenticateRequestOptions(
        # With a JWT key the secret key is not passed, so that verification stays networkless.
        secret_key=None if jwt_key else settings.CLERK_SECRET_KEY,
        jwt_key=jwt_key,
        # An empty list would refuse every token; None means "not enforced".
        authorized_parties=list(settings.CLERK_AUTHORIZED_PARTIES) or None,
        accepts_token=["session_token"],
    )
    try:
        state = authenticate_request(_TokenCarrier({"Authorization": f"Bearer {token}"}), options)
    except Exception as error:  # noqa: BLE001 — a malformed token must answer 401, never 500.
        return ClerkVerification(None, f"token could not be parsed ({type(error).__name__})")
    if not state.is_signed_in or not state.payload:
        reason = state.reason.value[0] if state.reason else "not signed in"
        return ClerkVerification(None, reason)
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
        clerk_user_id = str(clerk_payload["sub"])
        user = User.objects.filter(clerk_user_id=clerk_user_id).first()
        if user is None:
            user = clerk_user_first_sight(
                clerk_user_id=clerk_user_id,
                email=str(clerk_payload.get("email") or ""),
                first_name=str(clerk_payload.get("first_name") or ""),
                last_name=str(clerk_payload.get("last_name") or ""),
                public_metadata=_public_metadata(clerk_payload),
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
    response = JsonResponse({"detail": detail, "code": "not_authenticated", "errors": []}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="toolbox"'
    return response


class ClerkAuthenticationMiddleware:
    """Signs a request in from its Clerk token, statelessly (no session is created).

    A request already signed in by a Django session keeps that user unless it also sends
    a bearer token. A request that carries a token which does not verify is refused with
    401 rather than treated as anonymous, so that a client learns its token is bad instead
    of seeing an empty page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/webhooks/"):
            return self.get_response(request)
        bearer = bearer_token(request)
        token = clerk_token(request)
        if token is None:
            return self.get_response(request)
        if bearer is None and request.user.is_authenticated:
            return self.get_response(request)
        if not clerk_enabled():
            if bearer is not None:
                logger.info("clerk_token_rejected", reason="Clerk is not configured", path=request.path)
                return unauthorized_response("Bearer tokens are not accepted: Clerk sign-in is not configured.")
            return self.get_response(request)
        verification = verify_clerk_token(token)
        if verification.payload is None:
            logger.info("clerk_token_rejected", reason=verification.reason, path=request.path)
            return unauthorized_response("Your sign-in token is invalid or has expired. Sign in again.")
        user = authenticate(request, clerk_payload=verification.payload)
        if user is None:
            logger.info(
                "clerk_token_rejected",
                reason="account is deactivated",
                clerk_user_id=verification.payload["sub"],
                path=request.path,
            )
            return unauthorized_response("This account is deactivated. Ask your school's administrator.")
        request.user = user
        request.clerk_authenticated = True  # type: ignore[attr-defined]
        # A stateless bearer request needs no CSRF token; a browser's cookie request does.
        if bearer is not None:
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
