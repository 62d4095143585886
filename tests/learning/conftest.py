"""A class with an enrolled student and a published quiz with one question of every kind."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import (
    AssignmentFactory,
    ChoiceFactory,
    ClassroomFactory,
    EnrollmentFactory,
    LearningObjectiveFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
)
from toolbox.accounts.models import School, User
from toolbox.classroom.models import Classroom
from toolbox.content.models import Question, QuestionKind, Quiz
from toolbox.learning.models import Assignment


def quiz_with_every_kind(school: School, **quiz_fields: Any) -> Quiz:
    """Six one-point questions, one per kind, in this order: single choice, multiple choice,
    true/false, short answer, numeric, ordering. All on one learning objective."""
    quiz = QuizFactory(school=school, **quiz_fields)
    objective = LearningObjectiveFactory()

    def question(kind: str, **fields: Any) -> Question:
        fields.setdefault("accepted_answers", [])
        return QuestionFactory(quiz=quiz, kind=kind, objective=objective, **fields)

    single = question(QuestionKind.SINGLE_CHOICE, prompt="Which organelle makes energy?")
    ChoiceFactory(question=single, text="Nucleus", position=0)
    ChoiceFactory(question=single, text="Mitochondrion", is_correct=True, position=1, feedback="Yes.")
    multiple = question(QuestionKind.MULTIPLE_CHOICE, prompt="Which are in plant cells?")
    ChoiceFactory(question=multiple, text="Cell wall", is_correct=True, position=0)
    ChoiceFactory(question=multiple, text="Chloroplast", is_correct=True, position=1)
    ChoiceFactory(question=multiple, text="Centriole", position=2)
    true_false = question(QuestionKind.TRUE_FALSE, prompt="Cells divide.")
    ChoiceFactory(question=true_false, text="True", is_correct=True, position=0)
    ChoiceFactory(question=true_false, text="False", position=1)
    question(QuestionKind.SHORT_ANSWER, prompt="Name the cell's control centre.", accepted_answers=["nucleus"])
    question(QuestionKind.NUMERIC, prompt="Pi to two places?", numeric_answer="3.14", numeric_tolerance="0.005")
    ordering = question(QuestionKind.ORDERING, prompt="Order the phases.")
    for position, text in enumerate(["Prophase", "Metaphase", "Anaphase", "Telophase"]):
        ChoiceFactory(question=ordering, text=text, position=position)
    return quiz


def right_response(question: dict[str, Any]) -> dict[str, Any]:
    kind = question["kind"]
    correct = [choice["id"] for choice in question["choices"] if choice["is_correct"]]
    if kind in ("single_choice", "true_false"):
        return {"choice_id": correct[0]}
    if kind == "multiple_choice":
        return {"choice_ids": correct}
    if kind == "short_answer":
        return {"text": question["accepted_answers"][0].upper()}
    if kind == "numeric":
        return {"value": question["numeric_answer"]}
    return {"order": [choice["id"] for choice in sorted(question["choices"], key=lambda choice: choice["position"])]}


def wrong_response(question: dict[str, Any]) -> dict[str, Any]:
    kind = question["kind"]
    wrong = [choice["id"] for choice in question["choices"] if not choice["is_correct"]]
    if kind in ("single_choice", "true_false"):
        return {"choice_id": wrong[0]}
    if kind == "multiple_choice":
        return {"choice_ids": wrong}
    if kind == "short_answer":
        return {"text": "ribosome"}
    if kind == "numeric":
        return {"value": "99"}
    return {"order": list(reversed(right_response(question)["order"]))}


@pytest.fixture
def classroom(school: School, educator: User) -> Classroom:
    return ClassroomFactory(school=school, owner=educator)


@pytest.fixture
def student(school: School, classroom: Classroom) -> User:
    student = StudentFactory(school=school)
    EnrollmentFactory(classroom=classroom, student=student)
    return student


@pytest.fixture
def quiz(school: School) -> Quiz:
    return quiz_with_every_kind(school)


@pytest.fixture
def assignment(classroom: Classroom, quiz: Quiz) -> Assignment:
    return AssignmentFactory(classroom=classroom, quiz=quiz)
