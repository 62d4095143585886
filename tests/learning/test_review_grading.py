"""A numeric answer too large for decimal arithmetic is refused when it is saved, instead of
being stored and then crashing every attempt to grade (and so to submit) the attempt; one
saved before that rule grades as wrong."""

from __future__ import annotations

from typing import Any

import pytest

from toolbox.errors import InvalidInputError
from toolbox.learning.grading import question_grade, response_clean
from toolbox.learning.models import Answer, GradedBy
from toolbox.learning.services.attempts import answer_grade_auto

NUMERIC: dict[str, Any] = {
    "id": 1,
    "kind": "numeric",
    "prompt": "Pi to two places?",
    "points": "1.00",
    "numeric_answer": "3.140000",
    "numeric_tolerance": "0.010000",
    "choices": [],
}


@pytest.mark.parametrize("value", ["1e999999999", "-1E+1000001", 1e308 * 10])
def test_numbers_beyond_decimal_arithmetic_are_refused_on_save(value: object) -> None:
    with pytest.raises(InvalidInputError):
        response_clean(NUMERIC, {"value": value})


@pytest.mark.parametrize("value", ["1e999999999", "-1E+1000001"])
def test_such_an_answer_saved_earlier_grades_as_wrong_rather_than_blocking_the_submit(value: str) -> None:
    answer = Answer(question_key=NUMERIC["id"], response={"value": value})

    answer_grade_auto(answer, NUMERIC)

    assert (answer.is_correct, answer.points_awarded, answer.graded_by) == (False, 0, GradedBy.AUTO)


@pytest.mark.parametrize(("value", "correct"), [("3.145", True), ("1e2", False), ("0.000000000001", False)])
def test_ordinary_numbers_still_grade(value: str, correct: bool) -> None:
    assert question_grade(NUMERIC, {"value": value}).is_correct is correct
