"""Request ids on responses and log lines; JSON lines in production."""

from __future__ import annotations

import json
import re

import pytest
import structlog
from django.test import Client
from pytest_django import Settings

from tests.accounts.logs import logged_events
from tests.subprocesses import run_python

GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/no-such-page/", "/student/"])
def test_every_response_carries_a_request_id(client: Client, path: str) -> None:
    response = client.get(path)

    assert GENERATED_ID.match(response["X-Request-ID"])


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client: Client) -> None:
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]

    assert first != second


@pytest.mark.django_db
def test_a_safe_incoming_request_id_is_reused(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a9c2e.0001")

    assert response["X-Request-ID"] == "lb-7f3a9c2e.0001"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unsafe", ["short", "has spaces in it", "inject\nfake=1 line", "<script>alert(1)</script>", "x" * 65]
)
def test_an_unsafe_incoming_request_id_is_replaced(client: Client, unsafe: str) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=unsafe)

    assert GENERATED_ID.match(response["X-Request-ID"])


@pytest.mark.django_db
def test_lines_logged_while_serving_carry_the_request_id_and_later_lines_do_not(
    client: Client, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CLERK_JWT_KEY = ""
    settings.CLERK_SECRET_KEY = ""

    response = client.get("/student/", HTTP_AUTHORIZATION="Bearer token", HTTP_X_REQUEST_ID="trace-12345678")
    structlog.get_logger("tests").info("after_the_request")

    assert response.status_code == 401
    events = {event["event"]: event for event in logged_events(caplog)}
    assert events["clerk_token_rejected"]["request_id"] == "trace-12345678"
    assert "request_id" not in events["after_the_request"]


LOG_ONE_LINE = (
    "import django; django.setup(); import structlog; "
    "structlog.get_logger('toolbox.probe').info('probe_logged', answer=42)"
)


def test_log_json_writes_one_json_object_per_line() -> None:
    result = run_python(["-c", LOG_ONE_LINE], {"DEBUG": "1", "LOG_JSON": "1"})

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["event"] == "probe_logged"
    assert line["answer"] == 42
    assert line["level"] == "info"
    assert line["logger"] == "toolbox.probe"
    assert "timestamp" in line


def test_development_logs_are_readable_lines() -> None:
    result = run_python(["-c", LOG_ONE_LINE], {"DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert "probe_logged" in line
    assert "answer=42" in line
    assert not line.startswith("{")
