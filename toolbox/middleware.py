"""Failures a person can act on: a body that is too large (413) and a database that dropped
the connection mid-request (503, "try again").

Both answer the API's one error body on /api/ and a styled page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = structlog.get_logger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 5

DATABASE_UNAVAILABLE_DETAIL = (
    "We could not save or read your work just now because the database did not answer. "
    "Nothing was half-saved: try again in a few seconds."
)


def body_size_limit(request: HttpRequest) -> int:
    """Uploads may be larger than a form or JSON body; Django's own limit counts only the
    non-file part of a multipart body."""
    if request.content_type == "multipart/form-data":
        return settings.MAX_UPLOAD_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def too_large_response(request: HttpRequest, limit: int | None = None) -> HttpResponse:
    limit = body_size_limit(request) if limit is None else limit
    detail = f"The request is too large: send at most {_human_size(limit)}."
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": "payload_too_large", "errors": []}, status=413)
    return _error_page(request, "errors/413.html", 413, {"limit": _human_size(limit)})


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    release_broken_connections()
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {"detail": DATABASE_UNAVAILABLE_DETAIL, "code": "service_unavailable", "errors": [], "retry": True},
            status=503,
        )
    else:
        response = _error_page(request, "errors/503.html", 503, {})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _error_page(request: HttpRequest, template: str, status: int, context: dict[str, object]) -> HttpResponse:
    try:
        body = loader.render_to_string(template, {"request_id": getattr(request, "request_id", ""), **context})
    except Exception:  # noqa: BLE001 — an error page must never fail itself.
        body = f"<h1>Error {status}</h1>"
    return HttpResponse(body, status=status)


class RequestSizeLimitMiddleware:
    """Refuses an oversized body from its Content-Length, before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_size_limit(request)
        if length > limit:
            logger.info("request_too_large", path=request.path, content_length=length, limit=limit)
            return too_large_response(request, limit)
        return self.get_response(request)


def is_database_outage(error: BaseException) -> bool:
    """Connection-level failures only: a constraint violation is a bug or a conflict, not an outage."""
    return isinstance(error, OperationalError | InterfaceError)


class DatabaseUnavailableMiddleware:
    """A dropped database connection answers 503 with a retry hint instead of a 500.

    The view's transaction was rolled back by the connection loss, so a retry starts from a
    clean state.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.warning("database_unavailable", path=request.path, error=type(exception).__name__)
        return database_unavailable_response(request)


def release_broken_connections() -> None:
    """Close a connection the failure left unusable, so that the next request on this thread
    (the student's retry) opens a fresh one instead of failing on the dead one."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue  # an outer block (a test, ATOMIC_REQUESTS) rolls back and cleans up
        try:
            connection.close_if_unusable_or_obsolete()
        except (OperationalError, InterfaceError):
            connection.close()


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django turns RequestDataTooBig into a 400; a person needs to hear "too large"."""
    from toolbox.accounts.errors import bad_request as styled_bad_request

    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return styled_bad_request(request, exception)
