"""What a generated student may answer to each question of a quiz snapshot.

A snapshot (`quiz_snapshot`) is taken once per quiz and shared by every attempt at that
quiz. The responses are read off the snapshot itself, so that every score the demo writes
follows from the snapshot and the stored response, exactly as grading would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from toolbox.content.models import QuestionKind


@dataclass(frozen=True)
class QuestionPlan:
    """One snapshot question: its key, worth, objective, the right response and typical wrong ones."""

    key: int
    kind: str
    objective_id: int | None
    points: Decimal
    correct: dict[str, Any]
    wrong: tuple[dict[str, Any], ...]


def question_plans(snapshot: dict[str, Any], *, typical_wrong: dict[str, str]) -> list[QuestionPlan]:
    """`typical_wrong` maps a prompt to what a student who gets it wrong typically writes."""
    return [_plan(question, typical_wrong.get(question["prompt"], "")) for question in snapshot["questions"]]


def _plan(question: dict[str, Any], typical_wrong: str) -> QuestionPlan:
    kind = question["kind"]
    choices = question["choices"]
    right_ids = [c["id"] for c in choices if c["is_correct"]]
    wrong_ids = [c["id"] for c in choices if not c["is_correct"]]
    correct: dict[str, Any]
    wrong: list[dict[str, Any]]
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE):
        correct = {"choice_id": right_ids[0]}
        wrong = [{"choice_id": choice_id} for choice_id in wrong_ids]
    elif kind == QuestionKind.MULTIPLE_CHOICE:
        correct = {"choice_ids": right_ids}
        wrong = [{"choice_ids": [*right_ids, wrong_ids[0]]}]
        if len(right_ids) > 1:
            wrong.append({"choice_ids": right_ids[:-1]})
    elif kind == QuestionKind.SHORT_ANSWER:
        correct = {"text": question["accepted_answers"][0].capitalize()}
        wrong = [{"text": typical_wrong or "I am not sure"}]
    elif kind == QuestionKind.NUMERIC:
        answer = Decimal(question["numeric_answer"])
        correct = {"value": format(answer.normalize(), "f")}
        fallback = answer + Decimal(question["numeric_tolerance"]) + 1
        wrong = [{"value": typical_wrong or format(fallback.normalize(), "f")}]
    else:
        in_order = [c["id"] for c in sorted(choices, key=lambda c: c["position"])]
        correct = {"order": in_order}
        wrong = [{"order": [in_order[1], in_order[0], *in_order[2:]]}, {"order": in_order[::-1]}]
    return QuestionPlan(
        key=question["id"],
        kind=kind,
        objective_id=question["objective_id"],
        points=Decimal(question["points"]),
        correct=correct,
        wrong=tuple(wrong),
    )
