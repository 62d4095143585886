"""Clerk session tokens: signed here with a test RSA key, verified without any network."""

from __future__ import annotations

import base64
import ipaddress
import json
import socket
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from pytest_django import Settings

from tests.accounts.logs import logged_events
from tests.factories import StudentFactory
from toolbox.accounts.models import Role, User

AUTHORIZED_PARTY = "https://toolbox.example.org"


def _new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_pem(private_key: rsa.RSAPrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


SIGNING_KEY = _new_private_key()
OTHER_KEY = _new_private_key()


def session_token(private_key: rsa.RSAPrivateKey = SIGNING_KEY, **claims: Any) -> str:
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": "user_2abc",
        "sid": "sess_2abc",
        "iat": now,
        "nbf": now,
        "exp": now + 60,
        "azp": AUTHORIZED_PARTY,
    }
    payload.update(claims)
    return jwt.encode(payload, private_key, algorithm="RS256", headers={"kid": "ins_test"})


class NetworkUsedError(AssertionError):
    pass


@pytest.fixture
def network_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records (and refuses) every HTTP call and every connection beyond this machine."""
    calls: list[str] = []

    def refuse_http(self: httpx.Client, request: httpx.Request, **kwargs: object) -> httpx.Response:
        calls.append(str(request.url))
        raise NetworkUsedError(f"HTTP call to {request.url}")

    real_connect = socket.socket.connect

    def loopback_only(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                calls.append(f"socket to {host}")
                raise NetworkUsedError(f"connection to {host}")
        return real_connect(self, address)

    monkeypatch.setattr(httpx.Client, "send", refuse_http)
    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    return calls


@pytest.fixture
def clerk(settings: Settings, network_calls: list[str]) -> list[str]:
    """Clerk configured for networkless verification with the test key (a real multi-line
    PEM, as an operator pastes it). A secret key is set too, to show the JWT key wins."""
    settings.CLERK_JWT_KEY = _public_pem(SIGNING_KEY)
    settings.CLERK_SECRET_KEY = "sk_test_never_used"
    settings.CLERK_AUTHORIZED_PARTIES = [AUTHORIZED_PARTY]
    return network_calls


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_the_public_key_is_a_real_multi_line_pem(clerk: list[str]) -> None:
    from django.conf import settings

    assert settings.CLERK_JWT_KEY.count("\n") > 3


@pytest.mark.django_db
def test_a_bearer_token_signs_in_a_new_user_as_a_student_without_network(client: Client, clerk: list[str]) -> None:
    response = client.get("/student/", headers=bearer(session_token(email="ada@example.test")))

    assert response.status_code == 200
    user = User.objects.get(clerk_user_id="user_2abc")
    assert user.role == Role.STUDENT
    assert user.email == "ada@example.test"
    assert not user.has_usable_password()
    assert clerk == []


@pytest.mark.django_db
def test_the_session_cookie_signs_in_too(client: Client, clerk: list[str]) -> None:
    client.cookies["__session"] = session_token()

    response = client.get("/student/")

    assert response.status_code == 200
    assert User.objects.filter(clerk_user_id="user_2abc").exists()
    assert "_auth_user_id" not in client.session, "Clerk sign-in is stateless"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("metadata", "role"),
    [
        ({"role": "educator"}, Role.EDUCATOR),
        ({"role": "parent"}, Role.PARENT),
        ({"role": "student"}, Role.STUDENT),
        ({"role": "admin"}, Role.STUDENT),
        ({"role": "headmaster"}, Role.STUDENT),
        ({}, Role.STUDENT),
    ],
)
def test_the_role_on_first_sight_comes_from_public_metadata_but_never_admin(
    client: Client, clerk: list[str], metadata: dict[str, str], role: str
) -> None:
    client.get("/accounts/home/", headers=bearer(session_token(public_metadata=metadata)))

    user = User.objects.get(clerk_user_id="user_2abc")
    assert user.role == role
    assert not user.is_staff
    assert not user.is_superuser


@pytest.mark.django_db
def test_a_known_clerk_user_is_mapped_by_clerk_id_and_keeps_its_role(client: Client, clerk: list[str]) -> None:
    existing = StudentFactory(clerk_user_id="user_2abc")

    response = client.get("/student/", headers=bearer(session_token(public_metadata={"role": "educator"})))
    again = client.get("/student/", headers=bearer(session_token()))

    assert response.status_code == again.status_code == 200
    assert User.objects.filter(clerk_user_id="user_2abc").count() == 1
    existing.refresh_from_db()
    assert existing.role == Role.STUDENT


@pytest.mark.django_db
def test_an_educator_token_reaches_the_educator_home(client: Client, clerk: list[str]) -> None:
    token = session_token(public_metadata={"role": "educator"})

    assert client.get("/educator/", headers=bearer(token)).status_code == 200
    assert client.get("/student/", headers=bearer(token)).status_code == 403


def _unsigned_token(claims: dict[str, Any]) -> str:
    """A token that claims `alg: none` and carries no signature."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _rejected_tokens() -> dict[str, tuple[str, str]]:
    now = int(time.time())
    return {
        "expired": (session_token(iat=now - 600, nbf=now - 600, exp=now - 300), "token-expired"),
        "not yet valid": (session_token(nbf=now + 300, exp=now + 600), "token-not-active-yet"),
        "signed by another key": (session_token(OTHER_KEY), "token-invalid-signature"),
        "alg none": (
            _unsigned_token({"sub": "user_2abc", "iat": now, "nbf": now, "exp": now + 60, "azp": AUTHORIZED_PARTY}),
            "token-invalid",
        ),
        "wrong azp": (session_token(azp="https://evil.example"), "token-invalid-authorized-parties"),
        "no azp": (session_token(azp=None), "token-invalid-authorized-parties"),
        "garbage": ("not-a-token-at-all", "token-invalid"),
        "machine token prefix": ("ak_live_123", "token-type-not-supported"),
        "empty bearer": ("", "the bearer token is empty"),
    }


