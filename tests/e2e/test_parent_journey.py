"""A parent in a real browser: redeems an invite code, sees the child's score on the
overview, opens the child's page with its chart, and turns the weekly digest off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserErrors
from tests.factories import AssignmentFactory, ClassroomFactory, EnrollmentFactory, ParentFactory, StudentFactory
from tests.factories.classroom import ParentInviteFactory
from tests.factories.learning import AttemptRowFactory, MasteryFactory, StudentStatsFactory
from toolbox.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[str], list[Path]]
CheckAccessibility = Callable[[Page], list[dict[str, Any]]]


def test_parent_links_a_child_and_sees_the_score(
    page: Page, login_as, browser_errors: BrowserErrors, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    browser_errors.allow("status of 422")  # a wrong invite code is answered 422 with the form
    classroom = ClassroomFactory(name="7B Science")
    child = StudentFactory(school=classroom.school, first_name="Ben", last_name="Liu", display_name="")
    EnrollmentFactory(classroom=classroom, student=child)
    for weeks_ago, percent in ((3, "62"), (2, "74"), (1, "81"), (0, "87")):
        assignment = AssignmentFactory(
            classroom=classroom,
            quiz__title=f"Cells check {4 - weeks_ago}",
            available_from=timezone.now() - dt.timedelta(weeks=weeks_ago, days=1),
        )
        AttemptRowFactory(
            assignment=assignment,
            student=child,
            final_percent=Decimal(percent),
            submitted_at=timezone.now() - dt.timedelta(weeks=weeks_ago),
        )
    AssignmentFactory(classroom=classroom, quiz__title="Energy quiz", due_at=timezone.now() + dt.timedelta(days=2))
    StudentStatsFactory(
        student=child, total_xp=420, current_streak=5, longest_streak=7, last_active_on=timezone.now().date()
    )
    MasteryFactory(
        student=child,
        objective__description="Describe the parts of a cell",
        score=0.92,
        answers_counted=8,
        mastered_at=timezone.now(),
    )
    MasteryFactory(student=child, objective__description="Explain how energy moves", score=0.45, answers_counted=3)
    ParentInviteFactory(student=child, code="PX4A9KQ2")
    parent: User = ParentFactory(school=classroom.school, first_name="Grace", last_name="Liu")

    login_as(parent)
    expect(page.get_by_text("No child linked yet")).to_be_visible()
    screenshot("parent-home-empty")
    check_accessibility(page)

    page.get_by_role("link", name="Link a child").first.click()
    page.get_by_label("Invite code").fill("NOPE1234")
    page.get_by_role("button", name="Link child").click()
    expect(page.locator("#id_code_error")).to_contain_text("No invite has the code")
    screenshot("parent-link-error")
    check_accessibility(page)
    page.get_by_label("Invite code").fill("px4a-9kq2")
    page.get_by_role("button", name="Link child").click()
    expect(page.get_by_text("Ben Liu is now linked")).to_be_visible()
    card = page.get_by_role("region", name="Ben Liu")
    expect(card).to_contain_text("Cells check 4")
    expect(card).to_contain_text("87%")
    screenshot("parent-home")
    check_accessibility(page)

    card.get_by_role("link", name="Ben Liu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ben Liu")
    expect(page.get_by_role("img", name="Average quiz score per week")).to_be_visible()
    screenshot("parent-child")
    check_accessibility(page)

    page.get_by_role("navigation", name="Parent").get_by_role("link", name="Settings").click()
    page.get_by_label("Send me the weekly digest e-mail").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The weekly digest is off.")).to_be_visible()
    screenshot("parent-settings")
    check_accessibility(page)
    parent.refresh_from_db()
    assert parent.digest_opt_in is False
