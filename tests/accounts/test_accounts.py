"""Accounts' models and services: schools, names, parent links, digests, Clerk sync races,
the housekeeping task, and the styled error pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import EducatorFactory, ParentFactory, SchoolFactory, StudentFactory
from toolbox.accounts.models import AuditEvent, ParentLink, Role, User
from toolbox.accounts.services import (
    clerk_user_first_sight,
    clerk_user_sync,
    parent_digest_preference_set,
    parent_link_create,
)
from toolbox.accounts.tasks import clear_expired_sessions
from toolbox.errors import ConflictError, InvalidInputError

pytestmark = pytest.mark.django_db


def test_a_school_knows_its_time_zone_and_refuses_unknown_ones() -> None:
    school = SchoolFactory(name="Riverside", time_zone="Europe/London")

    assert str(school) == "Riverside"
    assert school.tzinfo.key == "Europe/London"
    school.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError, match="not a time zone name"):
        school.full_clean()


def test_a_user_is_named_by_display_name_then_full_name_then_username() -> None:
    user = StudentFactory(username="sam7", first_name="Sam", last_name="Lee", display_name="")

    assert str(user) == "Sam Lee"
    user.display_name = "Sammy"
    assert user.name == "Sammy"
    user.display_name = user.first_name = user.last_name = ""
    assert user.name == "sam7"


def test_role_properties_and_homes() -> None:
    student, educator, parent = StudentFactory(), EducatorFactory(), ParentFactory()

    assert (student.is_student, educator.is_educator, parent.is_parent) == (True, True, True)
    assert not student.is_admin_role
    assert (student.home_url, educator.home_url, parent.home_url) == ("/student/", "/educator/", "/parent/")


def test_createsuperuser_makes_an_admin_with_staff_rights() -> None:
    user = User.objects.create_superuser("root", "root@example.test", "Root-Password-1")

    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


def test_parent_link_clean_refuses_wrong_roles() -> None:
    with pytest.raises(ValidationError):
        ParentLink(parent=StudentFactory(), student=StudentFactory()).clean()
    with pytest.raises(ValidationError):
        ParentLink(parent=ParentFactory(), student=EducatorFactory()).clean()


def test_parent_link_create_links_once_and_audits() -> None:
    parent, student = ParentFactory(), StudentFactory()

    link = parent_link_create(parent=parent, student=student, can_view_grades=False)

    assert str(link) == f"{parent} → {student}"
    assert not link.can_view_grades
    assert AuditEvent.objects.filter(action="parent_link.created", actor=parent).count() == 1
    with pytest.raises(ConflictError):
        parent_link_create(parent=parent, student=student)
    assert ParentLink.objects.count() == 1


@pytest.mark.parametrize(
    ("parent_factory", "student_factory"), [(StudentFactory, StudentFactory), (ParentFactory, ParentFactory)]
)
def test_parent_link_create_refuses_wrong_roles(parent_factory, student_factory) -> None:
    with pytest.raises(InvalidInputError):
        parent_link_create(parent=parent_factory(), student=student_factory())
    assert not ParentLink.objects.exists()


def test_parent_digest_preference() -> None:
    parent = ParentFactory(digest_opt_in=True)

    parent_digest_preference_set(parent=parent, enabled=False)

    parent.refresh_from_db()
    assert parent.digest_opt_in is False
    with pytest.raises(InvalidInputError):
        parent_digest_preference_set(parent=StudentFactory(), enabled=False)


def test_clerk_first_sight_places_the_user_in_the_only_school_or_the_named_one() -> None:
    only = SchoolFactory(slug="only")
    user = clerk_user_first_sight(clerk_user_id="user_a", email="a@example.test")
    assert user.school == only
    assert user.username == "a"

    other = SchoolFactory(slug="hill")
    named = clerk_user_first_sight(clerk_user_id="user_b", public_metadata={"school": "hill"})
    unplaced = clerk_user_first_sight(clerk_user_id="user_c")
    assert named.school == other
    assert unplaced.school is None
    assert unplaced.username == "user_c"


def test_clerk_usernames_never_collide() -> None:
    StudentFactory(username="ada")

    user = clerk_user_sync(clerk_user_id="user_ada", username="ada")

    assert user.username == "ada2"


def test_clerk_first_sight_returns_an_existing_user_unchanged() -> None:
    existing = EducatorFactory(clerk_user_id="user_x", first_name="Old")

    user = clerk_user_first_sight(clerk_user_id="user_x", first_name="New", public_metadata={"role": "parent"})

    assert user.pk == existing.pk
    assert (user.first_name, user.role) == ("Old", Role.EDUCATOR)


def test_clearing_expired_sessions_keeps_live_ones() -> None:
    Session.objects.create(session_key="old", session_data="e30=", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="e30=", expire_date=timezone.now() + timedelta(days=1))

    assert clear_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_a_missing_page_renders_the_styled_404_with_the_request_id(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-404-abcdef")

    assert response.status_code == 404
    assert "errors/404.html" in [template.name for template in response.templates]
    assert b"trace-404-abcdef" in response.content


def test_a_role_refusal_renders_the_styled_403(client: Client) -> None:
    client.force_login(StudentFactory(), backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/educator/")

    assert response.status_code == 403
    assert "errors/403.html" in [template.name for template in response.templates]


def test_the_500_page_renders_without_the_database(rf) -> None:
    from toolbox.accounts.errors import bad_request, server_error

    request = rf.get("/")
    request.request_id = "trace-500-abcdef"

    response = server_error(request)

    assert response.status_code == 500
    assert b"trace-500-abcdef" in response.content
    assert bad_request(request).status_code == 400
