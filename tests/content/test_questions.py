from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.factories import EducatorFactory, LearningObjectiveFactory, SchoolFactory
from toolbox.accounts.models import User
from toolbox.content.models import Choice, ContentStatus, Question, Quiz
from toolbox.content.services import (
    question_create,
    question_delete,
    question_update,
    questions_reorder,
    quiz_create,
)
from toolbox.errors import ConflictError, InvalidInputError, NotFoundError

YES_NO = [{"text": "Yes", "is_correct": True}, {"text": "No", "is_correct": False}]


@pytest.fixture
def quiz(educator: User) -> Quiz:
    return quiz_create(author=educator, title="Mixed", subject="Maths", grade_level="6")


def _add(educator: User, quiz: Quiz, **fields: Any) -> Question:
    fields.setdefault("prompt", "A question?")
    return question_create(actor=educator, quiz=quiz, **fields)


def _choices(question: Question) -> list[tuple[str, bool, int]]:
    return [(c.text, c.is_correct, c.position) for c in question.choices.order_by("position")]


def test_every_kind_can_be_created(educator: User, quiz: Quiz) -> None:
    single = _add(educator, quiz, kind="single_choice", choices=YES_NO, points=Decimal("2.5"))
    multiple = _add(
        educator,
        quiz,
        kind="multiple_choice",
        choices=[{"text": "2", "is_correct": True}, {"text": "3", "is_correct": True}, {"text": "4"}],
    )
    true_false = _add(
        educator,
        quiz,
        kind="true_false",
        choices=[{"text": "false", "is_correct": True, "feedback": "Right"}, {"text": " TRUE ", "is_correct": False}],
    )
    short = _add(educator, quiz, kind="short_answer", accepted_answers=["  Paris ", "paris", "City of  Light"])
    numeric = _add(educator, quiz, kind="numeric", numeric_answer="3.14", numeric_tolerance=Decimal("0.01"))
    ordering = _add(
        educator, quiz, kind="ordering", choices=[{"text": "Egg"}, {"text": "Larva"}, {"text": "Butterfly"}]
    )

    assert [q.position for q in (single, multiple, true_false, short, numeric, ordering)] == [0, 1, 2, 3, 4, 5]
    assert single.points == Decimal("2.5")
    assert _choices(single) == [("Yes", True, 0), ("No", False, 1)]
    assert [c[1] for c in _choices(multiple)] == [True, True, False]
    # True/false choices are always stored as "True", "False" in that order.
    assert _choices(true_false) == [("True", False, 0), ("False", True, 1)]
    assert true_false.choices.get(text="False").feedback == "Right"
    assert short.accepted_answers == ["Paris", "City of Light"]
    numeric.refresh_from_db()
    assert (numeric.numeric_answer, numeric.numeric_tolerance) == (Decimal("3.14"), Decimal("0.01"))
    assert _choices(ordering) == [("Egg", False, 0), ("Larva", False, 1), ("Butterfly", False, 2)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "essay"}, "kind"),
        ({"kind": "single_choice", "choices": [{"text": "A", "is_correct": True}]}, "choices"),
        (
            {
                "kind": "single_choice",
                "choices": [{"text": "A", "is_correct": True}, {"text": "B", "is_correct": True}],
            },
            "choices",
        ),
        ({"kind": "single_choice", "choices": [{"text": "A"}, {"text": "B"}]}, "choices"),
        ({"kind": "single_choice", "choices": None}, "choices"),
        ({"kind": "single_choice", "choices": [{"text": "A", "is_correct": True}, {"text": "a"}]}, "choices"),
        ({"kind": "single_choice", "choices": [{"text": "A", "is_correct": True}, {"text": " "}]}, "choices"),
        ({"kind": "single_choice", "choices": [{"text": "A", "is_correct": "yes"}, {"text": "B"}]}, "choices"),
        (
            {"kind": "single_choice", "choices": [{"text": "A", "is_correct": True, "score": 1}, {"text": "B"}]},
            "choices",
        ),
        ({"kind": "single_choice", "choices": "A,B"}, "choices"),
        ({"kind": "single_choice", "choices": [{"text": "x" * 501, "is_correct": True}, {"text": "B"}]}, "choices"),
        ({"kind": "multiple_choice", "choices": [{"text": "A"}, {"text": "B"}]}, "choices"),
        ({"kind": "multiple_choice", "choices": [{"text": "A", "is_correct": True}]}, "choices"),
        (
            {
                "kind": "true_false",
                "choices": [{"text": "True", "is_correct": True}, {"text": "False", "is_correct": True}],
            },
            "choices",
        ),
        ({"kind": "true_false", "choices": [{"text": "True", "is_correct": True}, {"text": "Maybe"}]}, "choices"),
        ({"kind": "true_false", "choices": [{"text": "True", "is_correct": True}]}, "choices"),
        ({"kind": "short_answer", "accepted_answers": []}, "accepted_answers"),
        ({"kind": "short_answer", "accepted_answers": ["  "]}, "accepted_answers"),
        ({"kind": "short_answer", "accepted_answers": "Paris"}, "accepted_answers"),
        ({"kind": "short_answer", "accepted_answers": ["Paris"], "choices": YES_NO}, "choices"),
        ({"kind": "numeric"}, "numeric_answer"),
        ({"kind": "numeric", "numeric_answer": "pi"}, "numeric_answer"),
        ({"kind": "numeric", "numeric_answer": "NaN"}, "numeric_answer"),
        ({"kind": "numeric", "numeric_answer": "1.0000001"}, "numeric_answer"),
        ({"kind": "numeric", "numeric_answer": 2, "numeric_tolerance": Decimal("-0.1")}, "numeric_tolerance"),
        ({"kind": "ordering", "choices": [{"text": "Only one"}]}, "choices"),
        ({"kind": "single_choice", "choices": YES_NO, "points": -1}, "points"),
        ({"kind": "single_choice", "choices": YES_NO, "points": "1.001"}, "points"),
        ({"kind": "single_choice", "choices": YES_NO, "points": 5000}, "points"),
        ({"kind": "single_choice", "choices": YES_NO, "points": True}, "points"),
        ({"kind": "single_choice", "choices": YES_NO, "prompt": "  "}, "prompt"),
    ],
)
def test_kind_rules_refuse_bad_questions(educator: User, quiz: Quiz, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        _add(educator, quiz, **fields)

    assert error.value.field == field
    assert error.value.message
    assert not Question.objects.exists()
    assert not Choice.objects.exists()


def test_zero_points_is_allowed(educator: User, quiz: Quiz) -> None:
    assert _add(educator, quiz, kind="single_choice", choices=YES_NO, points=0).points == 0


def test_update_replaces_the_choice_set(educator: User, quiz: Quiz) -> None:
    question = _add(educator, quiz, kind="single_choice", choices=YES_NO)
    old_ids = set(question.choices.values_list("pk", flat=True))

    question_update(
        actor=educator,
        question=question,
        prompt="Which?",
        choices=[{"text": "A"}, {"text": "B", "is_correct": True}, {"text": "C"}],
    )

    question.refresh_from_db()
    assert question.prompt == "Which?"
    assert _choices(question) == [("A", False, 0), ("B", True, 1), ("C", False, 2)]
    assert not Choice.objects.filter(pk__in=old_ids).exists()


def test_update_without_choices_keeps_them_and_checks_the_rules_against_them(educator: User, quiz: Quiz) -> None:
    question = _add(
        educator,
        quiz,
        kind="multiple_choice",
        choices=[{"text": "A", "is_correct": True}, {"text": "B", "is_correct": True}],
    )
    ids = list(question.choices.values_list("pk", flat=True))

    question_update(actor=educator, question=question, hint="Think", points=3)
    assert list(question.choices.values_list("pk", flat=True)) == ids

    # Two correct choices are fine for multiple choice but not for single choice.
    with pytest.raises(InvalidInputError):
        question_update(actor=educator, question=question, kind="single_choice")
    question.refresh_from_db()
    assert question.kind == "multiple_choice"
    assert question.hint == "Think"


def test_changing_to_a_kind_without_choices_drops_them(educator: User, quiz: Quiz) -> None:
    question = _add(educator, quiz, kind="single_choice", choices=YES_NO)

    question_update(actor=educator, question=question, kind="numeric", numeric_answer=Decimal("7"))

    question.refresh_from_db()
    assert question.kind == "numeric"
    assert question.numeric_answer == Decimal("7")
    assert not question.choices.exists()


def test_changing_away_from_short_answer_clears_accepted_answers(educator: User, quiz: Quiz) -> None:
    question = _add(educator, quiz, kind="short_answer", accepted_answers=["x"])

    question_update(actor=educator, question=question, kind="ordering", choices=[{"text": "1"}, {"text": "2"}])

    question.refresh_from_db()
    assert question.accepted_answers == []
    assert question.choices.count() == 2


def test_update_refuses_unknown_fields(educator: User, quiz: Quiz) -> None:
    question = _add(educator, quiz, kind="single_choice", choices=YES_NO)

    with pytest.raises(InvalidInputError):
        question_update(actor=educator, question=question, quiz=quiz)
    with pytest.raises(InvalidInputError):
        question_update(actor=educator, question=question, position=9)


def test_objective_is_set(educator: User, quiz: Quiz) -> None:
    objective = LearningObjectiveFactory()

    question = _add(educator, quiz, kind="single_choice", choices=YES_NO, objective=objective)

    question.refresh_from_db()
    assert question.objective == objective


def test_delete_closes_the_gap(educator: User, quiz: Quiz) -> None:
    first, second, third = (_add(educator, quiz, kind="single_choice", choices=YES_NO) for _ in range(3))

    question_delete(actor=educator, question=second)

    assert list(quiz.questions.order_by("position").values_list("pk", "position")) == [(first.pk, 0), (third.pk, 1)]
    assert not Choice.objects.filter(question_id=second.pk).exists()


def test_reorder(educator: User, quiz: Quiz) -> None:
    a, b, c = (_add(educator, quiz, kind="single_choice", choices=YES_NO) for _ in range(3))

    questions_reorder(actor=educator, quiz=quiz, ordered_ids=[c.pk, a.pk, b.pk])

    assert list(quiz.questions.order_by("position").values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]


@pytest.mark.parametrize("shape", ["missing", "duplicate", "foreign"])
def test_reorder_must_list_every_question_once(educator: User, quiz: Quiz, shape: str) -> None:
    a, b = (_add(educator, quiz, kind="single_choice", choices=YES_NO) for _ in range(2))
    other = quiz_create(author=educator, title="Other", subject="Maths", grade_level="6")
    stranger = _add(educator, other, kind="single_choice", choices=YES_NO)
    ordered = {"missing": [b.pk], "duplicate": [b.pk, a.pk, a.pk], "foreign": [b.pk, a.pk, stranger.pk]}[shape]

    with pytest.raises(InvalidInputError):
        questions_reorder(actor=educator, quiz=quiz, ordered_ids=ordered)

    assert list(quiz.questions.order_by("position").values_list("pk", flat=True)) == [a.pk, b.pk]


@pytest.mark.parametrize("status", [ContentStatus.PUBLISHED, ContentStatus.ARCHIVED])
def test_questions_of_a_frozen_quiz_cannot_change(educator: User, quiz: Quiz, status: str) -> None:
    question = _add(educator, quiz, kind="single_choice", choices=YES_NO)
    Quiz.objects.filter(pk=quiz.pk).update(status=status)

    with pytest.raises(ConflictError):
        _add(educator, quiz, kind="single_choice", choices=YES_NO)
    with pytest.raises(ConflictError):
        question_update(actor=educator, question=question, prompt="Changed")
    with pytest.raises(ConflictError):
        question_delete(actor=educator, question=question)
    with pytest.raises(ConflictError):
        questions_reorder(actor=educator, quiz=quiz, ordered_ids=[question.pk])

    question.refresh_from_db()
    assert question.prompt == "A question?"


def test_outsiders_cannot_touch_questions(educator: User, quiz: Quiz, student: User, parent: User) -> None:
    question = _add(educator, quiz, kind="single_choice", choices=YES_NO)
    outsider = EducatorFactory(school=SchoolFactory())

    for actor in (student, parent, outsider):
        with pytest.raises(NotFoundError):
            _add(actor, quiz, kind="single_choice", choices=YES_NO)
        with pytest.raises(NotFoundError):
            question_update(actor=actor, question=question, prompt="Mine")
        with pytest.raises(NotFoundError):
            question_delete(actor=actor, question=question)
    assert quiz.questions.count() == 1


def test_a_colleague_of_the_same_school_may_edit_drafts(educator: User, quiz: Quiz) -> None:
    colleague = EducatorFactory(school=educator.school)

    question = _add(colleague, quiz, kind="single_choice", choices=YES_NO)

    assert question.quiz_id == quiz.pk
