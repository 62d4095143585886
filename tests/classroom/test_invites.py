from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.hashers import is_password_usable
from django.utils import timezone

from tests.factories import (
    AdminFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.classroom import ParentInviteFactory, SetPasswordLinkFactory
from toolbox.accounts.models import AuditEvent, ParentLink, School, User
from toolbox.classroom.models import CODE_ALPHABET, ParentInvite, SetPasswordLink
from toolbox.classroom.services import (
    parent_invite_create,
    parent_invite_redeem,
    set_password_link_create,
    set_password_link_redeem,
)
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Orbit-Canyon-42"


@pytest.fixture
def taught_student(educator: User) -> User:
    classroom = ClassroomFactory(school=educator.school, owner=educator)
    return EnrollmentFactory(classroom=classroom).student


def test_an_educator_of_the_student_creates_an_invite(educator: User, taught_student: User) -> None:
    invite = parent_invite_create(actor=educator, student=taught_student)

    assert len(invite.code) == 8
    assert set(invite.code) <= set(CODE_ALPHABET)
    assert invite.student_id == taught_student.pk
    assert invite.created_by_id == educator.pk
    assert invite.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert AuditEvent.objects.filter(action="parent_invite.created", target_id=str(invite.pk)).exists()


def test_an_admin_of_the_school_creates_an_invite(admin_user: User, student: User) -> None:
    assert parent_invite_create(actor=admin_user, student=student).student_id == student.pk


def test_invites_are_refused_to_others(school: School, student: User) -> None:
    with pytest.raises(NotFoundError):
        parent_invite_create(actor=EducatorFactory(school=school), student=student)
    with pytest.raises(NotFoundError):
        parent_invite_create(actor=AdminFactory(school=SchoolFactory()), student=student)
    with pytest.raises(ForbiddenError):
        parent_invite_create(actor=student, student=student)
    assert not ParentInvite.objects.exists()


def test_a_parent_redeems_an_invite(parent: User, educator: User, taught_student: User) -> None:
    invite = parent_invite_create(actor=educator, student=taught_student)

    link = parent_invite_redeem(parent=parent, code=invite.code.lower())

    assert (link.parent_id, link.student_id) == (parent.pk, taught_student.pk)
    invite.refresh_from_db()
    assert invite.redeemed_by_id == parent.pk
    assert invite.redeemed_at is not None
    assert AuditEvent.objects.filter(action="parent_link.created", actor=parent).exists()


def test_an_invite_works_once(parent: User, school: School) -> None:
    invite = ParentInviteFactory(student=StudentFactory(school=school))
    parent_invite_redeem(parent=parent, code=invite.code)

    with pytest.raises(InvalidInputError, match="already been used"):
        parent_invite_redeem(parent=ParentFactory(school=school), code=invite.code)
    assert ParentLink.objects.count() == 1


def test_an_invite_expires_after_fourteen_days(parent: User, educator: User, taught_student: User) -> None:
    invite = parent_invite_create(actor=educator, student=taught_student)

    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=14, minutes=1)),
        pytest.raises(InvalidInputError, match="expired"),
    ):
        parent_invite_redeem(parent=parent, code=invite.code)

    invite.refresh_from_db()
    assert invite.redeemed_at is None
    assert not ParentLink.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=13, hours=23)):
        assert parent_invite_redeem(parent=parent, code=invite.code).student_id == taught_student.pk


def test_an_unknown_code(parent: User) -> None:
    with pytest.raises(NotFoundError, match="No invite has the code “ZZZZZZZZ”"):
        parent_invite_redeem(parent=parent, code="zzzz zzzz")
    with pytest.raises(InvalidInputError, match="Type the invite code"):
        parent_invite_redeem(parent=parent, code=" - ")


def test_a_second_link_to_the_same_child_is_a_conflict_and_leaves_the_invite_unused(
    parent: User, school: School
) -> None:
    child = StudentFactory(school=school)
    ParentLinkFactory(parent=parent, student=child)
    invite = ParentInviteFactory(student=child)

    with pytest.raises(ConflictError, match=f"already linked to {child.name}"):
        parent_invite_redeem(parent=parent, code=invite.code)

    invite.refresh_from_db()
    assert invite.redeemed_at is None
    assert ParentLink.objects.count() == 1


def test_only_parents_redeem(student: User, school: School) -> None:
    invite = ParentInviteFactory(student=StudentFactory(school=school))

    with pytest.raises(ForbiddenError):
        parent_invite_redeem(parent=student, code=invite.code)


def test_set_password_link_is_one_time(student: User) -> None:
    student.set_unusable_password()
    student.save()
    link = set_password_link_create(user=student)
    spare = set_password_link_create(user=student)

    user = set_password_link_redeem(token=link.token, password=STRONG_PASSWORD)

    assert user.check_password(STRONG_PASSWORD)
    assert SetPasswordLink.objects.filter(used_at__isnull=True).count() == 0
    with pytest.raises(InvalidInputError, match="already been used"):
        set_password_link_redeem(token=link.token, password="Another-Pass-99")
    with pytest.raises(InvalidInputError, match="already been used"):
        set_password_link_redeem(token=spare.token, password="Another-Pass-99")
    student.refresh_from_db()
    assert student.check_password(STRONG_PASSWORD)


def test_set_password_link_refuses_weak_passwords_with_the_validator_messages(student: User) -> None:
    student.set_unusable_password()
    student.save()
    link = SetPasswordLinkFactory(user=student)

    with pytest.raises(InvalidInputError) as raised:
        set_password_link_redeem(token=link.token, password="short")

    messages = [error["message"] for error in raised.value.errors]
    assert any("too short" in str(message) for message in messages)
    assert any("uppercase" in str(message) for message in messages)
    student.refresh_from_db()
    link.refresh_from_db()
    assert not is_password_usable(student.password)
    assert link.used_at is None


def test_set_password_link_expires(student: User) -> None:
    link = set_password_link_create(user=student)

    with time_machine.travel(timezone.now() + dt.timedelta(days=15)), pytest.raises(InvalidInputError, match="expired"):
        set_password_link_redeem(token=link.token, password=STRONG_PASSWORD)


def test_unknown_set_password_token() -> None:
    with pytest.raises(NotFoundError):
        set_password_link_redeem(token="nope", password=STRONG_PASSWORD)


def test_set_password_link_with_an_actor_checks_permission(school: School, student: User, admin_user: User) -> None:
    with pytest.raises(NotFoundError):
        set_password_link_create(user=student, actor=EducatorFactory(school=school))
    assert set_password_link_create(user=student, actor=admin_user).user_id == student.pk
