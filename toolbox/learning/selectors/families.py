"""What a parent sees of each linked child. Scores appear only where the link allows it
(`ParentLink.can_view_grades`); work to do, streaks and mastery are always shown."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from toolbox.accounts.models import ParentLink, User
from toolbox.errors import NotFoundError
from toolbox.freshness import cached_for_users
from toolbox.learning.models import Attempt, AttemptStatus, Mastery, StudentStats
from toolbox.learning.selectors._common import StudentRef, mean_percent, student_ref_of
from toolbox.learning.selectors.progress import (
    AttemptSummary,
    LevelProgress,
    MasteryEntry,
    StreakInfo,
    attempt_summary,
    attempts_with_titles,
    level_progress,
    mastery_for,
    school_today,
    streak_of,
)
from toolbox.learning.selectors.todo import (
    StudentWork,
    TodoItem,
    assignment_items_for_students,
    student_work_for,
    todo_from_items,
    todo_items,
)

RECENT_SCORES_PER_CHILD = 5


@dataclass(frozen=True, slots=True)
class ChildOverview:
    student: StudentRef
    can_view_grades: bool
    recent_scores: tuple[AttemptSummary, ...]
    upcoming: tuple[TodoItem, ...]
    missing: tuple[TodoItem, ...]
    streak: StreakInfo
    level: LevelProgress
    mastered_count: int
    objectives_count: int


def _stats(user: User) -> StudentStats | None:
    try:
        return user.stats  # pyright: ignore[reportAttributeAccessIssue]
    except ObjectDoesNotExist:
        return None


def _recent_scores(student_ids: list[int]) -> dict[int, tuple[AttemptSummary, ...]]:
    """The newest graded attempts of each student, a few per student, in one query."""
    if not student_ids:
        return {}
    newest_first = Window(
        RowNumber(), partition_by=[F("student_id")], order_by=[F("submitted_at").desc(), F("id").desc()]
    )
    attempts = (
        attempts_with_titles()
        .filter(student_id__in=student_ids, status=AttemptStatus.GRADED)
        .annotate(rank=newest_first)
        .filter(rank__lte=RECENT_SCORES_PER_CHILD)
        .order_by("student_id", "rank")
    )
    by_student: dict[int, list[AttemptSummary]] = defaultdict(list)
    for attempt in attempts:
        by_student[attempt.student_id].append(attempt_summary(attempt))
    return {student_id: tuple(items) for student_id, items in by_student.items()}


def _mastery_counts(student_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        Mastery.objects.filter(student_id__in=student_ids)
        .values("student_id")
        .annotate(
            total=Count("id"),
            mastered=Count("id", filter=Q(mastered_at__isnull=False)),
        )
        .values_list("student_id", "total", "mastered")
        .order_by()
    )
    return {student_id: (total, mastered) for student_id, total, mastered in rows}


@dataclass(frozen=True, slots=True)
class ChildFacts:
    """What a child's card is made of, as read from the database; the card also depends on
    the time (what is due or missing, whether the streak stands), so it is made from these
    facts on every request."""

    student: StudentRef
    can_view_grades: bool
    time_zone: str
    work: StudentWork
    stats: StudentStats | None
    recent_scores: tuple[AttemptSummary, ...]
    mastered_count: int
    objectives_count: int


def _children_facts(*, parent: User) -> list[ChildFacts]:
    links = list(
        ParentLink.objects.filter(parent_id=parent.pk)
        .select_related("student__stats", "student__school")
        .order_by("created_at", "id")
    )
    ids = [link.student_id for link in links]
    work = student_work_for(student_ids=ids)
    scores = _recent_scores([link.student_id for link in links if link.can_view_grades])
    mastery = _mastery_counts(ids)
    facts = []
    for link in links:
        child = link.student
        total, mastered = mastery.get(child.pk, (0, 0))
        facts.append(
            ChildFacts(
                student=student_ref_of(child),
                can_view_grades=link.can_view_grades,
                time_zone=child.school.time_zone if child.school_id else "UTC",
                work=work[child.pk],
                stats=_stats(child),
                recent_scores=scores.get(child.pk, ()) if link.can_view_grades else (),
                mastered_count=mastered,
                objectives_count=total,
            )
        )
    return facts


def _child_overview(facts: ChildFacts, now: dt.datetime) -> ChildOverview:
    todo = todo_from_items(todo_items(facts.work, now), now)
    return ChildOverview(
        student=facts.student,
        can_view_grades=facts.can_view_grades,
        recent_scores=facts.recent_scores,
        upcoming=todo.upcoming,
        missing=todo.missing,
        streak=streak_of(facts.stats, now.astimezone(zoneinfo.ZoneInfo(facts.time_zone)).date()),
        level=level_progress(facts.stats.total_xp if facts.stats else 0),
        mastered_count=facts.mastered_count,
        objectives_count=facts.objectives_count,
    )


def parent_overview(*, parent: User, now: dt.datetime | None = None) -> list[ChildOverview]:
    """One card per linked child, in the order the links were made (a fixed number of
    queries however many children; none while the family's cached facts are current)."""
    now = now or timezone.now()
    # Which children first (a link made or removed changes the parent's generation), then
    # their facts, current while neither the parent's nor any child's generation changes.
    child_ids = cached_for_users(
        key=f"parent-children:{parent.pk}",
        user_ids=[parent.pk],
        build=lambda: list(
            ParentLink.objects.filter(parent_id=parent.pk)
            .order_by("created_at", "id")
            .values_list("student_id", flat=True)
        ),
    )
    facts = cached_for_users(
        key=f"parent-overview:{parent.pk}:{','.join(map(str, sorted(child_ids)))}",
        user_ids=[parent.pk, *child_ids],
        build=lambda: _children_facts(parent=parent),
    )
    return [_child_overview(child, now) for child in facts]


@dataclass(frozen=True, slots=True)
class ClassGrades:
    classroom_id: int
    classroom_name: str
    items: tuple[TodoItem, ...]
    average_percent: Decimal | None


@dataclass(frozen=True, slots=True)
class WeeklyScore:
    week_starting: dt.date
    average_percent: Decimal
    attempts: int


@dataclass(frozen=True, slots=True)
class ChildDetail:
    student: StudentRef
    can_view_grades: bool
    classes: tuple[ClassGrades, ...]
    weekly_scores: tuple[WeeklyScore, ...]
    upcoming: tuple[TodoItem, ...]
    missing: tuple[TodoItem, ...]
    streak: StreakInfo
    level: LevelProgress
    mastery: tuple[MasteryEntry, ...]


def _weekly_scores(child: User) -> tuple[WeeklyScore, ...]:
    """Average final percent of graded attempts per week (weeks start on Monday in the
    school's time zone), oldest first, for a chart."""
    tz = child.school.tzinfo if child.school_id else dt.UTC
    weeks: dict[dt.date, list[Decimal]] = defaultdict(list)
    rows = (
        Attempt.objects.filter(
            student_id=child.pk, status=AttemptStatus.GRADED, final_percent__isnull=False, submitted_at__isnull=False
        )
        .order_by()
        .values_list("submitted_at", "final_percent")
    )
    for submitted_at, percent in rows:
        day = submitted_at.astimezone(tz).date()
        weeks[day - dt.timedelta(days=day.weekday())].append(percent)
    return tuple(
        WeeklyScore(week_starting=week, average_percent=mean_percent(values) or Decimal(0), attempts=len(values))
        for week, values in sorted(weeks.items())
    )


def child_detail(*, parent: User, student: User, now: dt.datetime | None = None) -> ChildDetail:
    """One child in depth. A child the parent is not linked to is not found (ids leak nothing)."""
    now = now or timezone.now()
    link = (
        ParentLink.objects.filter(parent_id=parent.pk, student_id=student.pk)
        .select_related("student__stats", "student__school")
        .first()
    )
    if link is None:
        raise NotFoundError("We could not find that child among the children linked to your account.")
    child = link.student
    items = assignment_items_for_students(student_ids=[child.pk], now=now).get(child.pk, [])
    todo = todo_from_items(items, now)
    classes: list[ClassGrades] = []
    weekly: tuple[WeeklyScore, ...] = ()
    if link.can_view_grades:
        by_class: dict[int, list[TodoItem]] = defaultdict(list)
        for item in items:
            by_class[item.classroom_id].append(item)
        classes = [
            ClassGrades(
                classroom_id=classroom_id,
                classroom_name=class_items[0].classroom_name,
                items=tuple(class_items),
                average_percent=mean_percent(
                    value for item in class_items if (value := item.cell.counts_toward_average()) is not None
                ),
            )
            for classroom_id, class_items in sorted(by_class.items(), key=lambda pair: pair[1][0].classroom_name)
        ]
        weekly = _weekly_scores(child)
    stats = _stats(child)
    return ChildDetail(
        student=student_ref_of(child),
        can_view_grades=link.can_view_grades,
        classes=tuple(classes),
        weekly_scores=weekly,
        upcoming=todo.upcoming,
        missing=todo.missing,
        streak=streak_of(stats, school_today(child, now)),
        level=level_progress(stats.total_xp if stats else 0),
        mastery=mastery_for([child.pk]).get(child.pk, ()),
    )
