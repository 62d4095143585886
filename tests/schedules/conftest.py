"""Builders for the schedule tests: schools in two time zones, enrolled students with
objectives still to master, and published question banks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from tests.factories import (
    ClassroomFactory,
    EnrollmentFactory,
    LearningObjectiveFactory,
    QuestionFactory,
    QuizFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts.models import School, User
from toolbox.celery import app
from toolbox.classroom.models import Classroom
from toolbox.content.models import LearningObjective, Question
from toolbox.learning.models import Mastery


@dataclass
class Learner:
    student: User
    classroom: Classroom
    objective: LearningObjective


@pytest.fixture
def chicago(db: None) -> School:
    return SchoolFactory(slug="chicago", time_zone="America/Chicago")


@pytest.fixture
def tokyo(db: None) -> School:
    return SchoolFactory(slug="tokyo", time_zone="Asia/Tokyo")


@pytest.fixture
def make_bank() -> Callable[..., list[Question]]:
    def make(school: School, objective: LearningObjective, count: int, **quiz_fields: object) -> list[Question]:
        quiz = QuizFactory(school=school, **quiz_fields)
        return [QuestionFactory(quiz=quiz, objective=objective) for _ in range(count)]

    return make


@pytest.fixture
def make_learner() -> Callable[..., Learner]:
    """An active student enrolled in a class of `school`, with `objective` (a new one by
    default) not yet mastered."""

    def make(school: School, objective: LearningObjective | None = None, classroom: Classroom | None = None) -> Learner:
        classroom = classroom or ClassroomFactory(school=school)
        student = StudentFactory(school=school)
        EnrollmentFactory(classroom=classroom, student=student)
        objective = objective or LearningObjectiveFactory()
        Mastery.objects.create(student=student, objective=objective, score=0.3, answers_counted=2)
        return Learner(student=student, classroom=classroom, objective=objective)

    return make


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run Celery tasks (and groups) in-process, as CELERY_TASK_ALWAYS_EAGER does."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
