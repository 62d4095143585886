"""A quiz's questions and their choices: add, change, delete, reorder. Each kind's rules
(how many choices, how many correct) are checked by the content services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.routers.content import changes, question_body, quiz_body, rename
from toolbox.api.schemas import PathId, responses
from toolbox.api.schemas.content import QuestionCreateIn, QuestionOut, QuestionUpdateIn, QuizOut, ReorderIn
from toolbox.content import services as content_services
from toolbox.content.models import Question

router = Router(tags=["questions"])


@router.post(
    "/quizzes/{quiz_id}/questions",
    response=responses({201: QuestionOut}, 404, 409),
    operation_id="create_question",
    summary="Add a question",
    description=(
        "Add a question at the end of an editable quiz, with its choices (choice kinds, ordering), "
        "accepted answers (short answer) or numeric answer and tolerance (numeric). Each kind's rules "
        "are checked: a single-choice question needs two choices or more and exactly one correct."
    ),
)
def create_question(request: HttpRequest, quiz_id: PathId, payload: QuestionCreateIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    quiz = lookups.visible_quiz(user, quiz_id)
    question = content_services.question_create(
        actor=user,
        quiz=quiz,
        kind=payload.kind,
        prompt=payload.prompt,
        points=payload.points,
        explanation=payload.explanation,
        hint=payload.hint,
        objective=lookups.objective_for_field(payload.objective_id, field="objective_id"),
        choices=[choice.model_dump() for choice in payload.choices] if payload.choices is not None else None,
        accepted_answers=payload.accepted_answers,
        numeric_answer=payload.numeric_answer,
        numeric_tolerance=payload.numeric_tolerance,
    )
    return Status(201, question_body(question))


@router.patch(
    "/questions/{question_id}",
    response=responses({200: QuestionOut}, 404, 409),
    operation_id="update_question",
    summary="Update a question",
    description="Change a question of an editable quiz; sending `choices` replaces them all.",
)
def update_question(request: HttpRequest, question_id: PathId, payload: QuestionUpdateIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    question = lookups.visible_question(user, question_id)
    fields = changes(payload, nullable=frozenset({"objective_id", "numeric_answer"}))
    rename(fields, "objective_id", "objective", lambda pk: lookups.objective_for_field(pk, field="objective_id"))
    question = content_services.question_update(actor=user, question=question, **fields)
    return question_body(Question.objects.prefetch_related("choices").get(pk=question.pk))


@router.delete(
    "/questions/{question_id}",
    response={**responses({}, 404, 409), 204: None},
    operation_id="delete_question",
    summary="Delete a question",
    description="Remove a question from an editable quiz; the others close the gap.",
)
def delete_question(request: HttpRequest, question_id: PathId) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.question_delete(actor=user, question=lookups.visible_question(user, question_id))
    return Status(204, None)


@router.post(
    "/quizzes/{quiz_id}/questions/reorder",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="reorder_questions",
    summary="Reorder a quiz's questions",
    description="Send every question id of the quiz once, in the new order.",
)
def reorder_questions(request: HttpRequest, quiz_id: PathId, payload: ReorderIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.questions_reorder(
        actor=user, quiz=lookups.visible_quiz(user, quiz_id), ordered_ids=payload.ordered_ids
    )
    return quiz_body(user, quiz_id)
