from __future__ import annotations

from unittest import mock

import pytest

from tests.factories import (
    AdminFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts.models import School, User
from toolbox.classroom.models import CODE_ALPHABET, Classroom, Enrollment, EnrollmentStatus
from toolbox.classroom.services import (
    classroom_archive,
    classroom_create,
    classroom_join,
    classroom_update,
    enrollment_add,
    enrollment_remove,
    join_code_regenerate,
)
from toolbox.errors import DomainError, ForbiddenError, InvalidInputError, NotFoundError

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(educator: User) -> Classroom:
    return ClassroomFactory(school=educator.school, owner=educator)


def test_create_gives_a_seven_character_code_from_the_unambiguous_alphabet(educator: User, school: School) -> None:
    colleague = EducatorFactory(school=school)

    classroom = classroom_create(
        actor=educator, name=" Biology 7B ", subject="Science", grade_level="k", co_teachers=[colleague, educator]
    )

    assert classroom.school_id == school.pk
    assert classroom.owner_id == educator.pk
    assert classroom.name == "Biology 7B"
    assert classroom.grade_level == "K"
    assert len(classroom.join_code) == 7
    assert set(classroom.join_code) <= set(CODE_ALPHABET)
    assert list(classroom.co_teachers.all()) == [colleague]


def test_create_retries_when_a_code_is_taken(educator: User) -> None:
    taken = ClassroomFactory(school=educator.school, join_code="AAAAAAA")
    draws = iter(["AAAAAAA", "BBBBBBB"])

    with mock.patch("toolbox.classroom.services.classrooms.random_code", side_effect=lambda length: next(draws)):
        classroom = classroom_create(actor=educator, name="Physics", subject="Science", grade_level="8")

    assert classroom.join_code == "BBBBBBB"
    assert taken.join_code == "AAAAAAA"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"subject": ""}, "subject"),
        ({"grade_level": "13"}, "grade_level"),
        ({"name": "x" * 121}, "name"),
    ],
)
def test_create_refuses_bad_fields(educator: User, fields: dict[str, str], field: str) -> None:
    values = {"name": "Physics", "subject": "Science", "grade_level": "8"} | fields

    with pytest.raises(InvalidInputError) as raised:
        classroom_create(
            actor=educator, name=values["name"], subject=values["subject"], grade_level=values["grade_level"]
        )

    assert raised.value.field == field
    assert not Classroom.objects.exists()


def test_create_refuses_a_co_teacher_from_another_school(educator: User) -> None:
    stranger = EducatorFactory(school=SchoolFactory())

    with pytest.raises(InvalidInputError, match="same school"):
        classroom_create(actor=educator, name="Physics", subject="Science", grade_level="8", co_teachers=[stranger])

    assert not Classroom.objects.exists()


@pytest.mark.parametrize("factory", [StudentFactory, ParentFactory])
def test_only_educators_and_admins_create_classes(school: School, factory: type[StudentFactory]) -> None:
    with pytest.raises(ForbiddenError):
        classroom_create(actor=factory(school=school), name="Physics", subject="Science", grade_level="8")


def test_an_admin_creates_a_class(admin_user: User) -> None:
    assert classroom_create(actor=admin_user, name="Art", subject="Art", grade_level="3").owner_id == admin_user.pk


def test_update_changes_the_allowed_fields(classroom: Classroom, school: School) -> None:
    co_teacher = EducatorFactory(school=school)

    updated = classroom_update(
        actor=classroom.owner, classroom=classroom, name="Chemistry", grade_level="9", co_teachers=[co_teacher]
    )

    classroom.refresh_from_db()
    assert (updated.name, classroom.name, classroom.grade_level) == ("Chemistry", "Chemistry", "9")
    assert list(classroom.co_teachers.all()) == [co_teacher]


def test_a_co_teacher_may_update(classroom: Classroom, school: School) -> None:
    co_teacher = EducatorFactory(school=school)
    classroom.co_teachers.add(co_teacher)

    classroom_update(actor=co_teacher, classroom=classroom, subject="Maths")

    classroom.refresh_from_db()
    assert classroom.subject == "Maths"


def test_update_refuses_unknown_fields_and_strangers(classroom: Classroom, school: School) -> None:
    with pytest.raises(InvalidInputError, match="join_code"):
        classroom_update(actor=classroom.owner, classroom=classroom, join_code="ZZZZZZZ")
    with pytest.raises(NotFoundError):
        classroom_update(actor=EducatorFactory(school=school), classroom=classroom, name="Mine")
    enrolled = EnrollmentFactory(classroom=classroom).student
    with pytest.raises(ForbiddenError):
        classroom_update(actor=enrolled, classroom=classroom, name="Ours")
    classroom.refresh_from_db()
    assert classroom.join_code != "ZZZZZZZ"
    assert classroom.name not in ("Mine", "Ours")


def test_archive_by_owner_or_admin_only(classroom: Classroom, school: School, admin_user: User) -> None:
    co_teacher = EducatorFactory(school=school)
    classroom.co_teachers.add(co_teacher)

    with pytest.raises(ForbiddenError, match="owner"):
        classroom_archive(actor=co_teacher, classroom=classroom)
    with pytest.raises(NotFoundError):
        classroom_archive(actor=AdminFactory(school=SchoolFactory()), classroom=classroom)
    classroom.refresh_from_db()
    assert not classroom.is_archived

    assert classroom_archive(actor=admin_user, classroom=classroom).is_archived
    assert classroom_archive(actor=classroom.owner, classroom=classroom).is_archived


