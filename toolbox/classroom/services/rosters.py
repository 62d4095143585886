"""Roster import from a CSV file: a dry run that reports what would happen, then an
all-or-nothing commit.

Every write is a bulk query, so that a 5,000-row file costs the same handful of queries as
a 10-row one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
from dataclasses import dataclass, field
from typing import Literal

import structlog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import (
    Classroom,
    Enrollment,
    EnrollmentStatus,
    ParentInvite,
    RosterImport,
    SetPasswordLink,
)
from toolbox.classroom.services.invites import (
    INVITE_LIFETIME,
    SET_PASSWORD_LINK_LIFETIME,
    new_set_password_token,
    unused_invite_codes,
)
from toolbox.classroom.services.roster_csv import RosterError, parse_roster
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from toolbox.freshness import users_changed

logger = structlog.get_logger(__name__)

ACCOUNT_SETUP_PATH = "/accounts/set-password/{token}/"
_BULK_BATCH = 1000

Action = Literal["create", "enrol", "already_enrolled"]


@dataclass(frozen=True)
class RosterRow:
    row: int
    first_name: str
    last_name: str
    email: str
    username: str
    grade: str
    parent_email: str
    action: Action
    existing_student_id: int | None = None


@dataclass(frozen=True)
class RosterImportReport:
    """What a commit of this file would do, row by row, and everything wrong with it."""

    rows: list[RosterRow]
    errors: list[RosterError]
    file_sha256: str

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)


@dataclass(frozen=True)
class NewStudentCredential:
    """One line of the printable list handed to the teacher."""

    username: str
    name: str
    set_password_url: str
    expires_at: dt.datetime
    parent_invite_code: str = ""


@dataclass(frozen=True)
class RosterImportResult:
    roster_import: RosterImport
    new_students: list[NewStudentCredential] = field(default_factory=list)
    repeated: bool = False

    @property
    def enrolled_existing(self) -> int:
        return self.roster_import.enrolled_existing

    @property
    def already_enrolled(self) -> int:
        return self.roster_import.already_enrolled


def _plan(classroom: Classroom, file_bytes: bytes) -> RosterImportReport:
    sha256 = hashlib.sha256(file_bytes).hexdigest()
    parsed, errors = parse_roster(file_bytes)
    lowered = {values["username"].lower() for _, values in parsed}
    existing = {
        user.lowered_username: user  # type: ignore[attr-defined]
        for user in User.objects.annotate(lowered_username=Lower("username"))
        .filter(lowered_username__in=lowered)
        .only("id", "username", "role", "school_id")
    }
    enrolment_status = dict(
        Enrollment.objects.filter(
            classroom=classroom, student_id__in=[user.pk for user in existing.values()]
        ).values_list("student_id", "status")
    )
    rows: list[RosterRow] = []
    for row_number, values in parsed:
        user = existing.get(values["username"].lower())
        action: Action = "create"
        if user is not None:
            if user.school_id != classroom.school_id:
                errors.append(
                    RosterError(
                        row_number,
                        "username",
                        f"The username “{values['username']}” is already used by someone outside this school; "
                        "choose another.",
                    )
                )
                continue
            if user.role != Role.STUDENT:
                errors.append(
                    RosterError(
                        row_number,
                        "username",
                        f"The username “{values['username']}” belongs to a {Role(user.role).label.lower()} "
                        "account, not a student; choose another.",
                    )
                )
                continue
            active = enrolment_status.get(user.pk) == EnrollmentStatus.ACTIVE
            action = "already_enrolled" if active else "enrol"
        rows.append(
            RosterRow(
                row=row_number,
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                username=user.username if user is not None else values["username"],
                grade=values["grade"],
                parent_email=values["parent_email"],
                action=action,
                existing_student_id=user.pk if user is not None else None,
            )
        )
    errors.sort(key=lambda error: (error.row or 0, error.column or ""))
    return RosterImportReport(rows=rows, errors=errors, file_sha256=sha256)


def _require_import(actor: User, classroom: Classroom) -> None:
    if not permissions.can_import_roster(actor, classroom):
        if permissions.can_view_classroom(actor, classroom):
            raise ForbiddenError("Only the teachers of this class can import a roster.")
        raise NotFoundError("This class does not exist, or you do not teach it.")


def _require_not_archived(classroom_id: int, *, lock: bool = False) -> None:
    classrooms = Classroom.objects.filter(pk=classroom_id)
    if lock:
        # Imports into one class queue behind each other, so each plans against settled data.
        classrooms = classrooms.select_for_update()
    if classrooms.values_list("is_archived", flat=True).get():
        raise InvalidInputError("This class is archived; students can no longer be added.")


def roster_import_preview(*, actor: User, classroom: Classroom, file_bytes: bytes) -> RosterImportReport:
    _require_import(actor, classroom)
    _require_not_archived(classroom.pk)
    return _plan(classroom, file_bytes)


def _set_password_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + ACCOUNT_SETUP_PATH.format(token=token)


def _earlier_result(roster_import: RosterImport) -> RosterImportResult:
    links = SetPasswordLink.objects.filter(roster_import=roster_import).select_related("user").order_by("id")
    codes = dict(
        ParentInvite.objects.filter(roster_import=roster_import).values_list("student_id", "code").order_by("id")
    )
    return RosterImportResult(
        roster_import=roster_import,
        new_students=[
            NewStudentCredential(
                username=link.user.username,
                name=link.user.name,
                set_password_url=_set_password_url(link.token),
                expires_at=link.expires_at,
                parent_invite_code=codes.get(link.user_id, ""),
            )
            for link in links
        ],
        repeated=True,
    )


def roster_import_commit(*, actor: User, classroom: Classroom, file_bytes: bytes) -> RosterImportResult:
    _require_import(actor, classroom)
    sha256 = hashlib.sha256(file_bytes).hexdigest()
    try:
        with transaction.atomic():
            _require_not_archived(classroom.pk, lock=True)
            earlier = RosterImport.objects.filter(classroom=classroom, file_sha256=sha256).first()
            if earlier is not None:
                return _earlier_result(earlier)
            report = _plan(classroom, file_bytes)
            if not report.is_valid:
                count = len(report.errors)
                raise InvalidInputError(
                    f"The roster was not imported: {count} problem{'s' if count != 1 else ''} to fix. "
                    "Nothing was changed.",
                    errors=[error.as_dict() for error in report.errors],
                )
            result, emails = _write(actor=actor, classroom=classroom, report=report)
            transaction.on_commit(lambda: _send_parent_invites(emails))
    except IntegrityError as error:
        # The same file was committed at the same moment by another request; its result stands.
        earlier = RosterImport.objects.filter(classroom=classroom, file_sha256=sha256).first()
        if earlier is None:
            raise ConflictError(
                "Another import created some of these accounts at the same moment. Nothing was changed; "
                "preview the file again and commit it."
            ) from error
        return _earlier_result(earlier)
    return result


def _write(
    *, actor: User, classroom: Classroom, report: RosterImportReport
) -> tuple[RosterImportResult, list[EmailMessage]]:
    now = timezone.now()
    roster_import = RosterImport.objects.create(
        classroom=classroom,
        imported_by=actor,
        file_sha256=report.file_sha256,
        rows=len(report.rows),
        created_students=report.count("create"),
        enrolled_existing=report.count("enrol"),
        already_enrolled=report.count("already_enrolled"),
    )
    new_rows = [row for row in report.rows if row.action == "create"]
    unusable_password = make_password(None)
    new_users = User.objects.bulk_create(
        [
            User(
                username=row.username,
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                grade_level=row.grade,
                role=Role.STUDENT,
                school_id=classroom.school_id,
                password=unusable_password,
                date_joined=now,
            )
            for row in new_rows
        ],
        batch_size=_BULK_BATCH,
    )
    student_ids = {row.row: user.pk for row, user in zip(new_rows, new_users, strict=True)}
    for row in report.rows:
        if row.existing_student_id is not None:
            student_ids[row.row] = row.existing_student_id

    enrol_ids = [row.existing_student_id for row in report.rows if row.action == "enrol"]
    Enrollment.objects.filter(classroom=classroom, student_id__in=enrol_ids).update(
        status=EnrollmentStatus.ACTIVE, joined_at=now, removed_at=None
    )
    # ignore_conflicts: rows reactivated just above, or created by a student joining at this
    # very moment, are already active.
    Enrollment.objects.bulk_create(
        [
            Enrollment(classroom=classroom, student_id=student_ids[row.row], joined_at=now)
            for row in report.rows
            if row.action != "already_enrolled"
        ],
        batch_size=_BULK_BATCH,
        ignore_conflicts=True,
    )
    users_changed(user_ids=student_ids.values())

    links = SetPasswordLink.objects.bulk_create(
        [
            SetPasswordLink(
                user=user,
                token=new_set_password_token(),
                expires_at=now + SET_PASSWORD_LINK_LIFETIME,
                roster_import=roster_import,
            )
            for user in new_users
        ],
        batch_size=_BULK_BATCH,
    )
    parent_rows = [row for row in report.rows if row.parent_email]
    invites = ParentInvite.objects.bulk_create(
        [
            ParentInvite(
                student_id=student_ids[row.row],
                code=code,
                created_by=actor,
                expires_at=now + INVITE_LIFETIME,
                sent_to_email=row.parent_email,
                roster_import=roster_import,
            )
            for row, code in zip(parent_rows, unused_invite_codes(len(parent_rows)), strict=True)
        ],
        batch_size=_BULK_BATCH,
    )
    codes = {invite.student_id: invite.code for invite in invites}
    audit_record(
        actor=actor,
        action="roster_import.committed",
        target=roster_import,
        school=classroom.school,
        after={
            "classroom": classroom.pk,
            "file_sha256": report.file_sha256,
            "rows": roster_import.rows,
            "created_students": roster_import.created_students,
            "enrolled_existing": roster_import.enrolled_existing,
            "already_enrolled": roster_import.already_enrolled,
            "parent_invites": len(invites),
        },
    )
    new_students = [
        NewStudentCredential(
            username=user.username,
            name=user.name,
            set_password_url=_set_password_url(link.token),
            expires_at=link.expires_at,
            parent_invite_code=codes.get(user.pk, ""),
        )
        for user, link in zip(new_users, links, strict=True)
    ]
    names = {row.row: f"{row.first_name} {row.last_name}" for row in parent_rows}
    emails = [
        _parent_invite_email(
            to=row.parent_email, child=names[row.row], code=codes[student_ids[row.row]], classroom=classroom
        )
        for row in parent_rows
    ]
    return RosterImportResult(roster_import=roster_import, new_students=new_students), emails


def _parent_invite_email(*, to: str, child: str, code: str, classroom: Classroom) -> EmailMessage:
    days = INVITE_LIFETIME.days
    body = (
        f"Hello,\n\n{child} has been added to {classroom.name} on ToolBox.\n\n"
        f"To follow {child}'s progress, create a parent account at {settings.SITE_URL} and enter this code:\n\n"
        f"    {code}\n\nThe code works once and expires in {days} days.\n"
    )
    return EmailMessage(subject=f"Your invite code for {child} on ToolBox", body=body, to=[to])


def _send_parent_invites(emails: list[EmailMessage]) -> None:
    """After the commit: a mail server that is down must not undo an import that succeeded;
    the codes are also on the printable list."""
    if not emails:
        return
    try:
        sent = get_connection().send_messages(emails) or 0
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("parent_invite_emails_failed", count=len(emails), error=str(error))
        return
    logger.info("parent_invite_emails_sent", handled=sent, skipped=0, failed=len(emails) - sent)
