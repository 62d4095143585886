"""Lessons, quizzes, the review workflow and questions through the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.conftest import Api, World, make_quiz
from tests.factories import LearningObjectiveFactory
from toolbox.content.models import Question


@pytest.mark.django_db
def test_a_lesson_goes_from_draft_through_review_to_published(world: World, api_as: Callable[..., Api]) -> None:
    author, reviewer = api_as(world.educator), api_as(world.other_educator)
    objective = LearningObjectiveFactory()
    created = author.post(
        "/lessons",
        {
            "title": "Atoms",
            "subject": "Science",
            "grade_level": "7",
            "body_markdown": "# Atoms\n\n<script>alert(1)</script>Atoms are **tiny**.",
            "objective_ids": [objective.pk],
        },
    )
    assert created.status_code == 201, created.content
    lesson = created.json()
    assert lesson["status"] == "draft"
    assert "<strong>tiny</strong>" in lesson["body_html"]
    assert "<script" not in lesson["body_html"]
    assert [o["id"] for o in lesson["objectives"]] == [objective.pk]

    path = f"/lessons/{lesson['id']}"
    assert author.patch(path, {"estimated_minutes": 30}).json()["estimated_minutes"] == 30
    assert author.post(f"{path}/submit-for-review").json()["status"] == "in_review"
    rejected = reviewer.post(f"{path}/reject", {"notes": "Add an example."}).json()
    assert (rejected["status"], rejected["review_notes"]) == ("draft", "Add an example.")
    author.post(f"{path}/submit-for-review")
    assert reviewer.post(f"{path}/approve", {"notes": ""}).json()["status"] == "published"

    frozen = author.patch(path, {"title": "Atoms again"})
    assert frozen.status_code == 409
    assert frozen.json()["code"] == "conflict"
    assert author.post(f"{path}/archive").json()["status"] == "archived"


@pytest.mark.django_db
def test_rejecting_needs_notes(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.educator).post(f"/lessons/{world.review_lesson.pk}/reject", {"notes": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "notes"


@pytest.mark.django_db
def test_the_library_filters_and_paginates(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    drafts = api.get("/lessons?status=draft").json()
    assert [item["id"] for item in drafts["items"]] == [world.draft_lesson.pk]
    page = api.get("/quizzes?page_size=2").json()
    assert (page["count"], len(page["items"]), page["has_next"]) == (3, 2, True)
    second = api.get("/quizzes?page_size=2&page=2").json()
    assert (len(second["items"]), second["has_next"]) == (1, False)
    assert api.get("/quizzes?subject=History").json()["count"] == 0
    assert api.get("/quizzes?page_size=101").status_code == 422, "the page size has a maximum"
    bad = api.get("/lessons?status=lost")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status"


@pytest.mark.django_db
def test_students_see_an_assigned_quiz_without_its_answer_key(world: World, api_as: Callable[..., Api]) -> None:
    as_student = api_as(world.student).get(f"/quizzes/{world.quiz.pk}").json()
    assert as_student["question_count"] == 1
    assert as_student["questions"] == []
    as_teacher = api_as(world.educator).get(f"/quizzes/{world.quiz.pk}").json()
    assert as_teacher["questions"][0]["choices"][0]["is_correct"] is True


@pytest.mark.django_db
def test_questions_are_added_changed_reordered_and_deleted(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    quiz_id = world.draft_quiz.pk
    created = api.post(
        f"/quizzes/{quiz_id}/questions",
        {
            "kind": "true_false",
            "prompt": "Cells have a membrane.",
            "choices": [{"text": "True", "is_correct": True}, {"text": "False", "is_correct": False}],
        },
    )
    assert created.status_code == 201, created.content
    question = created.json()
    assert question["position"] == 2

    numeric = api.patch(
        f"/questions/{question['id']}",
        {"kind": "numeric", "prompt": "How many?", "choices": [], "numeric_answer": "3.5", "numeric_tolerance": "0.1"},
    )
    assert numeric.status_code == 200, numeric.content
    assert numeric.json()["numeric_answer"] in ("3.500000", 3.5, "3.5")

    ids = list(Question.objects.filter(quiz_id=quiz_id).order_by("position").values_list("pk", flat=True))
    reordered = api.post(f"/quizzes/{quiz_id}/questions/reorder", {"ordered_ids": ids[::-1]}).json()
    assert [q["id"] for q in reordered["questions"]] == ids[::-1]
    incomplete = api.post(f"/quizzes/{quiz_id}/questions/reorder", {"ordered_ids": ids[:1]})
    assert incomplete.status_code == 422
    assert incomplete.json()["errors"][0]["field"] == "ordered_ids"

    assert api.delete(f"/questions/{question['id']}").status_code == 204
    assert not Question.objects.filter(pk=question["id"]).exists()


@pytest.mark.django_db
def test_a_question_that_breaks_its_kinds_rules_is_refused(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.educator).post(
        f"/quizzes/{world.draft_quiz.pk}/questions",
        {"kind": "single_choice", "prompt": "Pick one", "choices": [{"text": "Only", "is_correct": True}]},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.django_db
def test_published_quizzes_cannot_gain_questions(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.educator).post(
        f"/quizzes/{world.quiz.pk}/questions", {"kind": "short_answer", "prompt": "Why?", "accepted_answers": ["x"]}
    )
    assert response.status_code == 409


@pytest.mark.django_db
def test_a_quiz_is_created_for_a_lesson_of_the_school_only(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    created = api.post(
        "/quizzes", {"title": "Follow-up", "subject": "Science", "grade_level": "7", "lesson_id": world.lesson.pk}
    )
    assert created.status_code == 201
    assert created.json()["lesson_id"] == world.lesson.pk
    foreign = make_quiz(world.admin, title="x")
    assert foreign.school_id == world.school.pk
    unknown = api.post("/quizzes", {"title": "X", "subject": "Science", "grade_level": "7", "lesson_id": 999999})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "lesson_id"
    cleared = api.patch(f"/quizzes/{created.json()['id']}", {"lesson_id": None}).json()
    assert cleared["lesson_id"] is None
