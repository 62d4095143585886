"""The review queue: AI drafts and submitted drafts, read with their provenance, then
approved (published) or rejected with notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from toolbox.accounts import permissions
from toolbox.accounts.mixins import domain_errors_as_messages, domain_errors_to_form, not_found_as_404, role_required
from toolbox.content.models import Lesson, Quiz
from toolbox.content.selectors import lesson_detail, quiz_detail, review_queue
from toolbox.content.services import content_approve, content_reject
from toolbox.educators.forms.content import ApproveForm, RejectForm
from toolbox.educators.views._shared import educator_of


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("educators:home")), ("Review queue", reverse("educators:review_queue")), *more]


@role_required("educator")
def review_queue_view(request: HttpRequest) -> HttpResponse:
    queue = review_queue(user=educator_of(request), page=request.GET.get("page") or 1)
    context = {"queue": queue, "page_obj": queue.page, "crumbs": _crumbs()}
    return render(request, "educators/review/queue.html", context)


def _content_or_404(request: HttpRequest, kind: str, pk: int) -> Lesson | Quiz:
    if kind not in ("lesson", "quiz"):
        raise Http404("Only lessons and quizzes are reviewed.")
    with not_found_as_404():
        if kind == "lesson":
            return lesson_detail(user=educator_of(request), lesson_id=pk)
        return quiz_detail(user=educator_of(request), quiz_id=pk)


def _provenance(content: Lesson | Quiz) -> dict[str, Any]:
    details = content.provenance or {}
    return {
        "provider": content.ai_provider or details.get("provider") or "",
        "model": content.ai_model or details.get("model") or "",
        "prompt_version": content.prompt_version or details.get("prompt_version") or "",
        "reading_grade": details.get("reading_grade"),
        "target_reading_grade": details.get("target_reading_grade"),
        "warnings": [str(warning) for warning in details.get("warnings") or []],
        "safety_flags": [str(flag) for flag in details.get("safety_flags") or []],
        "tokens": (details.get("tokens_in") or 0) + (details.get("tokens_out") or 0),
        "job_id": content.generation_job_id,
    }


def _detail_page(
    request: HttpRequest,
    kind: str,
    content: Lesson | Quiz,
    *,
    approve_form: ApproveForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = educator_of(request)
    context = {
        "kind": kind,
        "content": content,
        "questions": list(content.questions.all()) if isinstance(content, Quiz) else [],
        "provenance": _provenance(content),
        "can_review": content.status in ("draft", "in_review") and permissions.can_review_content(user, content),
        "can_edit": permissions.can_edit_content(user, content),
        "approve_form": approve_form or ApproveForm(prefix="approve"),
        "reject_form": reject_form or RejectForm(prefix="reject"),
        "crumbs": _crumbs((content.title, "")),
    }
    return render(request, "educators/review/detail.html", context, status=status)


@role_required("educator")
def review_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _detail_page(request, kind, _content_or_404(request, kind, pk))


@require_POST
@role_required("educator")
@domain_errors_as_messages
def review_approve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    content = _content_or_404(request, kind, pk)
    form = ApproveForm(request.POST, prefix="approve")
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    content_approve(actor=educator_of(request), content=content, notes=notes)
    messages.success(request, f"“{content.title}” is approved and published: you can assign it now.")
    return redirect("educators:review_queue")


@require_POST
@role_required("educator")
def review_reject(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    content = _content_or_404(request, kind, pk)
    form = RejectForm(request.POST, prefix="reject")
    if form.is_valid():
        with domain_errors_to_form(form):
            content_reject(actor=educator_of(request), content=content, notes=form.cleaned_data["notes"])
            messages.success(request, f"“{content.title}” went back to its author as a draft, with your notes.")
            return redirect("educators:review_queue")
    return _detail_page(request, kind, content, reject_form=form, status=422)
