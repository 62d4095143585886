"""The quiz editor: the quiz's settings, and its questions added, edited, moved and deleted
one at a time. With htmx each action swaps only the question (or the list) it changed;
without JavaScript each is a plain form POST followed by a redirect back to the editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from toolbox.accounts import permissions
from toolbox.accounts.mixins import (
    domain_errors_as_messages,
    domain_errors_to_form,
    is_htmx,
    not_found_as_404,
    role_required,
)
from toolbox.content.models import Question, QuestionKind, Quiz
from toolbox.content.selectors import quiz_detail
from toolbox.content.services import (
    content_submit_for_review,
    question_create,
    question_delete,
    question_update,
    questions_reorder,
    quiz_create,
    quiz_update,
)
from toolbox.educators.forms.content import QuestionForm, QuizSettingsForm
from toolbox.educators.views._shared import educator_of
from toolbox.educators.views.content import library_crumbs, school_lessons
from toolbox.errors import DomainError, NotFoundError

QUESTIONS_FRAGMENT = "educators/content/_questions.html"


def _quiz_or_404(request: HttpRequest, pk: int) -> Quiz:
    with not_found_as_404():
        return quiz_detail(user=educator_of(request), quiz_id=pk)


def _question_of(quiz: Quiz, question_id: int) -> Question:
    """The question from the quiz's prefetched list, so that it carries its choices."""
    for question in quiz.questions.all():
        if question.pk == question_id:
            question.quiz = quiz
            return question
    raise Http404("This quiz has no such question.")


