"""Writes for classes and enrolments: create, edit, archive, join codes, joining and leaving."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import CODE_ALPHABET, Classroom, Enrollment, EnrollmentStatus, GradeLevel
from toolbox.errors import ForbiddenError, InvalidInputError, NotFoundError

JOIN_CODE_LENGTH = 7
_CODE_ATTEMPTS = 10
_EDITABLE_FIELDS = frozenset({"name", "subject", "grade_level", "co_teachers"})


class ConflictingCodeError(RuntimeError):
    """Ten random codes in a row were taken: the code space is exhausted, which is a bug."""


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """People type codes with spaces, dashes and lower case; none of those are in the alphabet."""
    return "".join(character for character in code.upper() if character.isalnum())


def unused_join_code() -> str:
    for _ in range(_CODE_ATTEMPTS):
        code = random_code(JOIN_CODE_LENGTH)
        if not Classroom.objects.filter(join_code=code).exists():
            return code
    raise ConflictingCodeError


def _not_found_class() -> NotFoundError:
    return NotFoundError("This class does not exist, or you do not teach it.")


def _require_edit(actor: User, classroom: Classroom) -> None:
    if permissions.can_edit_classroom(actor, classroom):
        return
    if permissions.can_view_classroom(actor, classroom):
        raise ForbiddenError("Only the teachers of this class can change it.")
    raise _not_found_class()


def _clean_text(value: object, *, field: str, label: str, max_length: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInputError(f"Give the class a {label}.", field=field)
    if len(text) > max_length:
        raise InvalidInputError(f"The {label} can be at most {max_length} characters long.", field=field)
    return text


def _clean_grade(value: object) -> str:
    grade = str(value or "").strip().upper()
    if grade not in GradeLevel.values:
        raise InvalidInputError("The grade level must be K or a number from 1 to 12.", field="grade_level")
    return grade


def _clean_co_teachers(*, owner: User, school_id: int, co_teachers: Iterable[User]) -> list[User]:
    teachers = {teacher.pk: teacher for teacher in co_teachers if teacher.pk != owner.pk}
    for teacher in teachers.values():
        if teacher.role != Role.EDUCATOR or teacher.school_id != school_id:
            raise InvalidInputError(
                f"{teacher.name} cannot co-teach this class: co-teachers must be educators of the same school.",
                field="co_teachers",
            )
    return list(teachers.values())


def classroom_create(
    *, actor: User, name: str, subject: str, grade_level: str, co_teachers: Iterable[User] = ()
) -> Classroom:
    if not permissions.can_create_classroom(actor):
        raise ForbiddenError("Only educators and admins of a school can create classes.")
    assert actor.school_id is not None
    classroom = Classroom(
        school_id=actor.school_id,
        owner=actor,
        name=_clean_text(name, field="name", label="name", max_length=120),
        subject=_clean_text(subject, field="subject", label="subject", max_length=80),
        grade_level=_clean_grade(grade_level),
    )
    teachers = _clean_co_teachers(owner=actor, school_id=actor.school_id, co_teachers=co_teachers)
    for _ in range(_CODE_ATTEMPTS):
        classroom.join_code = unused_join_code()
        try:
            with transaction.atomic():
                classroom.save()
                classroom.co_teachers.set(teachers)
        except IntegrityError:
            # Another class took the same code between the check and the insert.
            classroom.pk = None
            continue
        return classroom
    raise ConflictingCodeError


def classroom_update(*, actor: User, classroom: Classroom, **fields: Any) -> Classroom:
    unknown = sorted(set(fields) - _EDITABLE_FIELDS)
    if unknown:
        raise InvalidInputError(f"These fields of a class cannot be changed here: {', '.join(unknown)}.")
    with transaction.atomic():
        locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
        _require_edit(actor, locked)
        if locked.is_archived:
            raise InvalidInputError("This class is archived; it can no longer be changed.")
        if "co_teachers" in fields and not permissions.can_choose_co_teachers(actor, locked):
            raise ForbiddenError("Only the owner of this class or an admin can choose its co-teachers.")
        if "name" in fields:
            locked.name = _clean_text(fields["name"], field="name", label="name", max_length=120)
        if "subject" in fields:
            locked.subject = _clean_text(fields["subject"], field="subject", label="subject", max_length=80)
        if "grade_level" in fields:
            locked.grade_level = _clean_grade(fields["grade_level"])
        locked.save()
        if "co_teachers" in fields:
            locked.co_teachers.set(
                _clean_co_teachers(owner=locked.owner, school_id=locked.school_id, co_teachers=fields["co_teachers"])
            )
    return locked


def classroom_archive(*, actor: User, classroom: Classroom) -> Classroom:
    with transaction.atomic():
        locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
        if not permissions.can_archive_classroom(actor, locked):
            if permissions.can_view_classroom(actor, locked):
                raise ForbiddenError("Only the owner of this class or an admin can archive it.")
            raise _not_found_class()
        if not locked.is_archived:
            locked.is_archived = True
            locked.save(update_fields=["is_archived", "updated_at"])
    return locked


def join_code_regenerate(*, actor: User, classroom: Classroom) -> str:
    for _ in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
                _require_edit(actor, locked)
                if locked.is_archived:
                    raise InvalidInputError("This class is archived; it has no join code to change.")
                locked.join_code = unused_join_code()
                locked.save(update_fields=["join_code", "updated_at"])
        except IntegrityError:
            continue
        classroom.join_code = locked.join_code
        return locked.join_code
    raise ConflictingCodeError


def _enrol(*, classroom: Classroom, student: User) -> Enrollment:
    """Active enrolment of the student, created or reactivated; idempotent."""
    enrollment = Enrollment.objects.select_for_update().filter(classroom=classroom, student=student).first()
    if enrollment is None:
        try:
            with transaction.atomic():
                return Enrollment.objects.create(classroom=classroom, student=student)
        except IntegrityError:
            # A simultaneous join of the same student won the insert; use its row.
            enrollment = Enrollment.objects.select_for_update().get(classroom=classroom, student=student)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        enrollment.status = EnrollmentStatus.ACTIVE
        enrollment.joined_at = timezone.now()
        enrollment.removed_at = None
        enrollment.save(update_fields=["status", "joined_at", "removed_at"])
    return enrollment


def classroom_join(*, student: User, code: str) -> Enrollment:
    if not permissions.can_join_classroom(student):
        raise ForbiddenError("Only students join classes with a code.")
    normalised = normalise_code(code)
    if not normalised:
        raise InvalidInputError("Type the class code your teacher gave you.", field="code")
    with transaction.atomic():
        # Another school's code answers as an unknown one does: saying that it belongs to a
        # class elsewhere would tell whoever guessed it that the code is real.
        classroom = (
            Classroom.objects.select_for_update().filter(join_code=normalised, school_id=student.school_id).first()
        )
        if classroom is None:
            raise NotFoundError(
                f"No class has the code “{normalised}”. Check the code with your teacher.", field="code"
            )
        if classroom.is_archived:
            raise InvalidInputError(f"{classroom.name} has been archived and no longer accepts students.", field="code")
        return _enrol(classroom=classroom, student=student)


def enrollment_add(*, actor: User, classroom: Classroom, student: User) -> Enrollment:
    with transaction.atomic():
        locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
        _require_edit(actor, locked)
        if locked.is_archived:
            raise InvalidInputError("This class is archived; students can no longer be added.")
        if student.role != Role.STUDENT or student.school_id != locked.school_id:
            raise InvalidInputError(
                f"{student.name} is not a student of this school, so cannot join this class.", field="student"
            )
        return _enrol(classroom=locked, student=student)


def enrollment_remove(*, actor: User, classroom: Classroom, student: User) -> Enrollment:
    with transaction.atomic():
        _require_edit(actor, classroom)
        enrollment = Enrollment.objects.select_for_update().filter(classroom=classroom, student=student).first()
        if enrollment is None:
            raise NotFoundError(f"{student.name} is not enrolled in {classroom.name}.", field="student")
        if enrollment.status != EnrollmentStatus.REMOVED:
            enrollment.status = EnrollmentStatus.REMOVED
            enrollment.removed_at = timezone.now()
            enrollment.save(update_fields=["status", "removed_at"])
    return enrollment
