"""The quiz editor: settings, and every kind of question added, edited, moved and deleted,
both as htmx fragments and as plain form posts; service errors beside their fields; a
fixed number of queries whatever the number of questions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import QuestionFactory, QuizFactory, SchoolFactory
from tests.factories.content import SingleChoiceQuestionFactory
from toolbox.accounts.models import User
from toolbox.content.models import ContentStatus, Question, QuestionKind, Quiz

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def draft_quiz(educator: User) -> Quiz:
    return QuizFactory(school=educator.school, author=educator, draft=True, title="Cells quiz")


def _settings_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Fractions",
        "subject": "Maths",
        "grade_level": "5",
        "pass_mark_percent": "60",
        "max_attempts": "2",
        "answer_visibility": "after_due",
        "time_limit_minutes": "15",
        "shuffle_questions": "on",
    }
    data.update(overrides)
    return data


def test_creating_a_quiz_goes_to_its_editor(login: Login, educator: User) -> None:
    response = login(educator).post(reverse("educators:quiz_create"), _settings_post())
    quiz = Quiz.objects.get(title="Fractions")
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:quiz_edit", args=[quiz.pk])
    assert quiz.status == ContentStatus.DRAFT
    assert (quiz.pass_mark_percent, quiz.max_attempts, quiz.time_limit_minutes) == (60, 2, 15)
    assert quiz.shuffle_questions
    assert quiz.answer_visibility == "after_due"


def test_saving_settings(login: Login, draft_quiz: Quiz) -> None:
    response = login(draft_quiz.author).post(
        reverse("educators:quiz_edit", args=[draft_quiz.pk]), _settings_post(title="Renamed")
    )
    assert response.status_code == 302
    draft_quiz.refresh_from_db()
    assert draft_quiz.title == "Renamed"


def test_settings_errors_are_422_with_field_errors(login: Login, draft_quiz: Quiz) -> None:
    response = login(draft_quiz.author).post(
        reverse("educators:quiz_edit", args=[draft_quiz.pk]), _settings_post(pass_mark_percent="150")
    )
    assert response.status_code == 422
    assert 'id="id_pass_mark_percent_error"' in response.content.decode()


QUESTION_POSTS: list[tuple[str, dict[str, Any]]] = [
    (
        QuestionKind.SINGLE_CHOICE,
        {"choice_1": "Nucleus", "correct_1": "on", "choice_2": "Wall", "choice_3": ""},
    ),
    (
        QuestionKind.MULTIPLE_CHOICE,
        {"choice_1": "Nucleus", "correct_1": "on", "choice_2": "Ribosome", "correct_2": "on", "choice_3": "Brick"},
    ),
    (QuestionKind.TRUE_FALSE, {"true_or_false": "false"}),
    (QuestionKind.SHORT_ANSWER, {"accepted_answers": "cell\n  the cell \n\nCell"}),
    (QuestionKind.NUMERIC, {"numeric_answer": "3.14", "numeric_tolerance": "0.01"}),
    (QuestionKind.ORDERING, {"choice_1": "Egg", "choice_2": "Larva", "choice_3": "Pupa", "choice_4": "Adult"}),
]


@pytest.mark.parametrize(("kind", "fields"), QUESTION_POSTS)
def test_adding_every_kind_of_question_with_htmx(
    login: Login, draft_quiz: Quiz, kind: str, fields: dict[str, Any]
) -> None:
    client = login(draft_quiz.author)
    url = reverse("educators:question_add", args=[draft_quiz.pk]) + f"?kind={kind}"
    form = client.get(url, headers=HTMX)
    assert form.status_code == 200
    assert 'id="new-question-form"' in form.content.decode()
    for name in fields:
        assert f'name="{name}"' in form.content.decode()
    response = client.post(url, {"prompt": f"A {kind} question?", "points": "2", **fields}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#questions"
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="questions"')
    question = Question.objects.get(quiz=draft_quiz)
    assert question.kind == kind
    assert question.points == Decimal("2")
    assert f"A {kind} question?" in html
    choices = list(question.choices.order_by("position").values_list("text", "is_correct"))
    if kind == QuestionKind.SINGLE_CHOICE:
        assert choices == [("Nucleus", True), ("Wall", False)]
    elif kind == QuestionKind.MULTIPLE_CHOICE:
        assert choices == [("Nucleus", True), ("Ribosome", True), ("Brick", False)]
    elif kind == QuestionKind.TRUE_FALSE:
        assert choices == [("True", False), ("False", True)]
    elif kind == QuestionKind.SHORT_ANSWER:
        assert question.accepted_answers == ["cell", "the cell"]
    elif kind == QuestionKind.NUMERIC:
        assert (question.numeric_answer, question.numeric_tolerance) == (Decimal("3.14"), Decimal("0.01"))
    else:
        assert [text for text, _ in choices] == ["Egg", "Larva", "Pupa", "Adult"]


def test_adding_a_question_without_javascript_redirects_to_the_editor(login: Login, draft_quiz: Quiz) -> None:
    client = login(draft_quiz.author)
    url = reverse("educators:question_add", args=[draft_quiz.pk]) + "?kind=short_answer"
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Add a short answer question</h1>" in page.content.decode()
    response = client.post(url, {"prompt": "Smallest unit of life?", "points": "1", "accepted_answers": "cell"})
    question = Question.objects.get(quiz=draft_quiz)
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:quiz_edit", args=[draft_quiz.pk]) + f"#question-{question.pk}"


def test_kind_rules_from_the_service_are_shown_in_the_choices_fieldset(login: Login, draft_quiz: Quiz) -> None:
    url = reverse("educators:question_add", args=[draft_quiz.pk]) + "?kind=single_choice"
    response = login(draft_quiz.author).post(
        url,
        {"prompt": "Which?", "points": "1", "choice_1": "A", "correct_1": "on", "choice_2": "B", "correct_2": "on"},
        headers=HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="new-question-form"' in html
    assert "exactly one correct choice" in html
    assert "id_prompt-choices-error" in html
    assert not Question.objects.exists()


def test_a_short_answer_without_answers_gets_the_error_on_that_field(login: Login, draft_quiz: Quiz) -> None:
    url = reverse("educators:question_add", args=[draft_quiz.pk]) + "?kind=short_answer"
    response = login(draft_quiz.author).post(
        url, {"prompt": "Which?", "points": "1", "accepted_answers": " "}, headers=HTMX
    )
    assert response.status_code == 422
    assert 'id="id_accepted_answers_error"' in response.content.decode()


def test_unknown_kind_is_404(login: Login, draft_quiz: Quiz) -> None:
    url = reverse("educators:question_add", args=[draft_quiz.pk]) + "?kind=essay"
    assert login(draft_quiz.author).get(url).status_code == 404


def test_editing_a_question_swaps_its_form_then_the_list(login: Login, draft_quiz: Quiz) -> None:
    question = SingleChoiceQuestionFactory(quiz=draft_quiz, prompt="Old prompt?", choices=["Right", "Wrong"])
    client = login(draft_quiz.author)
    url = reverse("educators:question_edit", args=[draft_quiz.pk, question.pk])
    form = client.get(url, headers=HTMX).content.decode()
    assert f'id="question-{question.pk}"' in form
    assert 'value="Right"' in form
    response = client.post(
        url,
        {"prompt": "New prompt?", "points": "1", "choice_1": "Right", "choice_2": "Wrong", "correct_2": "on"},
        headers=HTMX,
    )
    assert response.status_code == 200
    question.refresh_from_db()
    assert question.prompt == "New prompt?"
    assert list(question.choices.order_by("position").values_list("is_correct", flat=True)) == [False, True]
    cancel = client.get(reverse("educators:question_show", args=[draft_quiz.pk, question.pk]), headers=HTMX)
    assert cancel.content.decode().lstrip().startswith(f'<article id="question-{question.pk}"')


def test_moving_questions_up_and_down(login: Login, draft_quiz: Quiz) -> None:
    first, second, third = (QuestionFactory(quiz=draft_quiz, position=n, prompt=f"Q{n}?") for n in range(3))
    client = login(draft_quiz.author)
    response = client.post(
        reverse("educators:question_move", args=[draft_quiz.pk, third.pk]), {"direction": "up"}, headers=HTMX
    )
    assert response.status_code == 200
    order = list(Question.objects.filter(quiz=draft_quiz).order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    client.post(reverse("educators:question_move", args=[draft_quiz.pk, first.pk]), {"direction": "down"})
    order = list(Question.objects.filter(quiz=draft_quiz).order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]


def test_deleting_a_question(login: Login, draft_quiz: Quiz) -> None:
    keep, drop = QuestionFactory(quiz=draft_quiz, position=0), QuestionFactory(quiz=draft_quiz, position=1)
    client = login(draft_quiz.author)
    response = client.post(reverse("educators:question_delete", args=[draft_quiz.pk, drop.pk]), headers=HTMX)
    assert response.status_code == 200
    assert list(Question.objects.filter(quiz=draft_quiz)) == [keep]
    response = client.post(reverse("educators:question_delete", args=[draft_quiz.pk, keep.pk]))
    assert response.status_code == 302
    assert not Question.objects.filter(quiz=draft_quiz).exists()


def test_a_published_quiz_is_read_only(login: Login, educator: User) -> None:
    quiz = QuizFactory(school=educator.school, status=ContentStatus.PUBLISHED)
    question = QuestionFactory(quiz=quiz)
    client = login(educator)
    html = client.get(reverse("educators:quiz_edit", args=[quiz.pk])).content.decode()
    assert "can no longer be changed" in html
    assert "Add a question" not in html
    response = client.post(reverse("educators:question_delete", args=[quiz.pk, question.pk]), headers=HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#messages"
    assert Question.objects.filter(pk=question.pk).exists()


def test_another_schools_quiz_is_404(login: Login, educator: User) -> None:
    quiz = QuizFactory(school=SchoolFactory(), draft=True)
    question = QuestionFactory(quiz=quiz)
    client = login(educator)
    assert client.get(reverse("educators:quiz_edit", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("educators:question_delete", args=[quiz.pk, question.pk])).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_question_of_another_quiz_is_404(login: Login, draft_quiz: Quiz) -> None:
    other = QuestionFactory(quiz=QuizFactory(school=draft_quiz.school, draft=True))
    url = reverse("educators:question_edit", args=[draft_quiz.pk, other.pk])
    assert login(draft_quiz.author).get(url).status_code == 404


def test_submitting_a_quiz_needs_questions(login: Login, draft_quiz: Quiz) -> None:
    client = login(draft_quiz.author)
    response = client.post(reverse("educators:quiz_submit", args=[draft_quiz.pk]), follow=True)
    assert "Add at least one question" in response.content.decode()
    QuestionFactory(quiz=draft_quiz)
    client.post(reverse("educators:quiz_submit", args=[draft_quiz.pk]))
    draft_quiz.refresh_from_db()
    assert draft_quiz.status == ContentStatus.IN_REVIEW


@pytest.mark.parametrize("size", [5, 40])
def test_editor_query_count_does_not_grow_with_questions(
    login: Login, draft_quiz: Quiz, size: int, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    for position in range(size):
        SingleChoiceQuestionFactory(quiz=draft_quiz, position=position)
    client = login(draft_quiz.author)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("educators:quiz_edit", args=[draft_quiz.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="card question"') == size