def _kind_or_404(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in QuestionKind.values:
        raise Http404("Unknown kind of question.")
    return kind


def _editor_url(quiz: Quiz, question: Question | None = None) -> str:
    url = reverse("educators:quiz_edit", args=[quiz.pk])
    return f"{url}#question-{question.pk}" if question is not None else url


def _questions_context(request: HttpRequest, quiz: Quiz) -> dict[str, Any]:
    return {
        "quiz": quiz,
        "questions": list(quiz.questions.all()),
        "can_edit": permissions.can_edit_content(educator_of(request), quiz),
        "question_kinds": QuestionKind.choices,
    }


def _questions_fragment(request: HttpRequest, quiz: Quiz, *, status: int = 200) -> HttpResponse:
    response = render(request, QUESTIONS_FRAGMENT, _questions_context(request, quiz), status=status)
    response.headers["HX-Retarget"] = "#questions"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


@role_required("educator")
def quiz_create_view(request: HttpRequest) -> HttpResponse:
    user = educator_of(request)
    form = QuizSettingsForm(request.POST or None, lessons=school_lessons(user))
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            quiz = quiz_create(author=user, **form.cleaned_data)
            messages.success(request, f"Quiz “{quiz.title}” created. Now add its questions.")
            return redirect("educators:quiz_edit", quiz.pk)
    context = {"form": form, "crumbs": library_crumbs(("New quiz", ""))}
    return render(request, "educators/content/quiz_create.html", context, status=422 if form.errors else 200)


@role_required("educator")
def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: settings on top (saved with a plain POST), questions below. An htmx GET
    answers just the questions (what "Cancel" on a new question's form swaps back in)."""
    user = educator_of(request)
    quiz = _quiz_or_404(request, pk)
    if request.method == "GET" and is_htmx(request):
        return _questions_fragment(request, quiz)
    form = QuizSettingsForm(
        request.POST or None, lessons=school_lessons(user), initial=QuizSettingsForm.initial_from(quiz)
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            quiz_update(actor=user, quiz=quiz, **form.cleaned_data)
            messages.success(request, "Quiz settings saved.")
            return redirect("educators:quiz_edit", quiz.pk)
    context = {
        **_questions_context(request, quiz),
        "form": form,
        "can_submit": permissions.can_submit_for_review(user, quiz),
        "can_review": quiz.status in ("draft", "in_review") and permissions.can_review_content(user, quiz),
        "crumbs": library_crumbs((quiz.title, "")),
    }
    return render(request, "educators/content/quiz_edit.html", context, status=422 if form.errors else 200)


def _question_form_page(
    request: HttpRequest, quiz: Quiz, form: QuestionForm, *, question: Question | None, status: int
) -> HttpResponse:
    context = {"quiz": quiz, "form": form, "question": question}
    if is_htmx(request):
        return render(request, "educators/content/_question_form.html", context, status=status)
    title = "Edit question" if question is not None else f"Add a {form.kind_label.lower()} question"
    context["title"] = title
    context["crumbs"] = library_crumbs((quiz.title, _editor_url(quiz)), (title, ""))
    return render(request, "educators/content/question_form.html", context, status=status)


def _question_saved(request: HttpRequest, quiz: Quiz, question: Question, message: str) -> HttpResponse:
    """After a question is added or edited: the editor's question list, read again, swapped in
    with htmx; else the editor again at that question."""
    if is_htmx(request):
        return _questions_fragment(request, _quiz_or_404(request, quiz.pk))
    messages.success(request, message)
    return redirect(_editor_url(quiz, question))


def _save_question(form: QuestionForm, save: Any) -> Question | None:
    """Run the service; its kind rules become errors beside the fields they are about."""
    try:
        return save(**form.service_arguments())
    except NotFoundError as error:
        raise Http404(error.message) from error
    except DomainError as error:
        form.add_domain_error(error)
        return None


@role_required("educator")
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = _quiz_or_404(request, pk)
    kind = _kind_or_404(request)
    form = QuestionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        question = _save_question(
            form, lambda **fields: question_create(actor=educator_of(request), quiz=quiz, kind=kind, **fields)
        )
        if question is not None:
            return _question_saved(request, quiz, question, "Question added.")
    return _question_form_page(request, quiz, form, question=None, status=422 if form.errors else 200)


@role_required("educator")
def question_show(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """One question as it reads in the editor (what "Cancel" on its form swaps back in)."""
    quiz = _quiz_or_404(request, pk)
    question = _question_of(quiz, question_id)
    if not is_htmx(request):
        return redirect(_editor_url(quiz, question))
    questions = list(quiz.questions.all())
    context = {
        "quiz": quiz,
        "question": question,
        "number": questions.index(question) + 1,
        "is_first": questions[0] == question,
        "is_last": questions[-1] == question,
        "can_edit": permissions.can_edit_content(educator_of(request), quiz),
    }
    return render(request, "educators/content/_question.html", context)


@role_required("educator")
def question_edit(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    quiz = _quiz_or_404(request, pk)
    question = _question_of(quiz, question_id)
    form = QuestionForm(request.POST or None, kind=question.kind, initial=QuestionForm.initial_from(question))
    if request.method == "POST" and form.is_valid():
        saved = _save_question(
            form, lambda **fields: question_update(actor=educator_of(request), question=question, **fields)
        )
        if saved is not None:
            return _question_saved(request, quiz, saved, "Question saved.")
    return _question_form_page(request, quiz, form, question=question, status=422 if form.errors else 200)


@require_POST
@role_required("educator")
@domain_errors_as_messages
def question_delete_view(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    quiz = _quiz_or_404(request, pk)
    question_delete(actor=educator_of(request), question=_question_of(quiz, question_id))
    if is_htmx(request):
        return _questions_fragment(request, _quiz_or_404(request, pk))
    messages.success(request, "Question deleted.")
    return redirect(_editor_url(quiz))


@require_POST
@role_required("educator")
@domain_errors_as_messages
def question_move(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Move a question one place up or down (by reordering the whole list)."""
    quiz = _quiz_or_404(request, pk)
    question = _question_of(quiz, question_id)
    ids = [each.pk for each in quiz.questions.all()]
    index = ids.index(question.pk)
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        questions_reorder(actor=educator_of(request), quiz=quiz, ordered_ids=ids)
    if is_htmx(request):
        return _questions_fragment(request, _quiz_or_404(request, pk))
    return redirect(_editor_url(quiz, question))


@require_POST
@role_required("educator")
@domain_errors_as_messages
def quiz_submit(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = _quiz_or_404(request, pk)
    content_submit_for_review(actor=educator_of(request), content=quiz)
    messages.success(request, "Quiz sent for review.")
    return redirect("educators:quiz_edit", quiz.pk)
