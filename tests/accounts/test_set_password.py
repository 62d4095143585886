"""The set-password page a student created by roster import opens from a one-time link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from tests.factories import StudentFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import SetPasswordLink
from toolbox.classroom.services import set_password_link_create

GOOD_PASSWORD = "Maple-Syrup-Rocket-42"


@pytest.fixture
def imported_student(db: None) -> User:
    student = StudentFactory(username="imported.kid")
    student.set_unusable_password()
    student.save()
    return student


@pytest.fixture
def link(imported_student: User) -> SetPasswordLink:
    return set_password_link_create(user=imported_student)


def url(token: str) -> str:
    return f"/accounts/set-password/{token}/"


def test_the_page_shows_a_form_with_the_password_rules(client: Client, link: SetPasswordLink) -> None:
    response = client.get(url(link.token))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="password1"' in page
    assert 'name="password2"' in page
    assert "at least 8 characters" in page
    assert "uppercase letter" in page


def test_a_good_password_is_set_and_the_student_lands_home_signed_in(
    client: Client, link: SetPasswordLink, imported_student: User
) -> None:
    response = client.post(url(link.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/student/"
    assert response.status_code == 200
    assert int(client.session["_auth_user_id"]) == imported_student.pk
    imported_student.refresh_from_db()
    assert imported_student.check_password(GOOD_PASSWORD)


def test_the_link_works_once(client: Client, link: SetPasswordLink, imported_student: User) -> None:
    client.post(url(link.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.post("/accounts/logout/")

    again = client.post(url(link.token), {"password1": "Another-Pass-99", "password2": "Another-Pass-99"})

    assert again.status_code == 200
    assert "already been used" in again.content.decode()
    assert "_auth_user_id" not in client.session
    imported_student.refresh_from_db()
    assert imported_student.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [("lowercase-only-42", "uppercase letter"), ("Ab-1", "too short"), ("Password1", "too common")],
)
def test_a_password_breaking_a_rule_is_refused_and_the_link_stays_usable(
    client: Client, link: SetPasswordLink, imported_student: User, password: str, message: str
) -> None:
    response = client.post(url(link.token), {"password1": password, "password2": password})

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["password1"])
    assert "_auth_user_id" not in client.session
    imported_student.refresh_from_db()
    assert not imported_student.has_usable_password()
    link.refresh_from_db()
    assert link.used_at is None


def test_two_different_passwords_are_refused(client: Client, link: SetPasswordLink) -> None:
    response = client.post(url(link.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})

    assert "differ" in str(response.context["form"].errors["password2"])
    link.refresh_from_db()
    assert link.used_at is None


@pytest.mark.django_db
def test_an_unknown_link_says_so(client: Client) -> None:
    response = client.post(url("no-such-token"), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert response.status_code == 200
    assert "not valid" in " ".join(response.context["form"].non_field_errors())
    assert "_auth_user_id" not in client.session


def test_an_expired_link_says_so(client: Client, link: SetPasswordLink, imported_student: User) -> None:
    with time_machine.travel(link.expires_at + timedelta(minutes=1)):
        response = client.post(url(link.token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert "expired" in " ".join(response.context["form"].non_field_errors())
    imported_student.refresh_from_db()
    assert not imported_student.has_usable_password()
