"""The role rules: who may see and change what. Objects of another school or class stay
hidden; a deactivated user may do nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    LessonFactory,
    ParentFactory,
    ParentLinkFactory,
    QuizFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob
from toolbox.classroom.models import Classroom
from toolbox.learning.models import Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom() -> Classroom:
    return ClassroomFactory()


@pytest.fixture
def enrolled(classroom: Classroom) -> User:
    return EnrollmentFactory(classroom=classroom).student


def test_anonymous_and_deactivated_users_have_no_role() -> None:
    assert not permissions.is_student(AnonymousUser())
    assert not permissions.is_student(None)
    assert not permissions.is_student(StudentFactory(is_active=False))
    assert permissions.is_student(StudentFactory())


def test_only_the_admin_role_uses_the_admin_site() -> None:
    assert permissions.can_use_admin_site(AdminFactory())
    for factory in (StudentFactory, EducatorFactory, ParentFactory):
        assert not permissions.can_use_admin_site(factory())


def test_admins_manage_their_own_school_and_a_schoolless_admin_every_school() -> None:
    school, other = SchoolFactory(), SchoolFactory()
    assert permissions.can_manage_school(AdminFactory(school=school), school.pk)
    assert not permissions.can_manage_school(AdminFactory(school=school), other.pk)
    assert permissions.can_manage_school(AdminFactory(school=None), other.pk)
    assert not permissions.can_manage_school(EducatorFactory(school=school), school.pk)


def test_classroom_rules(classroom: Classroom, enrolled: User) -> None:
    owner = classroom.owner
    co_teacher = EducatorFactory(school=classroom.school)
    classroom.co_teachers.add(co_teacher)
    stranger = EducatorFactory(school=classroom.school)
    admin = AdminFactory(school=classroom.school)

    assert permissions.can_create_classroom(owner)
    assert not permissions.can_create_classroom(EducatorFactory(school=None))
    assert permissions.teaches(owner, classroom)
    assert permissions.teaches(co_teacher, classroom)
    assert not permissions.teaches(stranger, classroom)
    assert permissions.can_view_classroom(enrolled, classroom)
    assert not permissions.can_view_classroom(StudentFactory(school=classroom.school), classroom)
    assert not permissions.can_view_classroom(ParentFactory(), classroom)
    assert permissions.can_edit_classroom(co_teacher, classroom)
    assert permissions.can_edit_classroom(admin, classroom)
    assert not permissions.can_edit_classroom(stranger, classroom)
    assert permissions.can_archive_classroom(owner, classroom)
    assert not permissions.can_archive_classroom(co_teacher, classroom)
    assert permissions.can_archive_classroom(admin, classroom)
    assert permissions.can_join_classroom(enrolled)
    assert not permissions.can_join_classroom(owner)
    assert permissions.can_assign(owner, classroom)


def test_classrooms_visible_to_each_role(classroom: Classroom, enrolled: User) -> None:
    elsewhere = ClassroomFactory()
    everything = Classroom.objects.all()

    assert list(permissions.classrooms_visible_to(classroom.owner, everything)) == [classroom]
    assert list(permissions.classrooms_visible_to(enrolled, everything)) == [classroom]
    assert list(permissions.classrooms_visible_to(AdminFactory(school=classroom.school), everything)) == [classroom]
    assert set(permissions.classrooms_visible_to(AdminFactory(school=None), everything)) == {classroom, elsewhere}
    assert list(permissions.classrooms_visible_to(ParentFactory(), everything)) == []


def test_student_rules(classroom: Classroom, enrolled: User) -> None:
    linked_parent = ParentLinkFactory(student=enrolled, can_view_grades=False).parent
    other_parent = ParentFactory()

    assert permissions.can_view_student(enrolled, enrolled)
    assert permissions.can_view_student(classroom.owner, enrolled)
    assert not permissions.can_view_student(EducatorFactory(school=classroom.school), enrolled)
    assert permissions.can_view_student(linked_parent, enrolled)
    assert not permissions.can_view_student(other_parent, enrolled)
    assert permissions.can_view_student(AdminFactory(school=classroom.school), enrolled)
    assert not permissions.can_view_student(classroom.owner, classroom.owner)
    assert not permissions.can_view_student(AnonymousUser(), enrolled)
    assert not permissions.can_view_student_grades(linked_parent, enrolled)
    assert permissions.can_view_student_grades(classroom.owner, enrolled)
    assert permissions.can_manage_student(classroom.owner, enrolled)
    assert not permissions.can_manage_student(linked_parent, enrolled)
    assert permissions.can_link_child(other_parent)
    assert list(permissions.children_of(linked_parent)) == [enrolled]
    assert list(permissions.children_of(enrolled)) == []
    assert permissions.parent_link_for(enrolled, enrolled) is None


def test_content_rules(classroom: Classroom, enrolled: User) -> None:
    school = classroom.school
    draft = LessonFactory(school=school, status="draft")
    published = QuizFactory(school=school)
    AssignmentFactory(classroom=classroom, quiz=published)
    unassigned = QuizFactory(school=school)
    educator = EducatorFactory(school=school)
    outsider = EducatorFactory()

    assert permissions.can_author_content(educator)
    assert not permissions.can_author_content(enrolled)
    assert permissions.can_view_content(educator, draft)
    assert not permissions.can_view_content(outsider, draft)
    assert permissions.can_view_content(AdminFactory(school=school), draft)
    assert permissions.can_view_content(enrolled, published)
    assert not permissions.can_view_content(enrolled, unassigned)
    assert not permissions.can_view_content(enrolled, draft)
    assert permissions.can_edit_content(educator, draft)
    assert not permissions.can_edit_content(educator, published)
    assert not permissions.can_edit_content(outsider, draft)
    assert permissions.can_edit_content(AdminFactory(school=school), draft)
    assert permissions.can_submit_for_review(educator, draft)
    assert permissions.can_review_content(educator, draft)
    assert not permissions.can_review_content(outsider, draft)
    assert permissions.can_review_content(AdminFactory(school=school), draft)
    assert permissions.can_archive_content(educator, published)


def test_assignment_and_attempt_rules(classroom: Classroom, enrolled: User) -> None:
    assignment = AssignmentFactory(classroom=classroom)
    attempt = Attempt.objects.create(assignment=assignment, student=enrolled, number=1, started_at=timezone.now())
    parent = ParentLinkFactory(student=enrolled).parent

    assert permissions.can_view_assignment(enrolled, assignment)
    assert permissions.can_attempt(enrolled, assignment)
    assert not permissions.can_attempt(classroom.owner, assignment)
    assert permissions.can_view_attempt(enrolled, attempt)
    assert not permissions.can_view_attempt(StudentFactory(school=classroom.school), attempt)
    assert permissions.can_view_attempt(classroom.owner, attempt)
    assert permissions.can_view_attempt(parent, attempt)
    assert permissions.can_view_attempt(AdminFactory(school=classroom.school), attempt)
    assert permissions.can_grade_attempt(classroom.owner, attempt)
    assert not permissions.can_grade_attempt(EducatorFactory(school=classroom.school), attempt)
    assert permissions.can_grade_attempt(AdminFactory(school=classroom.school), attempt)


def test_generation_job_rules() -> None:
    educator = EducatorFactory()
    job = GenerationJob.objects.create(school=educator.school, created_by=educator, kind="lesson")

    assert permissions.can_request_generation(educator)
    assert permissions.can_view_generation_job(educator, job)
    assert not permissions.can_view_generation_job(EducatorFactory(school=educator.school), job)
    assert permissions.can_view_generation_job(AdminFactory(school=educator.school), job)


@pytest.mark.django_db
def test_the_teacher_of_an_archived_class_no_longer_manages_its_students() -> None:
    from tests.factories import ClassroomFactory, EnrollmentFactory
    from toolbox.accounts import permissions

    enrollment = EnrollmentFactory(classroom=ClassroomFactory())
    teacher = enrollment.classroom.owner
    assert permissions.can_manage_student(teacher, enrollment.student)

    enrollment.classroom.is_archived = True
    enrollment.classroom.save()

    assert not permissions.can_manage_student(teacher, enrollment.student)