def test_an_archived_class_cannot_be_changed(classroom: Classroom) -> None:
    classroom_archive(actor=classroom.owner, classroom=classroom)

    with pytest.raises(InvalidInputError, match="archived"):
        classroom_update(actor=classroom.owner, classroom=classroom, name="Later")
    with pytest.raises(InvalidInputError, match="archived"):
        join_code_regenerate(actor=classroom.owner, classroom=classroom)


def test_regenerate_replaces_the_code_and_the_old_one_stops_working(classroom: Classroom, student: User) -> None:
    old_code = classroom.join_code

    new_code = join_code_regenerate(actor=classroom.owner, classroom=classroom)

    classroom.refresh_from_db()
    assert new_code == classroom.join_code != old_code
    assert len(new_code) == 7
    with pytest.raises(NotFoundError):
        classroom_join(student=student, code=old_code)
    assert classroom_join(student=student, code=new_code).classroom_id == classroom.pk


def test_regenerate_is_for_teachers(classroom: Classroom, student: User) -> None:
    with pytest.raises(NotFoundError):
        join_code_regenerate(actor=student, classroom=classroom)


def test_join_with_a_code_typed_loosely(classroom: Classroom, student: User) -> None:
    code = classroom.join_code
    typed = f" {code[:3].lower()}-{code[3:]} "

    enrollment = classroom_join(student=student, code=typed)

    assert (enrollment.classroom_id, enrollment.student_id, enrollment.status) == (
        classroom.pk,
        student.pk,
        EnrollmentStatus.ACTIVE,
    )


def test_joining_twice_is_one_enrolment(classroom: Classroom, student: User) -> None:
    first = classroom_join(student=student, code=classroom.join_code)
    second = classroom_join(student=student, code=classroom.join_code)

    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_a_removed_student_who_rejoins_is_reactivated(classroom: Classroom, student: User) -> None:
    first = classroom_join(student=student, code=classroom.join_code)
    enrollment_remove(actor=classroom.owner, classroom=classroom, student=student)

    again = classroom_join(student=student, code=classroom.join_code)

    assert again.pk == first.pk
    assert again.status == EnrollmentStatus.ACTIVE
    assert again.removed_at is None
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "error", "message"),
    [("", InvalidInputError, "Type the class code"), ("ZZZZZZZ", NotFoundError, "No class has the code “ZZZZZZZ”")],
)
def test_join_with_a_wrong_code(student: User, code: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        classroom_join(student=student, code=code)
    assert not Enrollment.objects.exists()


def test_join_an_archived_class(classroom: Classroom, student: User) -> None:
    classroom_archive(actor=classroom.owner, classroom=classroom)

    with pytest.raises(InvalidInputError, match="archived and no longer accepts students"):
        classroom_join(student=student, code=classroom.join_code)
    assert not Enrollment.objects.exists()


def test_a_code_of_another_schools_class_answers_as_an_unknown_code_does(classroom: Classroom) -> None:
    """Whoever guesses another school's code must not learn that it is a real one."""
    outsider = StudentFactory(school=SchoolFactory())
    answers = []
    for code in (classroom.join_code, "ZZZZZZZ"):
        with pytest.raises(DomainError) as refused:
            classroom_join(student=outsider, code=code)
        error = refused.value
        answers.append((type(error), error.message.replace(code, "<code>"), error.field, error.errors))

    assert answers[0] == answers[1]
    assert answers[0][:2] == (NotFoundError, "No class has the code “<code>”. Check the code with your teacher.")
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("factory", [EducatorFactory, ParentFactory])
def test_only_students_join_with_a_code(classroom: Classroom, school: School, factory: type[EducatorFactory]) -> None:
    with pytest.raises(ForbiddenError):
        classroom_join(student=factory(school=school), code=classroom.join_code)


def test_enrollment_add_and_remove(classroom: Classroom, student: User) -> None:
    added = enrollment_add(actor=classroom.owner, classroom=classroom, student=student)
    assert added.status == EnrollmentStatus.ACTIVE

    removed = enrollment_remove(actor=classroom.owner, classroom=classroom, student=student)

    assert removed.pk == added.pk
    assert removed.status == EnrollmentStatus.REMOVED
    assert removed.removed_at is not None
    again = enrollment_add(actor=classroom.owner, classroom=classroom, student=student)
    assert (again.pk, again.status) == (added.pk, EnrollmentStatus.ACTIVE)


def test_enrollment_add_refuses_outsiders_and_non_students(classroom: Classroom, school: School) -> None:
    with pytest.raises(InvalidInputError, match="not a student of this school"):
        enrollment_add(actor=classroom.owner, classroom=classroom, student=StudentFactory(school=SchoolFactory()))
    with pytest.raises(InvalidInputError, match="not a student of this school"):
        enrollment_add(actor=classroom.owner, classroom=classroom, student=ParentFactory(school=school))
    assert not Enrollment.objects.exists()


def test_enrollment_add_and_remove_need_a_teacher_of_the_class(classroom: Classroom, student: User) -> None:
    other_teacher = EducatorFactory(school=classroom.school)
    with pytest.raises(NotFoundError):
        enrollment_add(actor=other_teacher, classroom=classroom, student=student)
    EnrollmentFactory(classroom=classroom, student=student)
    with pytest.raises(NotFoundError):
        enrollment_remove(actor=other_teacher, classroom=classroom, student=student)
    assert Enrollment.objects.get().status == EnrollmentStatus.ACTIVE


def test_enrollment_remove_of_a_student_not_in_the_class(classroom: Classroom, student: User) -> None:
    with pytest.raises(NotFoundError, match="is not enrolled"):
        enrollment_remove(actor=classroom.owner, classroom=classroom, student=student)
