"""Asking for a generation job, cancelling it, dispatching it, and sweeping up lost ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

import structlog
from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from pydantic import ValidationError

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.prompts import PROMPT_VERSIONS
from toolbox.ai.providers import current_model_name, current_provider_name
from toolbox.ai.providers.offline import NEEDS_SOURCE_MESSAGE
from toolbox.ai.providers.openai import describe_validation_error
from toolbox.ai.schemas import GenerationRequest, normalise_text
from toolbox.ai.selectors import school_daily_token_budget, school_tokens_used_today
from toolbox.content.models import Lesson
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

logger = structlog.get_logger(__name__)

QUEUED_GRACE = dt.timedelta(minutes=1)
SWEEP_BATCH = 500
CONTENT_KINDS = frozenset({JobKind.LESSON, JobKind.QUIZ, JobKind.LESSON_AND_QUIZ, JobKind.PRACTICE_ITEMS})


def over_budget_message(*, used: int, budget: int) -> str:
    return (
        f"Your school has used its AI allowance for today ({used:,} of {budget:,} tokens). "
        "Ask again tomorrow, or ask an admin to raise the school's daily token budget."
    )


def request_fingerprint(*, kind: str, normalised: dict[str, Any], provider: str, model: str, prompt: str) -> str:
    """The same request (after normalising), model and prompt version → the same hash."""
    payload = json.dumps(
        {"kind": kind, "inputs": normalised, "provider": provider, "model": model, "prompt": prompt},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def normalised_request(request: GenerationRequest, *, source_digest: str) -> dict[str, Any]:
    """Case, spacing and order differences do not make a request different."""
    return {
        "subject": normalise_text(request.subject),
        "grade": request.grade,
        "topic": normalise_text(request.topic),
        "objectives": sorted(normalise_text(objective) for objective in request.objectives),
        "objective_ids": sorted(set(request.objective_ids)),
        "source": source_digest,
        "question_count": request.question_count,
        "question_kinds": sorted(request.question_kinds),
        "target_grade": request.target_grade,
    }


def _source_digest(request: GenerationRequest, source_lesson: Lesson | None) -> str:
    text = source_lesson.body_markdown if source_lesson is not None else request.source_text
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest() if text.strip() else ""


def _parse_request(kind: str, parameters: dict[str, Any]) -> GenerationRequest:
    if kind not in CONTENT_KINDS:
        if kind == JobKind.ANSWER_FEEDBACK:
            raise InvalidInputError("Ask for answer feedback from the answer itself.", field="kind")
        raise InvalidInputError(f"Unknown kind of job “{kind}”: use lesson, quiz, lesson_quiz or practice_items.")
    try:
        return GenerationRequest.model_validate(parameters)
    except ValidationError as error:
        errors: list[dict[str, object]] = [
            {"field": ".".join(str(part) for part in detail["loc"]), "message": detail["msg"]}
            for detail in error.errors()
        ]
        raise InvalidInputError(
            f"The request is not complete: {describe_validation_error(error)}", errors=errors
        ) from None


def _source_lesson(actor: User, request: GenerationRequest) -> Lesson | None:
    if request.source_lesson_id is None:
        return None
    lesson = Lesson.objects.filter(pk=request.source_lesson_id).first()
    if lesson is None or not permissions.can_view_content(actor, lesson):
        raise NotFoundError("That source lesson does not exist.", field="source_lesson_id")
    return lesson


def _failure_at_once(*, request: GenerationRequest, source_lesson: Lesson | None, school_id: int) -> str:
    """Why the job cannot even start (it is then saved as failed, with this sentence)."""
    provider = current_provider_name()
    if provider == "offline" and not request.source_text.strip() and source_lesson is None:
        return NEEDS_SOURCE_MESSAGE
    if provider != "offline":
        used, budget = school_tokens_used_today(school_id=school_id), school_daily_token_budget(school_id=school_id)
        if used >= budget:
            return over_budget_message(used=used, budget=budget)
    return ""


def generation_job_create(*, actor: User, kind: str, parameters: dict[str, Any]) -> GenerationJob:
    """Ask for a lesson, a quiz, both, or practice items. The job runs in the background;
    what it drafts waits in the review queue. A job that cannot start (offline with no
    source text, or the school's daily token budget spent) is saved as failed with a
    sentence that says why, so the educator sees it where the job would be."""
    if not permissions.can_request_generation(actor):
        raise ForbiddenError("Only educators and admins of a school can ask for AI drafts.")
    assert actor.school_id is not None
    request = _parse_request(kind, parameters)
    source_lesson = _source_lesson(actor, request)
    provider, model, prompt = current_provider_name(), current_model_name(), PROMPT_VERSIONS[kind]
    fingerprint = request_fingerprint(
        kind=kind,
        normalised=normalised_request(request, source_digest=_source_digest(request, source_lesson)),
        provider=provider,
        model=model,
        prompt=prompt,
    )
    with transaction.atomic():
        failure = _failure_at_once(request=request, source_lesson=source_lesson, school_id=actor.school_id)
        job = GenerationJob.objects.create(
            school_id=actor.school_id,
            created_by=actor,
            kind=kind,
            parameters=request.model_dump(mode="json"),
            request_fingerprint=fingerprint,
            provider=provider,
            model_name=model,
            prompt_version=prompt,
            status=JobStatus.FAILED if failure else JobStatus.QUEUED,
            error_message=failure,
            stage_message="Could not start" if failure else "Waiting for a worker",
            finished_at=timezone.now() if failure else None,
        )
        if not failure:
            transaction.on_commit(lambda: generation_job_dispatch(job_id=job.pk))
    logger.info("ai_job_created", job_id=job.pk, kind=kind, provider=provider, status=job.status)
    return job


def generation_job_dispatch(*, job_id: int) -> bool:
    """Hand a queued job to Celery. If the broker cannot be reached the job simply stays
    queued (the request is never an error page) and the sweeper sends it later."""
    from toolbox.ai.tasks import run_generation_job

    GenerationJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        dispatched_at=timezone.now(), updated_at=timezone.now()
    )
    try:
        cast(Task, run_generation_job).apply_async(args=[job_id], retry=False)
    except Exception as error:  # noqa: BLE001 — a down broker raises kombu, redis or socket errors alike.
        GenerationJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(dispatched_at=None)
        logger.warning("ai_job_dispatch_failed", job_id=job_id, error=type(error).__name__)
        return False
    return True


def generation_job_cancel(*, actor: User, job: GenerationJob) -> GenerationJob:
    """A queued job is cancelled at once; a running one stops at its next stage."""
    if not permissions.can_view_generation_job(actor, job):
        raise NotFoundError("That generation job does not exist.")
    with transaction.atomic():
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:
            raise ConflictError(
                f"This job has already {JobStatus(locked.status).label.lower()}; there is nothing to cancel."
            )
        locked.cancel_requested = True
        if locked.status == JobStatus.QUEUED:
            locked.status = JobStatus.CANCELLED
            locked.stage_message = "Cancelled"
            locked.finished_at = timezone.now()
        else:
            locked.stage_message = "Cancelling…"
        locked.save(update_fields=["cancel_requested", "status", "stage_message", "finished_at", "updated_at"])
    logger.info("ai_job_cancel_requested", job_id=job.pk, status=locked.status)
    return locked


@dataclass(frozen=True)
class SweepReport:
    redispatched: int
    recovered: int
    failed: int


def _stale_running(now: dt.datetime) -> Q:
    stale_before = now - dt.timedelta(seconds=settings.AI_JOB_STALE_AFTER_SECONDS)
    return Q(status=JobStatus.RUNNING) & (
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, updated_at__lt=stale_before)
    )


def generation_jobs_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """No request is lost: jobs left queued for over a minute (the broker was down, or a
    message went missing) are sent again, and running jobs whose worker stopped sending
    heartbeats are queued again, until the attempt cap, after which they fail."""
    now = now or timezone.now()
    recovered = failed = 0
    stale = _stale_running(now)
    for job in GenerationJob.objects.filter(stale).only("pk", "attempts", "cancel_requested")[:SWEEP_BATCH]:
        # Conditional on still being stale: a worker that sent a heartbeat meanwhile keeps its job.
        still_stale = GenerationJob.objects.filter(stale, pk=job.pk)
        if job.cancel_requested:
            failed += still_stale.update(
                status=JobStatus.CANCELLED, stage_message="Cancelled", finished_at=now, updated_at=now
            )
        elif job.attempts >= settings.AI_JOB_MAX_ATTEMPTS:
            failed += still_stale.update(
                status=JobStatus.FAILED,
                error_message=(
                    f"The job was interrupted {job.attempts} times (the worker running it stopped) and has been "
                    "given up. Ask for it again; if this keeps happening, tell your administrator."
                ),
                stage_message="Failed",
                finished_at=now,
                updated_at=now,
            )
        else:
            recovered += still_stale.update(
                status=JobStatus.QUEUED,
                stage_message="The worker stopped; queued again",
                dispatched_at=None,
                updated_at=now,
            )
    waiting = (
        GenerationJob.objects.filter(status=JobStatus.QUEUED)
        .annotate(last_sent=Coalesce("dispatched_at", "created_at"))
        .filter(last_sent__lt=now - QUEUED_GRACE)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    redispatched = sum(generation_job_dispatch(job_id=job_id) for job_id in list(waiting))
    report = SweepReport(redispatched=redispatched, recovered=recovered, failed=failed)
    logger.info("ai_jobs_swept", handled=redispatched + recovered, failed=failed, recovered=recovered)
    return report
