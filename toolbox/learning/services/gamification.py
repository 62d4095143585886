"""XP, streaks and badges: each award is recorded once, whatever retries or races occur.

XP: an XPEvent per source ("attempt:<id>", "lesson:<id>", "mastery:<objective id>"), unique
per student, so a source pays out once; StudentStats.total_xp keeps the running sum and the
level follows from it (toolbox.learning.levels). Streak: consecutive days with a submitted
quiz or a completed lesson, counted in the school's time zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from toolbox.accounts.models import User
from toolbox.learning.models import (
    Attempt,
    AttemptStatus,
    Badge,
    Mastery,
    StudentBadge,
    StudentStats,
    XPEvent,
)
from toolbox.learning.services.notifications import notification_create

XP_PER_QUIZ = 10
XP_PER_LESSON = 15
XP_PER_OBJECTIVE_MASTERED = 25
STREAK_BADGE_DAYS = 5
MASTERY_BADGE_OBJECTIVES = 5
QUIZZES_BADGE_COUNT = 10

# The badges ToolBox awards. The data migration 0002 creates the same rows; awarding
# recreates a missing row from here, so a badge can never fail to be given.
BADGES: dict[str, dict[str, str]] = {
    "first_quiz": {"name": "First quiz", "description": "Submitted a first quiz.", "icon": "🎯"},
    "perfect_score": {"name": "Perfect score", "description": "Answered every question of a quiz right.", "icon": "💯"},
    "streak_5": {"name": "Five-day streak", "description": "Learned something five days in a row.", "icon": "🔥"},
    "mastered_5": {
        "name": "Five objectives mastered",
        "description": "Mastered five learning objectives.",
        "icon": "🏅",
    },
    "first_lesson": {"name": "First lesson", "description": "Completed a first lesson.", "icon": "📘"},
    "quizzes_10": {"name": "Ten quizzes", "description": "Submitted ten quizzes.", "icon": "🏆"},
}


def quiz_xp(final_percent: Decimal | None) -> int:
    """10 XP for submitting, plus 1 for each full 10% scored (up to 20 XP)."""
    return XP_PER_QUIZ + int((final_percent or Decimal("0")) // 10)


def _stats_locked(student: User) -> StudentStats:
    StudentStats.objects.get_or_create(student=student)
    return StudentStats.objects.select_for_update().get(student=student)


def xp_grant(*, student: User, source: str, amount: int, description: str) -> XPEvent | None:
    """Award XP for a source; None when that source has already paid out."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = XPEvent.objects.create(
                    student=student, source=source, amount=amount, description=description[:200]
                )
        except IntegrityError:
            return None
        _stats_locked(student)
        StudentStats.objects.filter(student=student).update(total_xp=F("total_xp") + amount)
        return event


def student_today(student: User, at: dt.datetime) -> dt.date:
    tz = student.school.tzinfo if student.school_id and student.school else zoneinfo.ZoneInfo("UTC")
    return at.astimezone(tz).date()


def streak_record_activity(*, student: User, at: dt.datetime) -> StudentStats:
    """Count a day of activity: the streak grows when yesterday was active, restarts at 1
    after a gap, and stays put for more activity on the same (or an earlier) day."""
    with transaction.atomic():
        stats = _stats_locked(student)
        day = student_today(student, at)
        last = stats.last_active_on
        if last is not None and day <= last:
            return stats
        stats.current_streak = stats.current_streak + 1 if last == day - dt.timedelta(days=1) else 1
        stats.longest_streak = max(stats.longest_streak, stats.current_streak)
        stats.last_active_on = day
        stats.save(update_fields=["current_streak", "longest_streak", "last_active_on"])
        return stats


def badge_award(*, student: User, code: str) -> StudentBadge | None:
    """Award a badge once; None when the student already has it."""
    with transaction.atomic():
        badge, _ = Badge.objects.get_or_create(code=code, defaults=BADGES[code])
        try:
            with transaction.atomic():
                award = StudentBadge.objects.create(student=student, badge=badge)
        except IntegrityError:
            return None
        notification_create(
            user=student,
            kind="badge",
            message=f"{badge.icon} You earned the “{badge.name}” badge: {badge.description}",
            dedupe_key=f"badge:{code}",
        )
        return award


def mastery_badges_check(*, student: User) -> None:
    mastered = Mastery.objects.filter(student=student, mastered_at__isnull=False).count()
    if mastered >= MASTERY_BADGE_OBJECTIVES:
        badge_award(student=student, code="mastered_5")


def perfect_score_check(*, attempt: Attempt) -> None:
    if attempt.status == AttemptStatus.GRADED and attempt.max_score and attempt.raw_score == attempt.max_score:
        badge_award(student=attempt.student, code="perfect_score")


def _streak_badges_check(student: User, stats: StudentStats) -> None:
    if stats.current_streak >= STREAK_BADGE_DAYS:
        badge_award(student=student, code="streak_5")


def attempt_rewards_grant(*, attempt: Attempt) -> None:
    """XP, streak and badges for a submitted attempt (inside the submit's transaction)."""
    student = attempt.student
    assert attempt.submitted_at is not None
    xp_grant(
        student=student,
        source=f"attempt:{attempt.pk}",
        amount=quiz_xp(attempt.final_percent),
        description=f"Submitted “{attempt.snapshot.get('title', 'a quiz')}”",
    )
    stats = streak_record_activity(student=student, at=attempt.submitted_at)
    badge_award(student=student, code="first_quiz")
    perfect_score_check(attempt=attempt)
    submitted = Attempt.objects.filter(student=student).exclude(status=AttemptStatus.IN_PROGRESS).count()
    if submitted >= QUIZZES_BADGE_COUNT:
        badge_award(student=student, code="quizzes_10")
    _streak_badges_check(student, stats)


def lesson_rewards_grant(*, student: User, lesson_id: int, lesson_title: str, completed_at: dt.datetime) -> None:
    xp_grant(
        student=student, source=f"lesson:{lesson_id}", amount=XP_PER_LESSON, description=f"Completed “{lesson_title}”"
    )
    stats = streak_record_activity(student=student, at=completed_at)
    badge_award(student=student, code="first_lesson")
    _streak_badges_check(student, stats)
