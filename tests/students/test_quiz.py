"""The quiz player: starting, autosaving every kind of answer, submitting after a
confirmation, the server's own submit when time runs out, and the result page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ClassroomFactory, EnrollmentFactory, StudentFactory
from tests.students.quizzes import QuizKinds, quiz_with_every_kind
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.content.models import AnswerVisibility, Choice, Question
from toolbox.learning.item_keys import attempt_scope, item_key
from toolbox.learning.models import Answer, Attempt, AttemptStatus

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def _choice(question: Question, text: str) -> int:
    return Choice.objects.get(question=question, text=text).pk


def ordering_field(kinds: QuizKinds, attempt: Attempt, choice: Choice) -> str:
    """The player's field for an ordering item: named by the item's key in this attempt."""
    return f"q{kinds.ordering.pk}_{item_key(scope=attempt_scope(attempt.pk), choice_id=choice.pk)}"


def right_answers(kinds: QuizKinds, attempt: Attempt) -> dict[str, object]:
    """Form fields answering every question correctly, as the player names them."""
    fields: dict[str, object] = {
        f"q{kinds.single.pk}": _choice(kinds.single, "Cell"),
        f"q{kinds.multiple.pk}": [_choice(kinds.multiple, "Nucleus"), _choice(kinds.multiple, "Mitochondrion")],
        f"q{kinds.true_false.pk}": _choice(kinds.true_false, "True"),
        f"q{kinds.short.pk}": "  The Nucleus ",
        f"q{kinds.numeric.pk}": "6.0",
    }
    for choice in Choice.objects.filter(question=kinds.ordering):
        fields[ordering_field(kinds, attempt, choice)] = choice.position + 1
    return fields


def _start(client: Client, kinds: QuizKinds) -> Attempt:
    response = client.post(reverse("students:quiz_start", args=[kinds.assignment.pk]))
    attempt = Attempt.objects.get(assignment=kinds.assignment)
    assert response.url == reverse("students:attempt", args=[attempt.pk])  # pyright: ignore[reportAttributeAccessIssue]
    return attempt


def test_the_intro_explains_the_rules_and_starting_opens_the_player(
    login: Login, student: User, kinds: QuizKinds
) -> None:
    client = login(student)
    intro = client.get(reverse("students:quiz_start", args=[kinds.assignment.pk])).content.decode()
    assert "<dt>Questions</dt><dd>6</dd>" in intro
    assert "Start quiz" in intro
    attempt = _start(client, kinds)
    assert attempt.student == student
    again = client.get(reverse("students:quiz_start", args=[kinds.assignment.pk])).content.decode()
    assert "Continue your attempt" in again


def test_the_player_has_a_control_for_every_kind_and_never_the_answer_key(
    login: Login, student: User, kinds: QuizKinds
) -> None:
    client = login(student)
    attempt = _start(client, kinds)
    body = client.get(reverse("students:attempt", args=[attempt.pk])).content.decode()
    assert f'type="radio" name="q{kinds.single.pk}"' in body
    assert f'type="checkbox" name="q{kinds.multiple.pk}"' in body
    assert f'type="radio" name="q{kinds.true_false.pk}"' in body
    assert f'name="q{kinds.short.pk}"' in body
    assert 'inputmode="decimal"' in body
    for choice in Choice.objects.filter(question=kinds.ordering):
        assert f'name="{ordering_field(kinds, attempt, choice)}"' in body
    assert 'hx-trigger="change' in body
    assert "Save answers" in body
    for secret in ("is_correct", "accepted_answers", "the nucleus", "numeric_answer", "6.000000", '"position"'):
        assert secret not in body
    # The ordering items appear in the attempt's shuffled order, not the stored (correct) one.
    shuffled = [
        choice["text"]
        for choice in next(q for q in attempt.snapshot["questions"] if q["id"] == kinds.ordering.pk)["choices"]
    ]
    positions = [body.index(f">{text}</label>") for text in shuffled]
    assert positions == sorted(positions)


def test_the_player_names_ordering_items_by_keys_that_carry_no_order(
    login: Login, student: User, kinds: QuizKinds
) -> None:
    """Choice ids are given in the order an author writes the items, that is the right order:
    the player names each item by its key in this attempt instead, so sorting its fields by
    name gives nothing away."""
    client = login(student)
    attempt = _start(client, kinds)
    body = client.get(reverse("students:attempt", args=[attempt.pk])).content.decode()
    items = body[body.index('<ul class="ordering">') :]
    items = items[: items.index("</ul>")]
    named = {
        int(n) for n in re.findall(rf'(?:name="q{kinds.ordering.pk}_|id="order-{kinds.ordering.pk}-)(\d+)"', items)
    }
    choices = Choice.objects.filter(question=kinds.ordering)
    assert named == {item_key(scope=attempt_scope(attempt.pk), choice_id=choice.pk) for choice in choices}
    assert not named & {choice.pk for choice in choices}


def test_each_kind_autosaves_over_htmx_in_the_shared_response_shape(
    login: Login, student: User, kinds: QuizKinds
) -> None:
    client = login(student)
    attempt = _start(client, kinds)
    fields = right_answers(kinds, attempt)
    url = reverse("students:attempt_save_answer", args=[attempt.pk])
    for question in (kinds.single, kinds.multiple, kinds.true_false, kinds.short, kinds.numeric, kinds.ordering):
        response = client.post(url, {**fields, "question_id": question.pk}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert b"Saved" in response.content
        assert b"<html" not in response.content
    saved = {answer.question_key: answer.response for answer in Answer.objects.filter(attempt=attempt)}
    ordering = list(Choice.objects.filter(question=kinds.ordering).order_by("position").values_list("pk", flat=True))
    assert saved == {
        kinds.single.pk: {"choice_id": _choice(kinds.single, "Cell")},
        kinds.multiple.pk: {
            "choice_ids": sorted([_choice(kinds.multiple, "Nucleus"), _choice(kinds.multiple, "Mitochondrion")])
        },
        kinds.true_false.pk: {"choice_id": _choice(kinds.true_false, "True")},
        kinds.short.pk: {"text": "  The Nucleus "},
        kinds.numeric.pk: {"value": "6.0"},
        kinds.ordering.pk: {"order": ordering},
    }


def test_a_refused_autosave_says_why_beside_the_question(login: Login, student: User, kinds: QuizKinds) -> None:
    client = login(student)
    attempt = _start(client, kinds)
    url = reverse("students:attempt_save_answer", args=[attempt.pk])
    items = list(Choice.objects.filter(question=kinds.ordering))
    twice_first = {ordering_field(kinds, attempt, choice): 1 for choice in items}
    response = client.post(url, {**twice_first, "question_id": kinds.ordering.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Use each position from 1 to 3 once." in response.content.decode()
    response = client.post(
        url, {f"q{kinds.numeric.pk}": "3,14", "question_id": kinds.numeric.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "decimal point" in response.content.decode()
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_without_javascript_save_keeps_good_answers_and_redisplays_a_bad_one(
    login: Login, student: User, kinds: QuizKinds
) -> None:
    client = login(student)
    attempt = _start(client, kinds)
    fields = right_answers(kinds, attempt)
    fields[f"q{kinds.numeric.pk}"] = "six"
    response = client.post(reverse("students:attempt_save_answer", args=[attempt.pk]), fields)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="six"' in body
    assert "1 answer could not be saved" in body
    assert Answer.objects.filter(attempt=attempt).count() == 5


def test_review_and_submit_asks_first_then_grades_and_shows_the_result(
    login: Login, student: User, kinds: QuizKinds
) -> None:
    client = login(student)
    attempt = _start(client, kinds)
    fields = right_answers(kinds, attempt)
    del fields[f"q{kinds.short.pk}"]
    response = client.post(reverse("students:attempt_save_answer", args=[attempt.pk]), {**fields, "review": "1"})
    assert response.url == reverse("students:attempt_submit", args=[attempt.pk])  # pyright: ignore[reportAttributeAccessIssue]
    confirm = client.get(response.url).content.decode()  # pyright: ignore[reportAttributeAccessIssue]
    assert "You answered 5 of 6 questions" in confirm
    assert "Yes, submit my answers" in confirm
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS  # asking is not submitting
    result = client.post(reverse("students:attempt_submit", args=[attempt.pk]), {"idempotency_key": "k1"}, follow=True)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.final_percent is not None
    assert float(attempt.final_percent) == pytest.approx(83.33)
    body = result.content.decode()
    assert "83%" in body
    assert "Your quiz is submitted." in body
    assert "Right answer" in body  # shown immediately by default, for the wrong one
    assert "the nucleus" in body
    # A second submit (a double click) changes nothing.
    client.post(reverse("students:attempt_submit", args=[attempt.pk]), {"idempotency_key": "k1"})
    assert Attempt.objects.get(pk=attempt.pk).final_percent == attempt.final_percent
    assert client.get(reverse("students:attempt", args=[attempt.pk])).url == reverse(  # pyright: ignore[reportAttributeAccessIssue]
        "students:attempt_result", args=[attempt.pk]
    )


def test_the_result_hides_answers_when_the_quiz_says_never(login: Login, student: User, classroom: Classroom) -> None:
    kinds = quiz_with_every_kind(classroom, answer_visibility=AnswerVisibility.NEVER)
    client = login(student)
    attempt = _start(client, kinds)
    client.post(reverse("students:attempt_save_answer", args=[attempt.pk]), right_answers(kinds, attempt))
    body = client.post(reverse("students:attempt_submit", args=[attempt.pk]), follow=True).content.decode()
    assert "100%" in body
    assert "keeps the answers to this quiz private" in body
    assert "Right answer" not in body
    assert "✓ Right" not in body


def test_another_students_attempt_is_not_found(login: Login, student: User, kinds: QuizKinds) -> None:
    attempt = _start(login(student), kinds)
    classmate = StudentFactory(school=student.school)
    EnrollmentFactory(classroom=kinds.assignment.classroom, student=classmate)
    client = login(classmate)
    assert client.get(reverse("students:attempt", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("students:attempt_submit", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("students:attempt_submit", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("students:attempt_result", args=[attempt.pk])).status_code == 404
    saved = client.post(reverse("students:attempt_save_answer", args=[attempt.pk]), right_answers(kinds, attempt))
    assert saved.status_code == 404
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_quiz_of_a_class_the_student_is_not_in_is_not_found(login: Login, student: User) -> None:
    kinds = quiz_with_every_kind(ClassroomFactory(school=student.school))
    client = login(student)
    assert client.get(reverse("students:quiz_start", args=[kinds.assignment.pk])).status_code == 404
    assert client.post(reverse("students:quiz_start", args=[kinds.assignment.pk])).status_code == 404
    assert not Attempt.objects.exists()


def test_the_player_shows_a_countdown_to_the_servers_deadline(
    login: Login, student: User, classroom: Classroom
) -> None:
    kinds = quiz_with_every_kind(classroom, time_limit_minutes=10)
    client = login(student)
    attempt = _start(client, kinds)
    body = client.get(reverse("students:attempt", args=[attempt.pk])).content.decode()
    assert attempt.deadline is not None
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in body
    assert 'hx-trigger="toolbox:deadline"' in body


def test_an_expired_attempt_is_submitted_by_the_server_with_a_notice(
    login: Login, student: User, classroom: Classroom
) -> None:
    kinds = quiz_with_every_kind(classroom, time_limit_minutes=10)
    client = login(student)
    attempt = _start(client, kinds)
    fields = right_answers(kinds, attempt)
    client.post(reverse("students:attempt_save_answer", args=[attempt.pk]), {**fields, "question_id": kinds.single.pk})
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        late_save = client.post(
            reverse("students:attempt_save_answer", args=[attempt.pk]),
            {**fields, "question_id": kinds.short.pk},
            HTTP_HX_REQUEST="true",
        )
        assert late_save.headers["HX-Redirect"] == reverse("students:attempt_result", args=[attempt.pk])
        result = client.get(late_save.headers["HX-Redirect"]).content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_by_server
    assert attempt.submitted_at == attempt.deadline
    assert Answer.objects.get(attempt=attempt, question_key=kinds.short.pk).response is None
    assert "Time ran out" in result


def test_opening_an_expired_attempt_submits_it(login: Login, student: User, classroom: Classroom) -> None:
    kinds = quiz_with_every_kind(classroom, time_limit_minutes=5)
    client = login(student)
    attempt = _start(client, kinds)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        response = client.get(reverse("students:attempt", args=[attempt.pk]), follow=True)
    attempt.refresh_from_db()
    assert attempt.status != AttemptStatus.IN_PROGRESS
    assert "Time ran out" in response.content.decode()


@pytest.mark.parametrize("copies", [1, 8])
def test_the_player_answers_in_a_fixed_number_of_queries(
    copies: int, login: Login, student: User, classroom: Classroom, django_assert_max_num_queries
) -> None:
    kinds = quiz_with_every_kind(classroom)
    for _ in range(copies - 1):
        more = quiz_with_every_kind(classroom)
        Question.objects.filter(quiz=more.quiz).update(quiz=kinds.quiz)
    client = login(student)
    attempt = _start(client, kinds)
    client.post(reverse("students:attempt_save_answer", args=[attempt.pk]), right_answers(kinds, attempt))
    assert len(attempt.snapshot["questions"]) == 6 * copies
    with django_assert_max_num_queries(6):
        assert client.get(reverse("students:attempt", args=[attempt.pk])).status_code == 200


def test_the_countdown_reaching_zero_asks_the_server_which_decides(
    login: Login, student: User, classroom: Classroom
) -> None:
    kinds = quiz_with_every_kind(classroom, time_limit_minutes=10)
    client = login(student)
    attempt = _start(client, kinds)
    url = reverse("students:attempt", args=[attempt.pk])
    early = client.get(url, HTTP_HX_REQUEST="true")
    assert early.status_code == 204
    assert "HX-Redirect" not in early.headers
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10, seconds=1)):
        late = client.get(url, HTTP_HX_REQUEST="true")
    assert late.headers["HX-Redirect"] == reverse("students:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_by_server
