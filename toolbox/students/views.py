"""The student's pages: home, joining a class, lessons, practice, the quiz player, results, progress."""

from __future__ import annotations

import uuid
from dataclasses import replace

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from toolbox.accounts.mixins import (
    domain_errors_as_messages,
    form_add_domain_error,
    is_htmx,
    not_found_as_404,
    render_page_or_fragment,
    role_required,
)
from toolbox.accounts.models import User
from toolbox.classroom.services import classroom_join
from toolbox.errors import ConflictError, DomainError, NotFoundError
from toolbox.learning.models import Notification, PracticeItem
from toolbox.learning.selectors import (
    attempt_result_for_student,
    notifications_for_user,
    student_home,
    student_progress,
)
from toolbox.learning.selectors import player as selectors
from toolbox.learning.selectors.player import PlayerAttempt, PracticeSheet, PracticeSheetItem
from toolbox.learning.services import (
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    lesson_complete,
    lesson_progress_record,
    notification_mark_read,
    notifications_mark_all_read,
)
from toolbox.learning.services.practice import practice_item_answer
from toolbox.students.forms import JoinClassForm, LessonProgressForm, answer_from_post, question_as_posted
from toolbox.ui.charts import percent_bar_chart

HISTORY_PAGE_SIZE = 20
HOME_NOTIFICATIONS = 8
TIME_UP_MESSAGE = "Time ran out, so your saved answers were submitted for you."


