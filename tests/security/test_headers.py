"""Security headers and cookies as production serves them.

The production values are read from a fresh process started with production variables (no
DEBUG, no test flag), then applied to this process so that real responses can be inspected.
"""

from __future__ import annotations

import json
import secrets

import pytest
from django.test import Client
from pytest_django import Settings

from tests.factories import TEST_PASSWORD, StudentFactory
from tests.subprocesses import run_python

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DEBUG": "0",
    "ALLOWED_HOSTS": "toolbox.example.org",
    "DATABASE_URL": "postgres://toolbox:secret@127.0.0.1:5432/toolbox",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}

SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]


@pytest.fixture(scope="module")
def production_values() -> dict[str, object]:
    probe = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = run_python(["-c", probe], PRODUCTION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def production(settings: Settings, production_values: dict[str, object]) -> Client:
    for name, value in production_values.items():
        setattr(settings, name, value)
    return Client(HTTP_HOST="testserver")


def test_production_turns_on_secure_cookies_hsts_and_https(production_values: dict[str, object]) -> None:
    assert production_values["DEBUG"] is False
    assert production_values["SESSION_COOKIE_SECURE"] is True
    assert production_values["CSRF_COOKIE_SECURE"] is True
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert int(str(production_values["SECURE_HSTS_SECONDS"])) >= 31536000


@pytest.mark.django_db
def test_a_production_page_carries_every_security_header(production: Client) -> None:
    response = production.get("/accounts/login/", secure=True)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(production: Client) -> None:
    response = production.get("/accounts/login/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
def test_production_session_and_csrf_cookies_are_secure_httponly_and_samesite(production: Client) -> None:
    student = StudentFactory()
    production.get("/accounts/login/", secure=True)
    csrf_cookie = production.cookies["csrftoken"]

    response = production.post(
        "/accounts/login/", {"username": student.username, "password": TEST_PASSWORD}, secure=True
    )

    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_api_and_error_responses_carry_the_headers_too(production: Client) -> None:
    for path in ("/api/v1/health", "/no-such-page/"):
        response = production.get(path, secure=True)
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
