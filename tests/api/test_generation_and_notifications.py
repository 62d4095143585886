"""AI generation jobs and notifications through the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.api.conftest import Api, World
from toolbox.ai.models import GenerationJob
from toolbox.learning.services import notification_create


@pytest.mark.django_db
def test_an_educator_asks_for_drafts_follows_and_cancels_the_job(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.educator)
    created = api.post(
        "/generation-jobs",
        {
            "kind": "quiz",
            "parameters": {
                "subject": "Science",
                "grade": "7",
                "topic": "Photosynthesis",
                "source_text": "Plants use light energy to make glucose from water and carbon dioxide.",
                "question_count": 3,
            },
        },
    )
    assert created.status_code == 202, created.content
    job = created.json()
    assert job["status"] in ("queued", "running", "succeeded")
    assert GenerationJob.objects.get(pk=job["id"]).created_by_id == world.educator.pk

    listed = api.get("/generation-jobs").json()
    assert {item["id"] for item in listed["items"]} == {job["id"], world.job.pk}
    assert api.get(f"/generation-jobs/{world.job.pk}").json()["links"] == {"lesson": None, "quiz": None}
    cancelled = api.post(f"/generation-jobs/{world.job.pk}/cancel").json()
    assert cancelled["status"] == "cancelled"
    again = api.post(f"/generation-jobs/{world.job.pk}/cancel")
    assert again.status_code == 409


@pytest.mark.django_db
def test_a_finished_job_links_to_its_drafts(world: World, api_as: Callable[..., Api]) -> None:
    GenerationJob.objects.filter(pk=world.job.pk).update(
        status="succeeded", quiz=world.draft_quiz, progress_percent=100
    )
    body = api_as(world.educator).get(f"/generation-jobs/{world.job.pk}").json()
    assert body["is_finished"] is True
    assert body["links"]["quiz"] == f"/api/v1/quizzes/{world.draft_quiz.pk}"
    assert api_as(world.educator).get(body["links"]["quiz"].removeprefix("/api/v1")).status_code == 200


@pytest.mark.django_db
def test_a_generation_request_is_validated_by_field(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.educator).post(
        "/generation-jobs", {"kind": "quiz", "parameters": {"subject": "Science", "grade": "14", "topic": "Cells"}}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parameters.grade"


@pytest.mark.django_db
def test_notifications_list_unread_and_mark_read(world: World, api_as: Callable[..., Api]) -> None:
    api = api_as(world.student)
    listed = api.get("/notifications").json()
    ids = [item["id"] for item in listed["items"]]
    assert world.notification.pk in ids
    assert listed["unread_count"] == len(ids)
    read = api.post(f"/notifications/{world.notification.pk}/read").json()
    assert read["read_at"] is not None
    unread = api.get("/notifications?unread=true").json()
    assert world.notification.pk not in [item["id"] for item in unread["items"]]
    assert unread["unread_count"] == len(ids) - 1
    assert api.post("/notifications/read-all").json() == {"marked": len(ids) - 1}
    assert api.get("/notifications").json()["unread_count"] == 0


@pytest.mark.django_db
def test_a_new_notification_is_listed_on_the_next_request(world: World, api_as: Callable[..., Api]) -> None:
    """The list is cached per user until their notifications change (toolbox/freshness.py)."""
    api = api_as(world.student)
    before = api.get("/notifications").json()

    notification_create(user=world.student, kind="reminder", message="Cells check is due", dedupe_key="due:cells")

    after = api.get("/notifications").json()
    assert after["items"][0]["message"] == "Cells check is due"
    assert (after["count"], after["unread_count"]) == (before["count"] + 1, before["unread_count"] + 1)