def _student(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _not_found(error: NotFoundError) -> Http404:
    return Http404(error.message)


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """Leave the player: a redirect, or for htmx a full-page navigation."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


# --- Home and notifications --------------------------------------------------------------


@role_required("student")
def home(request: HttpRequest) -> HttpResponse:
    home = student_home(student=_student(request), notification_limit=HOME_NOTIFICATIONS)
    context = {"home": home, "notifications": home.notifications, "now": timezone.now()}
    return render(request, "students/home.html", context)


def _notifications_answer(request: HttpRequest) -> HttpResponse:
    if is_htmx(request):
        notifications = notifications_for_user(user=_student(request), limit=HOME_NOTIFICATIONS)
        return render(request, "students/_notifications.html", {"notifications": notifications})
    return redirect("students:home")


@require_POST
@role_required("student")
@domain_errors_as_messages
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(user=_student(request), notification=Notification(pk=pk))
    return _notifications_answer(request)


@require_POST
@role_required("student")
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=_student(request))
    return _notifications_answer(request)


# --- Joining a class -----------------------------------------------------------------------


@role_required("student")
def join(request: HttpRequest) -> HttpResponse:
    form = JoinClassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = classroom_join(student=_student(request), code=form.cleaned_data["code"])
        except DomainError as error:
            # A wrong code is the student's typo, not a missing page: say so by the field.
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"You joined {enrollment.classroom.name}. Its work now shows on your home page.")
            return _go(request, reverse("students:home"))
    status = 422 if form.errors else 200
    return render_page_or_fragment(
        request, "students/join.html", "students/_join_form.html", {"form": form}, status=status
    )


# --- Lessons -----------------------------------------------------------------------------


@role_required("student")
def lesson(request: HttpRequest, assignment_id: int) -> HttpResponse:
    with not_found_as_404():
        reader = selectors.lesson_for_reader(student=_student(request), assignment_id=assignment_id)
    return render(request, "students/lesson.html", {"reader": reader})


@require_POST
@role_required("student")
def lesson_progress(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Reading progress from lesson-progress.js; answers the small status line it swaps in."""
    with not_found_as_404():
        reader = selectors.lesson_for_reader(student=_student(request), assignment_id=assignment_id)
    form = LessonProgressForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Progress could not be saved.", status=422)
    try:
        progress = lesson_progress_record(
            student=_student(request),
            lesson=reader.lesson,
            percent=form.cleaned_data["percent"],
            seconds=form.cleaned_data["seconds"] or 0,
        )
    except NotFoundError as error:
        raise _not_found(error) from error
    except DomainError as error:
        return HttpResponse(error.message, status=422)
    return render(
        request,
        "students/_reading_status.html",
        {"percent": progress.percent, "completed_at": progress.completed_at},
    )


@require_POST
@role_required("student")
@domain_errors_as_messages
def lesson_done(request: HttpRequest, assignment_id: int) -> HttpResponse:
    student = _student(request)
    reader = selectors.lesson_for_reader(student=student, assignment_id=assignment_id)
    lesson_complete(student=student, lesson=reader.lesson)
    messages.success(request, f"“{reader.lesson.title}” is done. Well read!")
    return redirect("students:lesson", assignment_id)


# --- Practice ------------------------------------------------------------------------------


def _practice_sheet(request: HttpRequest, practice_set_id: int) -> PracticeSheet:
    with not_found_as_404():
        return selectors.practice_sheet(student=_student(request), practice_set_id=practice_set_id)


def _practice_page(
    request: HttpRequest, sheet: PracticeSheet, *, errors: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    errors = errors or {}
    entries = [
        (replace(item, question=question_as_posted(item.question, request.POST)) if item.id in errors else item)
        for item in sheet.items
    ]
    context = {"sheet": sheet, "entries": [(item, errors.get(item.id, "")) for item in entries]}
    return render(request, "students/practice_set.html", context, status=status)


def _practice_item_answer(
    request: HttpRequest, sheet: PracticeSheet, item: PracticeSheetItem, *, error: str = "", status: int = 200
) -> HttpResponse:
    """htmx: the item's fragment (its result, or the form with the error), plus the set's
    progress swapped out of band. Without JavaScript: the page, at that item."""
    if is_htmx(request):
        shown = replace(item, question=question_as_posted(item.question, request.POST)) if error else item
        context = {"sheet": sheet, "item": shown, "error": error, "oob": True}
        return render(request, "students/_practice_answered.html", context, status=status)
    if error:
        return _practice_page(request, sheet, errors={item.id: error}, status=status)
    return redirect(f"{reverse('students:practice_set', args=[sheet.id])}#practice-item-{item.id}")


@role_required("student")
def practice_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _practice_page(request, _practice_sheet(request, pk))


@require_POST
@role_required("student")
def practice_answer(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Check one practice answer. An item already answered (a second tab, a double click)
    keeps its first answer and shows its result again."""
    student = _student(request)
    sheet = _practice_sheet(request, pk)
    item = sheet.item(item_id)
    if item is None:
        raise Http404("That question is not part of this practice set.")
    if item.is_answered:
        return _practice_item_answer(request, sheet, item)
    response, error = answer_from_post(item.question, request.POST)
    if response is None:
        error = error or "Pick or type an answer, then check it."
        return _practice_item_answer(request, sheet, item, error=error, status=422)
    try:
        practice_item_answer(student=student, item=PracticeItem(pk=item.id), response=response)
    except NotFoundError as missing:
        raise _not_found(missing) from missing
    except ConflictError:
        pass  # Answered meanwhile: the first answer stands and is shown below.
    except DomainError as refused:
        return _practice_item_answer(request, sheet, item, error=refused.message, status=422)
    sheet = _practice_sheet(request, pk)
    answered = sheet.item(item_id)
    assert answered is not None
    return _practice_item_answer(request, sheet, answered)


# --- Quizzes -------------------------------------------------------------------------------


@role_required("student")
def quiz_start(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """GET: the quiz's rules and past attempts. POST: start (or resume) an attempt."""
    student = _student(request)
    if request.method == "POST":
        with not_found_as_404():
            assignment = selectors.quiz_to_start(student=student, assignment_id=assignment_id)
        try:
            attempt = attempt_start(student=student, assignment=assignment)
        except NotFoundError as error:
            raise _not_found(error) from error
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("students:quiz_start", assignment_id)
        return redirect("students:attempt", attempt.pk)
    with not_found_as_404():
        intro = selectors.quiz_intro(student=student, assignment_id=assignment_id)
    return render(request, "students/quiz_start.html", {"intro": intro})


def _player(request: HttpRequest, attempt_id: int, *, with_saved_answers: bool = True) -> PlayerAttempt:
    with not_found_as_404():
        return selectors.attempt_for_player(
            student=_student(request), attempt_id=attempt_id, with_saved_answers=with_saved_answers
        )


def _finish_if_over(request: HttpRequest, player: PlayerAttempt) -> HttpResponse | None:
    """An attempt already submitted goes to its result; one whose time ran out is submitted
    by the server now (as of its expiry), with a notice."""
    result_url = reverse("students:attempt_result", args=[player.attempt.pk])
    if player.attempt.status != "in_progress":
        return _go(request, result_url)
    if player.is_expired(timezone.now()):
        attempt_submit(student=_student(request), attempt=player.attempt)
        messages.warning(request, TIME_UP_MESSAGE)
        return _go(request, result_url)
    return None


def _player_page(
    request: HttpRequest, player: PlayerAttempt, *, errors: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    errors = errors or {}
    questions = [
        (question_as_posted(question, request.POST) if question.id in errors else question, errors.get(question.id, ""))
        for question in player.questions
    ]
    context = {"player": player, "questions": questions, "error_count": len(errors)}
    return render(request, "students/attempt.html", context, status=status)


@role_required("student")
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    player = _player(request, pk)
    finished = _finish_if_over(request, player)
    if finished is not None:
        return finished
    if is_htmx(request):
        # The countdown asked whether time is up; the server's clock says not yet.
        return HttpResponse(status=204)
    return _player_page(request, player)


@require_POST
@role_required("student")
def attempt_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave one question (htmx, `question_id` given) or save every answered question
    (the Save button without JavaScript, and "Review and submit")."""
    student = _student(request)
    # What was saved before is only shown again when the page is sent back with errors.
    player = _player(request, pk, with_saved_answers=False)
    finished = _finish_if_over(request, player)
    if finished is not None:
        return finished
    question_id = request.POST.get("question_id", "")
    if question_id:
        question = player.question(int(question_id)) if question_id.isdigit() else None
        if question is None:
            raise Http404("That question is not part of this attempt.")
        targets = [question]
    else:
        targets = list(player.questions)
    errors: dict[int, str] = {}
    saved = 0
    for question in targets:
        response, error = answer_from_post(question, request.POST)
        if error or response is None:
            if error:
                errors[question.id] = error
            continue
        try:
            attempt_save_answer(student=student, attempt=player.attempt, question_id=question.id, response=response)
            saved += 1
        except ConflictError as conflict:
            messages.warning(request, conflict.message)
            return _go(request, reverse("students:attempt_result", args=[pk]))
        except DomainError as refused:
            errors[question.id] = refused.message
    if question_id:
        return render(
            request,
            "students/_save_status.html",
            {"question_id": question_id, "error": errors.get(int(question_id), ""), "saved": saved > 0},
            status=422 if errors else 200,
        )
    if errors:
        return _player_page(request, _player(request, pk), errors=errors, status=422)
    if "review" in request.POST:
        return redirect("students:attempt_submit", pk)
    messages.success(request, "Your answers are saved.")
    return redirect("students:attempt", pk)


@role_required("student")
def attempt_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step (what is answered, what is not). POST: submit."""
    student = _student(request)
    player = _player(request, pk, with_saved_answers=request.method != "POST")
    finished = _finish_if_over(request, player)
    if finished is not None:
        return finished
    if request.method == "POST":
        submitted = attempt_submit(
            student=student, attempt=player.attempt, idempotency_key=request.POST.get("idempotency_key", "")
        )
        if submitted.submitted_by_server:
            messages.warning(request, TIME_UP_MESSAGE)
        else:
            messages.success(request, "Your quiz is submitted.")
        return redirect("students:attempt_result", pk)
    context = {"player": player, "idempotency_key": uuid.uuid4().hex}
    return render(request, "students/attempt_submit.html", context)


@role_required("student")
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    with not_found_as_404():
        own = selectors.student_attempt(student=_student(request), attempt_id=pk)
    if own.status == "in_progress":
        return redirect("students:attempt", pk)
    result = attempt_result_for_student(attempt=own)
    context = {"result": result, "attempt": own}
    return render(request, "students/attempt_result.html", context)


# --- Progress ------------------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return max(int(value), 1) if value.isdigit() else 1


@role_required("student")
def progress(request: HttpRequest) -> HttpResponse:
    page = _page_number(request)
    data = student_progress(
        student=_student(request), attempts_limit=HISTORY_PAGE_SIZE, attempts_offset=(page - 1) * HISTORY_PAGE_SIZE
    )
    if page > 1 and not data.attempts:
        raise Http404("There is no such page of attempts.")
    chart = percent_bar_chart([(entry.code, entry.percent) for entry in data.mastery])
    context = {
        "progress": data,
        "chart": chart,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if data.has_more_attempts else None,
    }
    return render_page_or_fragment(request, "students/progress.html", "students/_history.html", context)
