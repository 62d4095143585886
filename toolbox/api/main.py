"""The ToolBox JSON API, version 1, mounted at /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from toolbox.api.auth import API_AUTH
from toolbox.api.errors import install_exception_handlers
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

api = NinjaAPI(
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
)
install_exception_handlers(api)

for module in (system, classes, content, review, questions, assignments, attempts, progress, generation, notifications):
    api.add_router("/", module.router)
