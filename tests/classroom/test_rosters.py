from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from tests.classroom.roster_files import ADA, ALAN, generated_rows, roster_csv
from tests.factories import (
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts.models import AuditEvent, Role, User
from toolbox.classroom.models import (
    Classroom,
    Enrollment,
    EnrollmentStatus,
    ParentInvite,
    RosterImport,
    SetPasswordLink,
)
from toolbox.classroom.services import (
    RosterImportReport,
    classroom_archive,
    enrollment_remove,
    roster_import_commit,
    roster_import_preview,
    rosters,
)
from toolbox.classroom.services.roster_csv import MAX_FILE_BYTES, MAX_ROWS
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(educator: User) -> Classroom:
    return ClassroomFactory(school=educator.school, owner=educator)


def commit_errors(classroom: Classroom, data: bytes) -> list[dict[str, object]]:
    with pytest.raises(InvalidInputError) as raised:
        roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)
    assert "Nothing was changed" in raised.value.message
    return raised.value.errors


def table_counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Enrollment.objects.count(),
        SetPasswordLink.objects.count(),
        ParentInvite.objects.count(),
        RosterImport.objects.count(),
        AuditEvent.objects.count(),
    )


def test_preview_reports_what_would_happen_and_writes_nothing(classroom: Classroom) -> None:
    existing = StudentFactory(school=classroom.school, username="grace.h")
    enrolled = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=classroom.school)).student
    data = roster_csv(
        [
            ADA,
            ("Grace", "Hopper", "", "Grace.H", "9", ""),
            (enrolled.first_name, enrolled.last_name, "", enrolled.username, "7", ""),
        ]
    )
    before = table_counts()

    report = roster_import_preview(actor=classroom.owner, classroom=classroom, file_bytes=data)

    assert isinstance(report, RosterImportReport)
    assert report.is_valid
    assert [(row.row, row.username, row.action) for row in report.rows] == [
        (2, "ada.l", "create"),
        (3, "grace.h", "enrol"),
        (4, enrolled.username, "already_enrolled"),
    ]
    assert report.rows[1].existing_student_id == existing.pk
    assert table_counts() == before


def test_commit_creates_students_with_unusable_passwords_and_one_time_links(
    classroom: Classroom, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=roster_csv([ADA, ALAN]))

    ada = User.objects.get(username="ada.l")
    alan = User.objects.get(username="alan.t")
    assert (ada.role, ada.school_id, ada.grade_level, ada.email) == (
        Role.STUDENT,
        classroom.school_id,
        "7",
        "ada@example.test",
    )
    assert alan.grade_level == "K"
    assert not is_password_usable(ada.password)
    assert set(
        Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).values_list(
            "student__username", flat=True
        )
    ) == {"ada.l", "alan.t"}
    links = {link.user_id: link for link in SetPasswordLink.objects.all()}
    assert set(links) == {ada.pk, alan.pk}
    assert all(link.expires_at - timezone.now() > dt.timedelta(days=13) for link in links.values())

    assert [(student.username, student.name) for student in result.new_students] == [
        ("ada.l", "Ada Lovelace"),
        ("alan.t", "Alan Turing"),
    ]
    assert result.new_students[0].set_password_url.endswith(f"/{links[ada.pk].token}/")
    invite = ParentInvite.objects.get()
    assert (invite.student_id, invite.sent_to_email, invite.created_by_id) == (
        alan.pk,
        "turing.parent@example.test",
        classroom.owner_id,
    )
    assert result.new_students[1].parent_invite_code == invite.code
    assert result.new_students[0].parent_invite_code == ""
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["turing.parent@example.test"]
    assert invite.code in mail.outbox[0].body

    roster_import = result.roster_import
    assert (roster_import.rows, roster_import.created_students, roster_import.enrolled_existing) == (2, 2, 0)
    audit = AuditEvent.objects.get(action="roster_import.committed")
    assert audit.actor_id == classroom.owner_id
    assert audit.after is not None
    assert audit.after["created_students"] == 2


def test_existing_students_are_enrolled_not_duplicated(classroom: Classroom) -> None:
    grace = StudentFactory(school=classroom.school, username="grace.h")
    returning = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=classroom.school)).student
    enrollment_remove(actor=classroom.owner, classroom=classroom, student=returning)
    data = roster_csv(
        [
            ("Grace", "Hopper", "", "GRACE.H", "9", ""),
            (returning.first_name, returning.last_name, "", returning.username, "7", ""),
            ADA,
        ]
    )
    users_before = User.objects.count()

    result = roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)

    assert User.objects.count() == users_before + 1
    assert [student.username for student in result.new_students] == ["ada.l"]
    assert result.enrolled_existing == 2
    statuses = dict(Enrollment.objects.filter(classroom=classroom).values_list("student_id", "status"))
    assert statuses[grace.pk] == statuses[returning.pk] == EnrollmentStatus.ACTIVE
    assert Enrollment.objects.filter(classroom=classroom).count() == 3
    assert not SetPasswordLink.objects.filter(user__in=[grace, returning]).exists()


