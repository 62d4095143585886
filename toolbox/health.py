"""`/healthz`: is each dependency answering? 200 when all are, 503 naming any that is not."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = structlog.get_logger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was just stored")


def check_broker() -> None:
    from toolbox.celery import app

    with app.connection_for_write() as broker:
        # One immediate retry: a health probe must answer within its own timeout.
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def _backend_name(dependency: str) -> str:
    if dependency == "database":
        return "postgresql" if settings.IS_POSTGRES else "sqlite"
    return "redis" if settings.REDIS_URL else ("locmem" if dependency == "cache" else "filesystem")


def health_report() -> tuple[dict[str, object], bool]:
    """Run every check; the body names each dependency's state, and what failed."""
    results: dict[str, dict[str, str]] = {}
    failed: list[str] = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure of a dependency is reported, not raised.
            logger.warning("healthz_dependency_down", dependency=name, error=type(error).__name__)
            results[name] = {"status": "down", "backend": _backend_name(name), "error": type(error).__name__}
            failed.append(name)
        else:
            results[name] = {"status": "up", "backend": _backend_name(name)}
    body: dict[str, object] = {"status": "ok" if not failed else "degraded", "checks": results}
    if failed:
        body["failing"] = failed
        body["detail"] = "Not answering: " + ", ".join(f"{name} ({_backend_name(name)})" for name in failed) + "."
    return body, not failed


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    body, healthy = health_report()
    return JsonResponse(body, status=200 if healthy else 503)


def ping(request: HttpRequest) -> HttpResponse:
    """The benchmark's ceiling: the same server and middleware, no database, no template."""
    return HttpResponse("pong", content_type="text/plain")
