"""Schemas of the classes router: classes, rosters, joining, roster import, parent invites."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from toolbox.api.schemas import GradeLevelName, Id, PageOut, PersonOut


class ClassOut(Schema):
    id: int = Field(examples=[7])
    name: str = Field(examples=["Science 7B"])
    subject: str = Field(examples=["Science"])
    grade_level: str = Field(examples=["7"])
    owner: PersonOut
    join_code: str | None = Field(
        description="The code students type to join; only the class's teachers and admins see it.",
        examples=["K7M2QX9D"],
    )
    is_archived: bool = Field(examples=[False])
    student_count: int = Field(description="Active students.", examples=[27])
    created_at: dt.datetime


class ClassPageOut(PageOut):
    items: list[ClassOut]


class ClassListQuery(Schema):
    include_archived: bool = Field(False, description="Also list archived classes.")


class ClassCreateIn(Schema):
    name: str = Field(min_length=1, max_length=120, examples=["Science 7B"])
    subject: str = Field(min_length=1, max_length=80, examples=["Science"])
    grade_level: GradeLevelName = Field(examples=["7"])
    co_teacher_ids: list[Id] = Field(
        default_factory=list, max_length=20, description="Educators of the same school.", examples=[[]]
    )


class ClassUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120, examples=["Science 7B (spring)"])
    subject: str | None = Field(None, min_length=1, max_length=80, examples=["Science"])
    grade_level: GradeLevelName | None = Field(None, examples=["7"])
    co_teacher_ids: list[Id] | None = Field(None, max_length=20, examples=[[12, 15]])


class StudentOut(Schema):
    id: int = Field(examples=[101])
    username: str = Field(examples=["ada.l"])
    name: str = Field(examples=["Ada Lovelace"])
    grade_level: str = Field(examples=["7"])
    last_login: dt.datetime | None


class RosterOut(Schema):
    class_id: int = Field(examples=[7])
    join_code: str = Field(examples=["K7M2QX9D"])
    co_teachers: list[PersonOut]
    students: list[StudentOut]


class EnrolmentIn(Schema):
    student_id: Id = Field(examples=[101])


class EnrolmentOut(Schema):
    class_id: int = Field(examples=[7])
    student_id: int = Field(examples=[101])
    status: str = Field(examples=["active"], description="active or removed")
    joined_at: dt.datetime
    removed_at: dt.datetime | None


class JoinIn(Schema):
    code: str = Field(
        min_length=1, max_length=20, description="The class code from the teacher.", examples=["K7M2QX9D"]
    )


class RosterRowOut(Schema):
    row: int = Field(examples=[2], description="The line number in the file (the header is line 1).")
    first_name: str = Field(examples=["Ada"])
    last_name: str = Field(examples=["Lovelace"])
    email: str = Field(examples=["ada@example.org"])
    username: str = Field(examples=["ada.l"])
    grade: str = Field(examples=["7"])
    parent_email: str = Field(examples=["parent@example.org"])
    action: str = Field(examples=["create"], description="create, enrol or already_enrolled")
    existing_student_id: int | None = Field(examples=[None])


class RosterProblemOut(Schema):
    row: int | None = Field(examples=[3])
    column: str | None = Field(examples=["email"])
    message: str = Field(examples=["This e-mail address is not valid."])


class NewStudentOut(Schema):
    username: str = Field(examples=["ada.l"])
    name: str = Field(examples=["Ada Lovelace"])
    set_password_url: str = Field(examples=["https://toolbox.example.org/accounts/set-password/abc123/"])
    expires_at: dt.datetime
    parent_invite_code: str = Field(examples=["PX4T9QWE"])


class RosterImportOut(Schema):
    dry_run: bool = Field(examples=[True])
    is_valid: bool = Field(description="Whether the file could be committed as it is.", examples=[True])
    rows: list[RosterRowOut] = Field(description="The plan, row by row (dry run only).")
    errors: list[RosterProblemOut] = Field(description="Everything wrong with the file (dry run only).")
    created_students: int = Field(examples=[12])
    enrolled_existing: int = Field(examples=[3])
    already_enrolled: int = Field(examples=[1])
    repeated: bool = Field(description="This file was already imported; the earlier result is returned.")
    new_students: list[NewStudentOut] = Field(description="Credentials to hand out (commit only).")


class ParentInviteOut(Schema):
    id: int = Field(examples=[5])
    student_id: int = Field(examples=[101])
    code: str = Field(examples=["PX4T9QWE"])
    created_at: dt.datetime
    expires_at: dt.datetime
    redeemed_at: dt.datetime | None
    created_by: PersonOut | None
    redeemed_by: PersonOut | None
