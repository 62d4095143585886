"""The page foundation without a browser: CSP on every answer, the layouts, the error pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory

from toolbox.accounts import errors
from toolbox.accounts.models import User

STRICT_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def _assert_strict(policy: str) -> None:
    for directive in STRICT_POLICY:
        assert directive in policy
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_strict_policy(
    client: Client, login: Callable[[User], Client], educator: User, admin_user: User
) -> None:
    _assert_strict(client.get("/accounts/login/")["Content-Security-Policy"])
    _assert_strict(client.get("/no-such-page/")["Content-Security-Policy"])
    _assert_strict(login(educator).get("/educator/")["Content-Security-Policy"])
    _assert_strict(login(admin_user).get("/admin/")["Content-Security-Policy"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role_fixture", "home", "layout_marker"),
    [
        ("educator", "/educator/", 'aria-label="Educator"'),
        ("student", "/student/", 'aria-label="Student"'),
        ("parent", "/parent/", 'aria-label="Parent"'),
    ],
)
def test_each_home_uses_its_role_layout_with_no_inline_code(
    request: pytest.FixtureRequest, login: Callable[[User], Client], role_fixture: str, home: str, layout_marker: str
) -> None:
    user = request.getfixturevalue(role_fixture)
    body = login(user).get(home).content.decode()
    assert layout_marker in body
    assert f'<a href="{home}" aria-current="page">' in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert 'src="/static/vendor/htmx/htmx.min.js" defer' in body
    for inline in ("<style", 'style="', "<script>", " onclick=", " onload="):
        assert inline not in body


def test_error_pages_render_without_a_database(rf: RequestFactory) -> None:
    """No django_db mark: any query here would fail the test."""
    request = rf.get("/anything/")
    request.request_id = "req-123"  # type: ignore[attr-defined]
    for handler, status, heading in (
        (errors.page_not_found, 404, "We can’t find that page"),
        (errors.permission_denied, 403, "This page isn’t part of your account"),
        (errors.bad_request, 400, "We couldn’t understand that request"),
    ):
        response = handler(request, None)
        assert response.status_code == status
        assert heading in response.content.decode()
    response = errors.server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "req-123" in body
    assert "/static/css/toolbox.css" in body


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_styled_page() -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "That form has expired" in body
    assert "<style" not in body
