"""The gradebook of a class, one attempt with its answers and grade overrides, the CSV
export, and the class insights (mastery heat map, most-missed questions)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from toolbox.accounts import permissions
from toolbox.accounts.mixins import domain_errors_to_form, is_htmx, render_page_or_fragment, role_required
from toolbox.classroom.models import Classroom
from toolbox.educators.forms.classes import GradeOverrideForm
from toolbox.educators.views._shared import class_crumbs, classroom_for_teacher, educator_of, in_school_time_zone
from toolbox.freshness import cached_for_users
from toolbox.learning.models import Answer, Attempt
from toolbox.learning.selectors import (
    AttemptDetail,
    GradebookCell,
    GradebookPage,
    GradebookRow,
    attempt_detail,
    class_insights,
    gradebook_page,
)
from toolbox.learning.selectors.gradebook_csv import gradebook_csv_stream
from toolbox.learning.services import grade_override

STUDENTS_PER_PAGE = 50


@role_required("educator")
@in_school_time_zone
def gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    page = gradebook_page(classroom=classroom, page_number=request.GET.get("page"), per_page=STUDENTS_PER_PAGE)
    return render(
        request,
        "educators/gradebook/gradebook.html",
        {
            "classroom": classroom,
            "book": page,
            "page_obj": page.page_obj,
            "rows": _presented_rows(page),
            "crumbs": class_crumbs(classroom, ("Gradebook", "")),
        },
    )


class PresentedRow(NamedTuple):
    """A student's row as the page shows it, with its cells' markup."""

    name: str
    missing_count: int
    average_percent: Decimal | None
    cells_html: SafeString


def _presented_rows(page: GradebookPage) -> tuple[PresentedRow, ...]:
    """The page's rows with their cells' markup, kept in the cache until one of the page's
    students' data changes (their generations, toolbox/freshness.py) or anything else the
    rows depend on does (`page.rows_key`: the assignments, which are past due, the page's
    students and names). Building the cells and their markup was most of what was left of
    the page's time once only the page's rows were built."""
    language = get_language()

    def build() -> tuple[PresentedRow, ...]:
        attempt_url = _attempt_url_maker(page.classroom.pk)
        titles = [conditional_escape(column.title) for column in page.columns]
        return tuple(
            PresentedRow(
                name=row.student.name,
                missing_count=row.missing_count,
                average_percent=row.average_percent,
                cells_html=_row_cells_html(row, titles, attempt_url, language),
            )
            for row in page.rows()
        )

    return cached_for_users(
        key=f"gradebook-rows-html:{page.rows_key}:{language}", user_ids=page.student_ids, build=build
    )


def _attempt_url_maker(classroom_id: int) -> Callable[[int], str]:
    """The attempt page's URL for an attempt id, reversed once per page rather than once
    per cell (a page holds up to 3,000 cells; `reverse` per cell was a tenth of its time)."""
    before, _, after = reverse("educators:attempt_detail", args=[classroom_id, 0]).rpartition("/0/")
    return lambda attempt_id: f"{before}/{attempt_id}/{after}"


def _badge(status: str, label: str) -> SafeString:
    """The markup of includes/status_badge.html."""
    return format_html('<span class="badge badge-dot badge-{}">{}</span>', status, label)


# The marks are the same in every cell: built once, not per cell.
LATE_BADGE = _badge("late", "Late")
TO_GRADE_BADGE = _badge("submitted", "To grade")
DONE_BADGE = _badge("done", "Done")
DONE_LATE_BADGES = format_html("{} {}", DONE_BADGE, LATE_BADGE)
MISSING_BADGE = _badge("missing", "Missing")
IN_PROGRESS_BADGE = _badge("in_progress", "In progress")
NOT_STARTED = mark_safe(
    '<span class="muted" aria-hidden="true">–</span><span class="visually-hidden">Not started</span>'
)


@functools.lru_cache(maxsize=4096)
def _percent_text(value: Decimal, language: str | None) -> str:
    """`floatformat:"-1"` of a score. Scores repeat across a class and floatformat was a
    fifth of the page's time; the language is part of the key for its decimal mark."""
    return floatformat(value, "-1")


def _cell_html(
    cell: GradebookCell, *, student: str, title: str, attempt_url: Callable[[int], str], language: str | None
) -> str:
    """One cell's markup: the counted score (a link to that attempt) or what is going on,
    with the student and assignment spelled out for screen readers on links.

    Built with f-strings from parts that are each safe already: `student` and `title` are
    escaped once per page by the caller, the marks above are constants, the score is a
    formatted number and the URL holds only ids. `format_html` per cell (it escapes every
    argument again) was a third of the page's time."""
    if cell.score_percent is not None:
        score = _percent_text(cell.score_percent, language)
        if cell.counted_attempt_id:
            html = (
                f'<a href="{attempt_url(cell.counted_attempt_id)}">{score}%'
                f'<span class="visually-hidden"> — {student}, {title}</span></a>'
            )
        else:
            html = f"{score}%"
        return f"{html} {LATE_BADGE}" if cell.is_late else html
    if cell.is_awaiting_grade and cell.awaiting_attempt_id:
        return (
            f'<a href="{attempt_url(cell.awaiting_attempt_id)}">{TO_GRADE_BADGE}'
            f'<span class="visually-hidden"> — {student}, {title}</span></a>'
        )
    if cell.is_done:
        return DONE_LATE_BADGES if cell.is_late else DONE_BADGE
    if cell.is_missing:
        return MISSING_BADGE
    if cell.is_in_progress:
        return IN_PROGRESS_BADGE
    return NOT_STARTED


def _row_cells_html(
    row: GradebookRow, titles: list[SafeString], attempt_url: Callable[[int], str], language: str | None
) -> SafeString:
    """The `<td>` of every assignment in a student's row; `titles` are the columns' titles,
    escaped once per page, as is the student's name here: every part is safe (see
    `_cell_html`), so the row is marked safe once."""
    student = conditional_escape(row.student.name)
    # Every part is escaped or constant (see `_cell_html`).
    cells = (
        _cell_html(cell, student=student, title=title, attempt_url=attempt_url, language=language)
        for title, cell in zip(titles, row.cells, strict=True)
    )
    return mark_safe("".join(f'<td class="text-center">{cell}</td>' for cell in cells))


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
