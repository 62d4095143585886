"""Lesson progress and mastery of learning objectives.

Mastery of an objective is an exponentially weighted accuracy over the student's answers to
questions on it: the newest answer weighs 1, the one before 0.8, then 0.64, …, and the score
is the weighted average (0 to 1). An objective is mastered when the score reaches 0.85 over at
least 5 answers; `mastered_at` records the first time and is kept. Answers still awaiting an
educator's review are left out until then (they are neither right nor wrong yet), and
unanswered questions count as wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.content.models import LearningObjective, Lesson
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.models import Answer, LessonProgress, Mastery
from toolbox.learning.services.gamification import (
    XP_PER_OBJECTIVE_MASTERED,
    lesson_rewards_grant,
    mastery_badges_check,
    xp_grant,
)

MASTERY_DECAY = 0.8
MASTERY_THRESHOLD = 0.85
MASTERY_MIN_ANSWERS = 5
MAX_SECONDS_PER_RECORD = 4 * 60 * 60


def mastery_next_score(*, previous_score: float, answers_counted: int, correct: bool) -> float:
    """The weighted average after one more answer. The previous answers' weights sum to
    (1 − d^n) / (1 − d) for n answers, so the average updates exactly without history."""
    previous_weight = (1 - MASTERY_DECAY**answers_counted) / (1 - MASTERY_DECAY)
    carried = MASTERY_DECAY * previous_weight
    return (float(correct) + carried * previous_score) / (1 + carried)


def mastery_record_answers(*, student: User, questions: Sequence[dict[str, Any]], answers: Iterable[Answer]) -> None:
    """Fold a submitted attempt's decided answers into the student's mastery."""
    answers_by_key = {answer.question_key: answer for answer in answers}
    outcomes: dict[int, list[bool]] = defaultdict(list)
    for question in questions:
        answer = answers_by_key.get(question["id"])
        if question.get("objective_id") is None or answer is None or answer.needs_review:
            continue
        outcomes[int(question["objective_id"])].append(bool(answer.is_correct))
    if not outcomes:
        return
    existing = set(LearningObjective.objects.filter(pk__in=outcomes).values_list("pk", flat=True))
    now = timezone.now()
    newly_mastered = False
    # Sorted, so that two transactions lock a student's mastery rows in the same order.
    for objective_id in sorted(existing):
        Mastery.objects.get_or_create(student=student, objective_id=objective_id)
        mastery = Mastery.objects.select_for_update().get(student=student, objective_id=objective_id)
        for correct in outcomes[objective_id]:
            mastery.score = mastery_next_score(
                previous_score=mastery.score, answers_counted=mastery.answers_counted, correct=correct
            )
            mastery.answers_counted += 1
        if (
            mastery.mastered_at is None
            and mastery.answers_counted >= MASTERY_MIN_ANSWERS
            and mastery.score >= MASTERY_THRESHOLD
        ):
            mastery.mastered_at = now
            newly_mastered = True
            xp_grant(
                student=student,
                source=f"mastery:{objective_id}",
                amount=XP_PER_OBJECTIVE_MASTERED,
                description="Mastered a learning objective",
            )
        mastery.save()
    if newly_mastered:
        mastery_badges_check(student=student)


def _check_can_study(student: User, lesson: Lesson) -> None:
    if not permissions.is_student(student) or not permissions.can_view_content(student, lesson):
        raise NotFoundError("That lesson does not exist.")


def _progress_locked(student: User, lesson: Lesson) -> LessonProgress:
    LessonProgress.objects.get_or_create(student=student, lesson=lesson)
    return LessonProgress.objects.select_for_update().get(student=student, lesson=lesson)


def _finish(progress: LessonProgress, student: User, lesson: Lesson) -> None:
    progress.percent = 100
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        lesson_rewards_grant(
            student=student, lesson_id=lesson.pk, lesson_title=lesson.title, completed_at=progress.completed_at
        )


def lesson_progress_record(*, student: User, lesson: Lesson, percent: int, seconds: int = 0) -> LessonProgress:
    """Record reading progress. Progress never goes backwards; time spent adds up; reaching
    100% completes the lesson."""
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidInputError("Progress must be a whole percent from 0 to 100.", field="percent")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= MAX_SECONDS_PER_RECORD:
        raise InvalidInputError("Time spent must be a whole number of seconds, at most four hours.", field="seconds")
    with transaction.atomic():
        _check_can_study(student, lesson)
        progress = _progress_locked(student, lesson)
        progress.percent = max(progress.percent, percent)
        progress.time_spent_seconds += seconds
        if progress.percent == 100:
            _finish(progress, student, lesson)
        progress.save()
        return progress


def lesson_complete(*, student: User, lesson: Lesson) -> LessonProgress:
    """Mark a lesson done: XP once per lesson, and a day of streak."""
    with transaction.atomic():
        _check_can_study(student, lesson)
        progress = _progress_locked(student, lesson)
        _finish(progress, student, lesson)
        progress.save()
        return progress