def test_the_same_file_twice_returns_the_first_result(classroom: Classroom) -> None:
    data = roster_csv([ADA, ALAN])
    first = roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)
    counts = table_counts()

    second = roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)

    assert table_counts() == counts
    assert second.repeated
    assert not first.repeated
    assert second.roster_import.pk == first.roster_import.pk
    assert second.new_students == first.new_students


def test_the_same_file_into_another_class_enrols_the_students_there(classroom: Classroom) -> None:
    data = roster_csv([ADA])
    roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)
    other = ClassroomFactory(school=classroom.school, owner=classroom.owner)

    result = roster_import_commit(actor=classroom.owner, classroom=other, file_bytes=data)

    assert result.new_students == []
    assert result.enrolled_existing == 1
    assert User.objects.filter(username="ada.l").count() == 1


def test_a_utf8_file_with_a_bom_and_semicolons(classroom: Classroom) -> None:
    data = roster_csv([("Zoë", "Brontë", "zoe@example.test", "zoe.b", "12", "")], delimiter=";", bom=True)

    roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)

    zoe = User.objects.get(username="zoe.b")
    assert (zoe.first_name, zoe.last_name, zoe.grade_level) == ("Zoë", "Brontë", "12")


def test_whitespace_blank_lines_loose_headers_and_a_missing_optional_column(classroom: Classroom) -> None:
    data = (
        b"First Name , Last Name,E-mail,Username,Grade\n"
        b"  Ada ,Lovelace , ada@example.test ,  ada.l , 07 \n"
        b"\n"
        b"Alan,Turing,,alan.t,k\n"
        b"\n\n  \n"
    )

    report = roster_import_preview(actor=classroom.owner, classroom=classroom, file_bytes=data)

    assert report.errors == []
    assert [(row.row, row.first_name, row.email, row.username, row.grade) for row in report.rows] == [
        (2, "Ada", "ada@example.test", "ada.l", "7"),
        (4, "Alan", "", "alan.t", "K"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (("", "Lovelace", "", "ada.l", "7", ""), "first_name", "The first name is missing."),
        (("Ada", "Lovelace", "", "", "7", ""), "username", "The username is missing."),
        (("Ada", "Lovelace", "ada@", "ada.l", "7", ""), "email", "“ada@” is not a valid e-mail address."),
        (("Ada", "Lovelace", "", "ada.l", "13", ""), "grade", "“13” is not a grade"),
        (("Ada", "Lovelace", "", "ada.l", "Year 7", ""), "grade", "“Year 7” is not a grade"),
        (("Ada", "Lovelace", "", "ada l", "7", ""), "username", "not a valid username"),
        (("Ada", "Lovelace", "", "ada.l", "7", "parent at home"), "parent_email", "not a valid e-mail"),
        (("=cmd|' /C calc'!A0", "Lovelace", "", "ada.l", "7", ""), "first_name", "starts with “=”"),
        (("Ada", "+1+1", "", "ada.l", "7", ""), "last_name", "starts with “+”"),
        (("Ada", "Lovelace", "", "-ada", "7", ""), "username", "starts with “-”"),
        (("Ada", "Lovelace", "@SUM(A1)", "ada.l", "7", ""), "email", "starts with “@”"),
    ],
)
def test_each_cell_error_names_its_row_and_column(
    classroom: Classroom, row: tuple[str, ...], column: str, message: str
) -> None:
    before = table_counts()

    errors = commit_errors(classroom, roster_csv([ALAN, row]))

    assert len(errors) == 1
    assert errors[0]["row"] == 3
    assert errors[0]["column"] == column
    assert message in str(errors[0]["message"])
    assert table_counts() == before


def test_duplicates_within_the_file(classroom: Classroom) -> None:
    data = roster_csv(
        [ADA, ALAN, ("Ada", "Byron", "ADA@example.test", "Ada.L", "7", ""), ("Al", "T", "", "alan.t", "7", "")]
    )

    errors = commit_errors(classroom, data)

    assert [(error["row"], error["column"]) for error in errors] == [(4, "email"), (4, "username"), (5, "username")]
    assert "also on row 2" in str(errors[0]["message"])
    assert "also on row 3" in str(errors[2]["message"])


def test_usernames_taken_outside_the_school_or_by_a_non_student(classroom: Classroom) -> None:
    StudentFactory(school=SchoolFactory(), username="ada.l")
    ParentFactory(school=classroom.school, username="alan.t")
    before = table_counts()

    errors = commit_errors(classroom, roster_csv([ADA, ALAN]))

    assert [(error["row"], error["column"]) for error in errors] == [(2, "username"), (3, "username")]
    assert "outside this school" in str(errors[0]["message"])
    assert "parent account" in str(errors[1]["message"])
    assert table_counts() == before


