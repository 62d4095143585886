"""The living style guide (templates/components/styleguide.html) in the browser: every
component of the design system, served with the real Content-Security-Policy, screenshotted
at both widths and checked with axe. It has no URL of its own, so the test serves it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from csp.utils import build_policy
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class ClassForm(forms.Form):
    name = forms.CharField(label="Class name")
    subject = forms.CharField(help_text="As students will see it, e.g. “Science”.")
    grade_level = forms.ChoiceField(label="Grade", choices=[("6", "Grade 6"), ("7", "Grade 7")])
    notes = forms.CharField(widget=forms.Textarea, required=False)
    share = forms.BooleanField(label="Let co-teachers edit the roster", required=False)


def _render_styleguide() -> str:
    request = RequestFactory().get("/educator/classes/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    messages.success(request, "Class “7B Science” created. Share its join code with your students.")
    messages.error(request, "That join code has expired. Ask your teacher for a new one.")
    form = ClassForm(data={"name": "", "subject": "Science", "grade_level": "7"})
    form.is_valid()
    context: dict[str, Any] = {
        "crumbs": [("Classes", "/educator/classes/"), ("7B Science", "")],
        "page_obj": Paginator(range(200), 20).page(4),
        "objectives": ["Cells", "Energy", "Forces", "Waves"],
        "heat_rows": [
            ("Amara Okafor", [96, 88, 71, None]),
            ("Ben Liu", [64, 45, 38, 12]),
            ("Carla Mendes", [52, 100, 0, 80]),
        ],
        "form": form,
        "deadline": timezone.now() + timedelta(minutes=25),
    }
    return render_to_string("components/styleguide.html", context, request)


def test_styleguide_renders_every_component_cleanly(
    page: Page,
    screenshot: Callable[[str], list[Path]],
    check_accessibility: Callable[[Page], list[dict[str, Any]]],
) -> None:
    html = _render_styleguide()
    policy = build_policy()

    def serve(route: Route) -> None:
        route.fulfill(status=200, body=html, headers={"Content-Type": "text/html", "Content-Security-Policy": policy})

    page.route("**/__styleguide__/", serve)
    page.goto("/__styleguide__/")
    page.wait_for_function("() => window.ToolBox !== undefined")
    expect(page.get_by_role("button", name="Copy join code")).to_be_visible()
    expect(page.locator(".countdown")).to_contain_text("left")
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name_error")).to_have_text("This field is required.")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.heat-10')).color") == "rgb(255, 255, 255)"
    screenshot("styleguide")
    check_accessibility(page)
    page.emulate_media(media="print")
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / "styleguide-print.png"), full_page=True)
