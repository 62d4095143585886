"""Clerk's Svix-signed webhook: valid events apply, tampered or stale ones change nothing."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings
from svix.webhooks import Webhook

from tests.accounts.logs import logged_events
from tests.factories import EnrollmentFactory, StudentFactory
from toolbox.accounts.models import AuditEvent, Role, User
from toolbox.classroom.models import Enrollment

WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"toolbox-test-webhook-secret-32b!").decode()
URL = "/webhooks/clerk/"


@pytest.fixture(autouse=True)
def _webhook_secret(settings: Settings) -> None:
    settings.CLERK_WEBHOOK_SECRET = WEBHOOK_SECRET


def user_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "user_2hook",
        "object": "user",
        "username": "ada.l",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "primary_email_address_id": "idn_2",
        "email_addresses": [
            {"id": "idn_1", "email_address": "old@example.test"},
            {"id": "idn_2", "email_address": "ada@example.test"},
        ],
        "public_metadata": {},
    }
    data.update(overrides)
    return data


def signed_headers(payload: str, *, sent_at: datetime | None = None, msg_id: str = "msg_1") -> dict[str, str]:
    timestamp = sent_at or datetime.now(tz=UTC)
    signature = Webhook(WEBHOOK_SECRET).sign(msg_id, timestamp, payload)
    return {"svix-id": msg_id, "svix-timestamp": str(int(timestamp.timestamp())), "svix-signature": signature}


def deliver(client: Client, event_type: str, data: dict[str, Any], **sign_options: Any) -> Any:
    payload = json.dumps({"type": event_type, "object": "event", "data": data})
    return client.post(
        URL, data=payload, content_type="application/json", headers=signed_headers(payload, **sign_options)
    )


@pytest.mark.django_db
def test_user_created_creates_the_user_with_the_metadata_role(client: Client) -> None:
    response = deliver(client, "user.created", user_data(public_metadata={"role": "educator"}))

    assert response.status_code == 200
    user = User.objects.get(clerk_user_id="user_2hook")
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "ada.l",
        "Ada",
        "Lovelace",
        "ada@example.test",
    )
    assert user.role == Role.EDUCATOR
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_user_created_never_makes_an_admin(client: Client) -> None:
    deliver(client, "user.created", user_data(public_metadata={"role": "admin"}))

    user = User.objects.get(clerk_user_id="user_2hook")
    assert user.role == Role.STUDENT
    assert not user.is_staff


@pytest.mark.django_db
def test_user_updated_copies_names_and_email_but_not_the_role(client: Client) -> None:
    user = StudentFactory(clerk_user_id="user_2hook", first_name="Ada", last_name="Byron", email="ada@example.test")

    response = deliver(
        client,
        "user.updated",
        user_data(
            first_name="Augusta",
            last_name="King",
            primary_email_address_id="idn_1",
            public_metadata={"role": "educator"},
        ),
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Augusta", "King", "old@example.test")
    assert user.role == Role.STUDENT
    assert User.objects.filter(clerk_user_id="user_2hook").count() == 1


@pytest.mark.django_db
def test_user_deleted_deactivates_and_keeps_the_students_rows(client: Client) -> None:
    enrollment = EnrollmentFactory(student=StudentFactory(clerk_user_id="user_2hook"))

    response = deliver(client, "user.deleted", {"id": "user_2hook", "object": "user", "deleted": True})

    assert response.status_code == 200
    user = User.objects.get(clerk_user_id="user_2hook")
    assert not user.is_active
    assert Enrollment.objects.filter(pk=enrollment.pk, student=user).exists()
    assert AuditEvent.objects.filter(action="user.deactivated", target_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_user_deleted_for_an_unknown_user_is_accepted_and_changes_nothing(client: Client) -> None:
    response = deliver(client, "user.deleted", {"id": "user_unknown", "deleted": True})

    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.django_db
def test_other_event_types_are_acknowledged_and_ignored(client: Client) -> None:
    response = deliver(client, "session.created", {"id": "sess_1", "user_id": "user_2hook"})

    assert response.status_code == 200
    assert not User.objects.exists()


def _snapshot() -> list[tuple[Any, ...]]:
    return list(User.objects.order_by("pk").values_list("pk", "first_name", "last_name", "email", "is_active"))


@pytest.mark.django_db
def test_a_tampered_body_is_refused_and_changes_nothing(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    StudentFactory(clerk_user_id="user_2hook", first_name="Ada")
    before = _snapshot()
    signed = json.dumps({"type": "user.updated", "data": user_data(first_name="Ada")})
    tampered = signed.replace('"Ada"', '"Mallory"')

    response = client.post(URL, data=tampered, content_type="application/json", headers=signed_headers(signed))

    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    assert _snapshot() == before
    assert any(event["event"] == "clerk_webhook_rejected" for event in logged_events(caplog))


@pytest.mark.django_db
def test_a_delivery_older_than_five_minutes_is_refused(client: Client) -> None:
    StudentFactory(clerk_user_id="user_2hook")
    before = _snapshot()

    response = deliver(
        client, "user.deleted", {"id": "user_2hook"}, sent_at=datetime.now(tz=UTC) - timedelta(minutes=6)
    )

    assert response.status_code == 400
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_delivery_four_minutes_old_is_still_accepted(client: Client) -> None:
    response = deliver(client, "user.created", user_data(), sent_at=datetime.now(tz=UTC) - timedelta(minutes=4))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"svix-id": "msg_1", "svix-timestamp": "now", "svix-signature": "v1,abc"},
        {"svix-id": "msg_1", "svix-timestamp": "1", "svix-signature": "garbage"},
    ],
)
def test_missing_or_malformed_signature_headers_answer_400(client: Client, headers: dict[str, str]) -> None:
    payload = json.dumps({"type": "user.created", "data": user_data()})
    if headers.get("svix-timestamp") == "1":
        headers = {**headers, "svix-timestamp": str(int(datetime.now(tz=UTC).timestamp()))}

    response = client.post(URL, data=payload, content_type="application/json", headers=headers)

    assert response.status_code == 400
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_signed_body_that_is_not_a_user_event_answers_400(client: Client) -> None:
    payload = "[1, 2, 3]"

    response = client.post(URL, data=payload, content_type="application/json", headers=signed_headers(payload))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.django_db
def test_a_signed_body_that_is_not_json_answers_400(client: Client) -> None:
    payload = "not json"

    response = client.post(URL, data=payload, content_type="application/json", headers=signed_headers(payload))

    assert response.status_code == 400


@pytest.mark.django_db
def test_without_a_secret_the_endpoint_does_not_exist(client: Client, settings: Settings) -> None:
    settings.CLERK_WEBHOOK_SECRET = ""

    response = deliver(client, "user.created", user_data())

    assert response.status_code == 404
    assert not User.objects.exists()


@pytest.mark.django_db
def test_only_post_is_allowed(client: Client) -> None:
    assert client.get(URL).status_code == 405
