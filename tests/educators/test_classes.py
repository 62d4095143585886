"""The class list, create/edit/archive, the class page (join code, add and remove students,
parent invites), who may see what, and a fixed query count."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.educators.conftest import enrol
from tests.factories import ClassroomFactory, EducatorFactory, EnrollmentFactory, SchoolFactory, StudentFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus, ParentInvite

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
Login = Callable[[User], Client]


def test_the_list_shows_only_my_classes_with_student_counts(login: Login, educator: User, classroom: Classroom) -> None:
    enrol(classroom, 3)
    ClassroomFactory(school=educator.school, name="Someone else's class")
    ClassroomFactory(school=educator.school, owner=educator, name="Old class", is_archived=True)

    response = login(educator).get(reverse("educators:class_list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "7B Science" in body
    assert classroom.join_code in body
    assert "Someone else's class" not in body
    assert "Old class" not in body
    assert '<td data-label="Students" class="numeric">3</td>' in body
    archived = login(educator).get(reverse("educators:class_list"), {"archived": "1"}).content.decode()
    assert "Old class" in archived
    assert "7B Science" not in archived


def test_an_educator_with_no_classes_is_told_to_create_one(login: Login, educator: User) -> None:
    body = login(educator).get(reverse("educators:class_list")).content.decode()
    assert "No classes yet" in body
    assert reverse("educators:class_create") in body


def test_creating_a_class_opens_its_page(login: Login, educator: User) -> None:
    response = login(educator).post(
        reverse("educators:class_create"), {"name": "8A History", "subject": "History", "grade_level": "8"}
    )

    classroom = Classroom.objects.get(name="8A History")
    assert classroom.owner == educator
    assert classroom.grade_level == "8"
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:class_detail", args=[classroom.pk])


def test_a_class_without_a_name_is_refused_with_the_error_by_the_field(login: Login, educator: User) -> None:
    response = login(educator).post(
        reverse("educators:class_create"), {"name": "", "subject": "History", "grade_level": "8"}
    )

    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert not Classroom.objects.exists()


def test_editing_a_class_saves_it(login: Login, educator: User, classroom: Classroom) -> None:
    response = login(educator).post(
        reverse("educators:class_edit", args=[classroom.pk]),
        {"name": "7C Science", "subject": "Biology", "grade_level": "7"},
    )

    classroom.refresh_from_db()
    assert response.status_code == 302
    assert (classroom.name, classroom.subject) == ("7C Science", "Biology")


def test_archiving_a_class_moves_it_to_the_archive(login: Login, educator: User, classroom: Classroom) -> None:
    response = login(educator).post(reverse("educators:class_archive", args=[classroom.pk]))

    classroom.refresh_from_db()
    assert response.status_code == 302
    assert classroom.is_archived


def test_archive_needs_a_post(login: Login, educator: User, classroom: Classroom) -> None:
    response = login(educator).get(reverse("educators:class_archive", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert response.status_code == 405
    assert not classroom.is_archived


@pytest.mark.parametrize(
    "name", ["class_detail", "class_edit", "roster_import", "gradebook", "gradebook_csv", "insights"]
)
def test_another_teachers_class_is_not_found(login: Login, educator: User, name: str) -> None:
    theirs = ClassroomFactory(school=educator.school)
    assert login(educator).get(reverse(f"educators:{name}", args=[theirs.pk])).status_code == 404


def test_another_teacher_cannot_archive_or_change_the_code(login: Login, educator: User) -> None:
    theirs = ClassroomFactory(school=educator.school)
    client = login(educator)
    assert client.post(reverse("educators:class_archive", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("educators:join_code_new", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_archived


@pytest.mark.parametrize("role_fixture", ["student", "parent"])
def test_students_and_parents_are_refused_the_educator_pages(
    request: pytest.FixtureRequest, login: Login, role_fixture: str, classroom: Classroom
) -> None:
    user = request.getfixturevalue(role_fixture)
    client = login(user)
    for url in (
        reverse("educators:home"),
        reverse("educators:class_list"),
        reverse("educators:class_detail", args=[classroom.pk]),
    ):
        assert client.get(url).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("educators:class_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_class_page_shows_the_roster_and_the_join_code(login: Login, educator: User, classroom: Classroom) -> None:
    students = enrol(classroom, 2)
    gone = EnrollmentFactory(classroom=classroom, status=EnrollmentStatus.REMOVED).student

    body = login(educator).get(reverse("educators:class_detail", args=[classroom.pk])).content.decode()

    assert classroom.join_code in body
    assert 'data-copy-target="#join-code"' in body
    assert all(student.username in body for student in students)
    assert gone.username not in body


def test_an_empty_class_says_how_students_get_in(login: Login, educator: User, classroom: Classroom) -> None:
    body = login(educator).get(reverse("educators:class_detail", args=[classroom.pk])).content.decode()
    assert "No students yet" in body
    assert reverse("educators:roster_import", args=[classroom.pk]) in body


def test_a_new_join_code_replaces_the_old_one_in_place(login: Login, educator: User, classroom: Classroom) -> None:
    old_code = classroom.join_code

    response = login(educator).post(reverse("educators:join_code_new", args=[classroom.pk]), headers=HTMX)

    classroom.refresh_from_db()
    body = response.content.decode()
    assert classroom.join_code != old_code
    assert response.status_code == 200
    assert classroom.join_code in body
    assert old_code not in body
    assert 'id="join-code-card"' in body
    assert "<html" not in body
    assert 'hx-swap-oob="true"' in body
    assert "New join code made" in body


def test_a_new_join_code_without_htmx_reloads_the_page(login: Login, educator: User, classroom: Classroom) -> None:
    response = login(educator).post(reverse("educators:join_code_new", args=[classroom.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:class_detail", args=[classroom.pk])


@pytest.mark.parametrize("typed", ["amara.okafor", "AMARA@school.example"])
def test_adding_a_student_of_the_school_by_username_or_email(
    login: Login, educator: User, classroom: Classroom, typed: str
) -> None:
    amara = StudentFactory(school=educator.school, username="amara.okafor", email="amara@school.example")

    response = login(educator).post(
        reverse("educators:student_add", args=[classroom.pk]), {"student": typed}, headers=HTMX
    )

    assert response.status_code == 200
    assert Enrollment.objects.filter(classroom=classroom, student=amara, status=EnrollmentStatus.ACTIVE).exists()
    body = response.content.decode()
    assert 'id="roster"' in body
    assert "amara.okafor" in body
    assert "<html" not in body


def test_a_student_of_another_school_cannot_be_added(login: Login, educator: User, classroom: Classroom) -> None:
    StudentFactory(school=SchoolFactory(), username="stranger")

    response = login(educator).post(reverse("educators:student_add", args=[classroom.pk]), {"student": "stranger"})

    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_student_error"' in body
    assert "No student of your school" in body
    assert not Enrollment.objects.filter(classroom=classroom).exists()


def test_removing_a_student_keeps_their_enrolment_as_removed(
    login: Login, educator: User, classroom: Classroom
) -> None:
    student = enrol(classroom, 1)[0]

    response = login(educator).post(reverse("educators:student_remove", args=[classroom.pk, student.pk]), headers=HTMX)

    assert response.status_code == 200
    assert student.username not in response.content.decode()
    assert Enrollment.objects.get(classroom=classroom, student=student).status == EnrollmentStatus.REMOVED


def test_removing_someone_not_in_the_class_is_not_found(login: Login, educator: User, classroom: Classroom) -> None:
    outsider = StudentFactory(school=educator.school)
    response = login(educator).post(reverse("educators:student_remove", args=[classroom.pk, outsider.pk]))
    assert response.status_code == 404


def test_parent_invite_codes_are_created_and_listed_for_printing(
    login: Login, educator: User, classroom: Classroom
) -> None:
    student = enrol(classroom, 1)[0]
    url = reverse("educators:parent_invites", args=[classroom.pk, student.pk])
    client = login(educator)

    assert "No invite codes yet" in client.get(url).content.decode()
    response = client.post(url)

    invite = ParentInvite.objects.get(student=student)
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert invite.code in body
    assert 'class="print-slip"' in body
    assert "Ready" in body


def test_parent_invites_for_a_student_of_another_class_are_not_found(
    login: Login, educator: User, classroom: Classroom
) -> None:
    other = EnrollmentFactory(classroom=ClassroomFactory(school=educator.school)).student
    client = login(educator)
    url = reverse("educators:parent_invites", args=[classroom.pk, other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not ParentInvite.objects.exists()


def test_a_co_teacher_sees_the_class(login: Login, classroom: Classroom) -> None:
    helper = EducatorFactory(school=classroom.school)
    classroom.co_teachers.add(helper)
    assert login(helper).get(reverse("educators:class_detail", args=[classroom.pk])).status_code == 200


@pytest.mark.parametrize("size", [10, 60])
def test_the_class_page_runs_a_fixed_number_of_queries(
    login: Login, educator: User, classroom: Classroom, size: int, django_assert_max_num_queries
) -> None:
    enrol(classroom, size)
    client = login(educator)
    url = reverse("educators:class_detail", args=[classroom.pk])
    with django_assert_max_num_queries(5):  # 1 of them: the navigation's review-queue count, while not cached
        response = client.get(url)
    assert response.status_code == 200
