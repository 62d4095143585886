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
from toolbox.freshness import users_changed
from toolbox.learning.models import Answer, LessonProgress, Mastery
from toolbox.learning.services._rows import rows_write
from toolbox.learning.services.gamification import lesson_rewards_grant, mastery_rewards_grant

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


def _mastery_outcomes(questions: Sequence[dict[str, Any]], answers: Iterable[Answer]) -> dict[int, list[bool]]:
    """Objective id → the decided answers' correctness, in question order."""
    answers_by_key = {answer.question_key: answer for answer in answers}
    outcomes: dict[int, list[bool]] = defaultdict(list)
    for question in questions:
        answer = answers_by_key.get(question["id"])
        if question.get("objective_id") is None or answer is None or answer.needs_review:
            continue
        outcomes[int(question["objective_id"])].append(bool(answer.is_correct))
    return outcomes


def _mastery_locked(student: User, objective_ids: list[int]) -> list[Mastery]:
    """The student's mastery rows of these objectives, locked, in objective order (so that
    two transactions lock them in the same order), with rows made for objectives met for
    the first time; objectives deleted since the attempt began are left out."""
    rows = list(
        Mastery.objects.select_for_update()
        .filter(student=student, objective_id__in=objective_ids)
        .order_by("objective_id")
    )
    missing = set(objective_ids) - {mastery.objective_id for mastery in rows}
    if not missing:
        return rows
    still_there = sorted(LearningObjective.objects.filter(pk__in=missing).order_by().values_list("pk", flat=True))
    if not still_there:
        return rows
    # A concurrent first answer may create the same rows: its insert wins, ours waits for
    # it to commit and skips them, and the read that follows locks the rows it made.
    Mastery.objects.bulk_create(
        [Mastery(student=student, objective_id=objective_id) for objective_id in still_there], ignore_conflicts=True
    )
    rows += Mastery.objects.select_for_update().filter(student=student, objective_id__in=still_there)
    return sorted(rows, key=lambda mastery: mastery.objective_id)


def mastery_update(*, student: User, questions: Sequence[dict[str, Any]], answers: Iterable[Answer]) -> list[int]:
    """Fold a submitted attempt's decided answers into the student's mastery, in a fixed
    number of queries however many objectives it covers; returns the objectives it newly
    mastered (their rewards are the caller's)."""
    outcomes = _mastery_outcomes(questions, answers)
    if not outcomes:
        return []
    rows = _mastery_locked(student, sorted(outcomes))
    now = timezone.now()
    newly_mastered: list[int] = []
    for mastery in rows:
        for correct in outcomes[mastery.objective_id]:
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
            newly_mastered.append(mastery.objective_id)
    rows_write(rows=rows, fields=["score", "answers_counted", "mastered_at", "updated_at"])
    users_changed(user_ids=[student.pk])
    return newly_mastered


def mastery_record_answers(*, student: User, questions: Sequence[dict[str, Any]], answers: Iterable[Answer]) -> None:
    """Fold decided answers into the student's mastery, with the XP and badge for each
    objective newly mastered."""
    with transaction.atomic(savepoint=False):
        mastered = mastery_update(student=student, questions=questions, answers=answers)
        mastery_rewards_grant(student=student, objective_ids=mastered)


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
