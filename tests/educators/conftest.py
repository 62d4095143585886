"""Fixtures for the educator's class pages: a class the `educator` teaches, a published quiz
with two questions, and students who take it through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

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
from toolbox.learning.models import Assignment, Attempt
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit


@pytest.fixture
def classroom(educator: User) -> Classroom:
    return ClassroomFactory(school=educator.school, owner=educator, name="7B Science")


@pytest.fixture
def quiz(school: School, educator: User) -> Quiz:
    """A published quiz: a short answer (“cell”) and a single choice (“Nucleus” is right)."""
    objective = LearningObjectiveFactory(code="SCI.7.CELL", description="Describe the parts of a cell")
    quiz = QuizFactory(school=school, author=educator, title="Cells quiz")
    quiz.objectives.add(objective)
    QuestionFactory(quiz=quiz, position=0, prompt="What is the smallest unit of life?", objective=objective)
    choice_question = QuestionFactory(
        quiz=quiz,
        position=1,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Which part holds the DNA?",
        accepted_answers=[],
        objective=objective,
    )
    ChoiceFactory(question=choice_question, text="Nucleus", is_correct=True, position=0)
    ChoiceFactory(question=choice_question, text="Wall", is_correct=False, position=1)
    return quiz


@pytest.fixture
def assignment(classroom: Classroom, quiz: Quiz) -> Assignment:
    return AssignmentFactory(
        classroom=classroom,
        quiz=quiz,
        available_from=timezone.now() - dt.timedelta(days=1),
        due_at=timezone.now() + dt.timedelta(days=3),
    )


def enrol(classroom: Classroom, count: int) -> list[User]:
    return [
        EnrollmentFactory(classroom=classroom, student=StudentFactory(school=classroom.school)).student
        for _ in range(count)
    ]


@pytest.fixture
def take_quiz() -> Callable[..., Attempt]:
    """A student answers the quiz through the services: the short answer as typed, and the
    choice with the given text."""

    def take(student: User, assignment: Assignment, *, text: str = "cell", choice: str = "Nucleus") -> Attempt:
        attempt = attempt_start(student=student, assignment=assignment)
        questions = {q.kind: q for q in Question.objects.filter(quiz_id=assignment.quiz_id).prefetch_related("choices")}
        short = questions[QuestionKind.SHORT_ANSWER]
        single = questions[QuestionKind.SINGLE_CHOICE]
        chosen = next(c for c in single.choices.all() if c.text == choice)
        attempt_save_answer(student=student, attempt=attempt, question_id=short.pk, response={"text": text})
        attempt_save_answer(student=student, attempt=attempt, question_id=single.pk, response={"choice_id": chosen.pk})
        return attempt_submit(student=student, attempt=attempt)

    return take
