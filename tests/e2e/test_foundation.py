"""The shared page foundation in a real browser: sign-in, each role's home, the error pages
and the Django admin, all under the strict Content-Security-Policy, screenshotted at desktop
and phone widths and checked with axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserErrors
from tests.factories import AdminFactory, EducatorFactory, ParentFactory, StudentFactory
from toolbox.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[str], list[Path]]
CheckAccessibility = Callable[[Page], list[dict[str, Any]]]
LoginAs = Callable[[User], Page]


def test_login_page_is_styled_accessible_and_under_csp(
    page: Page, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    response = page.goto("/accounts/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ToolBox")
    expect(page.get_by_role("main")).to_be_visible()
    screenshot("login")
    check_accessibility(page)


def test_wrong_password_shows_the_error_at_the_form(
    page: Page, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    student = StudentFactory()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an active account")
    screenshot("login-error")
    check_accessibility(page)


@pytest.mark.parametrize(
    ("factory", "home", "nav_label", "current"),
    [
        (EducatorFactory, "/educator/", "Educator", "Home"),
        (StudentFactory, "/student/", "Student", "Home"),
        (ParentFactory, "/parent/", "Parent", "Overview"),
    ],
)
def test_each_role_home_has_its_navigation(
    login_as: LoginAs,
    screenshot: Screenshot,
    check_accessibility: CheckAccessibility,
    factory: Any,
    home: str,
    nav_label: str,
    current: str,
) -> None:
    user = factory(first_name="Robin", last_name="Okafor")
    page = login_as(user)
    assert page.url.endswith(home)
    navigation = page.get_by_role("navigation", name=nav_label)
    expect(navigation.get_by_role("link", name=current)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Robin Okafor")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(f"{nav_label.lower()}-home")
    check_accessibility(page)


def test_skip_link_is_the_first_stop_and_moves_to_main(login_as: LoginAs) -> None:
    page = login_as(EducatorFactory())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_missing_page_shows_the_styled_404(
    page: Page, browser_errors: BrowserErrors, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    browser_errors.allow("status of 404")
    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We can’t find that page")
    screenshot("error-404")
    check_accessibility(page)


def test_another_roles_page_shows_the_styled_403(
    login_as: LoginAs,
    browser_errors: BrowserErrors,
    screenshot: Screenshot,
    check_accessibility: CheckAccessibility,
) -> None:
    browser_errors.allow("status of 403")
    page = login_as(StudentFactory())
    response = page.goto("/educator/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This page isn’t part of your account")
    screenshot("error-403")
    check_accessibility(page)


def test_htmx_requests_carry_the_csrf_token_from_hx_headers(login_as: LoginAs) -> None:
    """A POST made by htmx passes Django's CSRF check only through the body's hx-headers."""
    page = login_as(EducatorFactory())
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("() => htmx.config.allowEval") is False
    page.evaluate(
        """() => {
            const button = document.createElement('button');
            button.id = 'htmx-sign-out';
            button.textContent = 'Sign out with htmx';
            button.setAttribute('hx-post', '/accounts/logout/');
            button.setAttribute('hx-target', '#main');
            document.querySelector('main').append(button);
            htmx.process(button);
        }"""
    )
    with page.expect_response("**/accounts/logout/") as signed_out:
        page.locator("#htmx-sign-out").click()
    assert signed_out.value.status == 302
    assert page.locator("head style").count() == 0
    page.goto("/educator/")
    assert "/accounts/login/" in page.url


def test_toolbox_js_countdown_copy_and_confirm(page: Page) -> None:
    page.goto("/accounts/login/")
    page.wait_for_function("() => window.ToolBox !== undefined")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate(
        """() => {
            const box = document.createElement('div');
            box.id = 'sandbox';
            const soon = new Date(Date.now() + 90 * 1000).toISOString();
            const past = new Date(Date.now() - 1000).toISOString();
            box.innerHTML = `
              <p class="countdown" id="running" data-deadline="${soon}"><span data-countdown-text></span></p>
              <p class="countdown" id="expired" data-deadline="${past}"><span data-countdown-text></span></p>
              <div class="cluster"><code id="code">ABCD-1234</code>
                <button type="button" id="copy" data-copy-target="#code" hidden>Copy</button>
                <span data-copy-feedback></span></div>
              <form id="danger" data-confirm="Really archive?" action="/accounts/login/" method="get">
                <button type="submit" id="go">Archive</button></form>`;
            document.querySelector('main').append(box);
            window.ToolBox.enhance(box);
        }"""
    )
    expect(page.locator("#running")).to_contain_text(":")
    expect(page.locator("#running")).to_contain_text("left")
    first = page.locator("#running").inner_text()
    page.wait_for_timeout(1100)
    assert page.locator("#running").inner_text() != first
    expect(page.locator("#expired")).to_have_text("Time is up")
    expect(page.locator("#expired")).to_have_class("countdown is-expired")

    page.locator("#copy").click()
    expect(page.locator("[data-copy-feedback]")).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == "ABCD-1234"

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#go").click()
    expect(page.locator("#sandbox")).to_be_visible()
    assert "?" not in page.url


def test_admin_works_under_the_strict_policy(login_as: LoginAs, screenshot: Screenshot) -> None:
    admin = AdminFactory()
    student = StudentFactory(school=admin.school)
    page = login_as(admin)
    assert page.url.endswith("/admin/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/admin/accounts/user/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"/admin/accounts/user/{student.pk}/change/")
    expect(page.locator("#user_form, form").first).to_be_visible()
    screenshot("admin-change-form")
    page.goto("/admin/django_celery_beat/periodictask/add/")
    expect(page.locator("#id_crontab")).to_be_attached()
    expect(page.locator("script#periodic-task-overrides")).to_have_attribute("src", "/static/js/admin-periodic-task.js")


def test_an_inline_script_is_blocked_and_reported(page: Page, browser_errors: BrowserErrors) -> None:
    """The harness itself: a CSP violation reaches `browser_errors`, so `page` fails on it."""
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in message for message in browser_errors.unexpected())
    browser_errors.allow("Content Security Policy")
