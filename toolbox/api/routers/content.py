"""Lessons and quizzes: the school's library, authoring, the review workflow, and a quiz's
questions and choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.api import lookups
from toolbox.api.pagination import from_django_page
from toolbox.api.schemas import PathId, responses
from toolbox.api.schemas.content import (
    LessonCreateIn,
    LessonOut,
    LessonPageOut,
    LessonUpdateIn,
    LibraryQuery,
    QuizCreateIn,
    QuizOut,
    QuizPageOut,
    QuizUpdateIn,
)
from toolbox.content import selectors as content_selectors
from toolbox.content import services as content_services
from toolbox.content.models import Lesson, Question, Quiz

router = Router(tags=["content"])


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.name}


def _reviewed_fields(content: Lesson | Quiz) -> dict[str, Any]:
    return {
        "id": content.pk,
        "title": content.title,
        "subject": content.subject,
        "grade_level": content.grade_level,
        "status": content.status,
        "source": content.source,
        "author": _person(content.author),
        "objectives": [
            {"id": objective.pk, "code": objective.code, "description": objective.description}
            for objective in content.objectives.all()
        ],
        "review_notes": content.review_notes,
        "generation_job_id": content.generation_job_id,
        "published_at": content.published_at,
        "created_at": content.created_at,
        "updated_at": content.updated_at,
    }


def _lesson_summary(lesson: Lesson) -> dict[str, Any]:
    return {
        **_reviewed_fields(lesson),
        "estimated_minutes": lesson.estimated_minutes,
        "difficulty": lesson.difficulty,
    }


def lesson_body(user: User, lesson_id: PathId) -> dict[str, Any]:
    lesson = content_selectors.lesson_detail(user=user, lesson_id=lesson_id)
    return {**_lesson_summary(lesson), "body_markdown": lesson.body_markdown, "body_html": lesson.body_html}


def question_body(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "quiz_id": question.quiz_id,
        "kind": question.kind,
        "position": question.position,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "hint": question.hint,
        "points": question.points,
        "objective_id": question.objective_id,
        "accepted_answers": list(question.accepted_answers or []),
        "numeric_answer": question.numeric_answer,
        "numeric_tolerance": question.numeric_tolerance,
        "choices": [
            {
                "id": choice.pk,
                "text": choice.text,
                "is_correct": choice.is_correct,
                "position": choice.position,
                "feedback": choice.feedback,
            }
            for choice in question.choices.all()
        ],
    }


def _quiz_summary(quiz: Quiz, question_count: int) -> dict[str, Any]:
    return {
        **_reviewed_fields(quiz),
        "lesson_id": quiz.lesson_id,
        "description": quiz.description,
        "time_limit_minutes": quiz.time_limit_minutes,
        "pass_mark_percent": quiz.pass_mark_percent,
        "max_attempts": quiz.max_attempts,
        "shuffle_questions": quiz.shuffle_questions,
        "answer_visibility": quiz.answer_visibility,
        "is_practice_bank": quiz.is_practice_bank,
        "question_count": question_count,
    }


def quiz_body(user: User, quiz_id: PathId) -> dict[str, Any]:
    quiz = content_selectors.quiz_detail(user=user, quiz_id=quiz_id)
    questions = list(quiz.questions.all())
    # Students reach a quiz through an attempt; the answer key is for those who review it.
    shown = questions if permissions.can_review_content(user, quiz) else []
    return {**_quiz_summary(quiz, len(questions)), "questions": [question_body(q) for q in shown]}


def changes(payload: Any, *, nullable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields the client sent; null clears only the fields that can be cleared."""
    sent = payload.model_dump(exclude_unset=True)
    return {name: value for name, value in sent.items() if value is not None or name in nullable}


def rename(fields: dict[str, Any], old: str, new: str, convert: Callable[[Any], Any] = lambda v: v) -> None:
    if old in fields:
        fields[new] = convert(fields.pop(old))


def _filters(query: LibraryQuery) -> dict[str, Any]:
    """A library query as the content selectors take it."""
    return {
        "subject": query.subject,
        "grade_level": query.grade_level,
        "status": query.status,
        "source": query.source,
        "page": query.page,
        "per_page": query.page_size,
    }


