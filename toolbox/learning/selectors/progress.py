"""A student's progress and home page: XP and level, streak, badges, mastery, results,
attempt history and practice sets."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.freshness import cached_for_users
from toolbox.learning.levels import level_for_xp, xp_for_level
from toolbox.learning.models import (
    Attempt,
    AttemptStatus,
    Mastery,
    PracticeSet,
    StudentBadge,
    StudentStats,
)
from toolbox.learning.selectors.notifications import NotificationList, newest_notifications
from toolbox.learning.selectors.todo import StudentWork, TodoList, student_work_for, todo_from_items, todo_items


@dataclass(frozen=True, slots=True)
class LevelProgress:
    """Where a student stands between two levels, for the XP bar."""

    xp: int
    level: int
    level_starts_at: int
    next_level_at: int

    @property
    def percent_to_next(self) -> int:
        span = self.next_level_at - self.level_starts_at
        return min(100, (self.xp - self.level_starts_at) * 100 // span)


def level_progress(xp: int) -> LevelProgress:
    level = level_for_xp(xp)
    return LevelProgress(xp=xp, level=level, level_starts_at=xp_for_level(level), next_level_at=xp_for_level(level + 1))


@dataclass(frozen=True, slots=True)
class StreakInfo:
    current: int
    longest: int
    last_active_on: dt.date | None


@dataclass(frozen=True, slots=True)
class BadgeAward:
    code: str
    name: str
    description: str
    icon: str
    awarded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MasteryEntry:
    objective_id: int
    code: str
    description: str
    subject: str
    score: float
    answers_counted: int
    mastered_at: dt.datetime | None

    @property
    def mastered(self) -> bool:
        """Mastery is reached once (≥ 0.85 over at least 5 answers, recorded by the learning
        services in `mastered_at`) and kept, as the badges and XP it earned are."""
        return self.mastered_at is not None

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    attempt_id: int
    assignment_id: int
    title: str
    classroom_name: str
    number: int
    status: str
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    due_at: dt.datetime
    final_percent: Decimal | None

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at


@dataclass(frozen=True, slots=True)
class PracticeSetSummary:
    practice_set_id: int
    for_date: dt.date
    is_today: bool
    item_count: int
    answered_count: int
    correct_count: int
    completed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StudentProgress:
    level: LevelProgress
    streak: StreakInfo
    badges: tuple[BadgeAward, ...]
    mastery: tuple[MasteryEntry, ...]
    recent_results: tuple[AttemptSummary, ...]
    attempts: tuple[AttemptSummary, ...]
    has_more_attempts: bool
    practice_sets: tuple[PracticeSetSummary, ...]

    @property
    def mastered_count(self) -> int:
        return sum(1 for entry in self.mastery if entry.mastered)


def school_today(student: User, now: dt.datetime) -> dt.date:
    """Today in the student's school's time zone (streaks and practice sets are per day there)."""
    tz = student.school.tzinfo if student.school_id else dt.UTC
    return now.astimezone(tz).date()


def streak_of(stats: StudentStats | None, today: dt.date) -> StreakInfo:
    """A streak still stands if the student was active today or yesterday; otherwise it is
    broken, even though the stored counter only resets at the next activity."""
    if stats is None:
        return StreakInfo(current=0, longest=0, last_active_on=None)
    alive = stats.last_active_on is not None and stats.last_active_on >= today - dt.timedelta(days=1)
    return StreakInfo(
        current=stats.current_streak if alive else 0, longest=stats.longest_streak, last_active_on=stats.last_active_on
    )


def _stats_for(student: User) -> StudentStats | None:
    return StudentStats.objects.filter(student_id=student.pk).first()


def badges_for(student_ids: Iterable[int]) -> dict[int, tuple[BadgeAward, ...]]:
    awards: dict[int, list[BadgeAward]] = defaultdict(list)
    rows = StudentBadge.objects.filter(student_id__in=list(student_ids)).values_list(
        "student_id", "badge__code", "badge__name", "badge__description", "badge__icon", "awarded_at"
    )
    for student_id, code, name, description, icon, awarded_at in rows:
        awards[student_id].append(
            BadgeAward(code=code, name=name, description=description, icon=icon, awarded_at=awarded_at)
        )
    return {student_id: tuple(items) for student_id, items in awards.items()}


def mastery_for(student_ids: Iterable[int]) -> dict[int, tuple[MasteryEntry, ...]]:
    entries: dict[int, list[MasteryEntry]] = defaultdict(list)
    rows = (
        Mastery.objects.filter(student_id__in=list(student_ids))
        .order_by("objective__subject", "objective__code")
        .values_list(
            "student_id",
            "objective_id",
            "objective__code",
            "objective__description",
            "objective__subject",
            "score",
            "answers_counted",
            "mastered_at",
        )
    )
    for student_id, *fields in rows:
        entries[student_id].append(MasteryEntry(*fields))
    return {student_id: tuple(items) for student_id, items in entries.items()}


def attempt_summary(attempt: Attempt) -> AttemptSummary:
    return AttemptSummary(
        attempt_id=attempt.pk,
        assignment_id=attempt.assignment_id,
        title=attempt.assignment.title,
        classroom_name=attempt.assignment.classroom.name,
        number=attempt.number,
        status=attempt.status,
        started_at=attempt.started_at,
        submitted_at=attempt.submitted_at,
        due_at=attempt.assignment.due_at,
        final_percent=attempt.final_percent,
    )


def attempts_with_titles() -> QuerySet[Attempt]:
    return Attempt.objects.select_related("assignment__classroom", "assignment__quiz", "assignment__lesson").defer(
        "snapshot"
    )


def recent_results(*, student: User, limit: int = 5) -> tuple[AttemptSummary, ...]:
    # Plain rows, not attempts with three related models each: the same summaries for a
    # fraction of the work.
    rows = (
        Attempt.objects.filter(student_id=student.pk, status=AttemptStatus.GRADED)
        .order_by("-submitted_at", "-id")
        .values_list(
            "id",
            "assignment_id",
            "assignment__quiz_id",
            "assignment__quiz__title",
            "assignment__lesson__title",
            "assignment__classroom__name",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "assignment__due_at",
            "final_percent",
        )[:limit]
    )
    return tuple(
        AttemptSummary(
            attempt_id=attempt_id,
            assignment_id=assignment_id,
            title=(quiz_title if quiz_id else lesson_title) or "Assignment",
            classroom_name=classroom_name,
            number=number,
            status=status,
            started_at=started_at,
            submitted_at=submitted_at,
            due_at=due_at,
            final_percent=final_percent,
        )
        for (
            attempt_id,
            assignment_id,
            quiz_id,
            quiz_title,
            lesson_title,
            classroom_name,
            number,
            status,
            started_at,
            submitted_at,
            due_at,
            final_percent,
        ) in rows
    )


def _practice_set_summaries(
    sets: QuerySet[PracticeSet], today: dt.date, limit: int | None = None
) -> tuple[PracticeSetSummary, ...]:
    counted = sets.annotate(
        item_count=Count("items"),
        answered_count=Count("items", filter=Q(items__answered_at__isnull=False)),
        correct_count=Count("items", filter=Q(items__is_correct=True)),
    )[:limit]
    return tuple(
        PracticeSetSummary(
            practice_set_id=s.pk,
            for_date=s.for_date,
            is_today=s.for_date == today,
            item_count=s.item_count,  # pyright: ignore[reportAttributeAccessIssue]
            answered_count=s.answered_count,  # pyright: ignore[reportAttributeAccessIssue]
            correct_count=s.correct_count,  # pyright: ignore[reportAttributeAccessIssue]
            completed_at=s.completed_at,
        )
        for s in counted
    )


def _practice_sets(*, student: User, today: dt.date, limit: int) -> tuple[PracticeSetSummary, ...]:
    # Newest first puts today's set first when there is one.
    sets = PracticeSet.objects.filter(student_id=student.pk, for_date__lte=today).order_by("-for_date")
    return _practice_set_summaries(sets, today, limit)


def student_progress(
    *,
    student: User,
    attempts_limit: int = 20,
    attempts_offset: int = 0,
    practice_limit: int = 14,
    now: dt.datetime | None = None,
) -> StudentProgress:
    """The progress page: XP and level, streak, badges, mastery per objective, recent
    results, one page of the attempt history (newest first) and recent practice sets."""
    now = now or timezone.now()
    today = school_today(student, now)
    stats = _stats_for(student)
    history = list(
        attempts_with_titles()
        .filter(student_id=student.pk)
        .order_by("-started_at", "-id")[attempts_offset : attempts_offset + attempts_limit + 1]
    )
    return StudentProgress(
        level=level_progress(stats.total_xp if stats else 0),
        streak=streak_of(stats, today),
        badges=badges_for([student.pk]).get(student.pk, ()),
        mastery=mastery_for([student.pk]).get(student.pk, ()),
        recent_results=recent_results(student=student),
        attempts=tuple(attempt_summary(a) for a in history[:attempts_limit]),
        has_more_attempts=len(history) > attempts_limit,
        practice_sets=_practice_sets(student=student, today=today, limit=practice_limit),
    )


@dataclass(frozen=True, slots=True)
class StudentHome:
    todo: TodoList
    level: LevelProgress
    streak: StreakInfo
    badges: tuple[BadgeAward, ...]
    recent_results: tuple[AttemptSummary, ...]
    practice_today: PracticeSetSummary | None
    notifications: NotificationList


@dataclass(frozen=True, slots=True)
class StudentHomeFacts:
    """What the home page is made of, as read from the database; the page itself also
    depends on the time (what is due, today's practice set, whether the streak stands),
    so it is made from these facts on every request (`student_home_from_facts`)."""

    time_zone: str
    work: StudentWork
    stats: StudentStats | None
    badges: tuple[BadgeAward, ...]
    recent_results: tuple[AttemptSummary, ...]
    # Every set from the school day the facts were read on: a later "today" is never earlier.
    practice_sets: tuple[PracticeSetSummary, ...]
    notifications: NotificationList


def student_home_facts(*, student: User, now: dt.datetime, notification_limit: int) -> StudentHomeFacts:
    time_zone = student.school.time_zone if student.school_id else "UTC"
    today = now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    return StudentHomeFacts(
        time_zone=time_zone,
        work=student_work_for(student_ids=[student.pk])[student.pk],
        stats=_stats_for(student),
        badges=badges_for([student.pk]).get(student.pk, ()),
        recent_results=recent_results(student=student),
        practice_sets=_practice_set_summaries(
            PracticeSet.objects.filter(student_id=student.pk, for_date__gte=today).order_by("for_date"), today
        ),
        notifications=newest_notifications(user=student, limit=notification_limit),
    )


def student_home_from_facts(facts: StudentHomeFacts, now: dt.datetime) -> StudentHome:
    today = now.astimezone(zoneinfo.ZoneInfo(facts.time_zone)).date()
    practice_today = next((s for s in facts.practice_sets if s.for_date == today), None)
    return StudentHome(
        todo=todo_from_items(todo_items(facts.work, now), now),
        level=level_progress(facts.stats.total_xp if facts.stats else 0),
        streak=streak_of(facts.stats, today),
        badges=facts.badges,
        recent_results=facts.recent_results,
        practice_today=replace(practice_today, is_today=True) if practice_today else None,
        notifications=facts.notifications,
    )


def student_home(*, student: User, now: dt.datetime | None = None, notification_limit: int = 8) -> StudentHome:
    """The home page's data, its newest notifications included: no query (and one cache
    round trip) while the student's cached facts are current."""
    now = now or timezone.now()
    facts = cached_for_users(
        key=f"student-home:{student.pk}:{notification_limit}",
        user_ids=[student.pk],
        build=lambda: student_home_facts(student=student, now=now, notification_limit=notification_limit),
    )
    return student_home_from_facts(facts, now)
