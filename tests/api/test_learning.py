"""Assignments and attempts through the API: idempotent submits and answer visibility."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import Api, World, make_quiz
from toolbox.accounts.models import ParentLink
from toolbox.content import services as content_services
from toolbox.content.models import Choice
from toolbox.learning import services as learning_services
from toolbox.learning.models import Assignment, Attempt


def _first_question(world: World) -> tuple[int, int, int]:
    question = world.attempt.snapshot["questions"][0]
    right = next(c["id"] for c in question["choices"] if c["is_correct"])
    wrong = next(c["id"] for c in question["choices"] if c["id"] != right)
    return question["id"], right, wrong


@pytest.mark.django_db
def test_an_educator_assigns_a_quiz_and_changes_its_dates(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    now = timezone.now()
    created = api.post(
        f"/classes/{world.classroom.pk}/assignments",
        {
            "quiz_id": world.quiz.pk,
            "available_from": now.isoformat(),
            "due_at": (now + dt.timedelta(days=3)).isoformat(),
            "late_penalty_percent_per_day": "5",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["title"], body["class_id"]) == ("quiz", "Cells check-up", world.classroom.pk)
    updated = api.patch(f"/assignments/{body['id']}", {"close_at": (now + dt.timedelta(days=5)).isoformat()})
    assert updated.status_code == 200
    assert updated.json()["close_at"] is not None
    backwards = api.patch(f"/assignments/{body['id']}", {"due_at": (now - dt.timedelta(days=9)).isoformat()})
    assert backwards.status_code == 422


@pytest.mark.django_db
def test_only_published_work_can_be_assigned(world: World, api_as: Callable[..., Api]) -> None:
    now = timezone.now()
    response = api_as(world.educator).post(
        f"/classes/{world.classroom.pk}/assignments",
        {"quiz_id": world.draft_quiz.pk, "available_from": now.isoformat(), "due_at": now.isoformat()},
    )
    assert response.status_code in (409, 422)
    assert Assignment.objects.filter(classroom=world.classroom).count() == 2


@pytest.mark.django_db
def test_a_student_lists_open_work_only(world: World, api_as: Callable[..., Api]) -> None:
    later = timezone.now() + dt.timedelta(days=2)
    learning_services.assignment_create(
        actor=world.educator,
        classroom=world.classroom,
        quiz=make_quiz(world.educator, title="Next week"),
        available_from=later,
        due_at=later + dt.timedelta(days=1),
    )
    mine = api_as(world.student).get("/me/assignments").json()
    assert {item["id"] for item in mine["items"]} == {world.assignment.pk, world.lesson_assignment.pk}
    teacher_view = api_as(world.educator).get(f"/classes/{world.classroom.pk}/assignments").json()
    assert teacher_view["count"] == 3


@pytest.mark.django_db
def test_a_students_listed_work_changes_on_the_next_request(world: World, api_as: Callable[..., Api]) -> None:
    """The list is cached per student (toolbox/freshness.py): new work, a teacher's new
    name and work whose time to open comes all show on the next request."""
    api = api_as(world.student)
    assert api.get("/me/assignments").json()["count"] == 2
    now = timezone.now()
    learning_services.assignment_create(
        actor=world.educator,
        classroom=world.classroom,
        quiz=make_quiz(world.educator, title="Open now"),
        available_from=now - dt.timedelta(minutes=5),
        due_at=now + dt.timedelta(days=1),
    )
    learning_services.assignment_create(
        actor=world.educator,
        classroom=world.classroom,
        quiz=make_quiz(world.educator, title="Next week"),
        available_from=now + dt.timedelta(days=2),
        due_at=now + dt.timedelta(days=9),
    )
    assert [item["title"] for item in api.get("/me/assignments").json()["items"]].count("Open now") == 1

    world.educator.first_name, world.educator.last_name = "Marie", "Curie"
    world.educator.save()
    assert {item["assigned_by"]["name"] for item in api.get("/me/assignments").json()["items"]} == {"Marie Curie"}

    with time_machine.travel(now + dt.timedelta(days=3), tick=False):
        titles = [item["title"] for item in api.get("/me/assignments").json()["items"]]
    assert "Next week" in titles


@pytest.mark.django_db
def test_a_student_takes_a_quiz_and_a_repeated_submit_returns_the_first_result(
    world: World, api_as: Callable[..., Api]
) -> None:
    api = api_as(world.student)
    question_id, right, _ = _first_question(world)
    started = api.post(f"/assignments/{world.assignment.pk}/attempts")
    assert started.status_code == 201
    attempt = started.json()
    assert attempt["id"] == world.attempt.pk, "the attempt in progress is resumed"
    assert attempt["questions"][0]["id"] == question_id
    assert "is_correct" not in attempt["questions"][0]["choices"][0], "no answer key while taking it"

    saved = api.put(f"/attempts/{attempt['id']}/answers/{question_id}", {"response": {"choice_id": right}})
    assert saved.status_code == 200, saved.content
    assert api.get(f"/attempts/{attempt['id']}").json()["saved_answers"][0]["response"] == {"choice_id": right}

    key = {"Idempotency-Key": "submit-7f1c"}
    first = api.post(f"/attempts/{attempt['id']}/submit", headers=key)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "graded"
    assert first.json()["final_percent"] in ("100.00", 100, "100")
    assert Attempt.objects.get(pk=attempt["id"]).idempotency_key == "submit-7f1c"

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        repeated = api.post(f"/attempts/{attempt['id']}/submit", headers=key)
    assert repeated.status_code == 200
    assert repeated.json()["submitted_at"] == first.json()["submitted_at"]
    assert repeated.json()["final_percent"] == first.json()["final_percent"]
    assert Attempt.objects.filter(student=world.student).count() == 1

    late_save = api.put(f"/attempts/{attempt['id']}/answers/{question_id}", {"response": {"choice_id": right}})
    assert late_save.status_code == 409


@pytest.mark.django_db
def test_an_answer_of_the_wrong_shape_names_the_problem(world: World, api_as: Callable[..., Api]) -> None:
    question_id, _, _ = _first_question(world)
    response = api_as(world.student).put(
        f"/attempts/{world.attempt.pk}/answers/{question_id}", {"response": {"text": "mitochondria"}}
    )
    assert response.status_code == 422
    missing = api_as(world.student).put(f"/attempts/{world.attempt.pk}/answers/{question_id}", {})
    assert missing.json()["errors"][0]["field"] == "response"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visibility", "student_sees_key"), [("immediately", True), ("after_due", False), ("never", False)]
)
def test_answers_are_shown_as_the_quiz_visibility_allows(
    world: World, api_as: Callable[..., Api], visibility: str, student_sees_key: bool
) -> None:
    quiz = make_quiz(world.educator, title=f"Quiz shown {visibility}", status="draft")
    quiz.answer_visibility = visibility
    quiz.save(update_fields=["answer_visibility"])
    from toolbox.content.services import content_publish

    content_publish(actor=world.educator, content=quiz)
    now = timezone.now()
    assignment = learning_services.assignment_create(
        actor=world.educator,
        classroom=world.classroom,
        quiz=quiz,
        available_from=now - dt.timedelta(hours=1),
        due_at=now + dt.timedelta(days=1),
    )
    api = api_as(world.student)
    attempt = api.post(f"/assignments/{assignment.pk}/attempts").json()
    question = attempt["questions"][0]
    api.put(
        f"/attempts/{attempt['id']}/answers/{question['id']}", {"response": {"choice_id": question["choices"][0]["id"]}}
    )
    result = api.post(f"/attempts/{attempt['id']}/submit").json()
    answer = result["answers"][0]
    assert result["answers_shown"] is student_sees_key
    assert (answer["correct_answer_text"] is not None) is student_sees_key
    assert (answer["is_correct"] is not None) is student_sees_key

    teacher = api_as(world.educator).get(f"/attempts/{attempt['id']}").json()
    assert teacher["answers_shown"] is True
    assert teacher["answers"][0]["correct_answer_text"] == "Mitochondria"
    parent = api_as(world.parent).get(f"/attempts/{attempt['id']}").json()
    assert parent["answers_shown"] is student_sees_key


@pytest.mark.django_db
def test_a_parent_without_grade_rights_cannot_open_attempts(world: World, api_as: Callable[..., Api]) -> None:
    ParentLink.objects.filter(parent=world.parent).update(can_view_grades=False)
    assert api_as(world.parent).get(f"/attempts/{world.attempt.pk}").status_code == 404


@pytest.mark.django_db
def test_a_closed_quiz_refuses_a_new_attempt_with_409(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.student)
    api.post(f"/attempts/{world.attempt.pk}/submit")
    world.assignment.close_at = world.assignment.due_at
    world.assignment.save(update_fields=["close_at"])
    with time_machine.travel(world.assignment.due_at + dt.timedelta(hours=1)):
        response = api_as(world.student).post(f"/assignments/{world.assignment.pk}/attempts")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.django_db
def test_an_attempts_ordering_items_go_by_keys_that_carry_no_order(world: World, api_as: Callable[..., Api]) -> None:
    """Choice ids are given in the order an author writes the items, that is the right order:
    the attempt names its ordering items by keys instead, and grading still reads them right."""
    sizes = ["Atom", "Molecule", "Cell", "Tissue", "Organ", "Organism"]
    quiz = content_services.quiz_create(author=world.educator, title="Sizes", subject="Science", grade_level="7")
    content_services.question_create(
        actor=world.educator, quiz=quiz, kind="ordering", prompt="Smallest first.", choices=[{"text": t} for t in sizes]
    )
    content_services.content_publish(actor=world.educator, content=quiz)
    now = timezone.now()
    assignment = learning_services.assignment_create(
        actor=world.educator,
        classroom=world.classroom,
        quiz=quiz,
        available_from=now,
        due_at=now + dt.timedelta(days=1),
    )
    api = api_as(world.student)
    attempt = api.post(f"/assignments/{assignment.pk}/attempts").json()
    question = attempt["questions"][0]
    ids = {choice["text"]: choice["id"] for choice in question["choices"]}
    choice_ids = set(Choice.objects.filter(question__quiz=quiz).values_list("pk", flat=True))
    assert not set(ids.values()) & choice_ids

    url = f"/attempts/{attempt['id']}/answers/{question['id']}"
    by_choice_id = api.put(url, {"response": {"order": sorted(choice_ids)}})
    assert by_choice_id.status_code == 422, "only this attempt's keys name its items"
    right = [ids[text] for text in sizes]
    saved = api.put(url, {"response": {"order": right}})
    assert saved.status_code == 200, saved.content
    assert saved.json()["response"] == {"order": right}
    assert api.get(f"/attempts/{attempt['id']}").json()["saved_answers"][0]["response"] == {"order": right}
    assert api.post(f"/attempts/{attempt['id']}/submit").json()["final_percent"] == "100.00"
