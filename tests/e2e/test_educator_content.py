"""The educator's content pages in a real browser: a quiz with every kind of question built
without a page reload, submitted and approved; a lesson written with the live preview; a
lesson and quiz generated offline from pasted text, followed live, then published from the
review queue. Every page is screenshotted at both widths and checked with axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from celery import Task
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.ai.texts import PHOTOSYNTHESIS
from tests.e2e.conftest import BrowserErrors
from tests.factories import EducatorFactory
from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob, JobStatus
from toolbox.ai.tasks import run_generation_job
from toolbox.content.models import ContentStatus, Lesson, Question, Quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[str], list[Path]]
CheckAccessibility = Callable[[Page], list[dict[str, Any]]]
LoginAs = Callable[[User], Page]


@pytest.fixture
def teacher(db: None) -> User:
    return EducatorFactory(first_name="Dana", last_name="Fisher")


def _look(page: Page, name: str, screenshot: Screenshot, check_accessibility: CheckAccessibility) -> None:
    screenshot(name)
    check_accessibility(page)


def _mark_page(page: Page) -> None:
    """A flag that only survives while the document is not reloaded."""
    page.evaluate("() => { window.notReloaded = true; }")


def _still_same_page(page: Page) -> bool:
    return bool(page.evaluate("() => window.notReloaded === true"))


def _add_question(page: Page, kind_label: str, fill: Callable[[], None]) -> None:
    page.get_by_role("link", name=kind_label, exact=True).click()
    form = page.locator("#new-question-form")
    expect(form).to_be_visible()
    fill()
    count = page.locator("article.question").count()
    form.get_by_role("button", name="Add question").click()
    expect(page.locator("article.question")).to_have_count(count + 1)


def test_educator_writes_a_quiz_with_every_kind_submits_and_approves_it(
    login_as: LoginAs,
    teacher: User,
    browser_errors: BrowserErrors,
    screenshot: Screenshot,
    check_accessibility: CheckAccessibility,
) -> None:
    # The question the test gets wrong on purpose comes back as a 422 form with its errors.
    browser_errors.allow("status of 422")
    page = login_as(teacher)
    page.get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Library")
    _look(page, "educator-library-empty", screenshot, check_accessibility)

    page.get_by_role("link", name="Create a quiz").first.click()
    page.get_by_label("Title").fill("Cells and life")
    page.get_by_label("Subject").fill("Science")
    page.get_by_label("Grade").select_option("7")
    page.get_by_label("Time limit (minutes)").fill("20")
    _look(page, "educator-quiz-create", screenshot, check_accessibility)
    page.get_by_role("button", name="Create quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cells and life")
    _look(page, "educator-quiz-editor-empty", screenshot, check_accessibility)

    _mark_page(page)

    def single() -> None:
        page.locator("#new-question-form").get_by_label("Question").fill("Which part of the cell holds the DNA?")
        page.get_by_label("Choice 1", exact=True).fill("Nucleus")
        page.get_by_label("Choice 1 is Correct").check()
        page.get_by_label("Choice 2", exact=True).fill("Cell wall")
        page.get_by_label("Choice 3", exact=True).fill("Vacuole")

    _add_question(page, "Single choice", single)

    def multiple() -> None:
        page.locator("#new-question-form").get_by_label("Question").fill("Which of these are found in plant cells?")
        page.get_by_label("Choice 1", exact=True).fill("Chloroplast")
        page.get_by_label("Choice 1 is Correct").check()
        page.get_by_label("Choice 2", exact=True).fill("Cell wall")
        page.get_by_label("Choice 2 is Correct").check()
        page.get_by_label("Choice 3", exact=True).fill("Feathers")

    _add_question(page, "Multiple choice (select all that apply)", multiple)

    def true_false() -> None:
        page.locator("#new-question-form").get_by_label("Question").fill("Animal cells have a cell wall.")
        page.get_by_role("radio", name="False").check()

    _add_question(page, "True or false", true_false)

    # A kind rule broken on purpose: the service's message appears beside the choices.
    page.get_by_role("link", name="Single choice", exact=True).click()
    page.locator("#new-question-form").get_by_label("Question").fill("Pick one")
    page.get_by_label("Choice 1", exact=True).fill("A")
    page.get_by_label("Choice 2", exact=True).fill("B")
    page.locator("#new-question-form").get_by_role("button", name="Add question").click()
    expect(page.locator("#new-question-form")).to_contain_text("exactly one correct choice")
    _look(page, "educator-quiz-question-error", screenshot, check_accessibility)
    page.locator("#new-question-form").get_by_role("link", name="Cancel").click()
    expect(page.locator("#new-question-form")).to_have_count(0)

    def short_answer() -> None:
        page.locator("#new-question-form").get_by_label("Question").fill("What is the smallest unit of life?")
        page.get_by_label("Accepted answers").fill("cell\na cell")

    _add_question(page, "Short answer", short_answer)

    def numeric() -> None:
        page.locator("#new-question-form").get_by_label("Question").fill(
            "How many chromosomes does a human body cell have?"
        )
        page.get_by_label("Correct value").fill("46")
        page.get_by_label("Tolerance").fill("0")

    _add_question(page, "Numeric", numeric)

    def ordering() -> None:
        page.locator("#new-question-form").get_by_label("Question").fill(
            "Put the levels of organisation in order, smallest first."
        )
        for slot, item in enumerate(("Cell", "Tissue", "Organ", "Organ system"), start=1):
            page.get_by_label(f"Item {slot}", exact=True).fill(item)

    _add_question(page, "Ordering", ordering)

    # Edit, move and delete, still without a reload.
    page.get_by_role("link", name="Edit question 5").click()
    page.get_by_label("Tolerance").fill("1")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator("#questions")).to_contain_text("± 1")
    page.get_by_role("button", name="Move up question 6").click()
    expect(page.locator("article.question").nth(4)).to_contain_text("levels of organisation")
    page.get_by_role("button", name="Move down question 5").click()
    expect(page.locator("article.question").nth(5)).to_contain_text("levels of organisation")
    assert _still_same_page(page)

    quiz = Quiz.objects.get(title="Cells and life")
    kinds = list(Question.objects.filter(quiz=quiz).order_by("position").values_list("kind", flat=True))
    assert kinds == ["single_choice", "multiple_choice", "true_false", "short_answer", "numeric", "ordering"]
    _look(page, "educator-quiz-editor", screenshot, check_accessibility)

    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").or_(page.locator("#messages"))).to_contain_text("sent for review")

    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    _look(page, "educator-review-queue", screenshot, check_accessibility)
    page.get_by_role("link", name="Cells and life").click()
    expect(page.locator("article.question").first).to_contain_text("Correct")
    _look(page, "educator-review-quiz", screenshot, check_accessibility)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#messages")).to_contain_text("approved and published")
    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.PUBLISHED

    page.get_by_role("link", name="Library").click()
    page.get_by_role("link", name="Quizzes").click()
    expect(page.get_by_role("link", name="Cells and life")).to_be_visible()
    _look(page, "educator-library-quizzes", screenshot, check_accessibility)


def test_educator_writes_a_lesson_with_the_live_preview(
    login_as: LoginAs, teacher: User, screenshot: Screenshot, check_accessibility: CheckAccessibility
) -> None:
    page = login_as(teacher)
    page.goto("/educator/library/")
    page.get_by_role("link", name="Create a lesson").first.click()
    page.get_by_label("Title").fill("The water cycle")
    page.get_by_label("Subject").fill("Science")
    page.get_by_label("Grade").select_option("6")
    page.get_by_label("Lesson text").press_sequentially(
        "## Evaporation\n\nThe Sun heats **water** until it rises as vapour.", delay=5
    )
    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Evaporation")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("water")
    _look(page, "educator-lesson-editor", screenshot, check_accessibility)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The water cycle")
    _look(page, "educator-lesson-detail", screenshot, check_accessibility)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#messages")).to_contain_text("sent for review")
    assert Lesson.objects.get(title="The water cycle").status == ContentStatus.IN_REVIEW


def test_educator_generates_a_lesson_and_quiz_offline_and_publishes_them(
    login_as: LoginAs,
    teacher: User,
    settings: SettingsWrapper,
    screenshot: Screenshot,
    check_accessibility: CheckAccessibility,
) -> None:
    settings.OPENAI_API_KEY = ""
    page = login_as(teacher)
    page.get_by_role("link", name="Generate with AI").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Generate with AI")
    page.get_by_label("Subject").fill("Science")
    page.get_by_role("combobox", name=re.compile(r"^Grade")).select_option("7")
    page.get_by_label("Topic").fill("Photosynthesis")
    page.get_by_label("Source text").fill(PHOTOSYNTHESIS)
    page.get_by_label("Number of questions").fill("5")
    _look(page, "educator-generate-form", screenshot, check_accessibility)
    page.get_by_role("button", name="Start generating").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson and quiz: Photosynthesis")
    progress = page.locator("#job-progress")
    expect(progress).to_contain_text("Queued")
    expect(progress.locator("progress")).to_be_visible()
    _look(page, "educator-generation-queued", screenshot, check_accessibility)

    # No worker runs in this test: deliver the task here, as a worker would, while the
    # page keeps polling and picks up the result by itself.
    job = GenerationJob.objects.get(created_by=teacher)
    cast(Task, run_generation_job).apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    expect(progress).to_contain_text("Succeeded", timeout=8_000)
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    _look(page, "educator-generation-succeeded", screenshot, check_accessibility)

    progress.get_by_role("link", name="Review the lesson").click()
    expect(page.get_by_role("heading", name="Where this came from")).to_be_visible()
    expect(page.locator("aside")).to_contain_text("offline")
    _look(page, "educator-review-ai-lesson", screenshot, check_accessibility)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#messages")).to_contain_text("approved and published")

    quiz = Quiz.objects.get(generation_job=job)
    page.get_by_role("link", name=quiz.title).click()
    expect(page.locator("article.question").first).to_be_visible()
    _look(page, "educator-review-ai-quiz", screenshot, check_accessibility)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#messages")).to_contain_text("approved and published")
    expect(page.get_by_role("heading", name="Nothing to review")).to_be_visible()
    assert Lesson.objects.get(generation_job=job).status == ContentStatus.PUBLISHED
    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.PUBLISHED

    page.get_by_role("navigation", name="Educator").get_by_role("link", name="Generate with AI").click()
    expect(page.get_by_role("link", name=f"#{job.pk} · Lesson and quiz")).to_be_visible()


def test_offline_generation_without_source_text_fails_honestly(
    login_as: LoginAs,
    teacher: User,
    settings: SettingsWrapper,
    screenshot: Screenshot,
    check_accessibility: CheckAccessibility,
) -> None:
    settings.OPENAI_API_KEY = ""
    page = login_as(teacher)
    page.goto("/educator/generate/")
    page.get_by_label("Subject").fill("History")
    page.get_by_role("combobox", name=re.compile(r"^Grade")).select_option("9")
    page.get_by_label("Topic").fill("The French Revolution")
    page.get_by_role("button", name="Start generating").click()
    expect(page.get_by_role("alert").filter(has_text="The job failed")).to_contain_text("OPENAI_API_KEY")
    _look(page, "educator-generation-failed", screenshot, check_accessibility)
