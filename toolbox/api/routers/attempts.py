"""Attempts at quiz assignments: start, save an answer, submit (idempotent), retrieve."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.params import HeaderEx, P

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.schemas import PathId, responses
from toolbox.api.schemas.learning import AnswerIn, AttemptOut, SavedAnswerOut
from toolbox.content.models import QuestionKind
from toolbox.learning import item_keys
from toolbox.learning import selectors as learning_selectors
from toolbox.learning import services as learning_services
from toolbox.learning.models import Answer, Attempt, AttemptStatus

router = Router(tags=["attempts"])


def _choice_to_answer(attempt: Attempt, question: dict[str, Any], choice: dict[str, Any]) -> dict[str, Any]:
    if question["kind"] == QuestionKind.ORDERING:
        # An ordering item goes by its key for this attempt: the choice ids sort into the answer.
        scope = item_keys.attempt_scope(attempt.pk)
        return {"id": item_keys.item_key(scope=scope, choice_id=choice["id"]), "text": choice["text"]}
    return {"id": choice["id"], "text": choice["text"]}


def _questions_to_answer(attempt: Attempt) -> list[dict[str, Any]]:
    """The snapshot's questions without anything that gives an answer away; the choices in
    the snapshot's order (ordering items were shuffled when the attempt started)."""
    questions = attempt.snapshot.get("questions", []) if isinstance(attempt.snapshot, dict) else []
    return [
        {
            "id": question["id"],
            "kind": question["kind"],
            "position": question["position"],
            "prompt": question["prompt"],
            "hint": question.get("hint", ""),
            "points": question["points"],
            "choices": [_choice_to_answer(attempt, question, choice) for choice in question.get("choices", [])],
        }
        for question in questions
    ]


def _saved_answer(attempt: Attempt, answer: Answer) -> dict[str, Any]:
    """An answer as its student gave it: ordering items by their keys for this attempt."""
    response = item_keys.order_as_keys(scope=item_keys.attempt_scope(attempt.pk), response=answer.response)
    return {"question_id": answer.question_key, "response": response, "saved_at": answer.saved_at}


def _saved_answers(attempt: Attempt) -> list[dict[str, Any]]:
    return [
        _saved_answer(attempt, answer)
        for answer in Answer.objects.filter(attempt_id=attempt.pk).order_by("question_key")
    ]


def _graders_view(attempt: Attempt) -> dict[str, Any]:
    detail = learning_selectors.attempt_detail(attempt=attempt)
    snapshot = attempt.snapshot if isinstance(attempt.snapshot, dict) else {}
    return {
        "title": detail.assignment_title,
        "is_late": detail.is_late,
        "late_penalty_percent": detail.late_penalty_percent,
        "raw_score": detail.raw_score,
        "max_score": detail.max_score,
        "final_percent": detail.final_percent,
        "pass_mark_percent": detail.pass_mark_percent,
        "answer_visibility": str(snapshot.get("answer_visibility", "")),
        "answers_shown": True,
        "answers": [
            {
                "position": answer.question.position,
                "prompt": answer.question.prompt,
                "kind": answer.question.kind,
                "response_text": answer.response_text,
                "points_possible": answer.question.points,
                "is_correct": answer.is_correct,
                "points_awarded": answer.points_awarded,
                "correct_answer_text": answer.correct_answer_text,
                "explanation": answer.question.explanation,
                "feedback": answer.feedback,
            }
            for answer in detail.answers
        ],
    }


def _students_view(attempt: Attempt) -> dict[str, Any]:
    result = learning_selectors.attempt_result_for_student(attempt=attempt)
    return {
        "title": result.title,
        "is_late": result.is_late,
        "late_penalty_percent": result.late_penalty_percent,
        "raw_score": result.raw_score,
        "max_score": result.max_score,
        "final_percent": result.final_percent,
        "pass_mark_percent": result.pass_mark_percent,
        "answer_visibility": result.answer_visibility,
        "answers_shown": result.answers_shown,
        "answers": [
            {
                "position": item.position,
                "prompt": item.prompt,
                "kind": item.kind,
                "response_text": item.response_text,
                "points_possible": item.points_possible,
                "is_correct": item.is_correct,
                "points_awarded": item.points_awarded,
                "correct_answer_text": item.correct_answer_text,
                "explanation": item.explanation,
                "feedback": item.feedback,
            }
            for item in result.items
        ],
    }