def _service_fields(user: User, fields: dict[str, Any]) -> dict[str, Any]:
    """A lesson's or a quiz's fields from a request body, as the content services name them:
    `objective_ids` become `objectives`, and a `lesson_id` the lesson it names."""
    rename(fields, "objective_ids", "objectives")
    rename(fields, "lesson_id", "lesson", lambda pk: lookups.lesson_for_field(user, pk, field="lesson_id"))
    return fields


# --- Lessons -------------------------------------------------------------------------------


@router.get(
    "/lessons",
    response=responses({200: LessonPageOut}),
    operation_id="list_lessons",
    summary="List lessons",
    description=(
        "The school's lessons, newest first, filtered by subject, grade, status and source (for educators and admins)."
        " Paginated."
    ),
)
def list_lessons(request: HttpRequest, filters: Query[LibraryQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    page = content_selectors.lesson_library(user=user, **_filters(filters))
    return from_django_page(page, _lesson_summary)


@router.post(
    "/lessons",
    response=responses({201: LessonOut}),
    operation_id="create_lesson",
    summary="Create a lesson",
    description="A new lesson, as a draft, written in Markdown (rendered and sanitised).",
)
def create_lesson(request: HttpRequest, payload: LessonCreateIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    lesson = content_services.lesson_create(author=user, **_service_fields(user, payload.model_dump()))
    return Status(201, lesson_body(user, lesson.pk))


@router.get(
    "/lessons/{lesson_id}",
    response=responses({200: LessonOut}, 404),
    operation_id="get_lesson",
    summary="Get a lesson",
    description="One lesson: the school's for educators and admins; published and assigned for students.",
)
def get_lesson(request: HttpRequest, lesson_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return lesson_body(user, lesson_id)


@router.patch(
    "/lessons/{lesson_id}",
    response=responses({200: LessonOut}, 404, 409),
    operation_id="update_lesson",
    summary="Update a lesson",
    description="Change a draft or a lesson in review; published lessons are frozen (409).",
)
def update_lesson(request: HttpRequest, lesson_id: PathId, payload: LessonUpdateIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    lesson = lookups.visible_lesson(user, lesson_id)
    content_services.lesson_update(actor=user, lesson=lesson, **_service_fields(user, changes(payload)))
    return lesson_body(user, lesson_id)


# --- Quizzes -------------------------------------------------------------------------------


@router.get(
    "/quizzes",
    response=responses({200: QuizPageOut}),
    operation_id="list_quizzes",
    summary="List quizzes",
    description=(
        "The school's quizzes, newest first, filtered by subject, grade, status and source (for educators and admins)."
        " Paginated."
    ),
)
def list_quizzes(request: HttpRequest, filters: Query[LibraryQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    page = content_selectors.quiz_library(user=user, **_filters(filters))
    return from_django_page(page, lambda quiz: _quiz_summary(quiz, quiz.question_count))  # type: ignore[attr-defined]


@router.post(
    "/quizzes",
    response=responses({201: QuizOut}),
    operation_id="create_quiz",
    summary="Create a quiz",
    description="A new quiz, as a draft with no questions; add them with create_question.",
)
def create_quiz(request: HttpRequest, payload: QuizCreateIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    quiz = content_services.quiz_create(author=user, **_service_fields(user, payload.model_dump()))
    return Status(201, quiz_body(user, quiz.pk))


@router.get(
    "/quizzes/{quiz_id}",
    response=responses({200: QuizOut}, 404),
    operation_id="get_quiz",
    summary="Get a quiz",
    description="One quiz with its questions and answer keys for reviewers; students see the quiz without questions.",
)
def get_quiz(request: HttpRequest, quiz_id: PathId) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    return quiz_body(user, quiz_id)


@router.patch(
    "/quizzes/{quiz_id}",
    response=responses({200: QuizOut}, 404, 409),
    operation_id="update_quiz",
    summary="Update a quiz",
    description="Change a draft or a quiz in review; published quizzes are frozen (409).",
)
def update_quiz(request: HttpRequest, quiz_id: PathId, payload: QuizUpdateIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    quiz = lookups.visible_quiz(user, quiz_id)
    fields = changes(payload, nullable=frozenset({"lesson_id", "time_limit_minutes"}))
    content_services.quiz_update(actor=user, quiz=quiz, **_service_fields(user, fields))
    return quiz_body(user, quiz_id)
