"""Classes: mine, create, retrieve, update, archive; rosters, joining, roster import and
parent invite codes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.files import UploadedFile
from ninja.params import FileEx, FormEx, P

from toolbox.accounts import permissions
from toolbox.accounts.models import Role, User
from toolbox.api import lookups
from toolbox.api.pagination import paginate
from toolbox.api.schemas import PageQuery, PathId, responses
from toolbox.api.schemas.classes import (
    ClassCreateIn,
    ClassListQuery,
    ClassOut,
    ClassPageOut,
    ClassUpdateIn,
    EnrolmentIn,
    EnrolmentOut,
    JoinIn,
    ParentInviteOut,
    RosterImportOut,
    RosterOut,
)
from toolbox.classroom import selectors as classroom_selectors
from toolbox.classroom import services as classroom_services
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus, ParentInvite
from toolbox.errors import InvalidInputError

router = Router(tags=["classes"])

ROSTER_READ_LIMIT = 2 * 1024 * 1024 + 1


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.name}


def _class_body(classroom: Classroom, *, show_code: bool, student_count: int) -> dict[str, Any]:
    return {
        "id": classroom.pk,
        "name": classroom.name,
        "subject": classroom.subject,
        "grade_level": classroom.grade_level,
        "owner": _person(classroom.owner),
        "join_code": classroom.join_code if show_code else None,
        "is_archived": classroom.is_archived,
        "student_count": student_count,
        "created_at": classroom.created_at,
    }


def _detail(user: User, classroom: Classroom) -> dict[str, Any]:
    count = Enrollment.objects.filter(classroom_id=classroom.pk, status=EnrollmentStatus.ACTIVE).count()
    return _class_body(classroom, show_code=permissions.can_edit_classroom(user, classroom), student_count=count)


def _co_teachers(user: User, ids: list[int]) -> list[User]:
    teachers = list(User.objects.filter(pk__in=ids, role=Role.EDUCATOR))
    missing = sorted(set(ids) - {teacher.pk for teacher in teachers})
    if missing:
        raise InvalidInputError(
            f"No educator with id {', '.join(map(str, missing))} can co-teach this class.", field="co_teacher_ids"
        )
    return teachers


def _enrolment_body(enrolment: Enrollment) -> dict[str, Any]:
    return {
        "class_id": enrolment.classroom_id,
        "student_id": enrolment.student_id,
        "status": enrolment.status,
        "joined_at": enrolment.joined_at,
        "removed_at": enrolment.removed_at,
    }


def _invite_body(invite: ParentInvite) -> dict[str, Any]:
    return {
        "id": invite.pk,
        "student_id": invite.student_id,
        "code": invite.code,
        "created_at": invite.created_at,
        "expires_at": invite.expires_at,
        "redeemed_at": invite.redeemed_at,
        "created_by": _person(invite.created_by),
        "redeemed_by": _person(invite.redeemed_by),
    }


@router.get(
    "/classes",
    response=responses({200: ClassPageOut}),
    operation_id="list_classes",
    summary="List my classes",
    description=(
        "The classes the caller teaches (educators), is enrolled in (students) or runs (admins), "
        "by name. Parents have none. Join codes are shown to the class's teachers and admins only."
    ),
)
def list_classes(request: HttpRequest, page: Query[PageQuery], filters: Query[ClassListQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    classrooms = permissions.classrooms_visible_to(user, Classroom.objects.all())
    if not filters.include_archived:
        classrooms = classrooms.filter(is_archived=False)
    classrooms = (
        Classroom.objects.filter(pk__in=classrooms.values("pk"))
        .select_related("owner")
        .annotate(active_students=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)))
        .order_by("name", "pk")
    )
    show_codes = not permissions.is_student(user)
    return paginate(
        classrooms,
        page,
        lambda c: _class_body(c, show_code=show_codes, student_count=c.active_students),  # type: ignore[attr-defined]
    )


@router.post(
    "/classes",
    response=responses({201: ClassOut}),
    operation_id="create_class",
    summary="Create a class",
    description="Educators and admins of a school create a class they own; it gets a fresh join code.",
)
def create_class(request: HttpRequest, payload: ClassCreateIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = classroom_services.classroom_create(
        actor=user,
        name=payload.name,
        subject=payload.subject,
        grade_level=payload.grade_level,
        co_teachers=_co_teachers(user, payload.co_teacher_ids),
    )
    return Status(201, _class_body(classroom, show_code=True, student_count=0))


# Declared before /classes/{class_id}: URL patterns match in order, and "join" must not be read as an id.
@router.post(
    "/classes/join",
    response=responses({201: EnrolmentOut}, 404),
    operation_id="join_class",
    summary="Join a class by code",
    description="A student joins the class whose join code they type. Joining twice is harmless.",
)
def join_class(request: HttpRequest, payload: JoinIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    return Status(201, _enrolment_body(classroom_services.classroom_join(student=user, code=payload.code)))


@router.get(
    "/classes/{class_id}",
    response=responses({200: ClassOut}, 404),
    operation_id="get_class",
    summary="Get a class",
    description="One class the caller teaches, attends or runs.",
)
def get_class(request: HttpRequest, class_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return _detail(user, lookups.visible_classroom(user, class_id))


@router.patch(
    "/classes/{class_id}",
    response=responses({200: ClassOut}, 404),
    operation_id="update_class",
    summary="Update a class",
    description="Change the name, subject, grade or co-teachers. Only the fields sent change.",
)
def update_class(request: HttpRequest, class_id: PathId, payload: ClassUpdateIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = lookups.visible_classroom(user, class_id)
    fields = payload.model_dump(exclude_unset=True, exclude_none=True)
    if "co_teacher_ids" in fields:
        fields["co_teachers"] = _co_teachers(user, fields.pop("co_teacher_ids"))
    classroom = classroom_services.classroom_update(actor=user, classroom=classroom, **fields)
    return _detail(user, classroom)


@router.post(
    "/classes/{class_id}/archive",
    response=responses({200: ClassOut}, 404),
    operation_id="archive_class",
    summary="Archive a class",
    description="The owner or an admin ends a class: it leaves the lists and accepts no one new.",
)
def archive_class(request: HttpRequest, class_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = classroom_services.classroom_archive(actor=user, classroom=lookups.visible_classroom(user, class_id))
    return _detail(user, classroom)


@router.get(
    "/classes/{class_id}/students",
    response=responses({200: RosterOut}, 404),
    operation_id="list_class_students",
    summary="List a class's roster",
    description="The active students by last name, the join code and the co-teachers (teachers and admins).",
)
def list_class_students(request: HttpRequest, class_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    roster = classroom_selectors.classroom_roster(actor=user, classroom_id=class_id)
    return {
        "class_id": roster.classroom.pk,
        "join_code": roster.join_code,
        "co_teachers": [_person(teacher) for teacher in roster.co_teachers],
        "students": [
            {
                "id": student.pk,
                "username": student.username,
                "name": student.name,
                "grade_level": student.grade_level,
                "last_login": student.last_login,
            }
            for student in roster.students
        ],
    }


@router.post(
    "/classes/{class_id}/students",
    response=responses({201: EnrolmentOut}, 404),
    operation_id="add_class_student",
    summary="Add a student to a class",
    description="Enrol an existing student of the school (again, if they were removed).",
)
def add_class_student(request: HttpRequest, class_id: PathId, payload: EnrolmentIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = lookups.visible_classroom(user, class_id)
    student = User.objects.filter(pk=payload.student_id, role=Role.STUDENT).first()
    if student is None:
        raise InvalidInputError(f"There is no student {payload.student_id}.", field="student_id")
    enrolment = classroom_services.enrollment_add(actor=user, classroom=classroom, student=student)
    return Status(201, _enrolment_body(enrolment))


@router.delete(
    "/classes/{class_id}/students/{student_id}",
    response=responses({200: EnrolmentOut}, 404),
    operation_id="remove_class_student",
    summary="Remove a student from a class",
    description="The enrolment is kept as removed, with the student's work, so it can be restored.",
)
def remove_class_student(request: HttpRequest, class_id: PathId, student_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = lookups.visible_classroom(user, class_id)
    student = lookups.any_student(student_id)
    return _enrolment_body(classroom_services.enrollment_remove(actor=user, classroom=classroom, student=student))


@router.post(
    "/classes/{class_id}/roster-import",
    response=responses({200: RosterImportOut}, 404),
    operation_id="import_roster",
    summary="Import a roster from CSV",
    description=(
        "Upload a CSV of students (first name, last name, e-mail or username, grade, optional parent "
        "e-mail). With `dry_run` true (the default) nothing changes and the answer is the plan row by "
        "row with every problem; with `dry_run` false the file is committed, or refused with 422 and "
        "the problems per row in `errors` as {row, column, message}. Committing the same file twice "
        "returns the first result."
    ),
)
def import_roster(
    request: HttpRequest,
    class_id: PathId,
    file: FileEx[UploadedFile, P(description="The roster as CSV (UTF-8, comma or semicolon separated).")],
    dry_run: FormEx[bool, P(description="Preview only; send false to commit.")] = True,
) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    classroom = lookups.visible_classroom(user, class_id)
    # The roster service refuses files over 2 MB; a bigger upload is never read whole into memory.
    file_bytes = file.read(ROSTER_READ_LIMIT)
    empty = {"rows": [], "errors": [], "new_students": []}
    if dry_run:
        report = classroom_services.roster_import_preview(actor=user, classroom=classroom, file_bytes=file_bytes)
        return {
            **empty,
            "dry_run": True,
            "is_valid": report.is_valid,
            "rows": [vars(row) for row in report.rows],
            "errors": [error.as_dict() for error in report.errors],
            "created_students": report.count("create"),
            "enrolled_existing": report.count("enrol"),
            "already_enrolled": report.count("already_enrolled"),
            "repeated": False,
        }
    result = classroom_services.roster_import_commit(actor=user, classroom=classroom, file_bytes=file_bytes)
    return {
        **empty,
        "dry_run": False,
        "is_valid": True,
        "created_students": result.roster_import.created_students,
        "enrolled_existing": result.enrolled_existing,
        "already_enrolled": result.already_enrolled,
        "repeated": result.repeated,
        "new_students": [vars(credential) for credential in result.new_students],
    }


@router.post(
    "/students/{student_id}/parent-invites",
    response=responses({201: ParentInviteOut}, 404),
    operation_id="create_parent_invite",
    summary="Create a parent invite code",
    description="A one-time code a parent types to link their account to this student (their teachers, admins).",
)
def create_parent_invite(request: HttpRequest, student_id: PathId) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    invite = classroom_services.parent_invite_create(actor=user, student=lookups.any_student(student_id))
    return Status(201, _invite_body(invite))


@router.get(
    "/students/{student_id}/parent-invites",
    response=responses({200: list[ParentInviteOut]}, 404),
    operation_id="list_parent_invites",
    summary="List a student's parent invite codes",
    description="Every invite made for the student, newest first, with who made and who used it.",
)
def list_parent_invites(request: HttpRequest, student_id: PathId) -> list[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    invites = classroom_selectors.student_parent_invites(actor=user, student=lookups.any_student(student_id))
    return [_invite_body(invite) for invite in invites.order_by("-created_at", "-pk")]
