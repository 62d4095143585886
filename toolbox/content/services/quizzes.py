"""Writing quizzes, and the snapshot an attempt keeps of one."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from toolbox.accounts.models import User
from toolbox.content.models import LearningObjective, Lesson, Question, Quiz
from toolbox.content.services._common import require_author, save_changes, save_new_draft
from toolbox.content.services.provenance import provenance_fields
from toolbox.errors import InvalidInputError

if TYPE_CHECKING:
    from toolbox.ai.models import GenerationJob

# In the order the admin's form shows them.
QUIZ_EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "subject",
    "grade_level",
    "lesson",
    "objectives",
    "description",
    "time_limit_minutes",
    "pass_mark_percent",
    "max_attempts",
    "shuffle_questions",
    "answer_visibility",
    "is_practice_bank",
)

MAX_ATTEMPTS_LIMIT = 100


def _check_lesson(lesson: Lesson | None, school_id: int | None) -> None:
    if lesson is not None and lesson.school_id != school_id:
        raise InvalidInputError("A quiz can only follow a lesson of the same school.", field="lesson")


def _check_max_attempts(max_attempts: object) -> None:
    if isinstance(max_attempts, int) and max_attempts > MAX_ATTEMPTS_LIMIT:
        raise InvalidInputError(f"A quiz allows at most {MAX_ATTEMPTS_LIMIT} attempts.", field="max_attempts")


def quiz_create(
    *,
    author: User,
    title: str,
    subject: str,
    grade_level: str,
    lesson: Lesson | None = None,
    objectives: Iterable[LearningObjective | int] = (),
    description: str = "",
    time_limit_minutes: int | None = None,
    pass_mark_percent: int = 70,
    max_attempts: int = 3,
    shuffle_questions: bool = False,
    answer_visibility: str = "immediately",
    source: str = "manual",
    generation_job: GenerationJob | None = None,
    provenance: dict[str, Any] | None = None,
    is_practice_bank: bool = False,
) -> Quiz:
    """Create a quiz as a draft with no questions; add them with `question_create`."""
    require_author(author, plural_noun="quizzes")
    _check_lesson(lesson, author.school_id)
    _check_max_attempts(max_attempts)
    quiz = Quiz(
        title=title,
        subject=subject,
        grade_level=grade_level,
        lesson=lesson,
        description=description,
        time_limit_minutes=time_limit_minutes,
        pass_mark_percent=pass_mark_percent,
        max_attempts=max_attempts,
        shuffle_questions=shuffle_questions,
        answer_visibility=answer_visibility,
        is_practice_bank=is_practice_bank,
        **provenance_fields(author=author, source=source, generation_job=generation_job, provenance=provenance),
    )
    return save_new_draft(quiz, author=author, objectives=objectives)


def quiz_update(*, actor: User, quiz: Quiz, **fields: Any) -> Quiz:
    """Change a draft or in-review quiz's settings; published quizzes are frozen."""

    def check(changes: dict[str, Any]) -> None:
        if "lesson" in changes:
            _check_lesson(changes["lesson"], quiz.school_id)
        _check_max_attempts(changes.get("max_attempts"))

    return save_changes(actor=actor, content=quiz, fields=fields, editable=QUIZ_EDITABLE_FIELDS, prepare=check)


def _decimal_text(value: Decimal | None, places: int) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places)))


def _question_snapshot(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "kind": question.kind,
        "position": question.position,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "hint": question.hint,
        "points": _decimal_text(question.points, 2),
        "objective_id": question.objective_id,
        "accepted_answers": [str(answer) for answer in question.accepted_answers or []],
        "numeric_answer": _decimal_text(question.numeric_answer, 6),
        "numeric_tolerance": _decimal_text(question.numeric_tolerance, 6),
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


def quiz_snapshot(*, quiz: Quiz) -> dict[str, Any]:
    """Everything grading needs, frozen: an attempt keeps this, so later edits never change
    what a student was given. Two queries whatever the size (questions, then choices)."""
    questions = Question.objects.filter(quiz_id=quiz.pk).order_by("position", "id").prefetch_related("choices")
    return {
        "quiz_id": quiz.pk,
        "title": quiz.title,
        "pass_mark_percent": quiz.pass_mark_percent,
        "answer_visibility": quiz.answer_visibility,
        "questions": [_question_snapshot(question) for question in questions],
    }
