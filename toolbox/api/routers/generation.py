"""AI generation jobs: ask for drafts, follow a job, cancel it. What a job drafts waits in
the review queue: the job links to it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from toolbox.accounts.models import User
from toolbox.ai import selectors as ai_selectors
from toolbox.ai import services as ai_services
from toolbox.ai.models import GenerationJob
from toolbox.api.pagination import from_django_page
from toolbox.api.schemas import PageQuery, PathId, responses
from toolbox.api.schemas.generation import GenerationJobIn, GenerationJobOut, GenerationJobPageOut

router = Router(tags=["generation"])


def job_body(job: GenerationJob) -> dict[str, Any]:
    root = reverse("api:api-root")
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress_percent": job.progress_percent,
        "stage": job.stage_message,
        "error": job.error_message,
        "is_finished": job.is_finished,
        "cancel_requested": job.cancel_requested,
        "provider": job.provider,
        "model_name": job.model_name,
        "warnings": [str(warning) for warning in job.warnings or []],
        "lesson_id": job.lesson_id,
        "quiz_id": job.quiz_id,
        "links": {
            "lesson": f"{root}lessons/{job.lesson_id}" if job.lesson_id else None,
            "quiz": f"{root}quizzes/{job.quiz_id}" if job.quiz_id else None,
        },
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.post(
    "/generation-jobs",
    response=responses({202: GenerationJobOut}, 404),
    operation_id="create_generation_job",
    summary="Ask for AI drafts",
    description=(
        "Queue a job that drafts a lesson, a quiz, both, or practice items. It runs in the background; "
        "poll get_generation_job. A job that cannot start (the offline generator without source text, "
        "or the school's daily AI budget spent) is answered as failed with the reason in `error`. "
        "A source lesson the caller cannot see answers 404."
    ),
)
def create_generation_job(request: HttpRequest, payload: GenerationJobIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    job = ai_services.generation_job_create(
        actor=user, kind=payload.kind, parameters=payload.parameters.model_dump(mode="json")
    )
    return Status(202, job_body(job))


@router.get(
    "/generation-jobs",
    response=responses({200: GenerationJobPageOut}),
    operation_id="list_generation_jobs",
    summary="List generation jobs",
    description="The caller's jobs (an admin's: the school's), newest first.",
)
def list_generation_jobs(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    jobs = ai_selectors.generation_jobs_for_educator(user=user, page=page.page, per_page=page.page_size)
    return from_django_page(jobs, job_body)


@router.get(
    "/generation-jobs/{job_id}",
    response=responses({200: GenerationJobOut}, 404),
    operation_id="get_generation_job",
    summary="Get a generation job",
    description="Its status, progress, error and links to the drafts it made.",
)
def get_generation_job(request: HttpRequest, job_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return job_body(ai_selectors.generation_job_detail(user=user, job_id=job_id))


@router.post(
    "/generation-jobs/{job_id}/cancel",
    response=responses({200: GenerationJobOut}, 404, 409),
    operation_id="cancel_generation_job",
    summary="Cancel a generation job",
    description="A queued job is cancelled at once; a running one stops at its next stage. 409 once finished.",
)
def cancel_generation_job(request: HttpRequest, job_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    job = ai_services.generation_job_cancel(
        actor=user, job=ai_selectors.generation_job_detail(user=user, job_id=job_id)
    )
    return job_body(ai_selectors.generation_job_detail(user=user, job_id=job.pk))
