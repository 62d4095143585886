"""What a student sees: the to-do list, progress, the home page, notifications.

The to-do list is built for many students at once (`todo_for_students`) so that a parent's
overview of several children costs the same queries as one student's home page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.classroom.models import EnrollmentStatus
from toolbox.learning.levels import level_for_xp, xp_for_level
from toolbox.learning.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    LessonProgress,
    Mastery,
    Notification,
    PracticeSet,
    StudentBadge,
    StudentStats,
)
from toolbox.learning.selectors._common import (
    ASSIGNMENT_FACT_FIELDS,
    ATTEMPT_FACT_FIELDS,
    AssignmentFacts,
    AttemptFacts,
    GradebookCell,
    assignment_facts,
)
from toolbox.learning.selectors.gradebook import cell_for

DUE_SOON_DAYS = 7
RECENTLY_DONE_DAYS = 14


@dataclass(frozen=True, slots=True)
class TodoItem:
    assignment_id: int
    kind: str
    title: str
    classroom_id: int
    classroom_name: str
    due_at: dt.datetime
    close_at: dt.datetime | None
    accept_late: bool
    attempts_used: int
    attempts_allowed: int | None
    best_percent: Decimal | None
    cell: GradebookCell

    @property
    def attempts_left(self) -> int | None:
        return None if self.attempts_allowed is None else max(self.attempts_allowed - self.attempts_used, 0)

    def can_still_hand_in(self, now: dt.datetime) -> bool:
        """Past due but late work is accepted, the class has not closed it, and an attempt
        is left (or one is under way)."""
        if self.cell.is_in_progress:
            return self.close_at is None or self.close_at > now
        open_for_late = self.accept_late and (self.close_at is None or self.close_at > now)
        return open_for_late and (self.attempts_left is None or self.attempts_left > 0)


@dataclass(frozen=True, slots=True)
class TodoList:
    """`overdue` is past-due work the student can still hand in; `missing` is all past-due
    work not done (what a parent or teacher sees), accepted or not."""

    due_soon: tuple[TodoItem, ...]
    later: tuple[TodoItem, ...]
    overdue: tuple[TodoItem, ...]
    missing: tuple[TodoItem, ...]
    done: tuple[TodoItem, ...]

    @property
    def upcoming(self) -> tuple[TodoItem, ...]:
        return self.due_soon + self.later


def assignment_items_for_students(
    *, student_ids: Iterable[int], now: dt.datetime | None = None
) -> dict[int, list[TodoItem]]:
    """Every available assignment of each student's active classes, in due-date order, with
    the student's standing on it (three queries for any number of students)."""
    now = now or timezone.now()
    ids = list(student_ids)
    rows = (
        Assignment.objects.filter(
            classroom__enrollments__student_id__in=ids,
            classroom__enrollments__status=EnrollmentStatus.ACTIVE,
            classroom__is_archived=False,
            available_from__lte=now,
        )
        .order_by("due_at", "id")
        .values(*ASSIGNMENT_FACT_FIELDS, "classroom__name", "classroom__enrollments__student_id")
    )
    assignments_of: dict[int, list[tuple[AssignmentFacts, str]]] = defaultdict(list)
    for row in rows:
        assignments_of[row["classroom__enrollments__student_id"]].append(
            (assignment_facts(row), row["classroom__name"])
        )
    every = [facts for pairs in assignments_of.values() for facts, _ in pairs]
    assignment_ids = {facts.id for facts in every}
    lesson_ids = {facts.lesson_id for facts in every if facts.lesson_id is not None}

    attempts: dict[tuple[int, int], list[AttemptFacts]] = defaultdict(list)
    if assignment_ids:
        for student_id, assignment_id, *facts in Attempt.objects.filter(
            student_id__in=ids, assignment_id__in=assignment_ids
        ).values_list("student_id", "assignment_id", *ATTEMPT_FACT_FIELDS):
            attempts[(student_id, assignment_id)].append(AttemptFacts(*facts))
    progress: dict[int, dict[int, tuple[int, dt.datetime | None]]] = defaultdict(dict)
    if lesson_ids:
        for student_id, lesson_id, percent, completed_at in LessonProgress.objects.filter(
            student_id__in=ids, lesson_id__in=lesson_ids
        ).values_list("student_id", "lesson_id", "percent", "completed_at"):
            progress[student_id][lesson_id] = (percent, completed_at)

    items: dict[int, list[TodoItem]] = {}
    for student_id in ids:
        own_progress = progress.get(student_id, {})
        items[student_id] = []
        for assignment, classroom_name in assignments_of.get(student_id, []):
            own_attempts = attempts.get((student_id, assignment.id), [])
            graded = [a.final_percent for a in own_attempts if a.final_percent is not None]
            items[student_id].append(
                TodoItem(
                    assignment_id=assignment.id,
                    kind=assignment.kind,
                    title=assignment.title,
                    classroom_id=assignment.classroom_id,
                    classroom_name=classroom_name,
                    due_at=assignment.due_at,
                    close_at=assignment.close_at,
                    accept_late=assignment.accept_late,
                    attempts_used=len(own_attempts),
                    attempts_allowed=assignment.max_attempts,
                    best_percent=max(graded) if graded else None,
                    cell=cell_for(assignment=assignment, attempts=own_attempts, progress=own_progress, now=now),
                )
            )
    return items


