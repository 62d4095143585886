from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from tests.factories import (
    AdminFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.classroom import ParentInviteFactory
from toolbox.accounts.models import School, User
from toolbox.classroom.models import EnrollmentStatus
from toolbox.classroom.selectors import (
    classroom_roster,
    educator_classrooms,
    student_classrooms,
    student_parent_invites,
)
from toolbox.errors import NotFoundError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("students", [10, 200])
def test_educator_classrooms_counts_active_students_in_one_query(
    educator: User, school: School, students: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    owned = ClassroomFactory(school=school, owner=educator, name="A owned")
    co_taught = ClassroomFactory(school=school, name="B co-taught")
    co_taught.co_teachers.add(educator, EducatorFactory(school=school))
    ClassroomFactory(school=school, owner=educator, name="C archived", is_archived=True)
    ClassroomFactory(school=school, name="D someone else's")
    EnrollmentFactory.create_batch(students, classroom=owned)
    EnrollmentFactory.create_batch(3, classroom=owned, status=EnrollmentStatus.REMOVED)
    EnrollmentFactory.create_batch(2, classroom=co_taught)

    with django_assert_max_num_queries(1):
        rows = [
            (classroom.name, classroom.active_student_count, classroom.owner.username)  # type: ignore[attr-defined]
            for classroom in educator_classrooms(educator=educator)
        ]

    assert rows == [("A owned", students, educator.username), ("B co-taught", 2, co_taught.owner.username)]
    assert [c.name for c in educator_classrooms(educator=educator, include_archived=True)] == [
        "A owned",
        "B co-taught",
        "C archived",
    ]


@pytest.mark.parametrize("students", [10, 200])
def test_classroom_roster_lists_active_students_by_last_name(
    educator: User, school: School, students: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    classroom = ClassroomFactory(school=school, owner=educator)
    classroom.co_teachers.add(EducatorFactory(school=school))
    for n in range(students):
        EnrollmentFactory(
            classroom=classroom,
            student=StudentFactory(school=school, last_name=f"Name{students - n:04d}"),
        )
    removed = EnrollmentFactory(classroom=classroom, status=EnrollmentStatus.REMOVED).student

    with django_assert_max_num_queries(3):
        roster = classroom_roster(actor=educator, classroom_id=classroom.pk)
        last_names = [student.last_name for student in roster.students]
        co_teachers = [teacher.username for teacher in roster.co_teachers]

    assert roster.join_code == classroom.join_code
    assert last_names == sorted(last_names)
    assert len(last_names) == students
    assert removed.pk not in {student.pk for student in roster.students}
    assert len(co_teachers) == 1


def test_classroom_roster_is_for_teachers_and_admins(educator: User, school: School, student: User) -> None:
    classroom = ClassroomFactory(school=school, owner=educator)
    EnrollmentFactory(classroom=classroom, student=student)

    assert classroom_roster(actor=AdminFactory(school=school), classroom_id=classroom.pk).students == [student]
    for outsider in (student, EducatorFactory(school=school), AdminFactory(school=SchoolFactory())):
        with pytest.raises(NotFoundError):
            classroom_roster(actor=outsider, classroom_id=classroom.pk)
    with pytest.raises(NotFoundError):
        classroom_roster(actor=educator, classroom_id=classroom.pk + 1000)


@pytest.mark.parametrize("classes", [3, 30])
def test_student_classrooms(
    student: User, school: School, classes: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(classes):
        EnrollmentFactory(classroom=ClassroomFactory(school=school, name=f"Class {n:03d}"), student=student)
    EnrollmentFactory(classroom=ClassroomFactory(school=school, name="Left"), student=student, status="removed")
    EnrollmentFactory(classroom=ClassroomFactory(school=school, name="Old", is_archived=True), student=student)

    with django_assert_max_num_queries(1):
        names = [(classroom.name, classroom.owner.username) for classroom in student_classrooms(student=student)]

    assert [name for name, _ in names] == [f"Class {n:03d}" for n in range(classes)]
    assert "Old" in {c.name for c in student_classrooms(student=student, include_archived=True)}


@pytest.mark.parametrize("invites", [2, 20])
def test_student_parent_invites(
    admin_user: User, student: User, invites: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    ParentInviteFactory.create_batch(invites, student=student, created_by=admin_user)
    ParentInviteFactory(student=StudentFactory(school=student.school))

    with django_assert_max_num_queries(1):
        rows = [
            (invite.code, invite.created_by) for invite in student_parent_invites(actor=admin_user, student=student)
        ]

    assert len(rows) == invites
    assert all(created_by == admin_user for _, created_by in rows)
    with pytest.raises(NotFoundError):
        student_parent_invites(actor=EducatorFactory(school=student.school), student=student)
