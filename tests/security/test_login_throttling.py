"""Login throttling: repeated failures for one username or from one address lock sign-in out
for a while, with a page that reads the same whether the account exists or not."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from tests.factories import TEST_PASSWORD, StudentFactory
from toolbox.accounts.models import User

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str, address: str) -> _MonkeyPatchedWSGIResponse:
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, address: str, times: int) -> list[int]:
    return [_sign_in(client, username, "Wrong-Password-1", address).status_code for _ in range(times)]


def _visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_repeated_failures_for_one_username_lock_it_out_even_with_the_right_password(client: Client) -> None:
    student = StudentFactory()
    limit = settings.AXES_FAILURE_LIMIT
    # The ordinary "do not match" form until the failure that reaches the limit.
    assert _fail(client, student.username, "10.0.0.1", limit) == [200] * (limit - 1) + [429]

    response = _sign_in(client, student.username, TEST_PASSWORD, "10.0.0.2")

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_does_not_reveal_whether_the_account_exists(client: Client) -> None:
    known = StudentFactory(username="known-pupil")
    _fail(client, known.username, "10.0.1.1", settings.AXES_FAILURE_LIMIT)
    _fail(client, "nobody-at-all", "10.0.1.2", settings.AXES_FAILURE_LIMIT)

    for_known = _sign_in(client, known.username, "Wrong-Password-1", "10.0.1.3")
    for_unknown = _sign_in(client, "nobody-at-all", "Wrong-Password-1", "10.0.1.4")

    assert for_known.status_code == for_unknown.status_code == 429
    assert _visible_text(for_known.content.decode()) == _visible_text(for_unknown.content.decode())
    assert "known-pupil" not in for_known.content.decode()
    assert "15 minutes" in for_known.content.decode()


def test_repeated_failures_from_one_address_lock_that_address_out_for_every_username(client: Client) -> None:
    student = StudentFactory()
    for number in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"guess-{number}", "10.0.2.1", 1)

    assert _sign_in(client, student.username, TEST_PASSWORD, "10.0.2.1").status_code == 429
    from_elsewhere = _sign_in(client, student.username, TEST_PASSWORD, "10.0.2.2")
    assert from_elsewhere.status_code == 302
    assert from_elsewhere["Location"] == "/accounts/home/"


def test_fewer_failures_than_the_limit_do_not_lock_and_a_success_resets_the_count(client: Client) -> None:
    student = StudentFactory()
    assert set(_fail(client, student.username, "10.0.3.1", settings.AXES_FAILURE_LIMIT - 1)) == {200}
    assert _sign_in(client, student.username, TEST_PASSWORD, "10.0.3.1").status_code == 302
    client.logout()

    _fail(client, student.username, "10.0.3.1", settings.AXES_FAILURE_LIMIT - 1)

    assert _sign_in(client, student.username, TEST_PASSWORD, "10.0.3.1").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client: Client) -> None:
    student = StudentFactory()
    _fail(client, student.username, "10.0.4.1", settings.AXES_FAILURE_LIMIT)
    assert _sign_in(client, student.username, TEST_PASSWORD, "10.0.4.1").status_code == 429

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=5)):
        assert _sign_in(client, student.username, TEST_PASSWORD, "10.0.4.1").status_code == 302


def test_a_locked_out_address_does_not_affect_sessions_started_otherwise(client: Client) -> None:
    student = StudentFactory()
    for number in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"guess-{number}", "127.0.0.1", 1)

    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/accounts/home/").status_code == 302
    assert client.get("/accounts/home/")["Location"] == "/student/"


def test_clerk_sign_in_is_not_throttled_by_a_locked_out_address(client: Client) -> None:
    student = StudentFactory(clerk_user_id="user_clerk_locked_address")
    for number in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"guess-{number}", "10.0.5.1", 1)
    request = RequestFactory().get("/student/", REMOTE_ADDR="10.0.5.1")

    signed_in = authenticate(request, clerk_payload={"sub": "user_clerk_locked_address"})

    assert isinstance(signed_in, User)
    assert signed_in.pk == student.pk
