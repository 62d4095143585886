"""A class the student is enrolled in, with a lesson and a quiz holding one question of every kind."""

from __future__ import annotations

import pytest

from tests.factories import ClassroomFactory, EnrollmentFactory, LessonAssignmentFactory
from tests.students.quizzes import QuizKinds, quiz_with_every_kind
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.learning.models import Assignment


@pytest.fixture
def classroom(student: User) -> Classroom:
    classroom = ClassroomFactory(school=student.school, name="7B Science")
    EnrollmentFactory(classroom=classroom, student=student)
    return classroom


@pytest.fixture
def kinds(classroom: Classroom) -> QuizKinds:
    return quiz_with_every_kind(classroom)


@pytest.fixture
def lesson_assignment(classroom: Classroom) -> Assignment:
    return LessonAssignmentFactory(classroom=classroom)
