"""Writes for accounts: Clerk user sync, parent links, digest preference, role changes."""

from __future__ import annotations

import re
from typing import Any

import structlog
from django.db import IntegrityError, transaction

from toolbox.accounts import permissions
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import ParentLink, Role, School, User
from toolbox.errors import ConflictError, InvalidInputError, NotFoundError

logger = structlog.get_logger(__name__)

# Roles a Clerk user may be given from metadata. Admin is never taken from a token: admins
# are made by admins.
_ROLES_FROM_METADATA = {Role.STUDENT, Role.EDUCATOR, Role.PARENT}


def _role_from_metadata(public_metadata: dict[str, Any]) -> str:
    role = str(public_metadata.get("role", "")).lower()
    return role if role in _ROLES_FROM_METADATA else Role.STUDENT


def _school_from_metadata(public_metadata: dict[str, Any]) -> School | None:
    slug = public_metadata.get("school")
    if isinstance(slug, str) and slug:
        return School.objects.filter(slug=slug).first()
    # A single-school installation needs no metadata to place its users.
    schools = list(School.objects.all()[:2])
    return schools[0] if len(schools) == 1 else None


def _unique_username(base: str) -> str:
    stem = re.sub(r"[^\w.@+-]", "", base)[:120] or "user"
    candidate = stem
    suffix = 1
    while User.objects.filter(username=candidate).exists():
        suffix += 1
        candidate = f"{stem}{suffix}"
    return candidate


def _clerk_user_create(
    *, clerk_user_id: str, email: str, first_name: str, last_name: str, username: str, metadata: dict[str, Any]
) -> User | None:
    """The new user, or None when a concurrent request created the same Clerk user first."""
    user = User(
        clerk_user_id=clerk_user_id,
        username=_unique_username(username or (email.split("@")[0] if email else clerk_user_id)),
        role=_role_from_metadata(metadata),
        school=_school_from_metadata(metadata),
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        return None
    logger.info("clerk_user_created", user_id=user.pk, role=user.role)
    audit_record(
        actor=None, action="user.created_from_clerk", target=user, school=user.school, after={"role": user.role}
    )
    return user


def clerk_user_first_sight(
    *,
    clerk_user_id: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    public_metadata: dict[str, Any] | None = None,
) -> User:
    """The local user of a Clerk user who signs in, created when seen for the first time.

    An existing user is returned as it is: names and e-mail follow Clerk through the
    webhook, and roles are changed by admins in ToolBox only.
    """
    with transaction.atomic():
        existing = User.objects.filter(clerk_user_id=clerk_user_id).first()
        if existing is not None:
            return existing
        created = _clerk_user_create(
            clerk_user_id=clerk_user_id,
            email=email,
            first_name=first_name,
            last_name=last_name,
            username="",
            metadata=public_metadata or {},
        )
    # Two first requests of the same new user raced; the other one created it.
    return created or User.objects.get(clerk_user_id=clerk_user_id)


def clerk_user_sync(
    *,
    clerk_user_id: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    username: str = "",
    public_metadata: dict[str, Any] | None = None,
) -> User:
    """Apply Clerk's view of a user (user.created, user.updated): create it when missing,
    otherwise copy its e-mail and names, which Clerk sends in full on every event.

    The role is set from metadata only when the user is created: after that, roles are
    changed by admins in ToolBox, so that a Clerk dashboard edit cannot promote anyone.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(clerk_user_id=clerk_user_id).first()
        if user is None:
            created = _clerk_user_create(
                clerk_user_id=clerk_user_id,
                email=email,
                first_name=first_name,
                last_name=last_name,
                username=username,
                metadata=public_metadata or {},
            )
            if created is not None:
                return created
            user = User.objects.select_for_update().get(clerk_user_id=clerk_user_id)
        user.email = email
        user.first_name = first_name[:150]
        user.last_name = last_name[:150]
        user.save(update_fields=["email", "first_name", "last_name"])
    return user


def clerk_user_deactivate(*, clerk_user_id: str) -> User | None:
    """A user deleted in Clerk is deactivated here; their work stays."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(clerk_user_id=clerk_user_id).first()
        if user is None:
            return None
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active", "is_staff", "is_superuser"])
            audit_record(actor=None, action="user.deactivated", target=user, school=user.school)
        return user


def user_change_role(*, actor: User, user: User, role: str) -> User:
    if role not in Role.values:
        raise InvalidInputError(f"“{role}” is not a role. Choose one of: {', '.join(Role.values)}.", field="role")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not permissions.can_change_role(actor, locked):
            raise NotFoundError("That person does not exist, or is not at a school you run.")
        before = locked.role
        if before == role:
            return locked
        locked.role = role
        locked.save()
        audit_record(
            actor=actor,
            action="user.role_changed",
            target=locked,
            school=locked.school,
            before={"role": before},
            after={"role": role},
        )
    return locked


def parent_link_create(
    *, parent: User, student: User, can_view_grades: bool = True, actor: User | None = None
) -> ParentLink:
    if parent.role != Role.PARENT:
        raise InvalidInputError("Only a parent account can be linked to a child.")
    if student.role != Role.STUDENT:
        raise InvalidInputError("A parent can only be linked to a student account.")
    already_linked = ConflictError(f"You are already linked to {student.name}.")
    with transaction.atomic():
        if ParentLink.objects.filter(parent=parent, student=student).exists():
            raise already_linked
        try:
            with transaction.atomic():
                link = ParentLink.objects.create(parent=parent, student=student, can_view_grades=can_view_grades)
        except IntegrityError:
            # Two invites for the same child redeemed at once: the other request linked first.
            raise already_linked from None
        audit_record(
            actor=actor or parent,
            action="parent_link.created",
            target=link,
            school=student.school,
            after={"parent": parent.pk, "student": student.pk, "can_view_grades": can_view_grades},
        )
    return link


def parent_digest_preference_set(*, parent: User, enabled: bool) -> User:
    if parent.role != Role.PARENT:
        raise InvalidInputError("Only parents receive the weekly digest.")
    with transaction.atomic():
        User.objects.filter(pk=parent.pk).update(digest_opt_in=enabled)
    parent.digest_opt_in = enabled
    return parent
