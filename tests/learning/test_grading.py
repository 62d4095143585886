from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from toolbox.errors import InvalidInputError
from toolbox.learning.grading import normalise_text, parse_decimal, question_grade, response_clean


def _question(kind: str, **fields: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "id": 7,
        "kind": kind,
        "position": 0,
        "prompt": "What is the powerhouse of the cell?",
        "explanation": "",
        "hint": "",
        "points": "2.00",
        "objective_id": None,
        "accepted_answers": [],
        "numeric_answer": None,
        "numeric_tolerance": "0.000000",
        "choices": [],
    }
    question.update(fields)
    return question


def _choices(*correct_flags: bool) -> list[dict[str, Any]]:
    return [
        {"id": 100 + index, "text": f"Choice {index}", "is_correct": flag, "position": index, "feedback": f"fb {index}"}
        for index, flag in enumerate(correct_flags)
    ]


SINGLE = _question("single_choice", choices=_choices(False, True, False))
TRUE_FALSE = _question(
    "true_false",
    choices=[
        {"id": 1, "text": "True", "is_correct": True, "position": 0, "feedback": ""},
        {"id": 2, "text": "False", "is_correct": False, "position": 1, "feedback": ""},
    ],
)
MULTIPLE = _question("multiple_choice", choices=_choices(True, False, True, False))
SHORT = _question("short_answer", accepted_answers=["Mitochondria", "the mitochondrion"])
NUMERIC = _question("numeric", numeric_answer="3.140000", numeric_tolerance="0.010000")
ORDERING = _question(
    "ordering",
    # Stored shuffled, as an attempt's snapshot holds them: `position` is the right order.
    choices=[
        {"id": 12, "text": "Metaphase", "is_correct": False, "position": 2, "feedback": ""},
        {"id": 10, "text": "Prophase", "is_correct": False, "position": 0, "feedback": ""},
        {"id": 13, "text": "Anaphase", "is_correct": False, "position": 3, "feedback": ""},
        {"id": 11, "text": "Prometaphase", "is_correct": False, "position": 1, "feedback": ""},
    ],
)


def _assert_right(question: dict[str, Any], response: object) -> None:
    result = question_grade(question, response)
    assert result.is_correct is True
    assert result.points_awarded == Decimal("2.00")
    assert result.needs_review is False


def _assert_wrong(question: dict[str, Any], response: object, *, needs_review: bool = False) -> None:
    result = question_grade(question, response)
    assert result.is_correct is False
    assert result.points_awarded == Decimal("0")
    assert result.needs_review is needs_review


@pytest.mark.parametrize("question", [SINGLE, TRUE_FALSE, MULTIPLE, SHORT, NUMERIC, ORDERING])
def test_an_unanswered_question_is_wrong_and_not_for_review(question: dict[str, Any]) -> None:
    _assert_wrong(question, None)


def test_single_choice_right_and_wrong_with_the_choice_feedback() -> None:
    _assert_right(SINGLE, {"choice_id": 101})
    _assert_wrong(SINGLE, {"choice_id": 100})
    assert question_grade(SINGLE, {"choice_id": 102}).feedback == "fb 2"


def test_true_false() -> None:
    _assert_right(TRUE_FALSE, {"choice_id": 1})
    _assert_wrong(TRUE_FALSE, {"choice_id": 2})


@pytest.mark.parametrize(
    "response",
    [
        {"choice_id": 999},
        {"choice_id": "101"},
        {"choice_id": True},
        {"choice_id": None},
        {"choice_id": 101.0},
        {"choice_ids": [101]},
        [101],
        "101",
        {},
    ],
)
def test_single_choice_refuses_unknown_or_mistyped_choices_naming_the_question(response: object) -> None:
    with pytest.raises(InvalidInputError, match="powerhouse of the cell"):
        question_grade(SINGLE, response)


def test_multiple_choice_is_all_or_nothing() -> None:
    _assert_right(MULTIPLE, {"choice_ids": [102, 100]})
    _assert_right(MULTIPLE, {"choice_ids": [100, 102, 100]})
    _assert_wrong(MULTIPLE, {"choice_ids": [100]})
    _assert_wrong(MULTIPLE, {"choice_ids": [100, 102, 103]})
    _assert_wrong(MULTIPLE, {"choice_ids": []})


