"""The ToolBox JSON API, version 1, mounted at /api/v1/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI

from toolbox.api.auth import API_AUTH
from toolbox.api.errors import (
    get_only,
    install_exception_handlers,
    method_not_allowed_as_error_body,
    unknown_path_as_error_body,
)
from toolbox.api.parser import UnicodeJSONParser
from toolbox.api.routers import (
    assignments,
    attempts,
    classes,
    content,
    generation,
    notifications,
    progress,
    questions,
    review,
    system,
)
from toolbox.api.throttling import API_THROTTLES


class ToolboxAPI(NinjaAPI):
    """The NinjaAPI that answers with the one error body what ninja and Django answer by
    themselves: a method a path does not take (405) and a path no operation has (404)."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        unknown_path = unknown_path_as_error_body(self)
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name == "api-root":
                # The root is there so that reverse() finds the API's prefix; ninja's view for it
                # raises Http404, which Django answers with its HTML page.
                pattern.callback = unknown_path
            else:
                pattern.callback = method_not_allowed_as_error_body(self, pattern.callback)
        patterns.append(path("<path:unknown>", unknown_path, name="unknown-path"))
        return patterns, app_name, namespace


api = ToolboxAPI(
    title="ToolBox API",
    version="1.0.0",
    description=(
        "The ToolBox learning platform's JSON API: classes and rosters, lessons and quizzes, "
        "assignments and attempts, progress and gradebooks, AI generation jobs and notifications.\n\n"
        "Authenticate with a Clerk session token (`Authorization: Bearer <token>`) or a Django "
        "session cookie (then send the `csrftoken` cookie's value in `X-CSRFToken` on writes). "
        'Every failure answers one body: `{"detail": "...", "code": "...", "errors": [...]}`. '
        "An object you may not see answers 404, so ids leak nothing."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    throttle=API_THROTTLES,
    parser=UnicodeJSONParser(),
    docs_decorator=get_only,
)
install_exception_handlers(api)

for module in (system, classes, content, review, questions, assignments, attempts, progress, generation, notifications):
    api.add_router("/", module.router)
