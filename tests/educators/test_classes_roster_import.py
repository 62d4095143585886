"""Roster import: upload → dry run (errors by row and column, or the plan) with nothing
written → commit of exactly the previewed file → printable set-password links."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import StudentFactory
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Classroom, Enrollment, RosterImport

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

GOOD = (
    b"first_name,last_name,email,username,grade,parent_email\n"
    b"Amara,Okafor,amara@school.example,amara.okafor,7,parent@home.example\n"
    b"Ben,Liu,,ben.liu,7,\n"
    b"Carla,Mendes,carla@school.example,carla.m,7,\n"
)
BAD = b"first_name,last_name,email,username,grade\nAmara,Okafor,not-an-email,amara.okafor,7\n,Liu,,ben.liu,14\n"


def _upload(client: Client, classroom: Classroom, content: bytes, name: str = "roster.csv"):
    return client.post(
        reverse("educators:roster_import", args=[classroom.pk]), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def _students() -> int:
    return User.objects.filter(role=Role.STUDENT).count()


def test_the_upload_page_explains_the_columns(login: Login, educator: User, classroom: Classroom) -> None:
    body = login(educator).get(reverse("educators:roster_import", args=[classroom.pk])).content.decode()
    assert "parent_email" in body
    assert 'type="file"' in body


def test_a_bad_file_lists_every_error_by_row_and_column_and_writes_nothing(
    login: Login, educator: User, classroom: Classroom
) -> None:
    before = _students()

    response = _upload(login(educator), classroom, BAD)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Fix the roster file" in body
    assert "3 problems found in roster.csv" in body
    assert "“not-an-email” is not a valid e-mail address." in body
    assert "The first name is missing." in body
    assert "“14” is not a grade" in body
    assert '<th scope="row" class="numeric">2</th>' in body
    assert '<td data-label="Column">grade</td>' in body
    assert "Import " not in body.split("Fix the roster file")[1].split("Upload the corrected file")[0]
    assert _students() == before
    assert not Enrollment.objects.exists()


def test_a_good_file_previews_the_plan_without_writing(login: Login, educator: User, classroom: Classroom) -> None:
    existing = StudentFactory(school=educator.school, username="carla.m")
    before = _students()

    body = _upload(login(educator), classroom, GOOD).content.decode()

    assert "Check the roster before importing" in body
    assert "Import 3 students" in body
    assert "New account" in body
    assert "Added to the class" in body
    assert existing.username in body
    assert _students() == before
    assert not Enrollment.objects.exists()


def test_confirming_imports_the_previewed_file_and_shows_printable_links(
    login: Login, educator: User, classroom: Classroom
) -> None:
    client = login(educator)
    preview = _upload(client, classroom, GOOD)
    sha = preview.context["report"].file_sha256

    response = client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": sha})

    body = response.content.decode()
    assert response.status_code == 200
    assert Enrollment.objects.filter(classroom=classroom).count() == 3
    assert body.count('class="print-slip"') == 3
    assert "/accounts/set-password/" in body
    assert "amara.okafor" in body
    assert "data-print" in body
    assert RosterImport.objects.get(classroom=classroom).created_students == 3


def test_confirming_twice_does_not_import_twice(login: Login, educator: User, classroom: Classroom) -> None:
    client = login(educator)
    sha = _upload(client, classroom, GOOD).context["report"].file_sha256
    client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": sha})

    again = client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": sha})

    assert again.status_code == 302
    assert again["Location"] == reverse("educators:roster_import", args=[classroom.pk])
    assert RosterImport.objects.count() == 1
    assert Enrollment.objects.count() == 3


def test_the_same_file_uploaded_again_shows_the_earlier_links(
    login: Login, educator: User, classroom: Classroom
) -> None:
    client = login(educator)
    sha = _upload(client, classroom, GOOD).context["report"].file_sha256
    first = client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": sha})
    _upload(client, classroom, GOOD)

    second = client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": sha})

    assert "already imported" in second.content.decode()
    assert first.context["result"].new_students == second.context["result"].new_students
    assert User.objects.filter(username="amara.okafor").count() == 1


def test_a_commit_without_a_preview_writes_nothing(login: Login, educator: User, classroom: Classroom) -> None:
    response = login(educator).post(
        reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": "0" * 64}
    )
    assert response.status_code == 302
    assert not Enrollment.objects.exists()


def test_a_commit_must_name_the_previewed_file(login: Login, educator: User, classroom: Classroom) -> None:
    client = login(educator)
    _upload(client, classroom, GOOD)

    response = client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": "f" * 64})

    assert response.status_code == 302
    assert not Enrollment.objects.exists()


def test_a_file_that_turns_bad_before_the_commit_is_refused_with_its_errors(
    login: Login, educator: User, classroom: Classroom
) -> None:
    client = login(educator)
    sha = _upload(client, classroom, GOOD).context["report"].file_sha256
    User.objects.create(username="ben.liu", role=Role.EDUCATOR, school=educator.school)

    response = client.post(reverse("educators:roster_import_confirm", args=[classroom.pk]), {"file_sha256": sha})

    body = response.content.decode()
    assert "Nothing was changed" in body
    assert "belongs to a educator account" in body
    assert not Enrollment.objects.exists()


def test_a_missing_file_is_an_error_by_the_field(login: Login, educator: User, classroom: Classroom) -> None:
    response = login(educator).post(reverse("educators:roster_import", args=[classroom.pk]), {})
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()
