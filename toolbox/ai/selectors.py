"""Every read the AI pages and endpoints need, each with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Sum
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob
from toolbox.errors import NotFoundError

JOBS_PER_PAGE = 20


def school_daily_token_budget(*, school_id: int) -> int:
    budget = School.objects.filter(pk=school_id).values_list("daily_token_budget", flat=True).first()
    return budget if budget is not None else settings.AI_DAILY_TOKEN_BUDGET


def school_tokens_used_today(*, school_id: int, now: dt.datetime | None = None) -> int:
    """Tokens spent by the school's jobs since midnight in the school's time zone."""
    school = School.objects.get(pk=school_id)
    local_now = (now or timezone.now()).astimezone(school.tzinfo)
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    totals = GenerationJob.objects.filter(school_id=school_id, created_at__gte=midnight).aggregate(
        tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out")
    )
    return (totals["tokens_in"] or 0) + (totals["tokens_out"] or 0)


def _jobs_visible_to(user: User) -> QuerySet[GenerationJob]:
    jobs = GenerationJob.objects.all()
    if permissions.is_educator(user):
        return jobs.filter(created_by_id=user.pk)
    if permissions.is_admin(user):
        return jobs if user.school_id is None else jobs.filter(school_id=user.school_id)
    return jobs.none()


def generation_jobs_for_educator(*, user: User, page: int = 1, per_page: int = JOBS_PER_PAGE) -> Page[GenerationJob]:
    """The educator's own jobs (an admin's: the school's), newest first, with what they drafted."""
    jobs = (
        _jobs_visible_to(user)
        .select_related("lesson", "quiz", "created_by")
        .defer("output")
        .order_by("-created_at", "-pk")
    )
    return Paginator(jobs, per_page).get_page(page)


def generation_job_detail(*, user: User, job_id: int) -> GenerationJob:
    """One job with links to its drafts (lesson, quiz and the quiz's question count)."""
    job = _jobs_visible_to(user).select_related("lesson", "quiz", "created_by", "answer").filter(pk=job_id).first()
    if job is None or not permissions.can_view_generation_job(user, job):
        raise NotFoundError("That generation job does not exist.")
    return job


@dataclass(frozen=True)
class JobProgress:
    job_id: int
    status: str
    percent: int
    stage: str
    error: str
    is_finished: bool
    lesson_id: int | None
    quiz_id: int | None
    # When the job was last handed to the task queue; None while a queued job has not reached
    # it (the broker was unreachable: the sweeper sends it again within a minute).
    dispatched_at: dt.datetime | None
    attempts: int

    @property
    def reached_task_queue(self) -> bool:
        return self.dispatched_at is not None


def job_progress(job: GenerationJob) -> JobProgress:
    """The progress of a job already loaded (with at least the fields `generation_job_progress`
    reads)."""
    return JobProgress(
        job_id=job.pk,
        status=job.status,
        percent=job.progress_percent,
        stage=job.stage_message,
        error=job.error_message,
        is_finished=job.is_finished,
        lesson_id=job.lesson_id,
        quiz_id=job.quiz_id,
        dispatched_at=job.dispatched_at,
        attempts=job.attempts,
    )


def generation_job_progress(*, user: User, job_id: int) -> JobProgress:
    """What a polling page needs, in one query."""
    job = (
        _jobs_visible_to(user)
        .filter(pk=job_id)
        .only(
            "pk",
            "status",
            "progress_percent",
            "stage_message",
            "error_message",
            "lesson_id",
            "quiz_id",
            "dispatched_at",
            "attempts",
            "created_by_id",
            "school_id",
        )
        .first()
    )
    if job is None:
        raise NotFoundError("That generation job does not exist.")
    return job_progress(job)
