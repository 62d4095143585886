"""Running one generation job: scrub → generate → check → save, in stages.

`generation_job_run` is what the Celery task calls. It claims the job (so a duplicated or
redelivered task does nothing), checks for cancellation between stages, and ends the job
in a clear state with a message for people: succeeded with drafts in the review queue,
failed with the reason, or cancelled. A passing provider failure is handed back to the task
(as `RetryableFailureError`) which retries with backoff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.ai.checks import flesch_kincaid_grade, reading_level_is_off, revalidated, safety_text
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.offline.text import markdown_to_plain
from toolbox.ai.providers import get_provider
from toolbox.ai.providers.base import GenerationError, Provider, ProviderUnavailableError
from toolbox.ai.schemas import GenerationRequest, LessonDraft, QuizDraft
from toolbox.ai.scrub import Scrubber
from toolbox.ai.selectors import school_daily_token_budget, school_tokens_used_today
from toolbox.ai.services.drafts import save_lesson, save_quiz
from toolbox.ai.services.feedback import run_answer_feedback
from toolbox.ai.services.jobs import over_budget_message
from toolbox.ai.services.runstate import (
    JobCancelledError,
    JobRun,
    JobSupersededError,
    RetryableFailureError,
    job_claim,
)
from toolbox.content.models import Lesson
from toolbox.errors import DomainError

logger = structlog.get_logger(__name__)

LESSON_KINDS = frozenset({JobKind.LESSON, JobKind.LESSON_AND_QUIZ})
QUIZ_KINDS = frozenset({JobKind.QUIZ, JobKind.LESSON_AND_QUIZ, JobKind.PRACTICE_ITEMS})


def generation_job_run(*, job_id: int) -> str:
    """Run a queued job once. Returns the status it ended in, or "skipped" when this
    delivery did not get the job (another has it, or it is finished or cancelled)."""
    job = job_claim(job_id=job_id)
    if job is None:
        logger.info("ai_job_not_claimed", job_id=job_id)
        return "skipped"
    run = JobRun(job=job)
    try:
        if job.kind == JobKind.ANSWER_FEEDBACK:
            run_answer_feedback(run, provider=get_provider())
        else:
            _run_content(run)
    except JobSupersededError:
        logger.info("ai_job_superseded", job_id=job_id, attempt=run.attempt)
        return "skipped"
    except JobCancelledError:
        run.end(JobStatus.CANCELLED, stage="Cancelled")
        return JobStatus.CANCELLED
    except GenerationError as error:
        run.tokens_in += error.tokens_in
        run.tokens_out += error.tokens_out
        run.end(JobStatus.FAILED, stage="Failed", error=error.message)
        logger.info("ai_job_failed", job_id=job_id, reason=error.message[:200])
        return JobStatus.FAILED
    except ProviderUnavailableError as error:
        now = timezone.now()
        run.owned().update(heartbeat_at=now, updated_at=now, **run.spent())
        raise RetryableFailureError(str(error), attempt=run.attempt) from error
    return JobStatus.SUCCEEDED


def generation_job_retry_later(*, job_id: int, attempt: int, reason: str, countdown: float) -> bool:
    """After a passing provider failure: queue the job again to run in `countdown` seconds
    (True), or, past the retry limit, fail it with the reason (False)."""
    now = timezone.now()
    owned = GenerationJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt)
    if attempt > settings.AI_JOB_MAX_RETRIES:
        owned.update(
            status=JobStatus.FAILED,
            stage_message="Failed",
            error_message=f"{reason} It kept failing after {attempt} attempts; please try again later.",
            finished_at=now,
            updated_at=now,
        )
        return False
    return bool(
        owned.update(
            status=JobStatus.QUEUED,
            stage_message=f"{reason} Trying again in {round(countdown)} s.",
            # The sweeper leaves a queued job alone for a minute after this time.
            dispatched_at=now + dt.timedelta(seconds=countdown),
            updated_at=now,
        )
    )


def generation_job_fail(*, job_id: int, message: str) -> None:
    """End a running job as failed (the task's last resort, e.g. past its time limit)."""
    now = timezone.now()
    GenerationJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, stage_message="Failed", error_message=message, finished_at=now, updated_at=now
    )


def _source_text(request: GenerationRequest) -> str:
    if request.source_lesson_id is None:
        return request.source_text
    lesson = Lesson.objects.filter(pk=request.source_lesson_id).only("body_markdown").first()
    if lesson is None:
        raise GenerationError("The lesson this job was to build from has been deleted.")
    return markdown_to_plain(lesson.body_markdown)


def _reusable_output(job: GenerationJob) -> GenerationJob | None:
    """An earlier identical request of the same school that succeeded. Only the same
    school: restored output can hold the names of that school's students."""
    return (
        GenerationJob.objects.filter(
            school_id=job.school_id,
            request_fingerprint=job.request_fingerprint,
            status=JobStatus.SUCCEEDED,
            output__isnull=False,
        )
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .only("pk", "output", "warnings")
        .first()
    )


def _check_budget(run: JobRun, provider: Provider) -> None:
    if provider.name == "offline":
        return
    used = school_tokens_used_today(school_id=run.job.school_id)
    budget = school_daily_token_budget(school_id=run.job.school_id)
    if used >= budget:
        raise GenerationError(over_budget_message(used=used, budget=budget))


