"""/healthz answers 200 when every dependency answers and 503 naming the one that does not.
Failures are real: a cache or broker pointed at a closed port, an unopenable database."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from pytest_django import Settings

from tests.subprocesses import run_python
from toolbox.celery import app


@pytest.fixture
def closed_port() -> int:
    """A local port that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_healthz_reports_every_dependency_up(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "up",
        "cache": "up",
        "broker": "up",
    }
    assert body["checks"]["database"]["backend"] == ("postgresql" if django_settings.IS_POSTGRES else "sqlite")
    assert body["checks"]["broker"]["backend"] == ("redis" if django_settings.REDIS_URL else "filesystem")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_names_a_cache_that_does_not_answer(client: Client, settings: Settings, closed_port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["database"]["status"] == body["checks"]["broker"]["status"] == "up"
    assert body["detail"].startswith("Not answering: cache")


@pytest.mark.django_db
def test_healthz_names_a_broker_that_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{closed_port}/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"]["error"] == "OperationalError"
    assert "broker" in body["detail"]


def test_healthz_names_a_database_that_cannot_be_opened(tmp_path: Path) -> None:
    (tmp_path / "db.sqlite3").mkdir()  # a folder where the database file should be
    probe = (
        "import django, json; django.setup(); from django.test import Client; "
        "response = Client().get('/healthz'); print(json.dumps([response.status_code, response.json()]))"
    )

    result = run_python(["-c", probe], {"DEBUG": "1", "VAR_DIR": str(tmp_path)})

    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["failing"] == ["database"]
    assert body["checks"]["cache"]["status"] == "up"


@pytest.mark.django_db
def test_healthz_only_answers_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
