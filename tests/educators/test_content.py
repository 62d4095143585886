"""The content library and the lesson editor: filters, pagination, permissions, the live
preview (sanitised), saving through the services, and fixed query counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    EducatorFactory,
    LearningObjectiveFactory,
    LessonFactory,
    ParentFactory,
    QuizFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts.models import User
from toolbox.content.models import ContentSource, ContentStatus, Lesson

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
HTMX = {"HX-Request": "true"}


def test_library_lists_the_schools_lessons_with_badges_and_not_other_schools(login: Login, educator: User) -> None:
    LessonFactory(school=educator.school, title="Photosynthesis", status=ContentStatus.PUBLISHED)
    LessonFactory(school=educator.school, title="Cells draft", ai_draft=True)
    LessonFactory(title="Another school's lesson")
    response = login(educator).get(reverse("educators:library"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Photosynthesis" in html
    assert "Cells draft" in html
    assert "Another school" not in html
    assert "badge-ai" in html
    assert "badge-published" in html


def test_library_filters_by_subject_grade_status_and_source(login: Login, educator: User) -> None:
    school = educator.school
    LessonFactory(school=school, title="Maths AI draft", subject="Maths", grade_level="5", ai_draft=True)
    LessonFactory(school=school, title="Maths by hand", subject="Maths", grade_level="5")
    LessonFactory(school=school, title="Science by hand", subject="Science", grade_level="5")
    LessonFactory(school=school, title="Maths grade 6", subject="Maths", grade_level="6")
    response = login(educator).get(
        reverse("educators:library"), {"subject": "maths", "grade_level": "5", "status": "draft", "source": "ai"}
    )
    html = response.content.decode()
    assert "Maths AI draft" in html
    assert "Maths by hand" not in html
    assert "Science by hand" not in html
    assert "Maths grade 6" not in html


def test_library_quizzes_tab_shows_quizzes_with_question_counts(login: Login, educator: User) -> None:
    QuizFactory(school=educator.school, title="Fractions check")
    LessonFactory(school=educator.school, title="A lesson, not a quiz")
    html = login(educator).get(reverse("educators:library"), {"kind": "quizzes"}).content.decode()
    assert "Fractions check" in html
    assert "A lesson, not a quiz" not in html
    assert "Questions" in html


def test_library_htmx_filter_answers_only_the_results(login: Login, educator: User) -> None:
    LessonFactory(school=educator.school, title="Photosynthesis")
    response = login(educator).get(reverse("educators:library"), {"subject": "Science"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html
    assert "Photosynthesis" in html


def test_library_empty_states_say_what_to_do(login: Login, educator: User) -> None:
    client = login(educator)
    assert "Create a lesson" in client.get(reverse("educators:library")).content.decode()
    filtered = client.get(reverse("educators:library"), {"subject": "Latin"}).content.decode()
    assert "Nothing matches these filters" in filtered


def test_library_is_paginated(login: Login, educator: User) -> None:
    LessonFactory.create_batch(30, school=educator.school)
    client = login(educator)
    first = client.get(reverse("educators:library")).content.decode()
    assert "Showing 1–25 of 30" in first
    second = client.get(reverse("educators:library"), {"page": 2}).content.decode()
    assert "Showing 26–30 of 30" in second


@pytest.mark.parametrize("size", [5, 60])
def test_library_query_count_does_not_grow(
    login: Login, educator: User, size: int, django_assert_max_num_queries: Callable[..., object]
) -> None:
    objective = LearningObjectiveFactory()
    for lesson in LessonFactory.create_batch(size, school=educator.school):
        lesson.objectives.add(objective)
    QuizFactory.create_batch(size, school=educator.school)
    client = login(educator)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert client.get(reverse("educators:library")).status_code == 200
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert client.get(reverse("educators:library"), {"kind": "quizzes"}).status_code == 200


@pytest.mark.parametrize("factory", [StudentFactory, ParentFactory])
def test_other_roles_get_403(client: Client, factory: Callable[..., User]) -> None:
    client.force_login(factory())
    for name in ("educators:library", "educators:lesson_create", "educators:review_queue", "educators:generate"):
        assert client.get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("educators:library"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_schools_lesson_is_404(login: Login, educator: User) -> None:
    other = LessonFactory(school=SchoolFactory(), draft=True)
    client = login(educator)
    assert client.get(reverse("educators:lesson_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("educators:lesson_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("educators:lesson_submit", args=[other.pk])).status_code == 404


def _lesson_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Photosynthesis",
        "subject": "Science",
        "grade_level": "7",
        "estimated_minutes": "20",
        "difficulty": "standard",
        "body_markdown": "# Plants\n\nPlants make **food** from light.",
    }
    data.update(overrides)
    return data


def test_creating_a_lesson_saves_a_draft_with_rendered_html(login: Login, educator: User) -> None:
    objective = LearningObjectiveFactory()
    response = login(educator).post(reverse("educators:lesson_create"), _lesson_post(objectives=[objective.pk]))
    lesson = Lesson.objects.get(title="Photosynthesis")
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:lesson_detail", args=[lesson.pk])
    assert lesson.status == ContentStatus.DRAFT
    assert lesson.source == ContentSource.MANUAL
    assert lesson.author == educator
    assert "<strong>food</strong>" in lesson.body_html
    assert list(lesson.objectives.all()) == [objective]


def test_lesson_form_errors_are_shown_next_to_fields(login: Login, educator: User) -> None:
    response = login(educator).post(reverse("educators:lesson_create"), _lesson_post(title="", body_markdown=""))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert 'id="id_body_markdown_error"' in html
    assert not Lesson.objects.exists()


def test_preview_button_without_javascript_renders_without_saving(login: Login, educator: User) -> None:
    response = login(educator).post(
        reverse("educators:lesson_create"), _lesson_post(title="", body_markdown="Some *emphasis*", preview="1")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<em>emphasis</em>" in html
    assert "field-error" not in html
    assert not Lesson.objects.exists()


def test_live_preview_is_sanitised(login: Login, educator: User) -> None:
    response = login(educator).post(
        reverse("educators:lesson_preview"),
        {"body_markdown": "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="preview"' in html
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_the_editor_textarea_posts_to_the_preview_with_a_delay(login: Login, educator: User) -> None:
    html = login(educator).get(reverse("educators:lesson_create")).content.decode()
    assert f'hx-post="{reverse("educators:lesson_preview")}"' in html
    assert 'hx-trigger="keyup changed delay:400ms, change"' in html
    assert "<script>" not in html
    assert "style=" not in html


def test_editing_a_lesson_updates_it(login: Login, educator: User) -> None:
    lesson = LessonFactory(school=educator.school, author=educator, draft=True)
    client = login(educator)
    form_page = client.get(reverse("educators:lesson_edit", args=[lesson.pk])).content.decode()
    assert lesson.title in form_page
    response = client.post(reverse("educators:lesson_edit", args=[lesson.pk]), _lesson_post(title="Renamed"))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.title == "Renamed"


def test_a_published_lesson_cannot_be_edited(login: Login, educator: User) -> None:
    lesson = LessonFactory(school=educator.school, status=ContentStatus.PUBLISHED, title="Frozen")
    client = login(educator)
    response = client.get(reverse("educators:lesson_edit", args=[lesson.pk]))
    assert response.status_code == 302
    client.post(reverse("educators:lesson_edit", args=[lesson.pk]), _lesson_post(title="Changed"))
    lesson.refresh_from_db()
    assert lesson.title == "Frozen"


def test_submitting_a_lesson_for_review(login: Login, educator: User) -> None:
    lesson = LessonFactory(school=educator.school, author=educator, draft=True)
    client = login(educator)
    detail = client.get(reverse("educators:lesson_detail", args=[lesson.pk])).content.decode()
    assert "Submit for review" in detail
    response = client.post(reverse("educators:lesson_submit", args=[lesson.pk]))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == ContentStatus.IN_REVIEW


def test_submitting_twice_is_a_message_not_an_error_page(login: Login, educator: User) -> None:
    lesson = LessonFactory(school=educator.school, author=educator, status=ContentStatus.IN_REVIEW)
    response = login(educator).post(reverse("educators:lesson_submit", args=[lesson.pk]), follow=True)
    assert response.status_code == 200
    assert "cannot be submitted for review" in response.content.decode()


def test_a_colleague_of_the_same_school_sees_the_lesson(client: Client, educator: User) -> None:
    lesson = LessonFactory(school=educator.school, author=educator, draft=True, title="Shared draft")
    client.force_login(EducatorFactory(school=educator.school))
    assert "Shared draft" in client.get(reverse("educators:lesson_detail", args=[lesson.pk])).content.decode()