def _generate(run: JobRun, provider: Provider, request: GenerationRequest, source_text: str) -> dict[str, Any]:
    kind = run.job.kind
    run.stage(10, "Removing students' personal data")
    scrubber = Scrubber.for_school(run.job.school_id)
    scrubbed_source = scrubber.scrub(source_text)
    scrubbed = request.model_copy(
        update={
            "topic": scrubber.scrub(request.topic),
            "objectives": [scrubber.scrub(objective) for objective in request.objectives],
            "source_text": scrubbed_source,
        }
    )
    lesson: LessonDraft | None = None
    quiz: QuizDraft | None = None
    if kind in LESSON_KINDS:
        run.stage(20, "Writing the lesson")
        lesson = run.add(provider.generate_lesson(request=scrubbed, source_text=scrubbed_source))
    if kind in QUIZ_KINDS:
        run.stage(50, "Writing the quiz")
        quiz = run.add(provider.generate_quiz(request=scrubbed, source_text=scrubbed_source, lesson=lesson))
    run.stage(75, "Checking reading level and safety")
    reading_grade: float | None = None
    if lesson is not None:
        reading_grade = flesch_kincaid_grade(lesson.body_markdown)
        if reading_level_is_off(reading_grade, request.target_grade):
            revised = provider.revise_reading_level(request=scrubbed, lesson=lesson, measured_grade=reading_grade)
            if revised is not None:
                run.stage(85, "Revising the reading level")
                lesson = run.add(revised)
                reading_grade = flesch_kincaid_grade(lesson.body_markdown)
            if reading_level_is_off(reading_grade, request.target_grade):
                run.warnings.append(
                    f"The lesson reads at grade {reading_grade:.1f}, more than two grades from the target "
                    f"{request.target_grade}: adjust its wording before approving it."
                )
    safety_flags = provider.flag_unsafe(text=safety_text(lesson, quiz))
    if safety_flags:
        run.warnings.append("Flagged for the reviewer by the content-safety check: " + ", ".join(safety_flags) + ".")
    return {
        "lesson": revalidated(lesson).model_dump() if lesson else None,
        "quiz": revalidated(quiz).model_dump() if quiz else None,
        "reading_grade": reading_grade,
        "safety_flags": safety_flags,
        "restored": scrubber.restore_data,
    }


def _run_content(run: JobRun) -> None:
    job = run.job
    request = GenerationRequest.model_validate(job.parameters)
    provider = get_provider()
    run.stage(5, "Reading the source text")
    source_text = _source_text(request)
    earlier = _reusable_output(job)
    if earlier is not None and earlier.output is not None:
        output = earlier.output
        run.warnings.extend(earlier.warnings)
        reused_from: int | None = earlier.pk
    else:
        _check_budget(run, provider)
        generated = _generate(run, provider, request, source_text)
        restore = generated.pop("restored")
        output = restore(generated)
        reused_from = None
    lesson = LessonDraft.model_validate(output["lesson"]) if output.get("lesson") else None
    quiz = QuizDraft.model_validate(output["quiz"]) if output.get("quiz") else None
    run.stage(90, "Saving the drafts")
    provenance = {
        "provider": provider.name,
        "model": provider.model_name,
        "prompt_version": job.prompt_version,
        "generation_job_id": job.pk,
        "tokens_in": run.tokens_in,
        "tokens_out": run.tokens_out,
        "reading_grade": output.get("reading_grade"),
        "target_reading_grade": request.target_grade,
        "safety_flags": output.get("safety_flags", []),
        "warnings": run.warnings,
        "reused_output_of_job": reused_from,
    }
    _save(run, request, output, lesson, quiz, provenance)


def _save(
    run: JobRun,
    request: GenerationRequest,
    output: dict[str, Any],
    lesson: LessonDraft | None,
    quiz: QuizDraft | None,
    provenance: dict[str, Any],
) -> None:
    """The drafts and the job's success in one transaction: all of it or none of it, and
    only by the run that still owns the job."""
    try:
        with transaction.atomic():
            locked = (
                GenerationJob.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=run.job.pk)
            )
            if locked.status != JobStatus.RUNNING or locked.attempts != run.attempt:
                raise JobSupersededError
            if locked.cancel_requested:
                raise JobCancelledError
            author = locked.created_by
            if author is None or not permissions.can_author_content(author):
                raise GenerationError(
                    "The educator who asked for this job can no longer write content, so its drafts were not saved."
                )
            saved_lesson = (
                save_lesson(author=author, job=locked, request=request, lesson=lesson, provenance=provenance)
                if lesson
                else None
            )
            saved_quiz = (
                save_quiz(
                    author=author,
                    job=locked,
                    request=request,
                    quiz=quiz,
                    provenance=provenance,
                    lesson=saved_lesson,
                    is_practice_bank=locked.kind == JobKind.PRACTICE_ITEMS,
                )
                if quiz
                else None
            )
            run.end(
                JobStatus.SUCCEEDED,
                stage="Done: the drafts are waiting for review",
                progress_percent=100,
                output=output,
                lesson=saved_lesson,
                quiz=saved_quiz,
                provider=str(provenance["provider"]),
                model_name=str(provenance["model"]),
            )
    except DomainError as error:
        raise GenerationError(f"The draft could not be saved: {error.message}") from error
    logger.info("ai_job_succeeded", job_id=run.job.pk, tokens_in=run.tokens_in, tokens_out=run.tokens_out)
