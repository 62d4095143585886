"""A student in a real browser: signs in, joins a class by code, reads a lesson, takes a
timed quiz with every kind of question and sees the result; then the practice set and the
progress page. Every page is screenshotted at both widths and checked with axe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import BrowserErrors
from tests.factories import ClassroomFactory, LessonAssignmentFactory, QuestionFactory, StudentFactory
from tests.factories.content import ChoiceFactory
from tests.factories.learning import MasteryFactory, NotificationFactory, PracticeSetFactory
from tests.students.quizzes import quiz_with_every_kind
from toolbox.content.models import QuestionKind
from toolbox.learning.models import Attempt, AttemptStatus, LessonProgress, PracticeItem

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[str], list[Path]]
CheckAccessibility = Callable[[Page], list[dict[str, Any]]]

LESSON_MARKDOWN_HTML = "<h2>What is a cell?</h2><p>A <strong>cell</strong> is the smallest unit of life.</p>" + "".join(
    f"<p>Paragraph {n}: cells divide, grow and specialise to build tissues.</p>" for n in range(12)
)


def test_student_joins_reads_takes_a_quiz_and_sees_the_result(
    page: Page, login_as, browser_errors: BrowserErrors, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    browser_errors.allow("status of 422")  # a wrong class code is answered 422 with the form
    classroom = ClassroomFactory(name="7B Science", join_code="K7QA4MZP")
    student = StudentFactory(school=classroom.school, first_name="Amara", last_name="Okafor")
    lesson = LessonAssignmentFactory(
        classroom=classroom, lesson__title="Cells and tissues", lesson__body_html=LESSON_MARKDOWN_HTML
    )
    kinds = quiz_with_every_kind(classroom, time_limit_minutes=20)
    practice = PracticeSetFactory(student=student)
    practice_question = QuestionFactory(
        kind=QuestionKind.SINGLE_CHOICE, prompt="Which organelle makes energy?", accepted_answers=[]
    )
    ChoiceFactory(question=practice_question, text="Mitochondrion", is_correct=True)
    ChoiceFactory(question=practice_question, text="Vacuole")
    PracticeItem.objects.create(practice_set=practice, question=practice_question, position=0)
    NotificationFactory(user=student, message="Welcome to ToolBox! Join your class to see your work.")
    MasteryFactory(
        student=student,
        objective__description="Describe the parts of a cell",
        score=0.9,
        answers_counted=6,
        mastered_at=timezone.now(),
    )
    MasteryFactory(student=student, objective__description="Explain how energy moves", score=0.55, answers_counted=4)
    MasteryFactory(
        student=student, objective__description="Compare plant and animal cells", score=0.3, answers_counted=2
    )

    login_as(student)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amara Okafor")
    expect(page.get_by_text("No work yet")).to_be_visible()
    screenshot("student-home-empty")
    check_accessibility(page)

    page.locator("#notifications").get_by_role("button", name="Mark read").click()
    expect(page.locator("#notifications")).not_to_contain_text("1 new")
    expect(page.locator("#notifications").get_by_role("button", name="Mark read")).to_have_count(0)

    page.get_by_role("navigation", name="Student").get_by_role("link", name="Join a class").click()
    page.get_by_label("Class code").fill("WRONG123")
    page.get_by_role("button", name="Join class").click()
    expect(page.locator("#id_code_error")).to_contain_text("No class has the code")
    screenshot("student-join-error")
    check_accessibility(page)
    page.get_by_label("Class code").fill("k7qa-4mzp")
    page.get_by_role("button", name="Join class").click()
    expect(page.get_by_text("You joined 7B Science")).to_be_visible()
    expect(page.get_by_role("link", name="Cells and tissues")).to_be_visible()
    screenshot("student-home")
    check_accessibility(page)

    page.get_by_role("link", name="Cells and tissues").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cells and tissues")
    page.mouse.wheel(0, 5000)
    expect(page.locator("#reading-status")).not_to_contain_text("0%", timeout=5000)
    screenshot("student-lesson")
    check_accessibility(page)
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("is done. Well read!")).to_be_visible()
    assert LessonProgress.objects.get(student=student, lesson=lesson.lesson).completed_at is not None

    page.get_by_role("navigation", name="Student").get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Cells check").click()
    screenshot("student-quiz-intro")
    check_accessibility(page)
    page.get_by_role("button", name="Start quiz").click()
    expect(page.locator(".countdown")).to_contain_text("left")

    def question(q) -> Any:
        return page.locator(f"#question-{q.pk}")

    question(kinds.single).get_by_label("Cell").check()
    expect(page.locator(f"#save-status-{kinds.single.pk}")).to_contain_text("Saved")
    question(kinds.multiple).get_by_label("Nucleus").check()
    question(kinds.multiple).get_by_label("Mitochondrion").check()
    question(kinds.true_false).get_by_label("True").check()
    question(kinds.short).get_by_label("Your answer").fill("The nucleus")
    question(kinds.numeric).get_by_label("Your answer (a number)").fill("6")
    question(kinds.numeric).get_by_label("Your answer (a number)").press("Tab")
    for position, text in enumerate(["Cell", "Tissue", "Organ"], start=1):
        question(kinds.ordering).get_by_label(text).select_option(str(position))
    expect(page.locator(f"#save-status-{kinds.ordering.pk}")).to_contain_text("Saved")
    expect(page.locator(f"#save-status-{kinds.short.pk}")).to_contain_text("Saved")
    screenshot("student-quiz-player")
    check_accessibility(page)

    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("You answered 6 of 6 questions")
    screenshot("student-quiz-confirm")
    check_accessibility(page)
    page.get_by_role("button", name="Yes, submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cells check: your result")
    expect(page.locator(".stat-value").first).to_have_text("100%")
    attempt = Attempt.objects.get(student=student)
    assert attempt.status == AttemptStatus.GRADED
    screenshot("student-quiz-result")
    check_accessibility(page)

    page.goto(f"/student/practice/{practice.pk}/")
    expect(page.get_by_text("Which organelle makes energy?")).to_be_visible()
    screenshot("student-practice")
    check_accessibility(page)

    page.get_by_role("navigation", name="Student").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    expect(page.get_by_role("link", name="Cells check")).to_be_visible()
    expect(page.get_by_role("img", name="Mastery by objective")).to_be_visible()
    screenshot("student-progress")
    check_accessibility(page)
