"""XP, streaks and badges: each award is recorded once, whatever retries or races occur.

XP: an XPEvent per source ("attempt:<id>", "lesson:<id>", "mastery:<objective id>"), unique
per student, so a source pays out once; StudentStats.total_xp keeps the running sum and the
level follows from it (toolbox.learning.levels). Streak: consecutive days with a submitted
quiz or a completed lesson, counted in the school's time zone.

Each step costs a fixed number of queries whatever the number of awards. XP and streaks are
written under a lock on the student's StudentStats row (created if need be), so that a
student's XP is decided one transaction at a time: the sources already paid are read once
under that lock and the new events inserted in one statement. Badges take one read of what
the student has and one insert each for the awards and their notices; both inserts skip a
row that a concurrent transaction has just written (awards and notices are unique), so a
badge is still awarded and announced once. Callers that lock mastery rows lock them before
the stats row, the same order everywhere. The public functions open a transaction when
called alone and join the caller's without a savepoint: nothing in them recovers from a
failed statement, so a savepoint would protect nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from toolbox.accounts.models import User
from toolbox.freshness import users_changed
from toolbox.learning.models import (
    Attempt,
    AttemptStatus,
    Badge,
    Mastery,
    StudentBadge,
    StudentStats,
    XPEvent,
)
from toolbox.learning.services.notifications import notification_prepare, notifications_create

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


@dataclass(frozen=True, slots=True)
class XPAward:
    source: str
    amount: int
    description: str


def _stats_locked(student: User) -> StudentStats:
    # The first award creates the row. get_or_create inserts it in a savepoint, which is
    # needed: when a concurrent first award has just created it, the failed insert is rolled
    # back to the savepoint and the row it made is read (and locked) instead.
    stats, _ = StudentStats.objects.select_for_update().get_or_create(student=student)
    return stats


def _xp_record(*, stats: StudentStats, awards: Sequence[XPAward]) -> list[XPEvent]:
    """Record the awards whose source has not paid out yet and add them to the running total
    (on the locked `stats`, which the caller saves). Every XP write holds that lock, so the
    sources read here are all that can conflict: the insert needs no savepoint."""
    by_source: dict[str, XPAward] = {}
    for award in awards:
        by_source.setdefault(award.source, award)
    if not by_source:
        return []
    paid = set(
        XPEvent.objects.filter(student_id=stats.student_id, source__in=list(by_source)).values_list("source", flat=True)
    )
    events = [
        XPEvent(
            student_id=stats.student_id, source=award.source, amount=award.amount, description=award.description[:200]
        )
        for source, award in by_source.items()
        if source not in paid
    ]
    XPEvent.objects.bulk_create(events)
    stats.total_xp += sum(event.amount for event in events)
    return events


def _mastery_awards(objective_ids: Sequence[int]) -> list[XPAward]:
    return [
        XPAward(
            source=f"mastery:{objective_id}",
            amount=XP_PER_OBJECTIVE_MASTERED,
            description="Mastered a learning objective",
        )
        for objective_id in objective_ids
    ]


def xp_grant(*, student: User, source: str, amount: int, description: str) -> XPEvent | None:
    """Award XP for a source; None when that source has already paid out."""
    with transaction.atomic(savepoint=False):
        stats = _stats_locked(student)
        events = _xp_record(stats=stats, awards=[XPAward(source=source, amount=amount, description=description)])
        if events:
            stats.save(update_fields=["total_xp"])
        return events[0] if events else None


def student_today(student: User, at: dt.datetime) -> dt.date:
    tz = student.school.tzinfo if student.school_id and student.school else zoneinfo.ZoneInfo("UTC")
    return at.astimezone(tz).date()


def _streak_count(stats: StudentStats, student: User, at: dt.datetime) -> None:
    """The streak grows when yesterday was active, restarts at 1 after a gap, and stays put
    for more activity on the same (or an earlier) day (on the locked `stats`, unsaved)."""
    day = student_today(student, at)
    last = stats.last_active_on
    if last is not None and day <= last:
        return
    stats.current_streak = stats.current_streak + 1 if last == day - dt.timedelta(days=1) else 1
    stats.longest_streak = max(stats.longest_streak, stats.current_streak)
    stats.last_active_on = day


STATS_FIELDS = ["total_xp", "current_streak", "longest_streak", "last_active_on"]


def streak_record_activity(*, student: User, at: dt.datetime) -> StudentStats:
    """Count a day of activity (see `_streak_count`)."""
    with transaction.atomic(savepoint=False):
        stats = _stats_locked(student)
        _streak_count(stats, student, at)
        stats.save(update_fields=STATS_FIELDS)
        return stats


@dataclass(frozen=True, slots=True)
class BadgeStanding:
    """The badges asked about (by code) with whether the student has each, and the counts
    that the count-based badges are decided on (0 when not asked for)."""

    badges: dict[str, Badge]
    awarded: frozenset[str]
    quizzes_submitted: int = 0
    objectives_mastered: int = 0


def _badge_standing(*, student: User, codes: Collection[str], with_counts: bool = False) -> BadgeStanding:
    """One query (two more the first time a badge row is missing from the table): the badge
    rows, whether the student has each, and with `with_counts` the student's submitted
    quizzes and mastered objectives, as this transaction sees them."""
    rows = Badge.objects.filter(code__in=codes).annotate(
        has_it=Exists(StudentBadge.objects.filter(student_id=student.pk, badge_id=OuterRef("pk")))
    )
    if with_counts:
        rows = rows.annotate(
            quizzes_submitted=_count_of(
                Attempt.objects.filter(student_id=student.pk).exclude(status=AttemptStatus.IN_PROGRESS)
            ),
            objectives_mastered=_count_of(Mastery.objects.filter(student_id=student.pk, mastered_at__isnull=False)),
        )
    found = list(rows)
    missing = set(codes) - {badge.code for badge in found}
    if missing:
        # The data migration creates every badge; one deleted since is made again from BADGES.
        Badge.objects.bulk_create([Badge(code=code, **BADGES[code]) for code in sorted(missing)], ignore_conflicts=True)
        found = list(rows.all())
    first = found[0] if found else None
    return BadgeStanding(
        badges={badge.code: badge for badge in found},
        awarded=frozenset(badge.code for badge in found if badge.has_it),  # pyright: ignore[reportAttributeAccessIssue]
        quizzes_submitted=getattr(first, "quizzes_submitted", 0),
        objectives_mastered=getattr(first, "objectives_mastered", 0),
    )


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    """The rows of a queryset filtered on one student, counted in a subquery."""
    counted = queryset.order_by().values("student_id").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def _badges_award(*, student: User, codes: Collection[str], standing: BadgeStanding) -> list[StudentBadge]:
    """Award each badge of `codes` the student does not have yet and notify them of it: one
    insert for the awards and one for the notices, none when nothing is new."""
    new = [standing.badges[code] for code in sorted(codes) if code not in standing.awarded]
    if not new:
        return []
    awards = [StudentBadge(student=student, badge=badge) for badge in new]
    StudentBadge.objects.bulk_create(awards, ignore_conflicts=True)
    users_changed(user_ids=[student.pk])
    notifications_create(
        notifications=[
            notification_prepare(
                user=student,
                kind="badge",
                message=f"{badge.icon} You earned the “{badge.name}” badge: {badge.description}",
                dedupe_key=f"badge:{badge.code}",
            )
            for badge in new
        ]
    )
    return awards


def badge_award(*, student: User, code: str) -> StudentBadge | None:
    """Award a badge once; None when the student already has it."""
    with transaction.atomic(savepoint=False):
        standing = _badge_standing(student=student, codes=[code])
        awards = _badges_award(student=student, codes=[code], standing=standing)
        return awards[0] if awards else None


def _is_perfect(attempt: Attempt) -> bool:
    return bool(attempt.status == AttemptStatus.GRADED and attempt.max_score and attempt.raw_score == attempt.max_score)


def perfect_score_check(*, attempt: Attempt) -> None:
    if _is_perfect(attempt):
        badge_award(student=attempt.student, code="perfect_score")


def mastery_rewards_grant(*, student: User, objective_ids: Sequence[int]) -> None:
    """XP for each objective newly mastered, and the badge for five mastered."""
    if not objective_ids:
        return
    stats = _stats_locked(student)
    _xp_record(stats=stats, awards=_mastery_awards(objective_ids))
    standing = _badge_standing(student=student, codes=["mastered_5"], with_counts=True)
    if standing.objectives_mastered >= MASTERY_BADGE_OBJECTIVES:
        _badges_award(student=student, codes=["mastered_5"], standing=standing)
    stats.save(update_fields=["total_xp"])


ATTEMPT_BADGES = ("first_quiz", "perfect_score", "quizzes_10", "streak_5", "mastered_5")


def attempt_rewards_grant(*, attempt: Attempt, objectives_mastered: Sequence[int] = ()) -> None:
    """XP (for the attempt and for each objective it mastered), the streak and the badges of
    a submitted attempt, inside the submit's transaction, in the same queries however many
    objectives and badges there are."""
    student = attempt.student
    assert attempt.submitted_at is not None
    stats = _stats_locked(student)
    awards = [
        XPAward(
            source=f"attempt:{attempt.pk}",
            amount=quiz_xp(attempt.final_percent),
            description=f"Submitted “{attempt.snapshot.get('title', 'a quiz')}”",
        ),
        *_mastery_awards(objectives_mastered),
    ]
    _xp_record(stats=stats, awards=awards)
    _streak_count(stats, student, attempt.submitted_at)
    standing = _badge_standing(student=student, codes=ATTEMPT_BADGES, with_counts=True)
    earned = {"first_quiz"}
    if _is_perfect(attempt):
        earned.add("perfect_score")
    if standing.quizzes_submitted >= QUIZZES_BADGE_COUNT:
        earned.add("quizzes_10")
    if stats.current_streak >= STREAK_BADGE_DAYS:
        earned.add("streak_5")
    if objectives_mastered and standing.objectives_mastered >= MASTERY_BADGE_OBJECTIVES:
        earned.add("mastered_5")
    _badges_award(student=student, codes=earned, standing=standing)
    stats.save(update_fields=STATS_FIELDS)


def lesson_rewards_grant(*, student: User, lesson_id: int, lesson_title: str, completed_at: dt.datetime) -> None:
    stats = _stats_locked(student)
    _xp_record(
        stats=stats,
        awards=[XPAward(source=f"lesson:{lesson_id}", amount=XP_PER_LESSON, description=f"Completed “{lesson_title}”")],
    )
    _streak_count(stats, student, completed_at)
    standing = _badge_standing(student=student, codes=["first_lesson", "streak_5"])
    earned = {"first_lesson"}
    if stats.current_streak >= STREAK_BADGE_DAYS:
        earned.add("streak_5")
    _badges_award(student=student, codes=earned, standing=standing)
    stats.save(update_fields=STATS_FIELDS)
