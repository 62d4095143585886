"""Password rules, password change and password reset (through Django's e-mail backend)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import TEST_PASSWORD, StudentFactory
from toolbox.accounts.models import User

NEW_PASSWORD = "Maple-Syrup-Rocket-42"


def _codes(password: str, user: User | None = None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list if e.code}
    return set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab-1x", "password_too_short"),
        ("maple-syrup-rocket-42", "password_no_uppercase"),
        ("Password1", "password_too_common"),
        ("1234567890", "password_entirely_numeric"),
    ],
)
def test_each_password_rule_is_enforced(password: str, code: str) -> None:
    assert code in _codes(password)


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused() -> None:
    user = StudentFactory.build(username="Quentin-Blake", first_name="Quentin", last_name="Blake")

    assert "password_too_similar" in _codes("Quentin-Blake1", user)


@pytest.mark.django_db
def test_a_good_password_passes_every_rule() -> None:
    assert _codes(NEW_PASSWORD) == set()


def test_the_rules_are_explained_to_people() -> None:
    help_text = password_validators_help_text_html()

    assert "at least 8 characters" in help_text
    assert "uppercase letter" in help_text


@pytest.fixture
def signed_in(client: Client) -> tuple[Client, User]:
    user = StudentFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client, user


@pytest.mark.django_db
def test_the_password_change_page_shows_the_rules(signed_in: tuple[Client, User]) -> None:
    client, _ = signed_in

    response = client.get("/accounts/password/change/")

    assert response.status_code == 200
    assert "uppercase letter" in response.content.decode()


@pytest.mark.django_db
def test_password_change_refuses_a_password_without_an_uppercase_letter(signed_in: tuple[Client, User]) -> None:
    client, user = signed_in

    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": "maple-syrup-42", "new_password2": "maple-syrup-42"},
    )

    assert response.status_code == 200
    assert "at least one uppercase letter" in str(response.context["form"].errors["new_password2"])
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_password_change_refuses_a_short_password(signed_in: tuple[Client, User]) -> None:
    client, _ = signed_in

    response = client.post(
        "/accounts/password/change/", {"old_password": TEST_PASSWORD, "new_password1": "Ab-1", "new_password2": "Ab-1"}
    )

    assert "too short" in str(response.context["form"].errors["new_password2"])


@pytest.mark.django_db
def test_password_change_with_a_good_password_keeps_the_user_signed_in(signed_in: tuple[Client, User]) -> None:
    client, user = signed_in

    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/student/").status_code == 200


@pytest.mark.django_db
def test_password_change_needs_sign_in(client: Client) -> None:
    assert client.get("/accounts/password/change/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client: Client) -> None:
    user = StudentFactory(email="sam@example.test")

    response = client.post("/accounts/password/reset/", {"email": "sam@example.test"}, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.test"]
    assert message.subject == "Reset your ToolBox password"
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", str(message.body))
    assert match, message.body

    form_page = client.get(match.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]

    weak = client.post(set_url, {"new_password1": "lowercase-only-42", "new_password2": "lowercase-only-42"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    reused = client.get(match.group(1), follow=True)
    assert reused.context["validlink"] is False
    assert "expired or was already used" in reused.content.decode()

    signed_in = client.post("/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}, follow=True)
    assert signed_in.redirect_chain[-1][0] == "/student/"


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"}, follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
