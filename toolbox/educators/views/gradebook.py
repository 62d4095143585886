"""The gradebook of a class, one attempt with its answers and grade overrides, the CSV
export, and the class insights (mastery heat map, most-missed questions)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from toolbox.accounts import permissions
from toolbox.accounts.mixins import domain_errors_to_form, is_htmx, render_page_or_fragment, role_required
from toolbox.classroom.models import Classroom
from toolbox.educators.forms.classes import GradeOverrideForm
from toolbox.educators.views._shared import class_crumbs, classroom_for_teacher, educator_of, in_school_time_zone
from toolbox.learning.models import Answer, Attempt
from toolbox.learning.selectors import AttemptDetail, attempt_detail, class_insights, gradebook_for_classroom
from toolbox.learning.selectors.gradebook_csv import gradebook_csv_stream
from toolbox.learning.services import grade_override

STUDENTS_PER_PAGE = 50


@role_required("educator")
@in_school_time_zone
def gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    book = gradebook_for_classroom(classroom=classroom)
    page_obj = Paginator(book.rows, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "educators/gradebook/gradebook.html",
        {
            "classroom": classroom,
            "book": book,
            "page_obj": page_obj,
            "rows": [(row, list(zip(book.columns, row.cells, strict=True))) for row in page_obj],
            "crumbs": class_crumbs(classroom, ("Gradebook", "")),
        },
    )


# role_required is typed for HttpResponse; a streamed answer passes through it unchanged.
@role_required("educator")  # pyright: ignore[reportArgumentType]
def gradebook_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    classroom = classroom_for_teacher(request, pk)
    response = StreamingHttpResponse(gradebook_csv_stream(classroom=classroom), content_type="text/csv; charset=utf-8")
    filename = f"gradebook-{slugify(classroom.name) or classroom.pk}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _attempt_in_class(request: HttpRequest, classroom: Classroom, attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_related("assignment__classroom", "student")
        .defer("snapshot")
        .filter(pk=attempt_id, assignment__classroom_id=classroom.pk)
        .first()
    )
    if attempt is None or not permissions.can_view_attempt(educator_of(request), attempt):
        raise Http404("This attempt does not exist, or it is not in a class you teach.")
    return attempt


def _override_forms(detail: AttemptDetail, bound: GradeOverrideForm | None, bound_answer_id: int | None) -> dict:
    forms: dict[int, GradeOverrideForm] = {}
    for answer in detail.answers:
        if answer.answer_id is None:
            continue
        if answer.answer_id == bound_answer_id and bound is not None:
            forms[answer.answer_id] = bound
        else:
            forms[answer.answer_id] = GradeOverrideForm(
                prefix=f"answer-{answer.answer_id}",
                initial={"points": answer.points_awarded, "feedback": answer.feedback},
            )
    return forms


def _attempt_page(
    request: HttpRequest,
    classroom: Classroom,
    attempt: Attempt,
    *,
    bound: GradeOverrideForm | None = None,
    bound_answer_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = attempt_detail(attempt=attempt)
    forms = _override_forms(detail, bound, bound_answer_id)
    context: dict[str, Any] = {
        "classroom": classroom,
        "detail": detail,
        "answers": [(answer, forms.get(answer.answer_id or 0)) for answer in detail.answers],
        "can_grade": detail.status != "in_progress",
        "is_fragment": is_htmx(request),
        "crumbs": class_crumbs(
            classroom,
            ("Gradebook", reverse("educators:gradebook", args=[classroom.pk])),
            (f"{detail.student.name}: {detail.assignment_title}", ""),
        ),
    }
    return render_page_or_fragment(
        request, "educators/gradebook/attempt.html", "educators/gradebook/_attempt.html", context, status=status
    )


@role_required("educator")
@in_school_time_zone
def attempt_view(request: HttpRequest, pk: int, attempt_id: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    return _attempt_page(request, classroom, _attempt_in_class(request, classroom, attempt_id))


@role_required("educator")
def attempt_open(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Lists that know an attempt but not its class (the home page's recent submissions)
    link here; the attempt's page lives under its class."""
    attempt = Attempt.objects.select_related("assignment__classroom").defer("snapshot").filter(pk=attempt_id).first()
    if attempt is None or not permissions.can_view_attempt(educator_of(request), attempt):
        raise Http404("This attempt does not exist, or it is not in a class you teach.")
    return redirect("educators:attempt_detail", attempt.assignment.classroom_id, attempt.pk)


@require_POST
@role_required("educator")
@in_school_time_zone
def answer_override(request: HttpRequest, pk: int, attempt_id: int, answer_id: int) -> HttpResponse:
    """Change one answer's points with a reason (or confirm the AI's suggestion)."""
    classroom = classroom_for_teacher(request, pk)
    attempt = _attempt_in_class(request, classroom, attempt_id)
    answer = Answer.objects.filter(pk=answer_id, attempt_id=attempt.pk).first()
    if answer is None:
        raise Http404("This answer is not part of this attempt.")
    form = GradeOverrideForm(request.POST, prefix=f"answer-{answer.pk}")
    if form.is_valid():
        with domain_errors_to_form(form):
            grade_override(actor=educator_of(request), answer=answer, **form.cleaned_data)
            messages.success(request, "Grade changed; the attempt's score is updated and the change is recorded.")
            if is_htmx(request):
                return _attempt_page(request, classroom, attempt)
            return redirect(
                f"{reverse('educators:attempt_detail', args=[classroom.pk, attempt.pk])}#answer-{answer.pk}"
            )
    return _attempt_page(request, classroom, attempt, bound=form, bound_answer_id=answer.pk, status=422)


@role_required("educator")
@in_school_time_zone
def insights(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    insights = class_insights(classroom=classroom)
    return render(
        request,
        "educators/gradebook/insights.html",
        {
            "classroom": classroom,
            "insights": insights,
            # The hardest questions come first; one that everybody got right was not missed.
            "most_missed": [missed for missed in insights.most_missed if missed.stats.correct < missed.stats.graded],
            "crumbs": class_crumbs(classroom, ("Insights", "")),
        },
    )
