"""Progress and gradebooks through the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.conftest import Api, World
from toolbox.accounts.models import ParentLink


def _submit(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.student)
    question = world.attempt.snapshot["questions"][0]
    right = next(c["id"] for c in question["choices"] if c["is_correct"])
    api.put(f"/attempts/{world.attempt.pk}/answers/{question['id']}", {"response": {"choice_id": right}})
    api.post(f"/attempts/{world.attempt.pk}/submit")


@pytest.mark.django_db
def test_a_student_reads_their_progress(world: World, api_as: Callable[..., Api]) -> None:
    _submit(world, api_as)
    body = api_as(world.student).get("/me/progress").json()
    assert body["student"]["id"] == world.student.pk
    assert body["can_view_grades"] is True
    assert [(a["attempt_id"], a["final_percent"]) for a in body["attempts"]] == [(world.attempt.pk, "100.00")]
    assert body["level"]["xp"] > 0


@pytest.mark.django_db
def test_a_parent_sees_grades_only_when_the_link_allows(world: World, api_as: Callable[..., Api]) -> None:
    _submit(world, api_as)
    path = f"/students/{world.student.pk}/progress"
    allowed = api_as(world.parent).get(path).json()
    assert allowed["can_view_grades"] is True
    assert allowed["attempts"][0]["final_percent"] == "100.00"

    ParentLink.objects.filter(parent=world.parent).update(can_view_grades=False)
    hidden = api_as(world.parent).get(path).json()
    assert hidden["can_view_grades"] is False
    assert hidden["attempts"] == []
    assert hidden["level"] == allowed["level"], "effort is shared; grades are not"
    assert api_as(world.educator).get(path).json()["attempts"][0]["final_percent"] == "100.00"


@pytest.mark.django_db
def test_the_gradebook_as_json_and_csv(world: World, api_as: Callable[..., Api]) -> None:
    _submit(world, api_as)
    api = api_as(world.educator)
    book = api.get(f"/classes/{world.classroom.pk}/gradebook").json()
    assert {c["assignment_id"] for c in book["columns"]} == {world.assignment.pk, world.lesson_assignment.pk}
    row = book["rows"][0]
    assert row["student"]["id"] == world.student.pk
    quiz_cell = next(c for c in row["cells"] if c["assignment_id"] == world.assignment.pk)
    assert quiz_cell["score_percent"] == "100.00"
    assert quiz_cell["counted_attempt_id"] == world.attempt.pk

    csv = api.get(f"/classes/{world.classroom.pk}/gradebook.csv")
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert "attachment" in csv["Content-Disposition"]
    text = b"".join(csv.streaming_content).decode()  # type: ignore[attr-defined]
    lines = text.strip().splitlines()
    assert lines[0].startswith("Student,Username,")
    assert world.student.username in lines[1]
