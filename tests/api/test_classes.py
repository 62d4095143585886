"""Classes, rosters, joining, roster import and parent invites through the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.conftest import Api, World
from tests.factories import StudentFactory
from toolbox.accounts.models import ParentLink, User
from toolbox.classroom.models import Enrollment

ROSTER = b"first_name,last_name,email,username,grade\nGrace,Hopper,,grace.h,7\nAlan,Turing,alan@example.org,alan.t,7\n"
BAD_ROSTER = b"first_name,last_name,email,username,grade\nGrace,,,grace.h,7\nAlan,Turing,,alan.t,13\n"


@pytest.mark.django_db
def test_an_educator_creates_reads_updates_and_archives_a_class(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    created = api.post(
        "/classes",
        {"name": "Biology 8", "subject": "Science", "grade_level": "8", "co_teacher_ids": [world.other_educator.pk]},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["owner"]["id"] == world.educator.pk
    assert len(body["join_code"]) >= 6
    class_id = body["id"]
    assert api_as(world.other_educator).get(f"/classes/{class_id}").status_code == 200, "co-teachers see it"

    updated = api.patch(f"/classes/{class_id}", {"name": "Biology 8 (spring)"})
    assert updated.json()["name"] == "Biology 8 (spring)"
    assert updated.json()["grade_level"] == "8", "fields not sent stay as they were"

    assert api.post(f"/classes/{class_id}/archive").json()["is_archived"] is True
    listed = api.get("/classes").json()
    assert class_id not in [c["id"] for c in listed["items"]]
    assert class_id in [c["id"] for c in api.get("/classes?include_archived=true").json()["items"]]


@pytest.mark.django_db
def test_students_list_their_classes_without_join_codes(world: World, api_as: Callable[..., Api]) -> None:
    items = api_as(world.student).get("/classes").json()["items"]
    assert [(c["id"], c["join_code"], c["student_count"]) for c in items] == [(world.classroom.pk, None, 1)]
    assert api_as(world.student).get(f"/classes/{world.classroom.pk}").json()["join_code"] is None
    assert api_as(world.educator).get(f"/classes/{world.classroom.pk}").json()["join_code"] == world.classroom.join_code


@pytest.mark.django_db
def test_validation_errors_name_the_field(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.educator).post("/classes", {"name": "", "subject": "Science", "grade_level": "13"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {error["field"] for error in body["errors"]} == {"name", "grade_level"}


@pytest.mark.django_db
def test_a_co_teacher_that_is_not_an_educator_is_refused_by_field(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.educator).post(
        "/classes", {"name": "X", "subject": "Science", "grade_level": "7", "co_teacher_ids": [world.student.pk]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "co_teacher_ids"


@pytest.mark.django_db
def test_the_roster_adds_and_removes_students(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    path = f"/classes/{world.classroom.pk}/students"
    assert api.post(path, {"student_id": world.newcomer.pk}).json()["status"] == "active"
    roster = api.get(path).json()
    assert {s["id"] for s in roster["students"]} == {world.student.pk, world.newcomer.pk}
    assert roster["join_code"] == world.classroom.join_code

    removed = api.delete(f"{path}/{world.newcomer.pk}")
    assert removed.json()["status"] == "removed"
    assert {s["id"] for s in api.get(path).json()["students"]} == {world.student.pk}
    assert api.delete(f"{path}/{world.newcomer.pk}").json()["status"] == "removed", "removing twice is harmless"


@pytest.mark.django_db
def test_a_student_joins_by_code_and_a_wrong_code_is_404(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.newcomer)
    joined = api.post("/classes/join", {"code": world.classroom.join_code.lower()})
    assert joined.status_code == 201, joined.content
    assert Enrollment.objects.filter(classroom=world.classroom, student=world.newcomer, status="active").exists()
    wrong = api.post("/classes/join", {"code": "NOPE1234"})
    assert wrong.status_code == 404
    assert wrong.json()["code"] == "not_found"


@pytest.mark.django_db
def test_another_schools_code_answers_as_an_unknown_code_does(world: World, api_as: Callable[..., Api]) -> None:
    outsider = api_as(StudentFactory(school=world.other_school))
    foreign = outsider.post("/classes/join", {"code": world.classroom.join_code})
    unknown = outsider.post("/classes/join", {"code": "ZZZZZZZ"})
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content.replace(world.classroom.join_code.encode(), b"ZZZZZZZ") == unknown.content


@pytest.mark.django_db
def test_roster_import_previews_then_commits_once(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    path = f"/api/v1/classes/{world.classroom.pk}/roster-import"
    preview = api.client.post(path, {"file": _upload(ROSTER)})
    assert preview.status_code == 200, preview.content
    assert preview.json()["dry_run"] is True
    assert [row["action"] for row in preview.json()["rows"]] == ["create", "create"]
    assert not User.objects.filter(username="grace.h").exists(), "a dry run changes nothing"

    committed = api.client.post(path, {"file": _upload(ROSTER), "dry_run": "false"})
    assert committed.status_code == 200, committed.content
    body = committed.json()
    assert body["created_students"] == 2
    assert {s["username"] for s in body["new_students"]} == {"grace.h", "alan.t"}
    again = api.client.post(path, {"file": _upload(ROSTER), "dry_run": "false"}).json()
    assert again["repeated"] is True
    assert User.objects.filter(username="grace.h").count() == 1


@pytest.mark.django_db
def test_roster_import_reports_problems_per_row(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    path = f"/api/v1/classes/{world.classroom.pk}/roster-import"
    preview = api.client.post(path, {"file": _upload(BAD_ROSTER)}).json()
    assert preview["is_valid"] is False
    assert {(e["row"], e["column"]) for e in preview["errors"]} == {(2, "last_name"), (3, "grade")}

    refused = api.client.post(path, {"file": _upload(BAD_ROSTER), "dry_run": "false"})
    assert refused.status_code == 422
    assert {(e["row"], e["column"]) for e in refused.json()["errors"]} == {(2, "last_name"), (3, "grade")}
    assert all(set(e) == {"row", "column", "message"} for e in refused.json()["errors"])


@pytest.mark.django_db
def test_roster_import_is_for_the_class_teachers(world: World, api_as: Callable[..., Api]) -> None:
    path = f"/api/v1/classes/{world.classroom.pk}/roster-import"
    assert api_as(world.other_educator).client.post(path, {"file": _upload(ROSTER)}).status_code == 404
    assert api_as(world.student).client.post(path, {"file": _upload(ROSTER)}).status_code == 403
    missing_file = api_as(world.educator).client.post(path, {})
    assert missing_file.status_code == 422
    assert missing_file.json()["errors"][0]["field"] == "file"


@pytest.mark.django_db
def test_parent_invites_are_made_listed_and_redeemable(world: World, api_as: Callable[..., Api]) -> None:
    from toolbox.classroom.services import parent_invite_redeem

    api = api_as(world.educator)
    created = api.post(f"/students/{world.student.pk}/parent-invites")
    assert created.status_code == 201
    code = created.json()["code"]
    listed = api.get(f"/students/{world.student.pk}/parent-invites").json()
    assert [invite["code"] for invite in listed] == [code]
    parent_invite_redeem(parent=world.other_parent, code=code)
    assert ParentLink.objects.filter(parent=world.other_parent, student=world.student).exists()
    assert (
        api.get(f"/students/{world.student.pk}/parent-invites").json()[0]["redeemed_by"]["id"] == world.other_parent.pk
    )


def _upload(content: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("roster.csv", content, content_type="text/csv")
