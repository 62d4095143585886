from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import TEST_PASSWORD, AdminFactory, EducatorFactory, ParentFactory, StudentFactory
from toolbox.accounts.models import User


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "home"),
    [
        (StudentFactory, "/student/"),
        (EducatorFactory, "/educator/"),
        (ParentFactory, "/parent/"),
        (AdminFactory, "/admin/"),
    ],
)
def test_each_role_lands_on_its_home_after_login(client: Client, factory, home: str) -> None:
    user = factory()
    response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


SAME_MESSAGE = "That username and password do not match an active account. Check both and try again."


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["unknown username", "wrong password", "deactivated account"])
def test_a_failed_login_never_reveals_whether_the_account_exists(client: Client, case: str) -> None:
    user = StudentFactory(username="known", is_active=case != "deactivated account")
    username = "nobody" if case == "unknown username" else user.username
    password = "Wrong-Password-1" if case == "wrong password" else TEST_PASSWORD

    response = client.post("/accounts/login/", {"username": username, "password": password})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [SAME_MESSAGE]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_login_page_renders_a_form(client: Client) -> None:
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b"/accounts/password/reset/" in response.content


@pytest.mark.django_db
def test_a_signed_in_user_visiting_login_goes_home(client: Client) -> None:
    client.force_login(EducatorFactory(), backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/accounts/login/", follow=True)

    assert response.redirect_chain[-1][0] == "/educator/"


@pytest.mark.django_db
def test_the_root_sends_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_session_cookie_replayed_after_logout_no_longer_signs_in(client: Client) -> None:
    """Sessions are cached (cached_db): logging out must drop the cached copy as well."""
    client.force_login(StudentFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/student/").status_code == 200
    old_session = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post("/accounts/logout/")
    client.cookies[settings.SESSION_COOKIE_NAME] = old_session

    assert client.get("/student/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_deactivated_user_is_signed_out_on_their_next_request(client: Client) -> None:
    student = StudentFactory()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/student/").status_code == 200

    User.objects.filter(pk=student.pk).update(is_active=False)

    assert client.get("/student/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_logout_ends_the_session(client: Client) -> None:
    client.force_login(StudentFactory(), backend="django.contrib.auth.backends.ModelBackend")

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/student/")["Location"].startswith("/accounts/login/")
