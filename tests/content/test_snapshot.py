from __future__ import annotations

from decimal import Decimal

import pytest

from toolbox.accounts.models import User
from toolbox.content.models import Quiz
from toolbox.content.services import question_create, questions_reorder, quiz_create, quiz_snapshot


@pytest.fixture
def quiz(educator: User) -> Quiz:
    return quiz_create(author=educator, title="Cells", subject="Science", grade_level="7", pass_mark_percent=60)


def _fill(quiz: Quiz, educator: User) -> None:
    question_create(
        actor=educator,
        quiz=quiz,
        kind="single_choice",
        prompt="Smallest unit of life?",
        points=Decimal("2"),
        choices=[{"text": "Cell", "is_correct": True, "feedback": "Yes"}, {"text": "Atom", "is_correct": False}],
    )
    question_create(
        actor=educator, quiz=quiz, kind="numeric", prompt="Pi to two places?", numeric_answer=Decimal("3.14")
    )
    question_create(actor=educator, quiz=quiz, kind="short_answer", prompt="Name it", accepted_answers=["  Nucleus "])


def test_snapshot_has_the_contract_format(quiz: Quiz, educator: User) -> None:
    _fill(quiz, educator)

    snapshot = quiz_snapshot(quiz=quiz)

    assert snapshot["quiz_id"] == quiz.pk
    assert snapshot["title"] == "Cells"
    assert snapshot["pass_mark_percent"] == 60
    assert snapshot["answer_visibility"] == "immediately"
    single, numeric, short = snapshot["questions"]
    assert single["kind"] == "single_choice"
    assert single["points"] == "2.00"
    assert single["position"] == 0
    assert single["objective_id"] is None
    assert single["numeric_answer"] is None
    assert single["numeric_tolerance"] == "0.000000"
    assert [(c["text"], c["is_correct"], c["position"], c["feedback"]) for c in single["choices"]] == [
        ("Cell", True, 0, "Yes"),
        ("Atom", False, 1, ""),
    ]
    assert all(isinstance(c["id"], int) for c in single["choices"])
    assert numeric["numeric_answer"] == "3.140000"
    assert numeric["choices"] == []
    assert short["accepted_answers"] == ["Nucleus"]
    assert set(single) == {
        "id", "kind", "position", "prompt", "explanation", "hint", "points", "objective_id",
        "accepted_answers", "numeric_answer", "numeric_tolerance", "choices",
    }  # fmt: skip


def test_snapshot_follows_the_question_order(quiz: Quiz, educator: User) -> None:
    _fill(quiz, educator)
    ids = [q["id"] for q in quiz_snapshot(quiz=quiz)["questions"]]

    questions_reorder(actor=educator, quiz=quiz, ordered_ids=list(reversed(ids)))

    assert [q["id"] for q in quiz_snapshot(quiz=quiz)["questions"]] == list(reversed(ids))


@pytest.mark.parametrize("extra", [0, 30])
def test_snapshot_query_count_is_fixed(
    quiz: Quiz, educator: User, extra: int, django_assert_max_num_queries: object
) -> None:
    _fill(quiz, educator)
    for number in range(extra):
        question_create(
            actor=educator,
            quiz=quiz,
            kind="multiple_choice",
            prompt=f"Q{number}",
            choices=[{"text": "a", "is_correct": True}, {"text": "b", "is_correct": True}],
        )

    with django_assert_max_num_queries(2):  # type: ignore[operator]
        snapshot = quiz_snapshot(quiz=quiz)

    assert len(snapshot["questions"]) == 3 + extra
