"""Turning a checked lesson or quiz draft into draft content through the content services.

Nothing here publishes: AI drafts are created in status draft, where they wait in the
school's review queue until an educator approves them (`content_approve`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob
from toolbox.ai.schemas import GenerationRequest, LessonDraft, QuestionDraft, QuizDraft
from toolbox.content.models import LearningObjective, Lesson, Quiz
from toolbox.content.services import lesson_create, question_create, quiz_create

NUMERIC_PLACES = Decimal("0.000001")


def lesson_markdown(lesson: LessonDraft) -> str:
    """The body a student reads: the objectives first, then the lesson, then whatever of
    vocabulary, checks and summary the body does not already have."""
    parts = ["## What you will learn", ""]
    parts += [f"- {objective.statement}" for objective in lesson.objectives]
    parts += ["", lesson.body_markdown.strip()]
    if lesson.vocabulary and "## Vocabulary" not in lesson.body_markdown:
        parts += ["", "## Vocabulary", ""]
        parts += [f"- **{item.term}**: {item.definition}" for item in lesson.vocabulary]
    parts += ["", "## Check your understanding", ""]
    parts += [f"{number}. {check.question}" for number, check in enumerate(lesson.check_for_understanding, start=1)]
    if "## Summary" not in lesson.body_markdown:
        parts += ["", "## Summary", "", lesson.summary]
    return "\n".join(parts)


def _choices(question: QuestionDraft) -> list[dict[str, Any]] | None:
    if question.kind == "ordering":
        return [{"text": item, "is_correct": False} for item in question.choices]
    if question.kind in ("single_choice", "multiple_choice", "true_false"):
        return [{"text": choice, "is_correct": question.is_correct_choice(choice)} for choice in question.choices]
    return None


def _objectives(request: GenerationRequest) -> list[LearningObjective]:
    return list(LearningObjective.objects.filter(pk__in=request.objective_ids))


def save_lesson(
    *, author: User, job: GenerationJob, request: GenerationRequest, lesson: LessonDraft, provenance: dict[str, Any]
) -> Lesson:
    return lesson_create(
        author=author,
        title=lesson.title,
        subject=request.subject,
        grade_level=request.grade,
        body_markdown=lesson_markdown(lesson),
        objectives=_objectives(request),
        estimated_minutes=lesson.estimated_minutes,
        source="ai",
        generation_job=job,
        provenance={
            **provenance,
            "check_for_understanding": [check.model_dump() for check in lesson.check_for_understanding],
        },
    )


def save_quiz(
    *,
    author: User,
    job: GenerationJob,
    request: GenerationRequest,
    quiz: QuizDraft,
    provenance: dict[str, Any],
    lesson: Lesson | None,
    is_practice_bank: bool,
) -> Quiz:
    objectives = _objectives(request)
    saved = quiz_create(
        author=author,
        title=quiz.title,
        subject=request.subject,
        grade_level=request.grade,
        lesson=lesson,
        objectives=objectives,
        description=quiz.description,
        source="ai",
        generation_job=job,
        provenance=provenance,
        is_practice_bank=is_practice_bank,
    )
    for question in quiz.questions:
        question_create(
            actor=author,
            quiz=saved,
            kind=question.kind,
            prompt=question.prompt,
            explanation=question.explanation,
            hint=question.hint,
            objective=objectives[0] if is_practice_bank and objectives else None,
            choices=_choices(question),
            accepted_answers=question.accepted_answers if question.kind == "short_answer" else None,
            numeric_answer=(
                Decimal(str(question.numeric_answer)).quantize(NUMERIC_PLACES)
                if question.kind == "numeric" and question.numeric_answer is not None
                else None
            ),
            numeric_tolerance=(
                Decimal(str(question.numeric_tolerance)).quantize(NUMERIC_PLACES)
                if question.kind == "numeric"
                else Decimal("0")
            ),
        )
    return saved
