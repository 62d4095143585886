"""What a generated student may answer to each question of a quiz snapshot, and its grade.

A snapshot (`quiz_snapshot`) is taken once per quiz and shared by every attempt at that
quiz. The responses are read off the snapshot itself and each is marked once by
`toolbox.learning.grading.question_grade`, the function that grades real submissions, so
every score the demo writes is the one the app would give. Grading is pure, so a response
graded once per question stands for the thousands of students who give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from toolbox.content.models import QuestionKind
from toolbox.learning.grading import GradeResult, question_grade, response_clean


@dataclass(frozen=True)
class GradedResponse:
    response: dict[str, Any]
    grade: GradeResult


@dataclass(frozen=True)
class QuestionPlan:
    """One snapshot question: its key, objective, the right response and typical wrong ones."""

    key: int
    kind: str
    objective_id: int | None
    correct: GradedResponse
    wrong: tuple[GradedResponse, ...]


def question_plans(snapshot: dict[str, Any], *, typical_wrong: dict[str, str]) -> list[QuestionPlan]:
    """`typical_wrong` maps a prompt to what a student who gets it wrong typically writes."""
    return [_plan(question, typical_wrong.get(question["prompt"], "")) for question in snapshot["questions"]]


def _graded(question: dict[str, Any], response: dict[str, Any]) -> GradedResponse:
    cleaned = response_clean(question, response)
    return GradedResponse(response=cleaned, grade=question_grade(question, cleaned))


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
    plan = QuestionPlan(
        key=question["id"],
        kind=kind,
        objective_id=question["objective_id"],
        correct=_graded(question, correct),
        wrong=tuple(_graded(question, response) for response in wrong),
    )
    if not plan.correct.grade.is_correct or any(option.grade.is_correct for option in plan.wrong):
        raise ValueError(f"The demo's responses to question {plan.key} do not grade as intended.")
    return plan
