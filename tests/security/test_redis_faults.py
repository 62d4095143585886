"""Redis stops: the cache degrades to misses so pages still render from the database, a
generation job requested meanwhile is saved as queued (in about a second, not six) and runs
once Redis is back, and /healthz answers 503 naming Redis.

Redis is "stopped" by pointing the cache and the broker at a closed local port: the shared
Redis server keeps running for everyone else.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from tests.factories import EducatorFactory, SchoolFactory, StudentFactory
from tests.security.workers import start_worker, stop_worker
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.services import generation_job_create, generation_jobs_sweep
from toolbox.cache import FallbackRedisCache
from toolbox.celery import app
from toolbox.content.models import Quiz

FRACTIONS = (
    "A fraction names a part of a whole. The number on the bottom, the denominator, says how many equal "
    "parts the whole is cut into. The number on the top, the numerator, says how many of those parts we "
    "mean. Three quarters means three of four equal parts. Fractions with the same denominator are added "
    "by adding their numerators. Equivalent fractions name the same amount: one half is two quarters."
)


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reset_broker_pools() -> None:
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def broker_at() -> Iterator[Callable[[str], None]]:
    """Point the broker somewhere else for one test (the connection pools are rebuilt)."""
    original = app.conf.broker_url

    def point(url: str) -> None:
        app.conf.broker_url = url  # pyright: ignore[reportAttributeAccessIssue]
        _reset_broker_pools()

    yield point
    point(original)


@pytest.fixture
def redis_down(settings: Settings, closed_port: int, broker_at: Callable[[str], None]) -> str:
    url = f"redis://127.0.0.1:{closed_port}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "toolbox.cache.FallbackRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    broker_at(url)
    return url


def _counting_client_calls(cache: FallbackRedisCache) -> list[int]:
    calls: list[int] = []
    original = cache._cache.get_client  # type: ignore[attr-defined]

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    cache._cache.get_client = counted  # type: ignore[attr-defined]
    return calls


def test_an_unreachable_redis_makes_reads_miss_and_writes_no_ops(closed_port: int) -> None:
    cache = FallbackRedisCache(f"redis://127.0.0.1:{closed_port}/0", {"OPTIONS": {"socket_connect_timeout": 1}})

    cache.set("lesson:1", "cached")
    assert cache.get("lesson:1") is None
    assert cache.get("lesson:1", "from the database") == "from the database"
    assert cache.add("lesson:2", "x") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    cache.delete_many(["a"])
    cache.clear()
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")


def test_after_one_failure_the_cache_is_bypassed_for_a_pause_instead_of_timing_out_per_call(
    closed_port: int,
) -> None:
    cache = FallbackRedisCache(
        f"redis://127.0.0.1:{closed_port}/0", {"OPTIONS": {"socket_connect_timeout": 1, "RETRY_AFTER_SECONDS": 30}}
    )
    calls = _counting_client_calls(cache)

    for number in range(50):
        cache.get(f"key-{number}")
        cache.set(f"key-{number}", number)

    assert len(calls) == 1
    assert cache.available is False


def test_without_a_pause_every_call_tries_redis_again(closed_port: int) -> None:
    cache = FallbackRedisCache(
        f"redis://127.0.0.1:{closed_port}/0", {"OPTIONS": {"socket_connect_timeout": 1, "RETRY_AFTER_SECONDS": 0}}
    )
    calls = _counting_client_calls(cache)

    for number in range(5):
        cache.get(f"key-{number}")

    assert len(calls) == 5


@pytest.mark.redis
def test_a_reachable_redis_caches_as_usual() -> None:
    cache = caches["default"]
    assert isinstance(cache, FallbackRedisCache)

    cache.set("security:roundtrip", {"ok": True}, timeout=30)

    assert cache.get("security:roundtrip") == {"ok": True}
    cache.delete("security:counter")
    assert cache.add("security:counter", 1) is True
    assert cache.incr("security:counter") == 2


@pytest.mark.redis
def test_every_cache_call_of_a_thread_reuses_one_redis_client() -> None:
    """Django builds a client per call, which cost more CPU than the call (toolbox/cache.py)."""
    cache = caches["default"]
    assert isinstance(cache, FallbackRedisCache)
    client = cache._cache.get_client()  # type: ignore[attr-defined]

    cache.set("security:client", 1, timeout=30)

    assert cache.get("security:client") == 1
    assert cache._cache.get_client(write=True) is client  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pages_still_render_while_redis_is_down_and_healthz_names_redis(redis_down: str) -> None:
    student = StudentFactory(school=SchoolFactory())
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(student, backend="django.contrib.auth.backends.ModelBackend")

    assert anonymous.get("/accounts/login/").status_code == 200
    assert signed_in.get("/student/").status_code == 200

    health = anonymous.get("/healthz")
    assert health.status_code == 503
    body = health.json()
    assert body["failing"] == ["cache", "broker"]
    assert body["detail"] == "Not answering: cache (redis), broker (redis)."


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_asked_for_while_redis_is_down_is_queued_in_about_a_second_and_runs_once_it_is_back(
    settings: Settings, closed_port: int, broker_at: Callable[[str], None], tmp_path: Path
) -> None:
    settings.OPENAI_API_KEY = ""
    reachable = django_settings.CELERY_BROKER_URL
    educator = EducatorFactory(school=SchoolFactory())
    parameters = {"subject": "Maths", "grade": "5", "topic": "Fractions", "source_text": FRACTIONS}
    broker_at(f"redis://127.0.0.1:{closed_port}/0")

    started = time.monotonic()
    job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters)
    elapsed = time.monotonic() - started

    assert elapsed < 2.5, f"creating a job with the broker down took {elapsed:.1f} s"
    job.refresh_from_db()
    assert (job.status, job.dispatched_at) == (JobStatus.QUEUED, None)

    broker_at(reachable)
    with app.connection_for_write() as broker:
        app.control.purge(connection=broker)
    worker = start_worker(tmp_path / "worker.log")
    try:
        report = generation_jobs_sweep(now=timezone.now() + dt.timedelta(minutes=2))
        assert report.redispatched == 1
        job = _wait_for(job, JobStatus.SUCCEEDED, seconds=60)
    finally:
        stop_worker(worker)
    assert Quiz.objects.filter(generation_job=job).count() == 1
    assert job.attempts == 1


def _wait_for(job: GenerationJob, status: str, *, seconds: float) -> GenerationJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        time.sleep(0.3)
    pytest.fail(f"Job {job.pk} is {job.status} ({job.stage_message}), not {status}, after {seconds} s.")
