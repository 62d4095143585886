"""XSS payloads stored in every user-typed field run nothing in Chromium: no alert, confirm
or prompt dialog opens on the pages that show them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Dialog, Page

from tests.e2e.conftest import BrowserErrors
from tests.security.hostile import hostile_school, load_payloads
from toolbox.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Payloads that fire without a click: errors, loads, autofocus, toggles, inline scripts.
SELF_FIRING = [
    payload
    for payload in load_payloads()
    if any(trigger in payload for trigger in ("onerror", "onload", "autofocus", "ontoggle", "<script>", "<SCRIPT>"))
]


def test_the_browser_check_sees_a_dialog_when_script_runs(page: Page) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    page.evaluate("() => alert('script ran')")

    assert dialogs == ["script ran"]


@pytest.mark.parametrize("payload", SELF_FIRING[:5])
def test_stored_payloads_open_no_dialog(
    payload: str, page: Page, login_as: Callable[[User], Page], browser_errors: BrowserErrors
) -> None:
    # A payload's <img src=x> that survives as harmless markup still asks for "x", a 404.
    browser_errors.allow("Failed to load resource")
    school = hostile_school(payload, marker="MARK")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    signed_in: int | None = None
    for _name, (user, url) in school.pages.items():
        if signed_in != user.pk:
            page.context.clear_cookies()
            login_as(user)
            signed_in = user.pk
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.get_by_text("MARK", exact=False).count() > 0, url
        page.mouse.move(200, 300)

    assert dialogs == []
