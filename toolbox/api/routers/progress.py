"""Progress: a student's own, a student's for their teachers and linked parents, and a
class's gradebook as JSON or CSV."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Router

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.schemas import ErrorOut, PathId, responses
from toolbox.api.schemas.learning import GradebookOut, ProgressOut
from toolbox.classroom.models import Classroom
from toolbox.errors import ForbiddenError
from toolbox.learning import selectors as learning_selectors

router = Router(tags=["progress"])


def _progress_body(*, viewer: User, student: User) -> dict[str, Any]:
    progress = learning_selectors.student_progress(student=student)
    grades = permissions.can_view_student_grades(viewer, student)
    return {
        "student": {"id": student.pk, "name": student.name},
        "can_view_grades": grades,
        "level": dataclasses.asdict(progress.level),
        "streak": dataclasses.asdict(progress.streak),
        "badges": [dataclasses.asdict(badge) for badge in progress.badges],
        "mastery": [dataclasses.asdict(entry) for entry in progress.mastery],
        "attempts": [dataclasses.asdict(summary) for summary in progress.attempts] if grades else [],
        "has_more_attempts": progress.has_more_attempts and grades,
    }


def _gradebook_classroom(user: User, class_id: PathId) -> Classroom:
    classroom = lookups.visible_classroom(user, class_id)
    if not permissions.can_edit_classroom(user, classroom):
        raise ForbiddenError("Only the class's teachers and admins can read its gradebook.")
    return classroom


@router.get(
    "/me/progress",
    response=responses({200: ProgressOut}),
    operation_id="get_my_progress",
    summary="My progress",
    description="A student's level and XP, streak, badges, mastery per objective and recent attempts.",
)
def get_my_progress(request: HttpRequest) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    if not permissions.is_student(user):
        raise ForbiddenError("Only students have progress of their own; ask for a student's progress instead.")
    return _progress_body(viewer=user, student=user)


@router.get(
    "/students/{student_id}/progress",
    response=responses({200: ProgressOut}, 404),
    operation_id="get_student_progress",
    summary="A student's progress",
    description=(
        "For the student's teachers, linked parents and admins. A parent whose link hides grades gets "
        "no attempts and `can_view_grades` false."
    ),
)
def get_student_progress(request: HttpRequest, student_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return _progress_body(viewer=user, student=lookups.visible_student(user, student_id))


@router.get(
    "/classes/{class_id}/gradebook",
    response=responses({200: GradebookOut}, 404),
    operation_id="get_class_gradebook",
    summary="A class's gradebook",
    description="Every active student against every assignment: the counted score, late and missing flags, averages.",
)
def get_class_gradebook(request: HttpRequest, class_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    book = learning_selectors.gradebook_for_classroom(classroom=_gradebook_classroom(user, class_id))
    return {
        "class_id": book.classroom_id,
        "class_name": book.classroom_name,
        "columns": [
            {
                "assignment_id": column.assignment.id,
                "kind": column.assignment.kind,
                "title": column.assignment.title,
                "due_at": column.assignment.due_at,
                "average_percent": column.average_percent,
                "submitted_count": column.submitted_count,
                "missing_count": column.missing_count,
                "late_count": column.late_count,
            }
            for column in book.columns
        ],
        "rows": [
            {
                "student": {"id": row.student.id, "name": row.student.name},
                "cells": [dataclasses.asdict(cell) for cell in row.cells],
                "average_percent": row.average_percent,
                "missing_count": row.missing_count,
            }
            for row in book.rows
        ],
        "class_average_percent": book.class_average_percent,
        "generated_at": book.generated_at,
    }


@router.get(
    "/classes/{class_id}/gradebook.csv",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="export_class_gradebook_csv",
    summary="A class's gradebook as CSV",
    description=(
        "The gradebook streamed as CSV: a row per student, a column per assignment, the averages last. "
        "Every cell is safe to open in a spreadsheet."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "The gradebook as CSV.",
                "content": {
                    "text/csv": {
                        "schema": {"type": "string"},
                        "example": "Student,Username,Cells check-up (due 9 Mar),Average\nAda Lovelace,ada.l,80%,80%\n",
                    }
                },
            }
        }
    },
)
def export_class_gradebook_csv(request: HttpRequest, class_id: PathId) -> StreamingHttpResponse:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = _gradebook_classroom(user, class_id)
    response = StreamingHttpResponse(
        learning_selectors.gradebook_csv_stream(classroom=classroom), content_type="text/csv; charset=utf-8"
    )
    filename = f"gradebook-{classroom.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
