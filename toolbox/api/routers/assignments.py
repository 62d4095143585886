"""Assignments: a class's work, a student's own work, setting and changing work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.pagination import paginate, paginate_list
from toolbox.api.schemas import PageQuery, PathId, responses
from toolbox.api.schemas.learning import AssignmentCreateIn, AssignmentOut, AssignmentPageOut, AssignmentUpdateIn
from toolbox.classroom.models import EnrollmentStatus
from toolbox.errors import ForbiddenError
from toolbox.freshness import cached_for_users
from toolbox.learning import services as learning_services
from toolbox.learning.models import Assignment

router = Router(tags=["assignments"])


def assignment_body(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "class_id": assignment.classroom_id,
        "class_name": assignment.classroom.name,
        "kind": assignment.kind,
        "title": assignment.title,
        "lesson_id": assignment.lesson_id,
        "quiz_id": assignment.quiz_id,
        "assigned_by": {"id": assignment.assigned_by.pk, "name": assignment.assigned_by.name},
        "available_from": assignment.available_from,
        "due_at": assignment.due_at,
        "close_at": assignment.close_at,
        "accept_late": assignment.accept_late,
        "late_penalty_percent_per_day": assignment.late_penalty_percent_per_day,
        "max_late_penalty_percent": assignment.max_late_penalty_percent,
        "score_policy": assignment.score_policy,
        "created_at": assignment.created_at,
    }


def _with_related() -> Any:
    return Assignment.objects.select_related("classroom", "lesson", "quiz", "assigned_by").order_by("due_at", "pk")


@router.get(
    "/classes/{class_id}/assignments",
    response=responses({200: AssignmentPageOut}, 404),
    operation_id="list_class_assignments",
    summary="List a class's assignments",
    description="By due date. Students see only work that is already open.",
)
def list_class_assignments(request: HttpRequest, class_id: PathId, page: Query[PageQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = lookups.visible_classroom(user, class_id)
    assignments = _with_related().filter(classroom=classroom)
    if permissions.is_student(user):
        assignments = assignments.filter(available_from__lte=timezone.now())
    return paginate(assignments, page, assignment_body)


@router.get(
    "/me/assignments",
    response=responses({200: AssignmentPageOut}),
    operation_id="list_my_assignments",
    summary="List my assignments",
    description="A student's open work in every class they attend, by due date.",
)
def list_my_assignments(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    if not permissions.is_student(user):
        raise ForbiddenError("Only students have assignments of their own; list a class's assignments instead.")
    now = timezone.now()
    return paginate_list([body for opens, body in _every_assignment_of(user) if opens <= now], page)


def _every_assignment_of(student: User) -> list[tuple[dt.datetime, dict[str, Any]]]:
    """The work of the student's active classes by due date, with when each opens: cached
    until the student's data changes (toolbox/freshness.py); the clock decides per request
    which of it is open."""

    def build() -> list[tuple[dt.datetime, dict[str, Any]]]:
        assignments = _with_related().filter(
            classroom__enrollments__student_id=student.pk,
            classroom__enrollments__status=EnrollmentStatus.ACTIVE,
            classroom__is_archived=False,
        )
        return [(assignment.available_from, assignment_body(assignment)) for assignment in assignments]

    return cached_for_users(key=f"api-my-assignments:{student.pk}", user_ids=[student.pk], build=build)


@router.post(
    "/classes/{class_id}/assignments",
    response=responses({201: AssignmentOut}, 404, 409),
    operation_id="create_assignment",
    summary="Assign a lesson or a quiz",
    description="Set published work for a class, with its dates and late rules; its students are notified.",
)
def create_assignment(request: HttpRequest, class_id: PathId, payload: AssignmentCreateIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    assignment = learning_services.assignment_create(
        actor=user,
        classroom=lookups.visible_classroom(user, class_id),
        lesson=lookups.lesson_for_field(user, payload.lesson_id, field="lesson_id"),
        quiz=lookups.quiz_for_field(user, payload.quiz_id, field="quiz_id"),
        available_from=payload.available_from,
        due_at=payload.due_at,
        close_at=payload.close_at,
        accept_late=payload.accept_late,
        late_penalty_percent_per_day=payload.late_penalty_percent_per_day,
        max_late_penalty_percent=payload.max_late_penalty_percent,
        score_policy=payload.score_policy,
    )
    return Status(201, assignment_body(lookups.visible_assignment(user, assignment.pk)))


@router.get(
    "/assignments/{assignment_id}",
    response=responses({200: AssignmentOut}, 404),
    operation_id="get_assignment",
    summary="Get an assignment",
    description="One assignment of a class the caller teaches, attends or runs.",
)
def get_assignment(request: HttpRequest, assignment_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return assignment_body(lookups.visible_assignment(user, assignment_id))


@router.patch(
    "/assignments/{assignment_id}",
    response=responses({200: AssignmentOut}, 404, 409),
    operation_id="update_assignment",
    summary="Update an assignment",
    description="Change the dates, late rules or score policy; only the fields sent change.",
)
def update_assignment(request: HttpRequest, assignment_id: PathId, payload: AssignmentUpdateIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    assignment = lookups.visible_assignment(user, assignment_id)
    sent = payload.model_dump(exclude_unset=True)
    fields = {name: value for name, value in sent.items() if value is not None or name == "close_at"}
    learning_services.assignment_update(actor=user, assignment=assignment, **fields)
    return assignment_body(lookups.visible_assignment(user, assignment_id))
