from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ClassroomFactory, EnrollmentFactory
from tests.factories.classroom import ParentInviteFactory, SetPasswordLinkFactory
from toolbox.accounts.models import School, User
from toolbox.classroom.models import CODE_ALPHABET, Classroom, Enrollment, RosterImport

pytestmark = pytest.mark.django_db

MODELS = ["classroom", "enrollment", "parentinvite", "setpasswordlink", "rosterimport"]


@pytest.fixture
def classroom(educator: User, school: School) -> Classroom:
    classroom = ClassroomFactory(school=school, owner=educator)
    EnrollmentFactory(classroom=classroom)
    return classroom


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_every_classroom_model(
    login: Callable[[User], Client], admin_user: User, classroom: Classroom, model: str
) -> None:
    student = Enrollment.objects.get(classroom=classroom).student
    ParentInviteFactory(student=student)
    SetPasswordLinkFactory(user=student)
    RosterImport.objects.create(
        classroom=classroom,
        imported_by=admin_user,
        file_sha256="a" * 64,
        rows=1,
        created_students=1,
        enrolled_existing=0,
    )
    client = login(admin_user)

    listing = client.get(reverse(f"admin:classroom_{model}_changelist"), {"q": "a"})

    assert listing.status_code == 200


def test_admin_opens_a_class_with_its_enrolments(
    login: Callable[[User], Client], admin_user: User, classroom: Classroom
) -> None:
    response = login(admin_user).get(reverse("admin:classroom_classroom_change", args=[classroom.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="enrollments-TOTAL_FORMS" value="1"' in page
    assert str(Enrollment.objects.get(classroom=classroom).student) in page


def test_admin_archives_classes_with_the_action(
    login: Callable[[User], Client], admin_user: User, classroom: Classroom
) -> None:
    response = login(admin_user).post(
        reverse("admin:classroom_classroom_changelist"),
        {"action": "archive_classrooms", "_selected_action": [classroom.pk]},
        follow=True,
    )

    assert response.status_code == 200
    classroom.refresh_from_db()
    assert classroom.is_archived
    assert "Archived 1 class." in response.content.decode()


def test_roster_imports_and_set_password_tokens_are_read_only(
    login: Callable[[User], Client], admin_user: User, classroom: Classroom
) -> None:
    link = SetPasswordLinkFactory(user=Enrollment.objects.get(classroom=classroom).student)
    client = login(admin_user)

    assert client.get(reverse("admin:classroom_rosterimport_add")).status_code == 403
    assert client.get(reverse("admin:classroom_setpasswordlink_add")).status_code == 403
    page = client.get(reverse("admin:classroom_setpasswordlink_change", args=[link.pk])).content.decode()
    assert 'name="token"' not in page
    assert link.token in page


@pytest.mark.parametrize("role_fixture", ["educator", "student", "parent"])
def test_other_roles_are_refused(
    login: Callable[[User], Client], request: pytest.FixtureRequest, role_fixture: str
) -> None:
    user: User = request.getfixturevalue(role_fixture)

    response = login(user).get(reverse("admin:classroom_classroom_changelist"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_adds_a_class_with_a_drawn_join_code(
    login: Callable[[User], Client], admin_user: User, educator: User, school: School
) -> None:
    response = login(admin_user).post(
        reverse("admin:classroom_classroom_add"),
        {
            "school": school.pk,
            "name": "Geography 5",
            "subject": "Geography",
            "grade_level": "5",
            "owner": educator.pk,
            "enrollments-TOTAL_FORMS": "0",
            "enrollments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    classroom = Classroom.objects.get(name="Geography 5")
    assert len(classroom.join_code) == 7
    assert set(classroom.join_code) <= set(CODE_ALPHABET)


def test_admin_regenerates_join_codes_with_the_action(
    login: Callable[[User], Client], admin_user: User, classroom: Classroom
) -> None:
    old_code = classroom.join_code

    response = login(admin_user).post(
        reverse("admin:classroom_classroom_changelist"),
        {"action": "regenerate_join_codes", "_selected_action": [classroom.pk]},
        follow=True,
    )

    classroom.refresh_from_db()
    assert classroom.join_code != old_code
    assert f"the new join code is {classroom.join_code}" in response.content.decode()