def attempt_body(user: User, attempt: Attempt) -> dict[str, Any]:
    """Teachers and admins see every answer with its key; the student (and a parent allowed
    to see grades) see what the quiz's answer visibility allows. `attempt` is one the user
    may see, as `lookups.visible_attempt` or a service of their own attempt returns it."""
    view = _graders_view(attempt) if permissions.can_grade_attempt(user, attempt) else _students_view(attempt)
    taking = attempt.status == AttemptStatus.IN_PROGRESS and attempt.student_id == user.pk
    return {
        "id": attempt.pk,
        "assignment_id": attempt.assignment_id,
        "student": {"id": attempt.student.pk, "name": attempt.student.name},
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "questions": _questions_to_answer(attempt) if taking else [],
        "saved_answers": _saved_answers(attempt) if taking else [],
        **view,
    }


@router.post(
    "/assignments/{assignment_id}/attempts",
    response=responses({201: AttemptOut}, 404, 409),
    operation_id="start_attempt",
    summary="Start (or resume) an attempt",
    description=(
        "A student starts an attempt at a quiz assignment, with the questions to answer. If one is "
        "already in progress, that one is returned. 409 when the quiz is not open, closed, or out of attempts."
    ),
)
def start_attempt(request: HttpRequest, assignment_id: PathId) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    assignment = lookups.visible_assignment(user, assignment_id)
    attempt = learning_services.attempt_start(student=user, assignment=assignment)
    return Status(201, attempt_body(user, attempt))


@router.get(
    "/attempts/{attempt_id}",
    response=responses({200: AttemptOut}, 404),
    operation_id="get_attempt",
    summary="Get an attempt",
    description=(
        "While in progress its student gets the questions and saved answers. Once submitted: teachers "
        "and admins see every answer with the key; the student, and a parent allowed to see grades, see "
        "right answers and explanations only as the quiz's answer visibility allows."
    ),
)
def get_attempt(request: HttpRequest, attempt_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return attempt_body(user, lookups.visible_attempt(user, attempt_id))


@router.put(
    "/attempts/{attempt_id}/answers/{question_id}",
    response=responses({200: SavedAnswerOut}, 404, 409),
    operation_id="save_answer",
    summary="Save an answer",
    description="Save (or replace) the answer to one question of an attempt in progress. 409 once it is submitted.",
)
def save_answer(request: HttpRequest, attempt_id: PathId, question_id: PathId, payload: AnswerIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    attempt = lookups.own_attempt(user, attempt_id)
    response = item_keys.attempt_answer_from_keys(attempt=attempt, question_id=question_id, response=payload.response)
    answer = learning_services.attempt_save_answer(
        student=user, attempt=attempt, question_id=question_id, response=response
    )
    return _saved_answer(attempt, answer)


@router.post(
    "/attempts/{attempt_id}/submit",
    response=responses({200: AttemptOut}, 404),
    operation_id="submit_attempt",
    summary="Submit an attempt",
    description=(
        "Grade and submit an attempt, once. Send an `Idempotency-Key` header so that a retried request "
        "is safe: a repeated submit returns the attempt as first graded."
    ),
)
def submit_attempt(
    request: HttpRequest,
    attempt_id: PathId,
    idempotency_key: HeaderEx[
        str, P(alias="Idempotency-Key", max_length=80, description="Any unique string per submit, e.g. a UUID.")
    ] = "",
) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    attempt = learning_services.attempt_submit(
        student=user, attempt=lookups.own_attempt(user, attempt_id), idempotency_key=idempotency_key
    )
    return attempt_body(user, attempt)
