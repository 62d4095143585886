"""Assigning published lessons and quizzes to a class."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.content.models import ContentStatus, Lesson, Quiz
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from toolbox.freshness import users_changed
from toolbox.learning.models import Assignment, Notification, ScorePolicy

UPDATABLE_FIELDS = frozenset(
    {
        "available_from",
        "due_at",
        "close_at",
        "accept_late",
        "late_penalty_percent_per_day",
        "max_late_penalty_percent",
        "score_policy",
    }
)


def _check_can_assign(actor: User, classroom: Classroom) -> None:
    if permissions.can_assign(actor, classroom):
        return
    if permissions.can_view_classroom(actor, classroom):
        raise ForbiddenError("Only the teachers of this class can set its work.")
    raise NotFoundError("That class does not exist.")


def _percent(value: object, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or not Decimal("0") <= number <= Decimal("100"):
        raise InvalidInputError(f"The {label} must be a number from 0 to 100.", field=label.replace(" ", "_"))
    return number


def _validate(assignment: Assignment) -> None:
    if assignment.due_at <= assignment.available_from:
        raise InvalidInputError("The due date must come after the date the work opens.", field="due_at")
    if assignment.close_at is not None and assignment.close_at < assignment.due_at:
        raise InvalidInputError("The closing date cannot come before the due date.", field="close_at")
    assignment.late_penalty_percent_per_day = _percent(
        assignment.late_penalty_percent_per_day, "late penalty percent per day"
    )
    assignment.max_late_penalty_percent = _percent(assignment.max_late_penalty_percent, "max late penalty percent")
    if assignment.score_policy not in ScorePolicy.values:
        raise InvalidInputError("The score policy must be “best” or “last”.", field="score_policy")


def _check_content(classroom: Classroom, lesson: Lesson | None, quiz: Quiz | None) -> None:
    if (lesson is None) == (quiz is None):
        raise InvalidInputError("Choose either a lesson or a quiz to assign, not both or neither.")
    content: Lesson | Quiz = lesson if lesson is not None else quiz  # type: ignore[assignment]
    if content.school_id != classroom.school_id:
        raise NotFoundError("That lesson or quiz does not exist in this school.")
    if content.status != ContentStatus.PUBLISHED:
        raise InvalidInputError(
            f"“{content.title}” is not published yet; only published work can be assigned to students."
        )


def _aware(value: object, label: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise InvalidInputError(f"The {label} must be a date and time with a time zone.", field=label.replace(" ", "_"))
    return value


def assignment_create(
    *,
    actor: User,
    classroom: Classroom,
    lesson: Lesson | None = None,
    quiz: Quiz | None = None,
    available_from: dt.datetime,
    due_at: dt.datetime,
    close_at: dt.datetime | None = None,
    accept_late: bool = True,
    late_penalty_percent_per_day: Decimal = Decimal("10"),
    max_late_penalty_percent: Decimal = Decimal("50"),
    score_policy: str = ScorePolicy.BEST,
) -> Assignment:
    """Set a published lesson or quiz for a class; its active students are notified."""
    with transaction.atomic():
        _check_can_assign(actor, classroom)
        if classroom.is_archived:
            raise ConflictError("This class is archived; restore it before setting new work.")
        _check_content(classroom, lesson, quiz)
        assignment = Assignment(
            classroom=classroom,
            lesson=lesson,
            quiz=quiz,
            assigned_by=actor,
            available_from=_aware(available_from, "opening date"),
            due_at=_aware(due_at, "due date"),
            close_at=_aware(close_at, "closing date"),
            accept_late=bool(accept_late),
            late_penalty_percent_per_day=late_penalty_percent_per_day,
            max_late_penalty_percent=max_late_penalty_percent,
            score_policy=score_policy,
        )
        _validate(assignment)
        assignment.save()
        student_ids = list(
            Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).values_list(
                "student_id", flat=True
            )
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=student_id,
                    kind="assignment",
                    message=f"New work in {classroom.name}: {assignment.title}",
                    dedupe_key=f"assigned:{assignment.pk}",
                )
                for student_id in student_ids
            ],
            ignore_conflicts=True,
        )
        users_changed(user_ids=student_ids)
        return assignment


def assignment_update(*, actor: User, assignment: Assignment, **fields: Any) -> Assignment:
    """Change the dates, the late policy or the score policy. What is assigned stays fixed
    (students may already have attempts at it); set new work instead."""
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise InvalidInputError(f"These fields cannot be changed on an assignment: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().select_related("classroom").get(pk=assignment.pk)
        _check_can_assign(actor, locked.classroom)
        labels = {"available_from": "opening date", "due_at": "due date", "close_at": "closing date"}
        for name, value in fields.items():
            if name in labels:
                if value is None and name != "close_at":
                    raise InvalidInputError(f"The {labels[name]} is required.", field=name)
                value = _aware(value, labels[name])
            setattr(locked, name, value)
        _validate(locked)
        locked.save()
        return locked
