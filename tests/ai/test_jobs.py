"""A generation job's life: created, dispatched, run once, checked, saved as drafts for review."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, cast

import pytest
import time_machine
from celery import Task
from django.utils import timezone
from kombu.exceptions import OperationalError
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.ai.fake_openai import FakeOpenAI, Reply
from tests.ai.texts import FRACTIONS, PHOTOSYNTHESIS
from tests.factories import GenerationJobFactory, StudentFactory
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.providers.offline import OfflineProvider
from toolbox.ai.services import (
    generation_job_cancel,
    generation_job_create,
    generation_jobs_sweep,
)
from toolbox.ai.tasks import run_generation_job
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Question, Quiz
from toolbox.content.selectors import review_queue
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., Any]


def deliver(job_id: int) -> str:
    """One delivery of the task, run here as a worker would run it."""
    return str(cast(Task, run_generation_job).apply(args=[job_id]).get())


def parameters(**overrides: object) -> dict[str, object]:
    return {
        "subject": "Science",
        "grade": "7",
        "topic": "Photosynthesis",
        "source_text": PHOTOSYNTHESIS,
        "question_count": 6,
        **overrides,
    }


def create(
    educator: User, capture: CaptureCallbacks, kind: str = JobKind.LESSON_AND_QUIZ, **overrides: object
) -> GenerationJob:
    with capture(execute=True):
        job = generation_job_create(actor=educator, kind=kind, parameters=parameters(**overrides))
    job.refresh_from_db()
    return job


@pytest.mark.usefixtures("offline", "eager_celery")
def test_a_job_runs_from_queued_to_succeeded_with_drafts_waiting_for_review(
    educator: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    job = create(educator, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_percent, job.attempts, job.error_message) == (100, 1, "")
    assert job.lesson is not None
    assert job.quiz is not None
    for content in (job.lesson, job.quiz):
        assert content.status == ContentStatus.DRAFT  # in the review queue, never published
        assert content.source == ContentSource.AI
        assert content.generation_job_id == job.pk
        assert content.author_id == educator.pk
        assert content.provenance["provider"] == "offline"
        assert content.provenance["prompt_version"] == "lesson-v1+quiz-v1"
        assert isinstance(content.provenance["reading_grade"], float)
    assert job.quiz.lesson_id == job.lesson.pk
    assert job.quiz.questions.count() == 6
    queue = review_queue(user=educator)
    assert sorted((item.kind, item.content.pk) for item in queue.page) == [
        ("lesson", job.lesson.pk),
        ("quiz", job.quiz.pk),
    ]
    assert "## What you will learn" in job.lesson.body_markdown
    assert job.output is not None
    assert job.output["quiz"]["questions"]


@pytest.mark.usefixtures("offline", "eager_celery")
def test_a_duplicated_or_redelivered_task_produces_one_draft(
    educator: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ)

    assert deliver(job.pk) == "skipped"
    assert deliver(job.pk) == "skipped"
    assert Quiz.objects.filter(generation_job=job).count() == 1
    job.refresh_from_db()
    assert job.attempts == 1


@pytest.mark.usefixtures("offline", "eager_celery")
def test_practice_items_become_a_practice_bank_quiz(
    educator: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.PRACTICE_ITEMS, source_text=FRACTIONS)
    assert job.quiz is not None
    assert job.quiz.is_practice_bank
    assert job.lesson is None


@pytest.mark.usefixtures("offline")
def test_a_queued_job_is_cancelled_at_once_and_its_task_then_does_nothing(educator: User) -> None:
    job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters())

    cancelled = generation_job_cancel(actor=educator, job=job)

    assert cancelled.status == JobStatus.CANCELLED
    assert deliver(job.pk) == "skipped"
    assert not Quiz.objects.filter(generation_job=job).exists()
    with pytest.raises(ConflictError):
        generation_job_cancel(actor=educator, job=cancelled)


@pytest.mark.usefixtures("offline")
def test_a_running_job_stops_at_its_next_stage_when_cancelled(educator: User, monkeypatch: pytest.MonkeyPatch) -> None:
    job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters())
    write_quiz = OfflineProvider.generate_quiz

    def cancelled_while_writing(self: OfflineProvider, **kwargs: Any) -> Any:
        generation_job_cancel(actor=educator, job=GenerationJob.objects.get(pk=job.pk))
        return write_quiz(self, **kwargs)

    monkeypatch.setattr(OfflineProvider, "generate_quiz", cancelled_while_writing)

    assert deliver(job.pk) == JobStatus.CANCELLED
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert not Quiz.objects.filter(generation_job=job).exists()


@pytest.mark.usefixtures("offline")
def test_offline_with_no_source_text_fails_at_once_saying_how_to_configure_a_model(educator: User) -> None:
    job = generation_job_create(actor=educator, kind=JobKind.LESSON, parameters=parameters(source_text=""))

    assert job.status == JobStatus.FAILED
    assert "OPENAI_API_KEY" in job.error_message
    assert job.dispatched_at is None


@pytest.mark.usefixtures("offline", "eager_celery")
def test_a_job_can_build_from_an_existing_lesson(
    educator: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    source = Lesson.objects.create(
        school=educator.school, author=educator, title="Fractions", subject="Maths", grade_level="5",
        body_markdown=FRACTIONS, status=ContentStatus.PUBLISHED,
    )  # fmt: skip
    job = create(
        educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ, source_text="", source_lesson_id=source.pk
    )
    assert job.status == JobStatus.SUCCEEDED
    assert job.quiz is not None
    assert Question.objects.filter(quiz=job.quiz, prompt__icontains="numerator").exists()


def test_requests_are_validated_and_only_for_those_who_author_content(educator: User, student: User) -> None:
    with pytest.raises(InvalidInputError, match="grade"):
        generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters(grade="13"))
    with pytest.raises(InvalidInputError, match="kind"):
        generation_job_create(actor=educator, kind="poem", parameters=parameters())
    with pytest.raises(ForbiddenError):
        generation_job_create(actor=student, kind=JobKind.QUIZ, parameters=parameters())
    assert not GenerationJob.objects.exists()


def test_over_the_daily_budget_a_job_fails_at_once_with_a_clear_message(
    educator: User, school: School, fake_openai: FakeOpenAI
) -> None:
    school.daily_token_budget = 1000
    school.save()
    GenerationJobFactory(school=school, created_by=educator, status=JobStatus.SUCCEEDED, tokens_in=800, tokens_out=300)

    job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters())

    assert job.status == JobStatus.FAILED
    assert "1,100 of 1,000 tokens" in job.error_message
    assert fake_openai.chat_requests == []


def test_yesterdays_spending_does_not_count_against_today(
    educator: User, school: School, fake_openai: FakeOpenAI
) -> None:
    school.daily_token_budget = 1000
    school.save()
    with time_machine.travel(timezone.now() - dt.timedelta(days=1)):
        GenerationJobFactory(school=school, created_by=educator, status=JobStatus.SUCCEEDED, tokens_in=5000)

    job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters())
    assert job.status == JobStatus.QUEUED


@pytest.mark.usefixtures("eager_celery")
def test_openai_job_records_tokens_and_an_identical_request_reuses_the_output_in_new_drafts(
    educator: User, fake_openai: FakeOpenAI, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    first = create(educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ)
    assert first.status == JobStatus.SUCCEEDED
    assert (first.tokens_in, first.tokens_out) == (100, 50)
    assert first.estimated_cost_usd > 0
    calls = len(fake_openai.chat_requests)

    # The same request with different case and spacing.
    second = create(
        educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ, topic="  photosynthesis ", subject="science"
    )

    assert second.request_fingerprint == first.request_fingerprint
    assert second.status == JobStatus.SUCCEEDED
    assert len(fake_openai.chat_requests) == calls  # the provider was not asked again
    assert (second.tokens_in, second.tokens_out) == (0, 0)
    assert second.quiz is not None
    assert first.quiz is not None
    assert second.quiz.pk != first.quiz.pk  # its own drafts, to review on their own
    assert second.quiz.provenance["reused_output_of_job"] == first.pk
    assert second.quiz.questions.count() == first.quiz.questions.count()


@pytest.mark.usefixtures("eager_celery")
def test_rate_limited_then_successful_job_retries_and_succeeds_once(
    educator: User, fake_openai: FakeOpenAI, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    fake_openai.queue(Reply(status=429))

    job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ)

    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == 2
    assert Quiz.objects.filter(generation_job=job).count() == 1


@pytest.mark.usefixtures("eager_celery")
def test_server_errors_until_the_retry_limit_fail_with_a_message_for_people(
    educator: User, fake_openai: FakeOpenAI, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    fake_openai.always = Reply(status=500)

    job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ)

    assert job.status == JobStatus.FAILED
    assert job.attempts == 6  # the first try and five retries
    assert len(fake_openai.chat_requests) == 6
    assert job.error_message == (
        "The model server had an error (HTTP 500). It kept failing after 6 attempts; please try again later."
    )
    assert "Traceback" not in job.error_message
    assert "sk-test" not in job.error_message


@pytest.mark.usefixtures("eager_celery")
def test_invalid_answers_after_two_repairs_fail_the_job_with_the_validation_message(
    educator: User, fake_openai: FakeOpenAI, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    fake_openai.always = Reply(arguments="{not json")

    job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ)

    assert job.status == JobStatus.FAILED
    assert job.error_message.startswith("The model's answer did not pass validation after 2 repair attempts")
    assert job.tokens_in == 300  # the three answers were paid for
    assert not Quiz.objects.filter(generation_job=job).exists()


@pytest.mark.usefixtures("eager_celery")
def test_no_student_name_or_email_reaches_the_provider_and_drafts_get_them_back(
    educator: User, school: School, fake_openai: FakeOpenAI, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    ada = StudentFactory(school=school, first_name="Adaline", last_name="Okonkwo", display_name="Addy O",
                         email="adaline.okonkwo@pupils.example")  # fmt: skip
    bert = StudentFactory(school=school, first_name="Bertrand", last_name="Villeneuve", email="bv@pupils.example")
    text = (
        f"{PHOTOSYNTHESIS}\nAdaline Okonkwo noticed that the leaves turned towards the window. Addy O and "
        "Bertrand wrote to adaline.okonkwo@pupils.example and bv@pupils.example about it. Ask Villeneuve."
    )

    job = create(educator, django_capture_on_commit_callbacks, source_text=text, topic="Plants, with Bertrand")

    assert job.status == JobStatus.SUCCEEDED
    sent = fake_openai.all_request_text()
    assert fake_openai.chat_requests
    assert fake_openai.moderation_requests
    for person in (ada, bert):
        for private in (person.first_name, person.last_name, person.email):
            assert private.lower() not in sent.lower()
    assert "Addy O" not in sent
    assert "[STUDENT_1]" in sent
    assert "[STUDENT_2_FIRST]" in sent
    # The fake model echoes the first placeholder it saw; the saved draft has the real name.
    assert job.lesson is not None
    assert "Adaline Okonkwo asked a good question" in job.lesson.body_markdown
    assert "[STUDENT_" not in json.dumps(job.output)


@pytest.mark.usefixtures("offline", "eager_celery")
def test_the_sweeper_dispatches_a_job_created_while_the_broker_was_unreachable(
    educator: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patched:
        patched.setattr(run_generation_job, "apply_async", broker_down)
        job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.QUIZ)
    assert job.status == JobStatus.QUEUED  # saved, not an error
    assert job.dispatched_at is None

    assert generation_jobs_sweep(now=timezone.now() + dt.timedelta(seconds=30)).redispatched == 0
    report = generation_jobs_sweep(now=timezone.now() + dt.timedelta(minutes=2))

    assert report.redispatched == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert Quiz.objects.filter(generation_job=job).count() == 1


@pytest.mark.usefixtures("offline", "eager_celery")
def test_the_sweeper_recovers_a_job_whose_worker_died_and_gives_up_after_the_attempt_cap(
    educator: User, school: School, settings: SettingsWrapper
) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=1)
    source = {"subject": "Science", "grade": "7", "topic": "Plants", "source_text": PHOTOSYNTHESIS}
    orphan = GenerationJobFactory(school=school, created_by=educator, status=JobStatus.RUNNING, attempts=1,
                                  heartbeat_at=long_ago, parameters=source)  # fmt: skip
    hopeless = GenerationJobFactory(school=school, created_by=educator, status=JobStatus.RUNNING,
                                    attempts=settings.AI_JOB_MAX_ATTEMPTS, heartbeat_at=long_ago)  # fmt: skip
    alive = GenerationJobFactory(school=school, created_by=educator, status=JobStatus.RUNNING, attempts=1,
                                 heartbeat_at=timezone.now())  # fmt: skip
    GenerationJob.objects.filter(pk__in=[orphan.pk, hopeless.pk]).update(created_at=long_ago)

    report = generation_jobs_sweep()

    assert (report.recovered, report.failed) == (1, 1)
    orphan.refresh_from_db()
    hopeless.refresh_from_db()
    alive.refresh_from_db()
    assert orphan.status == JobStatus.SUCCEEDED
    assert orphan.attempts == 2
    assert hopeless.status == JobStatus.FAILED
    assert "interrupted 6 times" in hopeless.error_message
    assert alive.status == JobStatus.RUNNING


def test_the_sweeper_leaves_a_job_waiting_to_retry_alone_until_its_time(educator: User, school: School) -> None:
    waiting = GenerationJobFactory(
        school=school, created_by=educator, dispatched_at=timezone.now() + dt.timedelta(minutes=4)
    )
    GenerationJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))

    assert generation_jobs_sweep(now=timezone.now() + dt.timedelta(minutes=2)).redispatched == 0


@pytest.mark.usefixtures("offline")
def test_a_job_of_a_deleted_source_lesson_fails_with_a_message(educator: User, school: School) -> None:
    job = GenerationJobFactory(school=school, created_by=educator, parameters={**parameters(), "source_text": "",
                                                                               "source_lesson_id": 999999})  # fmt: skip

    assert deliver(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error_message == "The lesson this job was to build from has been deleted."


@pytest.mark.usefixtures("offline")
def test_an_unexpected_error_fails_the_job_with_a_message_for_people_and_no_details(
    educator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = generation_job_create(actor=educator, kind=JobKind.QUIZ, parameters=parameters())

    def crash(self: OfflineProvider, **kwargs: Any) -> Any:
        raise RuntimeError("token sk-live-123 leaked in a stack trace")

    monkeypatch.setattr(OfflineProvider, "generate_quiz", crash)

    assert deliver(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message.startswith("Something went wrong on our side")
    assert "sk-live" not in job.error_message
    assert "RuntimeError" not in job.error_message


@pytest.mark.usefixtures("offline", "eager_celery")
def test_content_safety_flags_reach_the_reviewer_as_a_warning(
    educator: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    text = PHOTOSYNTHESIS + "\nSome websites selling cocaine claim it helps plants grow. That is false."

    job = create(educator, django_capture_on_commit_callbacks, kind=JobKind.LESSON, source_text=text)

    assert job.status == JobStatus.SUCCEEDED
    assert job.lesson is not None
    assert job.lesson.provenance["safety_flags"] == ["drugs"]
    assert any("content-safety" in warning for warning in job.warnings)
    assert job.lesson.status == ContentStatus.DRAFT


@pytest.mark.usefixtures("eager_celery")
def test_a_lesson_far_from_its_reading_level_gets_one_revision_pass_then_a_warning(
    educator: User, fake_openai: FakeOpenAI, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # The fake model's lesson reads at about grade 0: fine for grade 1, far below grade 7.
    on_level = create(educator, django_capture_on_commit_callbacks, kind=JobKind.LESSON, grade="1")
    assert len(fake_openai.chat_requests) == 1
    assert on_level.warnings == []

    below_level = create(educator, django_capture_on_commit_callbacks, kind=JobKind.LESSON, grade="7")

    assert below_level.status == JobStatus.SUCCEEDED
    assert len(fake_openai.chat_requests) == 3  # the lesson, then one revision pass
    assert "read at grade 7" in json.dumps(fake_openai.chat_requests[2]["messages"])
    assert any("more than two grades from the target 7" in warning for warning in below_level.warnings)
    assert below_level.lesson is not None
    assert below_level.lesson.provenance["target_reading_grade"] == 7
