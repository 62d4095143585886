"""The browser-test harness: Debian's Chromium driven by Playwright against a live server.

Fixtures (see templates/README.md, "Browser tests"):
- `page`: a fresh browser tab at desktop size; the test fails on any console error or
  uncaught page error (a Content-Security-Policy violation is a console error).
- `browser_errors`: what `page` collected; `browser_errors.allow("text")` lets a test expect
  a console error containing "text" (e.g. the 404 status of a page under test).
- `login_as(user)`: signs in through the real login form; returns the page.
- `screenshot(name)`: saves tests/e2e/screenshots/<name>-desktop.png (1280×800) and
  <name>-phone.png (390×844), full page.
- `check_accessibility(page)`: runs the vendored axe-core and fails on serious or critical
  violations.

Every test here needs `@pytest.mark.e2e` and `@pytest.mark.django_db(transaction=True)`:
the live server runs in another thread and must see the test's data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.factories import TEST_PASSWORD
from toolbox.accounts.models import User

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate (the calls stay synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
AXE_SCRIPT = "/static/vendor/axe-core/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        message = f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@dataclass
class BrowserErrors:
    """Console errors and uncaught exceptions seen in the page, minus the expected ones."""

    messages: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def allow(self, text: str) -> None:
        self.allowed.append(text)

    def record(self, text: str) -> None:
        self.messages.append(text)

    def unexpected(self) -> list[str]:
        return [message for message in self.messages if not any(text in message for text in self.allowed)]


@pytest.fixture
def browser_errors() -> BrowserErrors:
    return BrowserErrors()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, browser_errors: BrowserErrors) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)  # pyright: ignore[reportArgumentType]
    context.set_default_timeout(10_000)
    tab = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            browser_errors.record(f"console: {message.text} ({location})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: browser_errors.record(f"page error: {error}"))
    yield tab
    context.close()
    unexpected = browser_errors.unexpected()
    if unexpected:
        pytest.fail("The browser reported errors:\n" + "\n".join(unexpected))


@pytest.fixture
def login_as(page: Page) -> Callable[[User], Page]:
    """Sign in through the real login form (the factories' password) and land on home."""

    def sign_in(user: User, password: str = TEST_PASSWORD) -> Page:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return sign_in


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], list[Path]]:
    """Save full-page PNGs of the current page at desktop and phone widths."""

    def take(name: str) -> list[Path]:
        SCREENSHOTS.mkdir(exist_ok=True)
        safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
        saved = []
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)  # pyright: ignore[reportArgumentType]
            path = SCREENSHOTS / f"{safe}-{label}.png"
            page.screenshot(path=str(path), full_page=True, animations="disabled")
            saved.append(path)
        page.set_viewport_size(DESKTOP)  # pyright: ignore[reportArgumentType]
        return saved

    return take


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(str(part) for part in node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


@pytest.fixture
def check_accessibility() -> Callable[[Page], list[dict[str, Any]]]:
    """Run axe-core (vendored, served from our own static files so the CSP allows it) on the
    page as it is now; fail on serious or critical violations, return the minor ones."""

    def check(page: Page) -> list[dict[str, Any]]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=AXE_SCRIPT)
        results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
        violations = results["violations"]
        blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(f"Accessibility violations on {page.url}:\n{format_violations(blocking)}")
        return [violation for violation in violations if violation["impact"] not in BLOCKING_IMPACTS]

    return check
