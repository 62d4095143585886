"""Asking for AI drafts, and following the job live until its drafts reach the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from toolbox.accounts.mixins import (
    domain_errors_as_messages,
    domain_errors_to_form,
    is_htmx,
    not_found_as_404,
    role_required,
)
from toolbox.ai.selectors import (
    generation_job_detail,
    generation_job_progress,
    generation_jobs_for_educator,
    job_progress,
)
from toolbox.ai.services import generation_job_cancel, generation_job_create
from toolbox.educators.forms.content import GenerateForm
from toolbox.educators.views._shared import educator_of
from toolbox.educators.views.content import school_lessons

JOBS_PER_PAGE = 10
PROGRESS_FRAGMENT = "educators/generate/_progress.html"


def _page_number(request: HttpRequest) -> int:
    page = request.GET.get("page", "")
    return int(page) if page.isdigit() and int(page) > 0 else 1


def _initial_from_job(request: HttpRequest) -> dict[str, object]:
    """ "Try again" opens the form filled in as the earlier job was asked."""
    earlier = request.GET.get("again", "")
    if request.method != "GET" or not earlier.isdigit():
        return {}
    with not_found_as_404():
        job = generation_job_detail(user=educator_of(request), job_id=int(earlier))
    return GenerateForm.initial_from(job)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("educators:home")), ("Generate with AI", reverse("educators:generate")), *more]


@role_required("educator")
def generate(request: HttpRequest) -> HttpResponse:
    user = educator_of(request)
    form = GenerateForm(request.POST or None, lessons=school_lessons(user), initial=_initial_from_job(request))
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            kind, parameters = form.job_request()
            job = generation_job_create(actor=user, kind=kind, parameters=parameters)
            if job.status == "failed":
                messages.error(request, "The job could not start; the reason is below.")
            return redirect("educators:generation_job", job.pk)
    context = {
        "form": form,
        "jobs": generation_jobs_for_educator(user=user, page=_page_number(request), per_page=JOBS_PER_PAGE),
        "crumbs": _crumbs(),
    }
    return render(request, "educators/generate/form.html", context, status=422 if form.errors else 200)


@role_required("educator")
def generation_job(request: HttpRequest, pk: int) -> HttpResponse:
    with not_found_as_404():
        job = generation_job_detail(user=educator_of(request), job_id=pk)
    context = {
        "job": job,
        "progress": job_progress(job),
        "parameters": job.parameters or {},
        "crumbs": _crumbs((f"Job #{job.pk}", "")),
    }
    return render(request, "educators/generate/job.html", context)


@role_required("educator")
def generation_job_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What the job page polls every two seconds while the job is unfinished."""
    if not is_htmx(request):
        return redirect("educators:generation_job", pk)
    with not_found_as_404():
        progress = generation_job_progress(user=educator_of(request), job_id=pk)
    return render(request, PROGRESS_FRAGMENT, {"progress": progress})


@require_POST
@role_required("educator")
@domain_errors_as_messages
def generation_job_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = educator_of(request)
    with not_found_as_404():
        job = generation_job_detail(user=user, job_id=pk)
    cancelled = generation_job_cancel(actor=user, job=job)
    if is_htmx(request):
        return render(request, PROGRESS_FRAGMENT, {"progress": job_progress(cancelled)})
    messages.success(request, "Cancelled." if cancelled.is_finished else "Cancelling: the job stops at its next step.")
    return redirect("educators:generation_job", pk)
