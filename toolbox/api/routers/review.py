"""The review workflow of lessons and quizzes: submit, approve, reject with notes, publish,
archive. Each step is one service call; the rules of who may take it live in the service
and the permissions module.

Lessons and quizzes take the same steps, so the operations are made from two tables, the
kinds of content and the steps, rather than written out ten times.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.routers.content import lesson_body, quiz_body
from toolbox.api.schemas import NotesIn, PathId, responses
from toolbox.api.schemas.content import LessonOut, QuizOut, RejectIn
from toolbox.content import services as content_services
from toolbox.content.models import Lesson, Quiz

router = Router(tags=["review"])


@dataclass(frozen=True)
class _Kind:
    noun: str
    plural: str
    out: type[Schema]
    visible: Callable[[User, int], Lesson | Quiz]
    body: Callable[[User, int], dict[str, Any]]
    # What a step asks of this kind in particular, said after the step's description.
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def id_name(self) -> str:
        return f"{self.noun}_id"


@dataclass(frozen=True)
class _Step:
    path: str
    operation: str  # `{noun}` stands for the kind's noun
    summary: str
    description: str
    service: Callable[..., object]
    # The notes the step takes, if any (its service's `notes`).
    payload: type[NotesIn] | type[RejectIn] | None = None


KINDS = (
    _Kind("lesson", "lessons", LessonOut, lookups.visible_lesson, lesson_body),
    _Kind(
        "quiz",
        "quizzes",
        QuizOut,
        lookups.visible_quiz,
        quiz_body,
        rules={"submit-for-review": " A quiz needs at least one question."},
    ),
)

STEPS = (
    _Step(
        "submit-for-review",
        "submit_{noun}_for_review",
        "Submit a {noun} for review",
        "A draft goes to the review queue, where any educator of the school may review it.",
        content_services.content_submit_for_review,
    ),
    _Step(
        "approve",
        "approve_{noun}",
        "Approve a {noun}",
        "A reviewer approves work in review, or an AI draft: approving publishes it. Notes are optional.",
        content_services.content_approve,
        NotesIn,
    ),
    _Step(
        "reject",
        "reject_{noun}",
        "Reject a {noun}",
        "Back to draft, with notes that say what to fix (required).",
        content_services.content_reject,
        RejectIn,
    ),
    _Step(
        "publish",
        "publish_{noun}",
        "Publish a {noun}",
        "Publish hand-written work without a separate approval; AI drafts are published only by approving.",
        content_services.content_publish,
    ),
    _Step(
        "archive",
        "archive_{noun}",
        "Archive a {noun}",
        "Retire published work: it can no longer be assigned, and students who have it keep their results.",
        content_services.content_archive,
    ),
)


def _operation(kind: _Kind, step: _Step) -> Callable[..., dict[str, Any]]:
    """One step for one kind, as a ninja view. ninja reads a view's parameters from its
    signature, and the path names the id after the kind (`lesson_id`), so the signature is
    given here rather than written in a `def`."""

    def view(request: HttpRequest, **params: Any) -> dict[str, Any]:
        user: User = request.auth  # type: ignore[attr-defined]
        content_id = params[kind.id_name]
        notes = {"notes": params["payload"].notes} if step.payload is not None else {}
        step.service(actor=user, content=kind.visible(user, content_id), **notes)
        return kind.body(user, content_id)

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
        inspect.Parameter(kind.id_name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=PathId),
    ]
    if step.payload is not None:
        parameters.append(
            inspect.Parameter("payload", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=step.payload)
        )
    view.__signature__ = inspect.Signature(parameters)  # pyright: ignore[reportFunctionMemberAccess]
    view.__name__ = view.__qualname__ = step.operation.format(noun=kind.noun)
    return view


for kind in KINDS:
    for step in STEPS:
        router.post(
            f"/{kind.plural}/{{{kind.id_name}}}/{step.path}",
            response=responses({200: kind.out}, 404, 409),
            operation_id=step.operation.format(noun=kind.noun),
            summary=step.summary.format(noun=kind.noun),
            description=step.description + kind.rules.get(step.path, ""),
        )(_operation(kind, step))
