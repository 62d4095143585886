"""One error body for every API failure: {"detail": "...", "code": "...", "errors": [...]}."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import structlog
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from toolbox.errors import DomainError
from toolbox.middleware import database_unavailable_response, too_large_response

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = structlog.get_logger(__name__)

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
}


def error_body(*, detail: str, code: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": errors or []}


def _field_errors(raw_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's error list, reshaped so each entry names its field in plain words."""
    shaped = []
    for error in raw_errors:
        location = [str(part) for part in error.get("loc", ())]
        # ninja prefixes the parameter source ("body", "query", "path") and the schema's
        # argument name; the field is what a client can act on.
        field_parts = (
            location[2:] if len(location) > 2 and location[0] in ("body", "query", "path", "form") else location[1:]
        )
        field = ".".join(field_parts) or (location[-1] if location else "")
        shaped.append({"field": field, "message": error.get("msg", "Invalid value."), "type": error.get("type", "")})
    return shaped


def install_exception_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = list(exc.errors)
        if exc.field and not errors:
            errors = [{"field": exc.field, "message": exc.message}]
        return respond(request, exc.status_code, error_body(detail=exc.message, code=exc.code, errors=errors))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _field_errors(list(exc.errors))
        fields = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
        detail = f"Some fields are invalid: {fields}." if fields else "The request is invalid."
        return respond(request, 422, error_body(detail=detail, code="validation_error", errors=errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            error_body(
                detail="Sign in first: send a Clerk bearer token or a session cookie.", code="not_authenticated"
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="toolbox"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait or 1)
        response = respond(
            request, 429, error_body(detail=f"Too many requests. Try again in {wait} seconds.", code="rate_limited")
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        detail = str(exc)
        if status == 403 and "CSRF" in detail:
            detail = "The CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."
        return respond(request, status, error_body(detail=detail, code=_HTTP_CODES.get(status, "error")))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(detail="Not found.", code="not_found"))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django's own check counts the fields of a body, not its files.
        return too_large_response(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    @api.exception_handler(OperationalError)
    def database_operational_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        logger.warning("database_unavailable", path=request.path, error=type(exc).__name__)
        return database_unavailable_response(request)

    @api.exception_handler(InterfaceError)
    def database_interface_error(request: HttpRequest, exc: InterfaceError) -> HttpResponse:
        logger.warning("database_unavailable", path=request.path, error=type(exc).__name__)
        return database_unavailable_response(request)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body(detail=str(exc) or "You may not do this.", code="permission_denied"))


def method_not_allowed_as_error_body(
    api: NinjaAPI, view: Callable[..., HttpResponseBase]
) -> Callable[..., HttpResponseBase]:
    """The view, answering a method its path does not take with the one error body. ninja
    answers that itself, with a bare text 405 that no exception handler sees."""

    @functools.wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = ", ".join(sorted(method.strip() for method in response["Allow"].split(",")))
        refused = api.create_response(
            request,
            error_body(
                detail=f"This path does not take {request.method}: it takes {allowed}.", code="method_not_allowed"
            ),
            status=405,
        )
        refused["Allow"] = allowed
        return refused

    return answer


def unknown_path_as_error_body(api: NinjaAPI) -> Callable[..., HttpResponse]:
    """The view for a path under the API that no operation has: 404 with the one error body,
    whatever the method, where Django would answer its HTML page."""

    # CSRF-exempt, as ninja's own views are: it changes nothing, and otherwise the CSRF
    # middleware would answer a browser's write with its HTML 403 before the view runs.
    @csrf_exempt
    def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        docs = reverse(f"{api.urls_namespace}:openapi-view")
        return api.create_response(
            request,
            error_body(detail=f"The API has no such path: {docs} lists the paths it has.", code="not_found"),
            status=404,
        )

    return unknown_path


def get_only(view: _View) -> _View:
    """The schema and docs pages take GET alone: ninja serves them to any method. The refusal is
    Django's bare 405, which method_not_allowed_as_error_body turns into the error body. They
    only read, so they are CSRF-exempt: otherwise the CSRF middleware would answer a browser's
    write with its HTML 403 before the refusal."""
    return csrf_exempt(require_http_methods(["GET"])(view))