# Tokens are made inside each test, so that the valid ones are still fresh when sent.
REJECTED_CASES = list(_rejected_tokens())


@pytest.mark.django_db
@pytest.mark.parametrize("case", REJECTED_CASES)
def test_every_bad_bearer_token_answers_401_and_logs_why(
    client: Client, clerk: list[str], caplog: pytest.LogCaptureFixture, case: str
) -> None:
    token, reason = _rejected_tokens()[case]

    response = client.get("/student/", headers=bearer(token))

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    rejections = [event for event in logged_events(caplog) if event["event"] == "clerk_token_rejected"]
    assert [event["reason"] for event in rejections] == [reason]
    assert not User.objects.filter(clerk_user_id="user_2abc").exists()
    assert clerk == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["expired", "signed by another key", "garbage"])
def test_a_bad_session_cookie_answers_401(client: Client, clerk: list[str], case: str) -> None:
    client.cookies["__session"] = _rejected_tokens()[case][0]

    assert client.get("/student/").status_code == 401


@pytest.mark.django_db
def test_a_bare_bearer_scheme_without_token_answers_401(client: Client, clerk: list[str]) -> None:
    response = client.get("/student/", headers={"Authorization": "Bearer"})

    assert response.status_code == 401


@pytest.mark.django_db
def test_a_deactivated_user_is_refused_with_401(
    client: Client, clerk: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    StudentFactory(clerk_user_id="user_2abc", is_active=False)

    response = client.get("/student/", headers=bearer(session_token()))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    reasons = [event["reason"] for event in logged_events(caplog) if event["event"] == "clerk_token_rejected"]
    assert reasons == ["account is deactivated"]


@pytest.mark.django_db
def test_an_unreadable_jwt_key_answers_401_not_500(client: Client, clerk: list[str], settings: Settings) -> None:
    settings.CLERK_JWT_KEY = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"

    assert client.get("/student/", headers=bearer(session_token())).status_code == 401


@pytest.mark.django_db
def test_without_clerk_configured_a_bearer_token_answers_401(client: Client, settings: Settings) -> None:
    settings.CLERK_JWT_KEY = ""
    settings.CLERK_SECRET_KEY = ""

    response = client.get("/student/", headers=bearer(session_token()))

    assert response.status_code == 401
    assert not User.objects.filter(clerk_user_id="user_2abc").exists()


@pytest.mark.django_db
def test_without_clerk_configured_a_stray_session_cookie_is_ignored(client: Client, settings: Settings) -> None:
    settings.CLERK_JWT_KEY = ""
    settings.CLERK_SECRET_KEY = ""
    client.cookies["__session"] = "left-over-from-another-app"

    response = client.get("/student/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_signed_in_browser_keeps_its_session_user_despite_a_stale_cookie(
    client: Client, clerk: list[str], student: User
) -> None:
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["__session"] = _rejected_tokens()["expired"][0]

    assert client.get("/student/").status_code == 200


@pytest.mark.django_db
def test_a_bearer_request_needs_no_csrf_token(clerk: list[str]) -> None:
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post("/accounts/logout/", headers=bearer(session_token()))

    assert response.status_code == 302


@pytest.mark.django_db
def test_webhooks_are_not_subject_to_token_checks(client: Client, clerk: list[str], settings: Settings) -> None:
    settings.CLERK_WEBHOOK_SECRET = ""

    response = client.post("/webhooks/clerk/", data="{}", content_type="application/json", headers=bearer("garbage"))

    assert response.status_code == 404
