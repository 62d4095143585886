"""`manage.py seed_demo`: every role's login, and a second run changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from toolbox.accounts.models import ROLE_HOME_URLS, ParentLink, Role, School, User
from toolbox.classroom.models import Classroom, Enrollment
from toolbox.learning.demo.people import DEMO_LOGINS, DemoLogin


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label != "sessions.Session"
    }


@pytest.mark.django_db
def test_running_seed_demo_twice_leaves_the_same_rows() -> None:
    call_command("seed_demo", students=30, verbosity=0)
    first = _row_counts()
    first_users = set(User.objects.values_list("username", "role", "school_id", "password"))

    call_command("seed_demo", students=30, verbosity=0)

    assert _row_counts() == first
    assert set(User.objects.values_list("username", "role", "school_id", "password")) == first_users


@pytest.mark.django_db
def test_seed_demo_creates_one_school_every_role_two_classes_and_a_linked_parent() -> None:
    call_command("seed_demo", students=0, verbosity=0)

    assert School.objects.count() == 1
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Classroom.objects.count() >= 2
    for classroom in Classroom.objects.all()[:2]:
        assert Enrollment.objects.filter(classroom=classroom).exists()
    assert ParentLink.objects.filter(parent__username="parent", student__username="student").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("students", [10, 60])
def test_the_students_option_scales_the_school(students: int) -> None:
    call_command("seed_demo", students=students, verbosity=0)

    generated = User.objects.filter(role=Role.STUDENT, username__startswith="student0")
    assert generated.count() == students
    assert Enrollment.objects.filter(student__in=generated).count() == students
    assert Classroom.objects.count() == max(2, -(-students // 25))


@pytest.mark.django_db
def test_negative_students_are_refused() -> None:
    with pytest.raises(CommandError, match="--students must be zero or more"):
        call_command("seed_demo", students=-1, verbosity=0)
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_every_demo_login_lands_on_its_home(client: Client, login: DemoLogin) -> None:
    call_command("seed_demo", students=0, verbosity=0)

    response = client.post("/accounts/login/", {"username": login.username, "password": login.password}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == ROLE_HOME_URLS[login.role]
