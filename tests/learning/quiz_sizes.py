"""Quizzes of a chosen size for query budgets and timing: `objectives` learning objectives
with `per_objective` single-choice questions each, assigned to a class."""

from __future__ import annotations

from typing import Any

from tests.factories import AssignmentFactory, ChoiceFactory, LearningObjectiveFactory, QuestionFactory, QuizFactory
from toolbox.classroom.models import Classroom
from toolbox.learning.models import Assignment


def assignment_of_size(classroom: Classroom, *, objectives: int, per_objective: int, **quiz_fields: Any) -> Assignment:
    quiz = QuizFactory(school=classroom.school, author=classroom.owner, **quiz_fields)
    for objective in LearningObjectiveFactory.create_batch(objectives):
        for _ in range(per_objective):
            question = QuestionFactory(quiz=quiz, kind="single_choice", objective=objective, accepted_answers=[])
            ChoiceFactory(question=question, text="Right", is_correct=True, position=0)
            ChoiceFactory(question=question, text="Wrong", position=1)
    return AssignmentFactory(classroom=classroom, quiz=quiz)


def single_choice_response(question: dict[str, Any], *, right: bool) -> dict[str, Any]:
    return {"choice_id": next(choice["id"] for choice in question["choices"] if choice["is_correct"] == right)}
