"""Reads of the classroom app, each in a fixed number of queries whatever the class size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, EnrollmentStatus, ParentInvite
from toolbox.errors import NotFoundError


def educator_classrooms(*, educator: User, include_archived: bool = False) -> QuerySet[Classroom]:
    """Classes the educator owns or co-teaches, each annotated with `active_student_count`.
    One query."""
    co_taught = Classroom.co_teachers.through.objects.filter(user_id=educator.pk).values("classroom_id")
    classrooms = Classroom.objects.filter(Q(owner_id=educator.pk) | Q(pk__in=co_taught))
    if not include_archived:
        classrooms = classrooms.filter(is_archived=False)
    return (
        classrooms.select_related("owner")
        .annotate(active_student_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE)))
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class ClassroomRoster:
    classroom: Classroom
    join_code: str
    students: list[User]
    co_teachers: list[User]


def classroom_roster(*, actor: User, classroom_id: int) -> ClassroomRoster:
    """A class with its active students (by last name) and its join code, for its teachers
    and admins."""
    classroom = (
        Classroom.objects.select_related("owner", "school").prefetch_related("co_teachers").filter(pk=classroom_id)
    ).first()
    if classroom is None or not permissions.can_edit_classroom(actor, classroom):
        raise NotFoundError("This class does not exist, or you do not teach it.")
    students = list(
        User.objects.filter(enrollments__classroom_id=classroom.pk, enrollments__status=EnrollmentStatus.ACTIVE)
        .order_by("last_name", "first_name", "username")
        .only("id", "username", "first_name", "last_name", "display_name", "email", "grade_level", "last_login")
    )
    return ClassroomRoster(
        classroom=classroom,
        join_code=classroom.join_code,
        students=students,
        co_teachers=list(classroom.co_teachers.all()),
    )


def student_classrooms(*, student: User, include_archived: bool = False) -> QuerySet[Classroom]:
    """The classes a student is actively enrolled in. One query."""
    classrooms = Classroom.objects.filter(
        enrollments__student_id=student.pk, enrollments__status=EnrollmentStatus.ACTIVE
    )
    if not include_archived:
        classrooms = classrooms.filter(is_archived=False)
    return classrooms.select_related("owner").order_by("name", "pk")


def student_parent_invites(*, actor: User, student: User) -> QuerySet[ParentInvite]:
    """The parent invites made for a student, newest first, with who made and who used them."""
    if not permissions.can_manage_student(actor, student):
        raise NotFoundError("This student does not exist, or you do not teach them.")
    return ParentInvite.objects.filter(student_id=student.pk).select_related("created_by", "redeemed_by")