def todo_from_items(items: Iterable[TodoItem], now: dt.datetime) -> TodoList:
    due_soon, later, overdue, missing, done = [], [], [], [], []
    soon = now + dt.timedelta(days=DUE_SOON_DAYS)
    recently = now - dt.timedelta(days=RECENTLY_DONE_DAYS)
    for item in items:
        if item.cell.is_done:
            if item.cell.done_at is not None and item.cell.done_at >= recently:
                done.append(item)
        elif item.due_at < now:
            missing.append(item)
            if item.can_still_hand_in(now):
                overdue.append(item)
        elif item.due_at <= soon:
            due_soon.append(item)
        else:
            later.append(item)
    done.sort(key=lambda item: item.cell.done_at or now, reverse=True)
    return TodoList(
        due_soon=tuple(due_soon), later=tuple(later), overdue=tuple(overdue), missing=tuple(missing), done=tuple(done)
    )


def todo_for_students(*, student_ids: Iterable[int], now: dt.datetime | None = None) -> dict[int, TodoList]:
    now = now or timezone.now()
    items = assignment_items_for_students(student_ids=student_ids, now=now)
    return {student_id: todo_from_items(student_items, now) for student_id, student_items in items.items()}


def student_todo(*, student: User, now: dt.datetime | None = None) -> TodoList:
    return todo_for_students(student_ids=[student.pk], now=now)[student.pk]


# --- Progress ------------------------------------------------------------------------------


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
    for award in StudentBadge.objects.filter(student_id__in=list(student_ids)).select_related("badge"):
        awards[award.student_id].append(
            BadgeAward(
                code=award.badge.code,
                name=award.badge.name,
                description=award.badge.description,
                icon=award.badge.icon,
                awarded_at=award.awarded_at,
            )
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
    graded = attempts_with_titles().filter(student_id=student.pk, status=AttemptStatus.GRADED)
    return tuple(attempt_summary(a) for a in graded.order_by("-submitted_at", "-id")[:limit])


def _practice_sets(*, student: User, today: dt.date, limit: int) -> tuple[PracticeSetSummary, ...]:
    sets = (
        PracticeSet.objects.filter(student_id=student.pk, for_date__lte=today)
        .annotate(
            item_count=Count("items"),
            answered_count=Count("items", filter=Q(items__answered_at__isnull=False)),
            correct_count=Count("items", filter=Q(items__is_correct=True)),
        )
        .order_by("-for_date")[:limit]
    )
    # Newest first puts today's set first when there is one.
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
        for s in sets
    )


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
    unread_notifications: int


def student_home(*, student: User, now: dt.datetime | None = None) -> StudentHome:
    now = now or timezone.now()
    today = school_today(student, now)
    stats = _stats_for(student)
    practice = _practice_sets(student=student, today=today, limit=1)
    return StudentHome(
        todo=student_todo(student=student, now=now),
        level=level_progress(stats.total_xp if stats else 0),
        streak=streak_of(stats, today),
        badges=badges_for([student.pk]).get(student.pk, ()),
        recent_results=recent_results(student=student),
        practice_today=practice[0] if practice and practice[0].is_today else None,
        unread_notifications=Notification.objects.filter(user_id=student.pk, read_at__isnull=True).count(),
    )


# --- Notifications -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotificationItem:
    id: int
    kind: str
    message: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True, slots=True)
class NotificationList:
    items: tuple[NotificationItem, ...]
    unread_count: int


def notifications_for_user(*, user: User, unread_only: bool = False, limit: int = 50) -> NotificationList:
    """The newest notifications (two queries)."""
    queryset = Notification.objects.filter(user_id=user.pk)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    items = tuple(
        NotificationItem(*row)
        for row in queryset.order_by("-created_at", "-id").values_list(
            "id", "kind", "message", "link", "created_at", "read_at"
        )[:limit]
    )
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
    return NotificationList(items=items, unread_count=unread)
