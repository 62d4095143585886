"""The review workflow of lessons and quizzes: submit, approve, reject with notes, publish,
archive. Each step is one service call; the rules of who may take it live in the service
and the permissions module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.routers.content import lesson_body, quiz_body
from toolbox.api.schemas import NotesIn, PathId, responses
from toolbox.api.schemas.content import LessonOut, QuizOut, RejectIn
from toolbox.content import services as content_services

router = Router(tags=["review"])

_SUBMIT = "A draft goes to the review queue, where any educator of the school may review it."
_APPROVE = "A reviewer approves work in review, or an AI draft: approving publishes it. Notes are optional."
_REJECT = "Back to draft, with notes that say what to fix (required)."
_PUBLISH = "Publish hand-written work without a separate approval; AI drafts are published only by approving."
_ARCHIVE = "Retire published work: it can no longer be assigned, and students who have it keep their results."


@router.post(
    "/lessons/{lesson_id}/submit-for-review",
    response=responses({200: LessonOut}, 404, 409),
    operation_id="submit_lesson_for_review",
    summary="Submit a lesson for review",
    description=_SUBMIT,
)
def submit_lesson_for_review(request: HttpRequest, lesson_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_submit_for_review(actor=user, content=lookups.visible_lesson(user, lesson_id))
    return lesson_body(user, lesson_id)


@router.post(
    "/lessons/{lesson_id}/approve",
    response=responses({200: LessonOut}, 404, 409),
    operation_id="approve_lesson",
    summary="Approve a lesson",
    description=_APPROVE,
)
def approve_lesson(request: HttpRequest, lesson_id: PathId, payload: NotesIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_approve(actor=user, content=lookups.visible_lesson(user, lesson_id), notes=payload.notes)
    return lesson_body(user, lesson_id)


@router.post(
    "/lessons/{lesson_id}/reject",
    response=responses({200: LessonOut}, 404, 409),
    operation_id="reject_lesson",
    summary="Reject a lesson",
    description=_REJECT,
)
def reject_lesson(request: HttpRequest, lesson_id: PathId, payload: RejectIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_reject(actor=user, content=lookups.visible_lesson(user, lesson_id), notes=payload.notes)
    return lesson_body(user, lesson_id)


@router.post(
    "/lessons/{lesson_id}/publish",
    response=responses({200: LessonOut}, 404, 409),
    operation_id="publish_lesson",
    summary="Publish a lesson",
    description=_PUBLISH,
)
def publish_lesson(request: HttpRequest, lesson_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_publish(actor=user, content=lookups.visible_lesson(user, lesson_id))
    return lesson_body(user, lesson_id)


@router.post(
    "/lessons/{lesson_id}/archive",
    response=responses({200: LessonOut}, 404, 409),
    operation_id="archive_lesson",
    summary="Archive a lesson",
    description=_ARCHIVE,
)
def archive_lesson(request: HttpRequest, lesson_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_archive(actor=user, content=lookups.visible_lesson(user, lesson_id))
    return lesson_body(user, lesson_id)


@router.post(
    "/quizzes/{quiz_id}/submit-for-review",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="submit_quiz_for_review",
    summary="Submit a quiz for review",
    description=_SUBMIT + " A quiz needs at least one question.",
)
def submit_quiz_for_review(request: HttpRequest, quiz_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_submit_for_review(actor=user, content=lookups.visible_quiz(user, quiz_id))
    return quiz_body(user, quiz_id)


@router.post(
    "/quizzes/{quiz_id}/approve",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="approve_quiz",
    summary="Approve a quiz",
    description=_APPROVE,
)
def approve_quiz(request: HttpRequest, quiz_id: PathId, payload: NotesIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_approve(actor=user, content=lookups.visible_quiz(user, quiz_id), notes=payload.notes)
    return quiz_body(user, quiz_id)


@router.post(
    "/quizzes/{quiz_id}/reject",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="reject_quiz",
    summary="Reject a quiz",
    description=_REJECT,
)
def reject_quiz(request: HttpRequest, quiz_id: PathId, payload: RejectIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_reject(actor=user, content=lookups.visible_quiz(user, quiz_id), notes=payload.notes)
    return quiz_body(user, quiz_id)


@router.post(
    "/quizzes/{quiz_id}/publish",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="publish_quiz",
    summary="Publish a quiz",
    description=_PUBLISH,
)
def publish_quiz(request: HttpRequest, quiz_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_publish(actor=user, content=lookups.visible_quiz(user, quiz_id))
    return quiz_body(user, quiz_id)


@router.post(
    "/quizzes/{quiz_id}/archive",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="archive_quiz",
    summary="Archive a quiz",
    description=_ARCHIVE,
)
def archive_quiz(request: HttpRequest, quiz_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    content_services.content_archive(actor=user, content=lookups.visible_quiz(user, quiz_id))
    return quiz_body(user, quiz_id)
