"""The content library and the lesson editor (with its live Markdown preview)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from toolbox.accounts import permissions
from toolbox.accounts.mixins import (
    domain_errors_as_messages,
    domain_errors_to_form,
    not_found_as_404,
    render_page_or_fragment,
    role_required,
)
from toolbox.accounts.models import User
from toolbox.content.markdown import markdown_render
from toolbox.content.models import Lesson
from toolbox.content.selectors import lesson_detail as select_lesson
from toolbox.content.selectors import lesson_library, quiz_library
from toolbox.content.services import content_submit_for_review, lesson_create, lesson_update
from toolbox.educators.forms.content import LessonForm, LibraryFilterForm
from toolbox.educators.views._shared import educator_of

LIBRARY_PAGE_SIZE = 25


def library_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("educators:home")), ("Library", reverse("educators:library")), *more]


def school_lessons(user: User) -> QuerySet[Lesson]:
    """The lessons a quiz may follow or a generation may build from: the school's, not archived."""
    return permissions.content_library_queryset(user, Lesson.objects.exclude(status="archived")).order_by("title")


@role_required("educator")
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    quizzes = form.showing_quizzes()
    select = quiz_library if quizzes else lesson_library
    filters = form.filters()
    page_obj = select(
        user=educator_of(request),
        page=request.GET.get("page") or 1,
        per_page=LIBRARY_PAGE_SIZE,
        subject=filters["subject"],
        grade_level=filters["grade_level"],
        status=filters["status"],
        source=filters["source"],
    )
    context = {
        "form": form,
        "page_obj": page_obj,
        "showing_quizzes": quizzes,
        "filtered": any(filters.values()),
        "crumbs": library_crumbs(),
    }
    return render_page_or_fragment(
        request, "educators/content/library.html", "educators/content/_results.html", context
    )


def _lesson_or_404(request: HttpRequest, pk: int) -> Lesson:
    with not_found_as_404():
        return select_lesson(user=educator_of(request), lesson_id=pk)


def _editor_context(
    form: LessonForm, *, lesson: Lesson | None, preview: str, crumbs: list[tuple[str, str]]
) -> dict[str, object]:
    return {"form": form, "lesson": lesson, "preview_html": preview, "crumbs": crumbs}


def _preview_of(form: LessonForm) -> str:
    text = form.data.get("body_markdown", "") if form.is_bound else form.initial.get("body_markdown", "")
    return markdown_render(text=str(text)) if str(text).strip() else ""


def _lesson_form(request: HttpRequest, initial: dict[str, Any]) -> LessonForm:
    """Bound to what was posted, except for the no-JavaScript Preview button: then the
    typed values come back unchecked (a preview is not a save, so no errors yet)."""
    if request.method == "POST" and "preview" in request.POST:
        typed = {name: request.POST.get(name, "") for name in LessonForm.base_fields if name != "objectives"}
        return LessonForm(initial={**typed, "objectives": request.POST.getlist("objectives")})
    return LessonForm(request.POST or None, initial=initial)


@role_required("educator")
def lesson_new(request: HttpRequest) -> HttpResponse:
    form = _lesson_form(request, {})
    crumbs = library_crumbs(("New lesson", ""))
    if form.is_bound and form.is_valid():
        with domain_errors_to_form(form):
            lesson = lesson_create(author=educator_of(request), **form.cleaned_data)
            messages.success(request, f"Lesson “{lesson.title}” saved as a draft.")
            return redirect("educators:lesson_detail", lesson.pk)
    status = 422 if form.errors else 200
    context = _editor_context(form, lesson=None, preview=_preview_of(form), crumbs=crumbs)
    return render(request, "educators/content/lesson_form.html", context, status=status)


@role_required("educator")
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson_or_404(request, pk)
    if not permissions.can_edit_content(educator_of(request), lesson):
        messages.info(request, "This lesson is published or archived, so it can no longer be changed.")
        return redirect("educators:lesson_detail", lesson.pk)
    form = _lesson_form(request, LessonForm.initial_from(lesson))
    crumbs = library_crumbs((lesson.title, reverse("educators:lesson_detail", args=[lesson.pk])), ("Edit", ""))
    if form.is_bound and form.is_valid():
        with domain_errors_to_form(form):
            lesson_update(actor=educator_of(request), lesson=lesson, **form.cleaned_data)
            messages.success(request, "Lesson saved.")
            return redirect("educators:lesson_detail", lesson.pk)
    status = 422 if form.errors else 200
    context = _editor_context(form, lesson=lesson, preview=_preview_of(form), crumbs=crumbs)
    return render(request, "educators/content/lesson_form.html", context, status=status)


@require_POST
@role_required("educator")
def lesson_preview(request: HttpRequest) -> HttpResponse:
    """The live preview: the posted Markdown, rendered and sanitised as students will see it."""
    text = request.POST.get("body_markdown", "")
    return render(
        request,
        "educators/content/_preview.html",
        {"preview_html": markdown_render(text=text) if text.strip() else ""},
    )


@role_required("educator")
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson_or_404(request, pk)
    user = educator_of(request)
    context = {
        "lesson": lesson,
        "can_edit": permissions.can_edit_content(user, lesson),
        "can_submit": permissions.can_submit_for_review(user, lesson),
        "can_review": lesson.status in ("draft", "in_review") and permissions.can_review_content(user, lesson),
        "crumbs": library_crumbs((lesson.title, "")),
    }
    return render(request, "educators/content/lesson_detail.html", context)


@require_POST
@role_required("educator")
@domain_errors_as_messages
def lesson_submit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson_or_404(request, pk)
    content_submit_for_review(actor=educator_of(request), content=lesson)
    messages.success(request, "Lesson sent for review.")
    return redirect("educators:lesson_detail", lesson.pk)