def test_every_failing_row_is_reported_and_nothing_is_written(classroom: Classroom) -> None:
    rows = generated_rows(30)
    rows[4] = ("", *rows[4][1:])
    rows[20] = (*rows[20][:4], "99", rows[20][5])
    before = table_counts()

    errors = commit_errors(classroom, roster_csv(rows))

    assert [(error["row"], error["column"]) for error in errors] == [(6, "first_name"), (22, "grade")]
    assert table_counts() == before


def test_a_row_with_more_cells_than_the_header(classroom: Classroom) -> None:
    data = roster_csv([(*ADA, "extra")])

    errors = commit_errors(classroom, data)

    assert errors == [
        {"row": 2, "column": None, "message": "This row has more cells than the header has columns; check separators."}
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        ("first_name,last_name,email,username,grade\nZoë,B,,z,7\n".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not UTF-8"),
        (b"first_name,last_name,email,username,grade\n\x00\x01\x02,\x03\n", "binary data"),
        (b"first_name,last_name,email,username,grade\n", "header but no students"),
        (b"x" * (MAX_FILE_BYTES + 1), "at most 2 MB"),
    ],
)
def test_files_refused_whole_with_one_clear_error(classroom: Classroom, data: bytes, message: str) -> None:
    errors = commit_errors(classroom, data)

    assert len(errors) == 1
    assert errors[0]["row"] is None
    assert message in str(errors[0]["message"])


def test_more_than_ten_thousand_rows_is_refused(classroom: Classroom) -> None:
    data = roster_csv([("a", "b", "", f"u{n}", "1", "") for n in range(MAX_ROWS + 1)])
    assert len(data) < MAX_FILE_BYTES

    errors = commit_errors(classroom, data)

    assert errors == [
        {"row": None, "column": None, "message": "The file has more than 10,000 rows. Split it into smaller files."}
    ]


def test_missing_and_unknown_columns_are_named(classroom: Classroom) -> None:
    data = roster_csv([("Ada", "ada.l", "7", "yes")], header=("first_name", "username", "grade", "favourite_colour"))

    errors = commit_errors(classroom, data)

    messages = [str(error["message"]) for error in errors]
    assert all(error["row"] == 1 for error in errors)
    assert any("Unknown column: favourite_colour" in message for message in messages)
    assert any("Missing columns: last_name, email" in message for message in messages)


def test_permissions_and_archived_classes(classroom: Classroom, student: User) -> None:
    data = roster_csv([ADA])
    with pytest.raises(NotFoundError):
        roster_import_preview(actor=EducatorFactory(school=classroom.school), classroom=classroom, file_bytes=data)
    EnrollmentFactory(classroom=classroom, student=student)
    with pytest.raises(ForbiddenError):
        roster_import_commit(actor=student, classroom=classroom, file_bytes=data)
    classroom_archive(actor=classroom.owner, classroom=classroom)
    with pytest.raises(InvalidInputError, match="archived"):
        roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)
    assert not User.objects.filter(username="ada.l").exists()


@pytest.mark.parametrize("size", [10, 50, pytest.param(200, marks=pytest.mark.postgres)])
def test_commit_and_preview_query_counts_do_not_grow_with_rows(
    classroom: Classroom, size: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    existing = [StudentFactory(school=classroom.school, username=f"pupil{n}") for n in range(3)]
    EnrollmentFactory(classroom=classroom, student=existing[0])
    data = roster_csv(generated_rows(size))

    with django_assert_max_num_queries(3):
        report = roster_import_preview(actor=classroom.owner, classroom=classroom, file_bytes=data)
    assert report.count("create") == size - 3
    with django_assert_max_num_queries(15):
        result = roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)

    assert len(result.new_students) == size - 3
    assert Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).count() == size
    assert ParentInvite.objects.count() == size


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_five_thousand_row_file_commits_in_bulk(django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school, owner=EducatorFactory(school=school))
    data = roster_csv(generated_rows(5000))

    # Five batches of a thousand for each of the four bulk inserts, on top of the fixed queries.
    with django_assert_max_num_queries(15 + 4 * 4):
        result = roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data)

    assert len(result.new_students) == 5000
    assert User.objects.filter(school=school, role=Role.STUDENT).count() == 5000
    assert Enrollment.objects.filter(classroom=classroom).count() == 5000
    assert SetPasswordLink.objects.filter(roster_import=result.roster_import).count() == 5000
    assert ParentInvite.objects.filter(roster_import=result.roster_import).count() == 5000


def test_an_account_created_between_plan_and_write_is_a_conflict_and_nothing_is_written(
    classroom: Classroom,
) -> None:
    plan = rosters._plan

    def plan_then_race(target: Classroom, file_bytes: bytes) -> RosterImportReport:
        report = plan(target, file_bytes)
        StudentFactory(school=SchoolFactory(), username="ada.l")
        return report

    before = table_counts()

    with (
        mock.patch.object(rosters, "_plan", side_effect=plan_then_race),
        pytest.raises(ConflictError, match="at the same moment"),
    ):
        roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=roster_csv([ALAN, ADA]))

    assert table_counts() == before
