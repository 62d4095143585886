"""A student answers tonight's practice set in a real browser: a blank check is refused in
place, each checked question swaps in its verdict, the right answer and why (focus moves to
it), the last one completes the set, and the home page shows it done. Screenshotted at both
widths and checked with axe, with no console errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserErrors
from tests.factories import ClassroomFactory, EnrollmentFactory, StudentFactory
from tests.students.practice_sets import practice_with_every_kind
from tests.students.quizzes import quiz_with_every_kind
from toolbox.learning.models import PracticeSet, XPEvent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[str], list[Path]]
CheckAccessibility = Callable[[Page], list[dict[str, Any]]]


def _question(page: Page, number: int):
    return page.locator(".practice-item").nth(number - 1)


def _check(page: Page, number: int) -> None:
    _question(page, number).get_by_role("button", name="Check answer").click()


def test_student_answers_a_practice_set(
    page: Page, login_as, browser_errors: BrowserErrors, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    browser_errors.allow("status of 422")  # a blank check is answered 422 with the question
    classroom = ClassroomFactory(name="7B Science")
    student = StudentFactory(school=classroom.school, first_name="Amara")
    EnrollmentFactory(classroom=classroom, student=student)
    sheet = practice_with_every_kind(student, quiz_with_every_kind(classroom))
    sheet.questions["single"].hint = "Think about what living things are built from."
    sheet.questions["single"].save(update_fields=["hint"])

    page = login_as(student)
    page.get_by_role("link", name="Open today’s practice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice for")
    expect(page.locator("#practice-progress strong")).to_have_text("0 of 6")
    screenshot("student-practice-start")
    check_accessibility(page)

    _check(page, 1)
    expect(_question(page, 1).get_by_role("alert")).to_have_text("Pick or type an answer, then check it.")

    _question(page, 1).get_by_label("Cell").check()
    _check(page, 1)
    result = _question(page, 1).locator(".practice-result")
    expect(result.get_by_text("✓ Right")).to_be_visible()
    expect(result).to_be_focused()
    expect(page.locator("#practice-progress strong")).to_have_text("1 of 6")

    multiple = _question(page, 2)
    multiple.get_by_label("Nucleus").check()
    multiple.get_by_label("Skeleton").check()
    _check(page, 2)
    expect(_question(page, 2).get_by_text("✗ Not right")).to_be_visible()
    expect(_question(page, 2).get_by_text("Nucleus, Mitochondrion")).to_be_visible()
    expect(_question(page, 2).get_by_text("Because of reason MULTIPLE-WHY.")).to_be_visible()
    # The swapped-in result takes the focus once htmx settles; wait for it, or it would take
    # the focus away from the keyboard steps below.
    expect(_question(page, 2).locator(".practice-result")).to_be_focused()

    # Keyboard only: focus the radio group, choose with the arrow keys, submit with Enter.
    true_false = _question(page, 3)
    true_false.get_by_label("True").focus()
    page.keyboard.press("Space")
    expect(true_false.get_by_label("True")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(true_false.get_by_label("False")).to_be_checked()
    page.keyboard.press("Tab")
    expect(true_false.get_by_role("button", name="Check answer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(_question(page, 3).get_by_text("✗ Not right")).to_be_visible()

    _question(page, 4).get_by_label("Your answer").fill("the Nucleus")
    _question(page, 4).get_by_label("Your answer").press("Enter")
    expect(_question(page, 4).get_by_text("✓ Right")).to_be_visible()
    screenshot("student-practice-answering")
    check_accessibility(page)

    _question(page, 5).get_by_label("Your answer (a number)").fill("6")
    _check(page, 5)
    expect(_question(page, 5).get_by_text("✓ Right")).to_be_visible()

    ordering = _question(page, 6)
    for text, position in (("Cell", "1"), ("Tissue", "2"), ("Organ", "3")):
        ordering.get_by_label(text).select_option(position)
    _check(page, 6)
    expect(_question(page, 6).get_by_text("✓ Right")).to_be_visible()
    expect(page.get_by_role("heading", name="Practice done")).to_be_visible()
    expect(page.get_by_text("You got 4 of 6 right.")).to_be_visible()
    screenshot("student-practice-done")
    check_accessibility(page)

    assert PracticeSet.objects.get(pk=sheet.practice.pk).completed_at is not None
    assert XPEvent.objects.filter(student=student, source__startswith="practice:").count() == 6

    page.get_by_role("link", name="Back to your home page").click()
    expect(page.get_by_text("✓ Done")).to_be_visible()
    expect(page.get_by_role("link", name="Review today’s practice")).to_be_visible()
    screenshot("student-home-practice-done")
