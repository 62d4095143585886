from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import ClassroomFactory, EducatorFactory, EnrollmentFactory, LessonFactory, QuizFactory
from toolbox.accounts.models import School, User
from toolbox.classroom.models import Classroom
from toolbox.content.models import ContentStatus, Quiz
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from toolbox.learning.models import Assignment, Notification
from toolbox.learning.services import assignment_create, assignment_update

NOW = timezone.now()


def _dates(**overrides: Any) -> dict[str, Any]:
    dates = {"available_from": NOW, "due_at": NOW + dt.timedelta(days=3), "close_at": NOW + dt.timedelta(days=5)}
    dates.update(overrides)
    return dates


def test_an_educator_assigns_a_published_quiz_and_the_class_is_told(
    educator: User, classroom: Classroom, quiz: Quiz, student: User
) -> None:
    EnrollmentFactory(classroom=classroom, status="removed")
    assignment = assignment_create(
        actor=educator, classroom=classroom, quiz=quiz, late_penalty_percent_per_day=Decimal("5"), **_dates()
    )

    assert (assignment.assigned_by, assignment.quiz, assignment.lesson) == (educator, quiz, None)
    assert assignment.late_penalty_percent_per_day == Decimal("5")
    assert list(Notification.objects.values_list("user", "dedupe_key")) == [(student.pk, f"assigned:{assignment.pk}")]


def test_a_co_teacher_and_an_admin_may_assign_a_lesson(classroom: Classroom, school: School, admin_user: User) -> None:
    co_teacher = EducatorFactory(school=school)
    classroom.co_teachers.add(co_teacher)
    lesson = LessonFactory(school=school)
    assert assignment_create(actor=co_teacher, classroom=classroom, lesson=lesson, **_dates()).kind == "lesson"
    assert assignment_create(actor=admin_user, classroom=classroom, lesson=lesson, **_dates()).pk


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due_at": NOW}, "due date must come after"),
        ({"due_at": NOW - dt.timedelta(days=1)}, "due date must come after"),
        ({"close_at": NOW + dt.timedelta(days=2)}, "closing date cannot come before"),
        ({"late_penalty_percent_per_day": Decimal("101")}, "from 0 to 100"),
        ({"max_late_penalty_percent": Decimal("-1")}, "from 0 to 100"),
        ({"late_penalty_percent_per_day": "lots"}, "from 0 to 100"),
        ({"score_policy": "worst"}, "score policy"),
        ({"due_at": dt.datetime(2026, 12, 1, 9, 0)}, "time zone"),
    ],
)
def test_bad_dates_and_policies_are_refused(
    educator: User, classroom: Classroom, quiz: Quiz, fields: dict[str, Any], message: str
) -> None:
    arguments = _dates()
    arguments.update(fields)
    with pytest.raises(InvalidInputError, match=message):
        assignment_create(actor=educator, classroom=classroom, quiz=quiz, **arguments)
    assert not Assignment.objects.exists()


def test_only_published_work_from_the_same_school_can_be_assigned(
    educator: User, classroom: Classroom, school: School
) -> None:
    draft = QuizFactory(school=school, status=ContentStatus.DRAFT)
    with pytest.raises(InvalidInputError, match="not published"):
        assignment_create(actor=educator, classroom=classroom, quiz=draft, **_dates())
    with pytest.raises(NotFoundError):
        assignment_create(actor=educator, classroom=classroom, quiz=QuizFactory(), **_dates())
    with pytest.raises(InvalidInputError, match="either a lesson or a quiz"):
        assignment_create(actor=educator, classroom=classroom, **_dates())
    with pytest.raises(InvalidInputError, match="either a lesson or a quiz"):
        assignment_create(
            actor=educator, classroom=classroom, quiz=draft, lesson=LessonFactory(school=school), **_dates()
        )
    assert not Assignment.objects.exists()


def test_who_may_not_assign(classroom: Classroom, quiz: Quiz, student: User, school: School) -> None:
    with pytest.raises(ForbiddenError):
        assignment_create(actor=student, classroom=classroom, quiz=quiz, **_dates())
    with pytest.raises(NotFoundError):
        assignment_create(actor=EducatorFactory(school=school), classroom=classroom, quiz=quiz, **_dates())
    assert not Assignment.objects.exists()


def test_an_archived_class_takes_no_new_work(educator: User, school: School, quiz: Quiz) -> None:
    archived = ClassroomFactory(school=school, owner=educator, is_archived=True)
    with pytest.raises(ConflictError, match="archived"):
        assignment_create(actor=educator, classroom=archived, quiz=quiz, **_dates())


def test_update_changes_dates_and_policies(educator: User, assignment: Assignment) -> None:
    due = assignment.due_at + dt.timedelta(days=2)
    updated = assignment_update(
        actor=educator, assignment=assignment, due_at=due, accept_late=False, score_policy="last"
    )
    assignment.refresh_from_db()
    assert (assignment.due_at, assignment.accept_late, assignment.score_policy) == (due, False, "last")
    assert updated.pk == assignment.pk


@pytest.mark.parametrize(
    "fields",
    [
        {"quiz": None},
        {"classroom": None},
        {"due_at": None},
        {"due_at": NOW - dt.timedelta(days=30)},
        {"close_at": NOW - dt.timedelta(days=30)},
        {"max_late_penalty_percent": Decimal("500")},
    ],
)
def test_bad_updates_change_nothing(educator: User, assignment: Assignment, fields: dict[str, Any]) -> None:
    before = Assignment.objects.filter(pk=assignment.pk).values().get()
    with pytest.raises(InvalidInputError):
        assignment_update(actor=educator, assignment=assignment, **fields)
    assert Assignment.objects.filter(pk=assignment.pk).values().get() == before


def test_only_teachers_update(assignment: Assignment, student: User) -> None:
    with pytest.raises(ForbiddenError):
        assignment_update(actor=student, assignment=assignment, accept_late=False)
    with pytest.raises(NotFoundError):
        assignment_update(actor=EducatorFactory(), assignment=assignment, accept_late=False)
    assignment.refresh_from_db()
    assert assignment.accept_late is True
