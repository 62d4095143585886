"""Submitting is the student's own act: no flag lets one account submit another's attempt."""

from __future__ import annotations

import pytest

from tests.factories import EnrollmentFactory, StudentFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.errors import NotFoundError
from toolbox.learning.models import Assignment, AttemptStatus
from toolbox.learning.services import attempt_start, attempt_submit

pytestmark = pytest.mark.django_db


def test_a_classmate_cannot_submit_an_attempt_even_as_by_server(
    student: User, classroom: Classroom, assignment: Assignment
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    classmate = StudentFactory(school=classroom.school)
    EnrollmentFactory(classroom=classroom, student=classmate)

    with pytest.raises(NotFoundError):
        attempt_submit(student=classmate, attempt=attempt, by_server=True)

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