def test_multiple_choice_with_no_right_choice_is_never_right_by_leaving_it_empty() -> None:
    _assert_wrong(_question("multiple_choice", choices=_choices(False, False)), {"choice_ids": []})


@pytest.mark.parametrize(
    "response", [{"choice_ids": [100, 999]}, {"choice_ids": "100"}, {"choice_ids": ["100"]}, {"choice_id": 100}, []]
)
def test_multiple_choice_refuses_bad_shapes(response: object) -> None:
    with pytest.raises(InvalidInputError):
        question_grade(MULTIPLE, response)


def test_multiple_choice_cleans_to_sorted_unique_ids() -> None:
    assert response_clean(MULTIPLE, {"choice_ids": [102, 100, 102]}) == {"choice_ids": [100, 102]}


@pytest.mark.parametrize(
    "text",
    [
        "Mitochondria",
        "  mitochondria ",
        "MITOCHONDRIA",
        "the   Mitochondrion",
        "the\tmitochondrion\n",
        "ＭＩＴＯＣＨＯＮＤＲＩＡ",
    ],
)
def test_short_answer_matches_ignoring_case_spacing_and_unicode_width(text: str) -> None:
    _assert_right(SHORT, {"text": text})


def test_short_answer_without_a_match_is_wrong_and_flagged_for_review() -> None:
    _assert_wrong(SHORT, {"text": "mitochondrium"}, needs_review=True)


def test_an_empty_short_answer_is_wrong_without_review() -> None:
    _assert_wrong(SHORT, {"text": "   "})


@pytest.mark.parametrize(
    "response", [{"text": 42}, {"text": ["a"]}, {"value": "a"}, "mitochondria", {"text": "x" * 5001}]
)
def test_short_answer_refuses_bad_shapes(response: object) -> None:
    with pytest.raises(InvalidInputError):
        question_grade(SHORT, response)


def test_normalise_text_collapses_internal_whitespace_and_folds_case() -> None:
    assert normalise_text("  Straße\u00a0 ist   GROSS ") == "strasse ist gross"


@pytest.mark.parametrize("value", ["3.14", "3.13", "3.15", 3.15, "  3.150 ", "314e-2", 3.14])
def test_numeric_within_inclusive_tolerance(value: object) -> None:
    _assert_right(NUMERIC, {"value": value})


@pytest.mark.parametrize("value", ["3.1500001", "3.12", -3.14, 3])
def test_numeric_outside_tolerance(value: object) -> None:
    _assert_wrong(NUMERIC, {"value": value})


def test_numeric_with_zero_tolerance_needs_the_exact_value() -> None:
    exact = _question("numeric", numeric_answer="12.000000", numeric_tolerance="0.000000")
    _assert_right(exact, {"value": 12})
    _assert_right(exact, {"value": "12.0"})
    _assert_wrong(exact, {"value": "12.000001"})


@pytest.mark.parametrize("value", ["3,14", "pi", "", "NaN", "Infinity", "-inf", True, None, [3.14], {"v": 1}, "1 000"])
def test_numeric_refuses_what_is_not_a_plain_number(value: object) -> None:
    with pytest.raises(InvalidInputError, match="decimal point"):
        response_clean(NUMERIC, {"value": value})


def test_parse_decimal_keeps_float_values_as_written() -> None:
    assert parse_decimal(0.1) == Decimal("0.1")


def test_ordering_needs_the_exact_order() -> None:
    _assert_right(ORDERING, {"order": [10, 11, 12, 13]})
    _assert_wrong(ORDERING, {"order": [11, 10, 12, 13]})
    _assert_wrong(ORDERING, {"order": [12, 10, 13, 11]})


@pytest.mark.parametrize(
    "order", [[10, 11, 12], [10, 11, 12, 13, 13], [10, 11, 12, 99], [10, 10, 12, 13], ["10", "11", "12", "13"], "10"]
)
def test_ordering_refuses_wrong_length_unknown_or_repeated_items(order: object) -> None:
    with pytest.raises(InvalidInputError, match="powerhouse"):
        question_grade(ORDERING, {"order": order})


def test_an_unknown_kind_cannot_be_answered() -> None:
    with pytest.raises(InvalidInputError):
        response_clean(_question("essay"), {"text": "x"})
