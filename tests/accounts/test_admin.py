"""The Django admin is the admin role's console, and is_staff follows the role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AdminFactory, EducatorFactory, ParentFactory, StudentFactory
from toolbox.accounts.models import AuditEvent, Role, User
from toolbox.accounts.services import user_change_role
from toolbox.errors import InvalidInputError


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [StudentFactory, EducatorFactory, ParentFactory])
def test_the_admin_refuses_every_other_role(client: Client, factory) -> None:
    client.force_login(factory(), backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/admin/login/?next=/admin/"
    assert "admin/login.html" in [template.name for template in response.templates]
    assert client.get("/admin/accounts/user/").status_code == 302


@pytest.mark.django_db
def test_the_admin_role_gets_in(client: Client) -> None:
    client.force_login(AdminFactory(), backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db
def test_a_staff_flag_alone_does_not_open_the_admin(client: Client) -> None:
    educator = EducatorFactory()
    User.objects.filter(pk=educator.pk).update(is_staff=True)
    educator.refresh_from_db()
    client.force_login(educator, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STUDENT, Role.EDUCATOR, Role.PARENT])
def test_only_the_admin_role_is_staff(role: str) -> None:
    user = StudentFactory(role=role, is_staff=True, is_superuser=True)

    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser


@pytest.mark.django_db
def test_changing_role_away_from_admin_drops_staff_and_back_restores_it() -> None:
    actor = AdminFactory()
    user = AdminFactory(school=actor.school)
    assert user.is_staff

    demoted = user_change_role(actor=actor, user=user, role=Role.EDUCATOR)
    demoted.refresh_from_db()
    assert (demoted.role, demoted.is_staff, demoted.is_superuser) == (Role.EDUCATOR, False, False)

    promoted = user_change_role(actor=actor, user=demoted, role=Role.ADMIN)
    promoted.refresh_from_db()
    assert (promoted.role, promoted.is_staff) == (Role.ADMIN, True)
    assert AuditEvent.objects.filter(action="user.role_changed", target_id=str(user.pk)).count() == 2


@pytest.mark.django_db
def test_an_unknown_role_is_refused_and_changes_nothing() -> None:
    user = StudentFactory()

    with pytest.raises(InvalidInputError):
        user_change_role(actor=AdminFactory(school=user.school), user=user, role="superhero")

    user.refresh_from_db()
    assert user.role == Role.STUDENT


@pytest.mark.django_db
def test_changing_a_role_in_the_admin_drops_staff_and_is_audited(client: Client) -> None:
    admin = AdminFactory()
    other = AdminFactory(username="second-admin", school=admin.school)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    form = {
        "username": other.username,
        "first_name": other.first_name,
        "last_name": other.last_name,
        "display_name": "",
        "email": other.email,
        "grade_level": "",
        "school": other.school_id,
        "role": Role.EDUCATOR,
        "is_active": "on",
        "digest_opt_in": "on",
        "clerk_user_id": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }

    response = client.post(f"/admin/accounts/user/{other.pk}/change/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    other.refresh_from_db()
    assert (other.role, other.is_staff, other.is_superuser) == (Role.EDUCATOR, False, False)
    event = AuditEvent.objects.get(action="user.role_changed", target_id=str(other.pk))
    assert event.actor_id == admin.pk
    assert (event.before, event.after) == ({"role": "admin"}, {"role": "educator"})
