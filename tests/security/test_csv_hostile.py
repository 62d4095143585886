"""CSV through the real pages: the gradebook export neutralises cells a spreadsheet would run
as formulas, and a roster upload with formulas, a huge file, the wrong encoding or binary junk
gets a clear error with nothing written."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.classroom.roster_files import ADA, roster_csv
from tests.factories import AssignmentFactory, ClassroomFactory, EducatorFactory, EnrollmentFactory, StudentFactory
from tests.factories.learning import AttemptRowFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, Enrollment, RosterImport

pytestmark = pytest.mark.django_db

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,1)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x.invalid")']


@pytest.fixture
def classroom() -> Classroom:
    return ClassroomFactory(owner=EducatorFactory())


@pytest.fixture
def teacher(classroom: Classroom) -> Client:
    client = Client()
    client.force_login(classroom.owner, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_gradebook_export_neutralises_formula_cells(classroom: Classroom, teacher: Client) -> None:
    students = [
        StudentFactory(school=classroom.school, first_name=formula, last_name=formula, display_name="")
        for formula in FORMULAS
    ]
    for student in students:
        EnrollmentFactory(classroom=classroom, student=student)
    assignment = AssignmentFactory(classroom=classroom)
    assignment.quiz.title = "=1+1"
    assignment.quiz.save()
    AttemptRowFactory(assignment=assignment, student=students[0])

    response = teacher.get(f"/educator/classes/{classroom.pk}/gradebook.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))  # type: ignore[arg-type]
    cells = [cell for row in rows for cell in row]
    assert any("calc" in cell for cell in cells), "the hostile names are in the export"
    risky = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert risky == []
    assert rows[0][2].startswith("'=1+1 (due")


def _upload(teacher: Client, classroom: Classroom, content: bytes, name: str = "roster.csv") -> str:
    response = teacher.post(
        f"/educator/classes/{classroom.pk}/roster-import/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code in (200, 422)
    return response.content.decode()


def _nothing_written(classroom: Classroom, students_before: int) -> None:
    assert User.objects.filter(role="student").count() == students_before
    assert not Enrollment.objects.filter(classroom=classroom).exists()
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_roster_with_a_formula_cell_is_refused_with_the_row_named(
    classroom: Classroom, teacher: Client, formula: str
) -> None:
    before = User.objects.filter(role="student").count()
    content = roster_csv([ADA, (formula, "Lovelace", "x@example.test", "x.l", "7", "")])

    page = _upload(teacher, classroom, content)

    assert "spreadsheet would run as a formula" in page
    assert '<th scope="row" class="numeric">3</th>' in page
    confirm = teacher.post(f"/educator/classes/{classroom.pk}/roster-import/confirm/", {"file_sha256": "0" * 64})
    assert confirm.status_code in (200, 302, 400, 409, 422)
    _nothing_written(classroom, before)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not"),
        ("first_name,last_name,email,username,grade\nZoë,Brontë,z@example.test,zb,7\n".encode("utf-16"), "UTF-8"),
        (b"", "empty"),
        (b"first_name,last_name,email,username,grade\n" + b"A,B,a@example.test,a,7\n" * 120_000, "2 MB"),
    ],
    ids=["binary junk", "utf-16", "empty", "huge"],
)
def test_a_hostile_roster_file_gets_a_clear_error_and_writes_nothing(
    classroom: Classroom, teacher: Client, content: bytes, expected: str
) -> None:
    before = User.objects.filter(role="student").count()

    page = _upload(teacher, classroom, content)

    assert expected in page
    assert "Traceback" not in page
    _nothing_written(classroom, before)
