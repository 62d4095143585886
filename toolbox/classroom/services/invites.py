"""One-time codes and links: parent invites and set-password links for imported students."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import ParentLink, Role, User
from toolbox.accounts.services import parent_link_create
from toolbox.classroom.models import ParentInvite, SetPasswordLink
from toolbox.classroom.services.classrooms import ConflictingCodeError, normalise_code, random_code
from toolbox.errors import ForbiddenError, InvalidInputError, NotFoundError

INVITE_CODE_LENGTH = 8
INVITE_LIFETIME = dt.timedelta(days=14)
SET_PASSWORD_LINK_LIFETIME = dt.timedelta(days=14)
_CODE_ATTEMPTS = 10


def unused_invite_codes(count: int) -> list[str]:
    """`count` distinct invite codes that no stored invite uses, in a fixed number of queries
    for all but astronomically unlucky draws."""
    codes: set[str] = set()
    for _ in range(_CODE_ATTEMPTS):
        candidates = {random_code(INVITE_CODE_LENGTH) for _ in range(count - len(codes))} - codes
        taken = set(ParentInvite.objects.filter(code__in=candidates).values_list("code", flat=True))
        codes |= candidates - taken
        if len(codes) == count:
            return list(codes)
    raise ConflictingCodeError


def new_set_password_token() -> str:
    return secrets.token_urlsafe(32)


def _require_manage_student(actor: User, student: User) -> None:
    if permissions.can_manage_student(actor, student):
        return
    if permissions.can_view_student(actor, student):
        raise ForbiddenError(f"Only {student.name}'s teachers or an admin can do this.")
    raise NotFoundError("This student does not exist, or you do not teach them.")


def parent_invite_create(*, actor: User, student: User) -> ParentInvite:
    _require_manage_student(actor, student)
    if student.role != Role.STUDENT:
        raise InvalidInputError("Parent invites are only for student accounts.")
    for _ in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                invite = ParentInvite.objects.create(
                    student=student,
                    code=unused_invite_codes(1)[0],
                    created_by=actor,
                    expires_at=timezone.now() + INVITE_LIFETIME,
                )
                audit_record(
                    actor=actor,
                    action="parent_invite.created",
                    target=invite,
                    school=student.school,
                    after={"student": student.pk, "expires_at": invite.expires_at.isoformat()},
                )
        except IntegrityError:
            continue
        return invite
    raise ConflictingCodeError


def parent_invite_redeem(*, parent: User, code: str) -> ParentLink:
    if not permissions.can_link_child(parent):
        raise ForbiddenError("Only a parent account can use a parent invite code.")
    normalised = normalise_code(code)
    if not normalised:
        raise InvalidInputError("Type the invite code the school gave you.", field="code")
    with transaction.atomic():
        invite = ParentInvite.objects.select_for_update().select_related("student").filter(code=normalised).first()
        if invite is None:
            raise NotFoundError(
                f"No invite has the code “{normalised}”. Check the code on the letter from the school.", field="code"
            )
        if invite.redeemed_at is not None:
            raise InvalidInputError(
                "This invite code has already been used. Ask the school for a new one.", field="code"
            )
        if invite.expires_at <= timezone.now():
            raise InvalidInputError("This invite code has expired. Ask the school for a new one.", field="code")
        link = parent_link_create(parent=parent, student=invite.student, actor=parent)
        invite.redeemed_at = timezone.now()
        invite.redeemed_by = parent
        invite.save(update_fields=["redeemed_at", "redeemed_by"])
    return link


def set_password_link_create(*, user: User, actor: User | None = None) -> SetPasswordLink:
    """A one-time link for `user` to choose a password. Without an actor this is the system
    acting (a roster import already checked its own permission)."""
    if actor is not None:
        _require_manage_student(actor, user)
    with transaction.atomic():
        return SetPasswordLink.objects.create(
            user=user, token=new_set_password_token(), expires_at=timezone.now() + SET_PASSWORD_LINK_LIFETIME
        )


def set_password_link_redeem(*, token: str, password: str) -> User:
    with transaction.atomic():
        link = SetPasswordLink.objects.select_for_update().select_related("user").filter(token=token.strip()).first()
        if link is None:
            raise NotFoundError("This set-password link is not valid. Ask your teacher for a new one.")
        if link.used_at is not None:
            raise InvalidInputError(
                "This set-password link has already been used. Sign in, or ask your teacher for a new link."
            )
        if link.expires_at <= timezone.now():
            raise InvalidInputError("This set-password link has expired. Ask your teacher for a new one.")
        user = link.user
        if not user.is_active:
            raise InvalidInputError("This account has been deactivated. Ask your school for help.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            messages = list(error.messages)
            raise InvalidInputError(
                " ".join(messages),
                field="password",
                errors=[{"field": "password", "message": message} for message in messages],
            ) from error
        user.set_password(password)
        user.save(update_fields=["password"])
        now = timezone.now()
        # Once a password is chosen, every other outstanding link for the account is spent too.
        SetPasswordLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    return user
