"""The review queue: what waits, provenance, answers marked, approve publishes, reject
needs notes, other schools' content is 404, and a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EducatorFactory, LessonFactory, QuestionFactory, QuizFactory, SchoolFactory
from tests.factories.content import SingleChoiceQuestionFactory
from toolbox.accounts.models import User
from toolbox.content.models import ContentStatus, Lesson, Quiz
from toolbox.content.selectors import review_queue_generation_key

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

PROVENANCE = {
    "provider": "offline",
    "model": "offline-extractive-v1",
    "prompt_version": "lesson-v1",
    "reading_grade": 8.4,
    "target_reading_grade": 7,
    "warnings": ["The text reads above the target grade."],
    "safety_flags": ["violence"],
}


@pytest.fixture
def ai_lesson(educator: User) -> Lesson:
    return LessonFactory(
        school=educator.school,
        ai_draft=True,
        title="AI photosynthesis",
        ai_provider="offline",
        ai_model="offline-extractive-v1",
        prompt_version="lesson-v1",
        provenance=PROVENANCE,
        body_html="<h2>Plants</h2><p>Plants make food.</p>",
    )


def test_queue_lists_ai_drafts_and_submitted_work_only(login: Login, educator: User, ai_lesson: Lesson) -> None:
    school = educator.school
    QuizFactory(school=school, status=ContentStatus.IN_REVIEW, title="Submitted quiz")
    LessonFactory(school=school, draft=True, title="Hand draft not submitted")
    LessonFactory(school=school, title="Already published")
    LessonFactory(school=SchoolFactory(), ai_draft=True, title="Other school's draft")
    html = login(educator).get(reverse("educators:review_queue")).content.decode()
    assert "AI photosynthesis" in html
    assert "Submitted quiz" in html
    assert "Hand draft not submitted" not in html
    assert "Already published" not in html
    assert "Other school" not in html


def test_empty_queue_says_so(login: Login, educator: User) -> None:
    assert "Nothing to review" in login(educator).get(reverse("educators:review_queue")).content.decode()


def test_detail_shows_provenance_and_the_rendered_lesson(login: Login, educator: User, ai_lesson: Lesson) -> None:
    html = login(educator).get(reverse("educators:review_detail", args=["lesson", ai_lesson.pk])).content.decode()
    for text in ("offline-extractive-v1", "lesson-v1", "Grade 8.4", "target 7", "reads above the target", "violence"):
        assert text in html
    assert "<h2>Plants</h2>" in html
    assert "Approve and publish" in html


def test_quiz_detail_marks_the_correct_answers(login: Login, educator: User) -> None:
    quiz = QuizFactory(school=educator.school, ai_draft=True)
    SingleChoiceQuestionFactory(quiz=quiz, prompt="Which holds DNA?", choices=["Nucleus", "Wall"])
    html = login(educator).get(reverse("educators:review_detail", args=["quiz", quiz.pk])).content.decode()
    assert 'class="answer-correct">Nucleus <span class="badge badge-success">Correct</span>' in html
    assert "<li>Wall</li>" in html


def test_approving_publishes(login: Login, educator: User, ai_lesson: Lesson) -> None:
    response = login(educator).post(
        reverse("educators:review_approve", args=["lesson", ai_lesson.pk]), {"approve-notes": "Looks right."}
    )
    assert response.status_code == 302
    ai_lesson.refresh_from_db()
    assert ai_lesson.status == ContentStatus.PUBLISHED
    assert ai_lesson.reviewed_by == educator
    assert ai_lesson.review_notes == "Looks right."


def test_approving_an_empty_quiz_is_refused_with_a_message(login: Login, educator: User) -> None:
    quiz = QuizFactory(school=educator.school, ai_draft=True)
    response = login(educator).post(reverse("educators:review_approve", args=["quiz", quiz.pk]), follow=True)
    assert "Add at least one question" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.DRAFT


def test_rejecting_needs_notes_shown_beside_the_field(login: Login, educator: User, ai_lesson: Lesson) -> None:
    client = login(educator)
    url = reverse("educators:review_reject", args=["lesson", ai_lesson.pk])
    response = client.post(url, {"reject-notes": "  "})
    assert response.status_code == 422
    assert 'id="id_reject-notes_error"' in response.content.decode()
    response = client.post(url, {"reject-notes": "Fix the second paragraph."})
    assert response.status_code == 302
    ai_lesson.refresh_from_db()
    assert ai_lesson.status == ContentStatus.DRAFT
    assert ai_lesson.review_notes == "Fix the second paragraph."


def test_a_submitted_quiz_is_rejected_back_to_draft(login: Login, educator: User) -> None:
    quiz = QuizFactory(school=educator.school, status=ContentStatus.IN_REVIEW)
    QuestionFactory(quiz=quiz)
    reviewer = EducatorFactory(school=educator.school)
    login(reviewer).post(reverse("educators:review_reject", args=["quiz", quiz.pk]), {"reject-notes": "Too easy."})
    quiz.refresh_from_db()
    assert quiz.status == ContentStatus.DRAFT


def test_other_schools_content_is_404(login: Login, educator: User) -> None:
    lesson = LessonFactory(school=SchoolFactory(), ai_draft=True)
    client = login(educator)
    assert client.get(reverse("educators:review_detail", args=["lesson", lesson.pk])).status_code == 404
    assert client.post(reverse("educators:review_approve", args=["lesson", lesson.pk])).status_code == 404
    assert client.get(reverse("educators:review_detail", args=["essay", lesson.pk])).status_code == 404
    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.DRAFT


@pytest.mark.parametrize("size", [3, 40])
def test_queue_query_count_does_not_grow(
    login: Login, educator: User, size: int, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    LessonFactory.create_batch(size, school=educator.school, ai_draft=True)
    for quiz in QuizFactory.create_batch(size, school=educator.school, status=ContentStatus.IN_REVIEW):
        QuestionFactory(quiz=quiz)
    client = login(educator)
    for page in ("1", "2"):
        with django_assert_max_num_queries(8):  # 1 of them: the navigation's review-queue count, while not cached
            response = client.get(reverse("educators:review_queue"), {"page": page})
        assert response.status_code == 200


def test_a_long_queue_is_paginated_and_every_item_is_reachable(login: Login, educator: User) -> None:
    lessons = LessonFactory.create_batch(30, school=educator.school, ai_draft=True)
    Lesson.objects.filter(pk=lessons[0].pk).update(title="Waited longest")
    Lesson.objects.filter(pk=lessons[-1].pk).update(title="Arrived last")
    for index, lesson in enumerate(lessons):
        Lesson.objects.filter(pk=lesson.pk).update(updated_at=lesson.created_at.replace(year=2020, day=1, minute=index))
    client = login(educator)

    first = client.get(reverse("educators:review_queue")).content.decode()
    assert "Waited longest" in first
    assert "Arrived last" not in first
    assert "Showing 1–25 of 30" in first
    assert 'href="?page=2" rel="next"' in first

    second = client.get(reverse("educators:review_queue"), {"page": "2"}).content.decode()
    assert "Arrived last" in second
    assert "Waited longest" not in second
    assert second.count('href="/educator/review/lesson/') == 5


def test_quiz_review_page_query_count_does_not_grow(
    login: Login, educator: User, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    quizzes: list[Quiz] = []
    for size in (3, 30):
        quiz = QuizFactory(school=educator.school, ai_draft=True)
        for position in range(size):
            SingleChoiceQuestionFactory(quiz=quiz, position=position)
        quizzes.append(quiz)
    client = login(educator)
    for quiz in quizzes:
        with django_assert_max_num_queries(8):
            assert client.get(reverse("educators:review_detail", args=["quiz", quiz.pk])).status_code == 200


def test_the_navigation_shows_how_many_items_wait_on_every_educator_page(login: Login, educator: User) -> None:
    client = login(educator)
    assert "nav-count" not in client.get(reverse("educators:class_list")).content.decode()

    LessonFactory(school=educator.school, ai_draft=True)
    QuizFactory(school=educator.school, status=ContentStatus.IN_REVIEW)
    LessonFactory(school=SchoolFactory(), ai_draft=True)
    cache.clear()  # the factories' changes never commit inside this test's transaction
    for name in ("educators:class_list", "educators:library", "educators:review_queue"):
        html = client.get(reverse(name)).content.decode()
        assert (
            '<span class="badge badge-warning nav-count">2<span class="visually-hidden"> waiting</span></span>' in html
        )


def test_the_navigation_count_costs_no_query_once_cached(login: Login, educator: User) -> None:
    LessonFactory.create_batch(3, school=educator.school, ai_draft=True)
    client = login(educator)
    client.get(reverse("educators:class_list"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("educators:class_list"))
    cache.delete(review_queue_generation_key(educator.school.pk))
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("educators:class_list"))
    assert len(cold.captured_queries) == len(warm.captured_queries) + 1
