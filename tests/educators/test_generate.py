"""AI generation pages: the form starts a job (offline, with no configuration), the job page
shows each state honestly, its progress fragment polls only while unfinished, cancelling,
and other people's jobs are 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from celery import Task
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.ai.texts import PHOTOSYNTHESIS
from tests.factories import EducatorFactory, LessonFactory
from tests.factories.ai import GenerationJobFactory
from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob, JobStatus
from toolbox.ai.tasks import run_generation_job
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Quiz

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
HTMX = {"HX-Request": "true"}
POLLING = 'hx-trigger="every 2s"'


@pytest.fixture(autouse=True)
def offline(settings: SettingsWrapper) -> None:
    settings.OPENAI_API_KEY = ""


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "lesson_quiz",
        "subject": "Science",
        "grade": "7",
        "topic": "Photosynthesis",
        "objectives": "Explain how plants make food\n\nName the gas plants release",
        "source_text": PHOTOSYNTHESIS,
        "question_count": "5",
        "question_kinds": ["single_choice", "true_false", "short_answer"],
        "reading_level": "",
    }
    data.update(overrides)
    return data


def test_the_form_asks_for_everything_with_defaults(login: Login, educator: User) -> None:
    html = login(educator).get(reverse("educators:generate")).content.decode()
    for label in ("What to make", "Subject", "Grade", "Topic", "Objectives", "Source text", "Number of questions"):
        assert label in html
    assert 'value="lesson_quiz" required id="id_kind_0" checked' in html
    assert "No jobs yet" in html


def test_starting_a_job_redirects_to_its_page(login: Login, educator: User) -> None:
    response = login(educator).post(reverse("educators:generate"), _form())
    job = GenerationJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:generation_job", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    assert job.created_by == educator
    assert job.parameters["objectives"] == ["Explain how plants make food", "Name the gas plants release"]
    assert job.parameters["question_kinds"] == ["single_choice", "true_false", "short_answer"]
    assert job.parameters["source_text"].startswith("# Photosynthesis")


def test_offline_without_source_text_fails_with_the_reason_and_how_to_configure(login: Login, educator: User) -> None:
    client = login(educator)
    response = client.post(reverse("educators:generate"), _form(source_text=""), follow=True)
    job = GenerationJob.objects.get()
    assert job.status == JobStatus.FAILED
    html = response.content.decode()
    assert "The job failed." in html
    assert "Offline mode writes lessons and quizzes from source text" in html
    assert "OPENAI_API_KEY" in html
    assert POLLING not in html


def test_form_errors_are_shown_beside_the_fields(login: Login, educator: User) -> None:
    response = login(educator).post(reverse("educators:generate"), _form(topic="", question_kinds=[]))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_topic_error"' in html
    assert 'id="id_question_kinds_error"' in html
    assert not GenerationJob.objects.exists()


def test_service_errors_are_shown_on_the_form(login: Login, educator: User) -> None:
    lesson = LessonFactory(school=educator.school)
    response = login(educator).post(reverse("educators:generate"), _form(source_lesson_id=str(lesson.pk)))
    assert response.status_code == 422
    assert "Give either source text or a source lesson, not both." in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_a_queued_job_page_polls_and_says_it_waits_for_a_worker(login: Login, educator: User) -> None:
    job = GenerationJobFactory(
        school=educator.school, created_by=educator, stage_message="Waiting for a worker", dispatched_at=timezone.now()
    )
    html = login(educator).get(reverse("educators:generation_job", args=[job.pk])).content.decode()
    assert POLLING in html
    assert reverse("educators:generation_job_progress", args=[job.pk]) in html
    assert "Waiting for a worker" in html
    assert "worker may not be running" in html
    assert "another try" not in html
    assert "unreachable" not in html
    assert "Cancel job" in html
    assert "<progress" in html


def test_a_job_asked_for_while_the_task_queue_is_down_says_so_and_when_it_is_retried(
    login: Login,
    educator: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(run_generation_job, "apply_async", broker_down)
    client = login(educator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("educators:generate"), _form(source_text=PHOTOSYNTHESIS), follow=True)
    job = GenerationJob.objects.get()
    assert (job.status, job.dispatched_at) == (JobStatus.QUEUED, None)
    html = response.content.decode()
    assert "The task queue was unreachable; it will be retried automatically within a minute." in html
    assert "Waiting for a worker" not in html
    assert POLLING in html

    fragment = client.get(reverse("educators:generation_job_progress", args=[job.pk]), headers=HTMX).content.decode()
    assert "The task queue was unreachable" in fragment


def test_a_job_queued_again_after_its_worker_stopped_says_it_is_another_try(login: Login, educator: User) -> None:
    job = GenerationJobFactory(
        school=educator.school,
        created_by=educator,
        attempts=2,
        stage_message="The worker stopped; queued again",
        dispatched_at=timezone.now(),
    )
    html = (
        login(educator).get(reverse("educators:generation_job_progress", args=[job.pk]), headers=HTMX).content.decode()
    )
    assert "The worker stopped; queued again" in html
    assert "It has run 2 times before without finishing; this is another try." in html


def test_a_running_job_shows_its_percent_and_stage(login: Login, educator: User) -> None:
    job = GenerationJobFactory(
        school=educator.school,
        created_by=educator,
        status=JobStatus.RUNNING,
        progress_percent=40,
        stage_message="Writing questions",
    )
    html = (
        login(educator).get(reverse("educators:generation_job_progress", args=[job.pk]), headers=HTMX).content.decode()
    )
    assert html.lstrip().startswith('<div id="job-progress"')
    assert POLLING in html
    assert 'value="40"' in html
    assert "40%" in html
    assert "Writing questions" in html


def test_a_cancelled_job_stops_polling(login: Login, educator: User) -> None:
    job = GenerationJobFactory(school=educator.school, created_by=educator, status=JobStatus.CANCELLED)
    html = (
        login(educator).get(reverse("educators:generation_job_progress", args=[job.pk]), headers=HTMX).content.decode()
    )
    assert POLLING not in html
    assert "cancelled" in html


def test_progress_without_htmx_redirects_to_the_job_page(login: Login, educator: User) -> None:
    job = GenerationJobFactory(school=educator.school, created_by=educator)
    response = login(educator).get(reverse("educators:generation_job_progress", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:generation_job", args=[job.pk])


def test_the_whole_job_runs_offline_and_ends_with_links_to_the_drafts(login: Login, educator: User) -> None:
    client = login(educator)
    client.post(reverse("educators:generate"), _form())
    job = GenerationJob.objects.get()
    progress_url = reverse("educators:generation_job_progress", args=[job.pk])
    assert POLLING in client.get(progress_url, headers=HTMX).content.decode()
    cast(Task, run_generation_job).apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    lesson, quiz = Lesson.objects.get(), Quiz.objects.get()
    assert (lesson.source, lesson.status) == (ContentSource.AI, ContentStatus.DRAFT)
    assert quiz.questions.count() >= 1
    html = client.get(progress_url, headers=HTMX).content.decode()
    assert POLLING not in html
    assert reverse("educators:review_detail", args=["lesson", lesson.pk]) in html
    assert reverse("educators:review_detail", args=["quiz", quiz.pk]) in html
    listing = client.get(reverse("educators:generate")).content.decode()
    assert f"#{job.pk} · Lesson and quiz" in listing
    assert lesson.title in listing


def test_cancelling_a_queued_job(login: Login, educator: User) -> None:
    job = GenerationJobFactory(school=educator.school, created_by=educator)
    response = login(educator).post(reverse("educators:generation_job_cancel", args=[job.pk]), headers=HTMX)
    assert response.status_code == 200
    assert POLLING not in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


def test_cancelling_a_finished_job_is_a_message(login: Login, educator: User) -> None:
    job = GenerationJobFactory(school=educator.school, created_by=educator, status=JobStatus.SUCCEEDED)
    response = login(educator).post(reverse("educators:generation_job_cancel", args=[job.pk]), follow=True)
    assert "nothing to cancel" in response.content.decode()


def test_another_educators_job_is_404(login: Login, educator: User) -> None:
    job = GenerationJobFactory(school=educator.school, created_by=EducatorFactory(school=educator.school))
    client = login(educator)
    assert client.get(reverse("educators:generation_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("educators:generation_job_progress", args=[job.pk]), headers=HTMX).status_code == 404
    assert client.post(reverse("educators:generation_job_cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_recent_jobs_are_paginated(login: Login, educator: User) -> None:
    GenerationJobFactory.create_batch(12, school=educator.school, created_by=educator)
    client = login(educator)
    assert "Showing 1–10 of 12" in client.get(reverse("educators:generate")).content.decode()
    assert "Showing 11–12 of 12" in client.get(reverse("educators:generate"), {"page": 2}).content.decode()


def test_try_again_fills_the_form_as_the_failed_job_was_asked(login: Login, educator: User) -> None:
    client = login(educator)
    client.post(reverse("educators:generate"), _form(source_text="", topic="Volcanoes"))
    job = GenerationJob.objects.get()
    html = client.get(reverse("educators:generate"), {"again": job.pk}).content.decode()
    assert 'value="Volcanoes"' in html
    assert "Explain how plants make food\nName the gas plants release" in html
    other = GenerationJobFactory(school=educator.school, created_by=EducatorFactory(school=educator.school))
    assert client.get(reverse("educators:generate"), {"again": other.pk}).status_code == 404
