"""A student's to-do list: the available work of their active classes, sorted into due
soon, later, overdue (still accepted), missing and recently done.

Built for many students at once (`todo_for_students`) so that a parent's overview of several
children costs the same queries as one student's home page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.classroom.models import EnrollmentStatus
from toolbox.learning.models import (
    Assignment,
    Attempt,
    LessonProgress,
)
from toolbox.learning.selectors._common import (
    ASSIGNMENT_FACT_FIELDS,
    ATTEMPT_FACT_FIELDS,
    AssignmentFacts,
    AttemptFacts,
    GradebookCell,
    assignment_facts,
    with_attempt_facts,
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


@dataclass(frozen=True, slots=True)
class StudentWork:
    """What one student's to-do list is made of, as read from the database: every
    assignment of their active classes in due-date order, with its class's name (work not
    open yet included: the clock decides when it shows), their attempts by assignment and
    their lesson progress by lesson. Nothing in it depends on when it was read, so it can
    be cached until the student's data changes (toolbox/freshness.py)."""

    assignments: tuple[tuple[AssignmentFacts, str], ...] = ()
    attempts: dict[int, tuple[AttemptFacts, ...]] = field(default_factory=dict)
    progress: dict[int, tuple[int, dt.datetime | None]] = field(default_factory=dict)


def student_work_for(*, student_ids: Iterable[int]) -> dict[int, StudentWork]:
    """Each student's work (three queries for any number of students)."""
    ids = list(student_ids)
    rows = (
        Assignment.objects.filter(
            classroom__enrollments__student_id__in=ids,
            classroom__enrollments__status=EnrollmentStatus.ACTIVE,
            classroom__is_archived=False,
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

    attempts: dict[int, dict[int, list[AttemptFacts]]] = defaultdict(lambda: defaultdict(list))
    if assignment_ids:
        attempt_rows = with_attempt_facts(
            Attempt.objects.filter(student_id__in=ids, assignment_id__in=assignment_ids).order_by()
        ).values_list("student_id", "assignment_id", *ATTEMPT_FACT_FIELDS, "submitted_at")
        for student_id, assignment_id, *facts in attempt_rows:
            attempts[student_id][assignment_id].append(AttemptFacts(*facts))
    progress: dict[int, dict[int, tuple[int, dt.datetime | None]]] = defaultdict(dict)
    if lesson_ids:
        for student_id, lesson_id, percent, completed_at in LessonProgress.objects.filter(
            student_id__in=ids, lesson_id__in=lesson_ids
        ).values_list("student_id", "lesson_id", "percent", "completed_at"):
            progress[student_id][lesson_id] = (percent, completed_at)
    return {
        student_id: StudentWork(
            assignments=tuple(assignments_of.get(student_id, ())),
            attempts={assignment_id: tuple(own) for assignment_id, own in attempts.get(student_id, {}).items()},
            progress=progress.get(student_id, {}),
        )
        for student_id in ids
    }


def todo_items(work: StudentWork, now: dt.datetime) -> list[TodoItem]:
    """The student's open work as of `now`, each with their standing on it."""
    items = []
    for assignment, classroom_name in work.assignments:
        if assignment.available_from > now:
            continue
        own_attempts = work.attempts.get(assignment.id, ())
        graded = [a.final_percent for a in own_attempts if a.final_percent is not None]
        items.append(
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
                cell=cell_for(assignment=assignment, attempts=own_attempts, progress=work.progress, now=now),
            )
        )
    return items


def assignment_items_for_students(
    *, student_ids: Iterable[int], now: dt.datetime | None = None
) -> dict[int, list[TodoItem]]:
    """Every available assignment of each student's active classes, in due-date order, with
    the student's standing on it (three queries for any number of students)."""
    now = now or timezone.now()
    return {student_id: todo_items(work, now) for student_id, work in student_work_for(student_ids=student_ids).items()}


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
