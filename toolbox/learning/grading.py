"""Grading one question of a quiz snapshot against a student's response.

Pure functions: they read only the snapshot's question dict (the shape documented in
`toolbox.content.services.quiz_snapshot`) and the response, and touch no database. Two steps:
`response_clean` checks a response's shape for the question's kind and returns it in a
canonical form (it runs when an answer is saved, so that bad input is refused at once), and
`question_grade` marks a cleaned response. An unanswered question (response None) is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from toolbox.errors import InvalidInputError

SHORT_ANSWER_MAX_LENGTH = 5000
MAX_DECIMAL_EXPONENT = 1000
_WHITESPACE = re.compile(r"\s+")
_CHOICE_KINDS = ("single_choice", "true_false")


@dataclass(frozen=True)
class GradeResult:
    is_correct: bool
    points_awarded: Decimal
    # Set when no rule could decide, so that an educator (or the AI feedback job) looks.
    needs_review: bool = False
    feedback: str = ""


def question_label(question: Mapping[str, Any]) -> str:
    prompt = " ".join(str(question.get("prompt", "")).split())
    if len(prompt) > 60:
        prompt = prompt[:57] + "…"
    return f"the question “{prompt}”" if prompt else f"question {question.get('id')}"


def normalise_text(text: str) -> str:
    """Case-, width- and whitespace-insensitive form of a short answer."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def _invalid(question: Mapping[str, Any], detail: str) -> InvalidInputError:
    return InvalidInputError(f"The answer to {question_label(question)} {detail}", field="response")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _choice_ids(question: Mapping[str, Any]) -> list[int]:
    return [int(choice["id"]) for choice in question.get("choices", [])]


def _require_dict(question: Mapping[str, Any], response: object, key: str) -> Any:
    if not isinstance(response, Mapping) or key not in response:
        raise _invalid(question, f"must be an object with “{key}”.")
    return response[key]


def _clean_choice(question: Mapping[str, Any], response: object) -> dict[str, Any]:
    choice_id = _require_dict(question, response, "choice_id")
    if not _is_int(choice_id):
        raise _invalid(question, "must pick one choice by its number.")
    if choice_id not in _choice_ids(question):
        raise _invalid(question, "picks a choice that is not part of the question.")
    return {"choice_id": choice_id}


def _clean_multiple(question: Mapping[str, Any], response: object) -> dict[str, Any]:
    choice_ids = _require_dict(question, response, "choice_ids")
    if not isinstance(choice_ids, list) or not all(_is_int(value) for value in choice_ids):
        raise _invalid(question, "must be a list of choice numbers.")
    known = set(_choice_ids(question))
    if not set(choice_ids) <= known:
        raise _invalid(question, "picks a choice that is not part of the question.")
    return {"choice_ids": sorted(set(choice_ids))}


def _clean_short(question: Mapping[str, Any], response: object) -> dict[str, Any]:
    text = _require_dict(question, response, "text")
    if not isinstance(text, str):
        raise _invalid(question, "must be text.")
    if len(text) > SHORT_ANSWER_MAX_LENGTH:
        raise _invalid(question, f"is longer than {SHORT_ANSWER_MAX_LENGTH} characters.")
    return {"text": text}


def parse_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a number or a string such as "3.14" or "-2e3"; None otherwise.
    A comma is not a decimal separator here: "3,14" is refused rather than guessed at."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    if not isinstance(value, str):
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    # Beyond this, subtracting the answer overflows the decimal context and raises.
    if not number.is_finite() or abs(number.adjusted()) > MAX_DECIMAL_EXPONENT:
        return None
    return number


def _clean_numeric(question: Mapping[str, Any], response: object) -> dict[str, Any]:
    number = parse_decimal(_require_dict(question, response, "value"))
    if number is None:
        raise _invalid(question, "must be a number written with digits and a decimal point, such as 3.14.")
    return {"value": str(number)}


def _clean_ordering(question: Mapping[str, Any], response: object) -> dict[str, Any]:
    order = _require_dict(question, response, "order")
    if not isinstance(order, list) or not all(_is_int(value) for value in order):
        raise _invalid(question, "must be a list of item numbers.")
    expected = _choice_ids(question)
    if len(order) != len(expected) or set(order) != set(expected):
        raise _invalid(question, f"must place each of its {len(expected)} items exactly once.")
    return {"order": list(order)}


_CLEANERS = {
    "single_choice": _clean_choice,
    "true_false": _clean_choice,
    "multiple_choice": _clean_multiple,
    "short_answer": _clean_short,
    "numeric": _clean_numeric,
    "ordering": _clean_ordering,
}


def response_clean(question: Mapping[str, Any], response: object) -> dict[str, Any]:
    """The response in canonical form, or InvalidInputError naming the question."""
    cleaner = _CLEANERS.get(str(question.get("kind")))
    if cleaner is None:
        raise InvalidInputError(f"{question_label(question).capitalize()} has an unknown kind and cannot be answered.")
    return cleaner(question, response)


def _points(question: Mapping[str, Any]) -> Decimal:
    return Decimal(str(question.get("points", "0")))


def question_grade(question: Mapping[str, Any], response: object) -> GradeResult:
    """Mark one response. Full points when right, none otherwise (no partial credit)."""
    if response is None:
        return GradeResult(is_correct=False, points_awarded=Decimal("0"))
    cleaned = response_clean(question, response)
    kind = question["kind"]
    choices = question.get("choices", [])
    feedback = ""
    needs_review = False
    if kind in _CHOICE_KINDS:
        chosen = next(choice for choice in choices if choice["id"] == cleaned["choice_id"])
        is_correct = bool(chosen["is_correct"])
        feedback = chosen.get("feedback", "")
    elif kind == "multiple_choice":
        correct_ids = {choice["id"] for choice in choices if choice["is_correct"]}
        is_correct = bool(cleaned["choice_ids"]) and set(cleaned["choice_ids"]) == correct_ids
    elif kind == "short_answer":
        given = normalise_text(cleaned["text"])
        accepted = {normalise_text(str(text)) for text in question.get("accepted_answers", [])}
        is_correct = bool(given) and given in accepted
        needs_review = bool(given) and not is_correct
    elif kind == "numeric":
        target = parse_decimal(question.get("numeric_answer"))
        tolerance = parse_decimal(question.get("numeric_tolerance")) or Decimal("0")
        is_correct = target is not None and abs(Decimal(cleaned["value"]) - target) <= abs(tolerance)
    else:
        right_order = [choice["id"] for choice in sorted(choices, key=lambda choice: choice["position"])]
        is_correct = cleaned["order"] == right_order
    return GradeResult(
        is_correct=is_correct,
        points_awarded=_points(question) if is_correct else Decimal("0"),
        needs_review=needs_review,
        feedback=feedback,
    )
