"""Account services: who may change a role, and a parent link made twice at once."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.models import QuerySet

from tests.factories import AdminFactory, EducatorFactory, ParentFactory, SchoolFactory, StudentFactory
from toolbox.accounts.models import AuditEvent, ParentLink, Role, School, User
from toolbox.accounts.services import parent_link_create, user_change_role
from toolbox.errors import ConflictError, NotFoundError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor_factory", [StudentFactory, EducatorFactory, ParentFactory])
def test_only_admins_change_roles(school: School, actor_factory: type) -> None:
    user = StudentFactory(school=school)

    with pytest.raises(NotFoundError):
        user_change_role(actor=actor_factory(school=school), user=user, role=Role.ADMIN)

    user.refresh_from_db()
    assert (user.role, user.is_staff) == (Role.STUDENT, False)
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()


def test_a_school_admin_cannot_change_roles_at_another_school(school: School) -> None:
    outsider = EducatorFactory(school=SchoolFactory())

    with pytest.raises(NotFoundError):
        user_change_role(actor=AdminFactory(school=school), user=outsider, role=Role.ADMIN)

    outsider.refresh_from_db()
    assert outsider.role == Role.EDUCATOR


def test_school_and_site_wide_admins_change_roles_they_run(school: School) -> None:
    user = EducatorFactory(school=school)

    user_change_role(actor=AdminFactory(school=school), user=user, role=Role.ADMIN)
    user_change_role(actor=AdminFactory(school=None), user=user, role=Role.EDUCATOR)

    user.refresh_from_db()
    assert user.role == Role.EDUCATOR
    assert AuditEvent.objects.filter(action="user.role_changed", target_id=str(user.pk)).count() == 2


def test_a_link_made_by_a_concurrent_request_is_a_conflict_not_a_crash(parent: User, student: User) -> None:
    ParentLink.objects.create(parent=parent, student=student)

    # The other request's link was committed after this one checked for it.
    with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(ConflictError):
        parent_link_create(parent=parent, student=student)

    assert ParentLink.objects.filter(parent=parent, student=student).count() == 1
    assert not AuditEvent.objects.filter(action="parent_link.created").exists()
