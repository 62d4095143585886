"""The gradebook of a class: active students × assignments, in four queries whatever its size
(a page of it: four, and two more when the class's totals are not cached).

Columns run in due-date order (oldest first, as a term reads left to right); rows in name
order. Averages ignore blanks that are not yet due and submissions waiting for a grade;
after the due date a quiz with no submission counts as 0. Lessons have no score: they show
done, late or missing and stay out of the averages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.freshness import cached_for_users
from toolbox.learning.models import Assignment, Attempt, LessonProgress
from toolbox.learning.selectors._common import (
    ASSIGNMENT_FACT_FIELDS,
    ATTEMPT_FACT_FIELDS,
    STUDENT_VALUE_FIELDS,
    AssignmentFacts,
    AttemptFacts,
    CellStanding,
    GradebookCell,
    StudentRef,
    assignment_facts,
    lesson_cell,
    lesson_standing,
    mean_percent,
    quantized_mean,
    quiz_cell,
    quiz_standing,
    student_ref,
    with_attempt_facts,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class GradebookColumn:
    assignment: AssignmentFacts
    average_percent: Decimal | None
    submitted_count: int
    missing_count: int
    late_count: int

    @property
    def assignment_id(self) -> int:
        return self.assignment.id

    @property
    def title(self) -> str:
        return self.assignment.title

    @property
    def kind(self) -> str:
        return self.assignment.kind

    @property
    def due_at(self) -> dt.datetime:
        return self.assignment.due_at


@dataclass(frozen=True, slots=True)
class GradebookRow:
    student: StudentRef
    cells: tuple[GradebookCell, ...]
    average_percent: Decimal | None
    missing_count: int


@dataclass(frozen=True, slots=True)
class Gradebook:
    classroom_id: int
    classroom_name: str
    columns: tuple[GradebookColumn, ...]
    # Every active student's, or one page's (`gradebook_page`).
    rows: tuple[GradebookRow, ...]
    class_average_percent: Decimal | None
    # Active students in the class, whichever rows are here.
    student_count: int
    generated_at: dt.datetime


def assignment_facts_where(**filters: object) -> list[AssignmentFacts]:
    """Assignments matching `filters`, in due-date order, as plain facts (one query)."""
    rows = Assignment.objects.filter(**filters).order_by("due_at", "id").values(*ASSIGNMENT_FACT_FIELDS)
    return [assignment_facts(row) for row in rows]


def active_student_refs(*, classroom: Classroom) -> list[StudentRef]:
    rows = Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).values_list(
        "student_id", *(f"student__{field}" for field in STUDENT_VALUE_FIELDS)
    )
    students = [
        student_ref(id=pk, first_name=first, last_name=last, display_name=display, username=username)
        for pk, first, last, display, username in rows
    ]
    return sorted(students, key=lambda s: s.sort_key)


def cell_for(
    *,
    assignment: AssignmentFacts,
    attempts: Sequence[AttemptFacts],
    progress: dict[int, tuple[int, dt.datetime | None]],
    now: dt.datetime,
) -> GradebookCell:
    """`progress` maps a lesson id to the student's (percent, completed_at)."""
    if assignment.kind == "quiz":
        return quiz_cell(assignment=assignment, attempts=attempts, now=now)
    percent, completed_at = progress.get(assignment.lesson_id or 0, (0, None))
    return lesson_cell(assignment=assignment, completed_at=completed_at, started=percent > 0, now=now)


def standing_for(
    *,
    assignment: AssignmentFacts,
    attempts: Sequence[AttemptFacts],
    progress: dict[int, tuple[int, dt.datetime | None]],
    now: dt.datetime,
) -> CellStanding:
    """What `cell_for`'s cell shows, for an export that only formats it."""
    if assignment.kind == "quiz":
        return quiz_standing(assignment=assignment, attempts=attempts, now=now)
    percent, completed_at = progress.get(assignment.lesson_id or 0, (0, None))
    return lesson_standing(assignment=assignment, completed_at=completed_at, started=percent > 0, now=now)


def gradebook_for_classroom(*, classroom: Classroom, now: dt.datetime | None = None) -> Gradebook:
    """Every active student's row, with the columns' and the class's averages."""
    now = now or timezone.now()
    assignments = assignment_facts_where(classroom=classroom)
    students = active_student_refs(classroom=classroom)
    facts = _ClassFacts.load(classroom=classroom, assignments=assignments, student_ids=_active_ids(classroom))
    # One pass over the cells feeds the rows and the totals alike.
    tally = _ClassTally(assignments)
    rows = [tally.add_row(student=student, cells=facts.cells(student=student, now=now)) for student in students]
    return tally.gradebook(classroom=classroom, rows=rows, student_count=len(students), now=now)


@dataclass(frozen=True, slots=True)
class GradebookPage:
    """One page of a class's gradebook: the whole class's columns, averages and count, and
    the page's students (in name order), whose rows `rows()` builds."""

    classroom: Classroom
    assignments: tuple[AssignmentFacts, ...]
    columns: tuple[GradebookColumn, ...]
    class_average_percent: Decimal | None
    student_count: int
    page_obj: Page[StudentRef]
    generated_at: dt.datetime
    # Names everything the page's rows depend on besides its students' own data: a caller
    # may cache what it makes of `rows()` under this key and `student_ids`' generations
    # (toolbox/freshness.py), as the gradebook view does with the rows' markup.
    rows_key: str

    @property
    def students(self) -> list[StudentRef]:
        return list(self.page_obj.object_list)

    @property
    def student_ids(self) -> list[int]:
        return [student.id for student in self.page_obj.object_list]

    def rows(self) -> tuple[GradebookRow, ...]:
        """The page's rows: two queries, whatever the size of the class."""
        facts = _ClassFacts.load(classroom=self.classroom, assignments=self.assignments, student_ids=self.student_ids)
        now = self.generated_at
        return tuple(_row(student=student, cells=facts.cells(student=student, now=now)) for student in self.students)


def gradebook_page(
    *, classroom: Classroom, page_number: int | str | None, per_page: int, now: dt.datetime | None = None
) -> GradebookPage:
    """One page of students under the whole class's averages.

    The columns' totals and the class average are over every student and come from
    `_class_summary`; only the page's cells are built, and only when its rows are asked
    for. On a class of 200 × 60, building every cell for a page of 50 was most of the page's
    time."""
    now = now or timezone.now()
    assignments = tuple(assignment_facts_where(classroom=classroom))
    students = active_student_refs(classroom=classroom)
    page_obj = Paginator(students, per_page).get_page(page_number)
    signature = _signature(assignments=assignments, now=now)
    summary = _class_summary(
        classroom=classroom, assignments=assignments, students=students, now=now, signature=signature
    )
    shown = hashlib.blake2b(digest_size=16)
    for student in page_obj.object_list:
        shown.update(f"{student.id}|{student.name}|{student.sort_key};".encode())
    return GradebookPage(
        classroom=classroom,
        assignments=assignments,
        columns=_columns(assignments, summary.columns),
        class_average_percent=summary.class_average_percent,
        student_count=len(students),
        page_obj=page_obj,
        generated_at=now,
        rows_key=f"{classroom.pk}:{signature}:{shown.hexdigest()}",
    )


def _signature(*, assignments: Sequence[AssignmentFacts], now: dt.datetime) -> str:
    """What a class's cells depend on besides its students' attempts and progress: the
    assignments as they are now, and which of them are past due (the only way the clock
    changes a cell: a blank becomes "missing", and a missing quiz counts 0)."""
    digest = hashlib.blake2b(digest_size=16)
    for assignment in assignments:
        digest.update(
            f"{assignment.id}|{assignment.due_at.isoformat()}|{assignment.score_policy}|{assignment.lesson_id}|"
            f"{assignment.quiz_id}|{assignment.title}|{int(now > assignment.due_at)};".encode()
        )
    return digest.hexdigest()


class ColumnSummary(NamedTuple):
    average_percent: Decimal | None
    submitted_count: int
    missing_count: int
    late_count: int


class GradebookSummary(NamedTuple):
    """The footer of a gradebook: each column's totals, in the columns' order, and the
    class average (the mean of the students' averages)."""

    columns: tuple[ColumnSummary, ...]
    class_average_percent: Decimal | None


def _class_summary(
    *,
    classroom: Classroom,
    assignments: Sequence[AssignmentFacts],
    students: Sequence[StudentRef],
    now: dt.datetime,
    signature: str,
) -> GradebookSummary:
    """The whole class's totals, cached under the generations of its students
    (toolbox/freshness.py), which every attempt, lesson progress, enrolment and assignment
    change in the class replaces; the key holds the set of students and `signature`, the
    caller's `_signature(assignments=assignments, now=now)` (computed once per page)."""
    student_ids = sorted(student.id for student in students)
    everyone = hashlib.blake2b(",".join(map(str, student_ids)).encode(), digest_size=16).hexdigest()

    def build() -> GradebookSummary:
        facts = _ClassFacts.load(classroom=classroom, assignments=assignments, student_ids=student_ids)
        tally = _ClassTally(assignments)
        for student in students:
            tally.add_standings(facts.standings(student=student, now=now))
        return tally.summary()

    return cached_for_users(
        key=f"gradebook-summary:{classroom.pk}:{signature}:{everyone}",
        user_ids=student_ids,
        build=build,
    )


def _active_ids(classroom: Classroom) -> QuerySet[Enrollment, dict[str, Any]]:
    return Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).values("student_id")


@dataclass(frozen=True, slots=True)
class _ClassFacts:
    """Attempts and lesson progress of some of a class's students, by student: two queries."""

    assignments: Sequence[AssignmentFacts]
    attempts: dict[tuple[int, int], list[AttemptFacts]]
    progress: dict[int, dict[int, tuple[int, dt.datetime | None]]]

    @classmethod
    def load(
        cls,
        *,
        classroom: Classroom,
        assignments: Sequence[AssignmentFacts],
        student_ids: Iterable[int] | QuerySet[Enrollment, dict[str, Any]],
    ) -> _ClassFacts:
        attempts: dict[tuple[int, int], list[AttemptFacts]] = defaultdict(list)
        attempt_rows = with_attempt_facts(
            Attempt.objects.filter(assignment__classroom=classroom, student_id__in=student_ids).order_by()
        ).values_list("student_id", "assignment_id", *ATTEMPT_FACT_FIELDS)
        for student_id, assignment_id, *facts in attempt_rows:
            attempts[(student_id, assignment_id)].append(AttemptFacts(*facts))

        lesson_ids = {a.lesson_id for a in assignments if a.lesson_id is not None}
        progress: dict[int, dict[int, tuple[int, dt.datetime | None]]] = defaultdict(dict)
        if lesson_ids:
            progress_rows = LessonProgress.objects.filter(
                lesson_id__in=lesson_ids, student_id__in=student_ids
            ).values_list("student_id", "lesson_id", "percent", "completed_at")
            for student_id, lesson_id, percent, completed_at in progress_rows:
                progress[student_id][lesson_id] = (percent, completed_at)
        return cls(assignments=assignments, attempts=attempts, progress=progress)

    def cells(self, *, student: StudentRef, now: dt.datetime) -> tuple[GradebookCell, ...]:
        return self._per_assignment(student=student, now=now, make=cell_for)

    def standings(self, *, student: StudentRef, now: dt.datetime) -> tuple[CellStanding, ...]:
        return self._per_assignment(student=student, now=now, make=standing_for)

    def _per_assignment(self, *, student: StudentRef, now: dt.datetime, make: Callable[..., T]) -> tuple[T, ...]:
        progress = self.progress.get(student.id, {})
        return tuple(
            make(
                assignment=assignment,
                attempts=self.attempts.get((student.id, assignment.id), ()),
                progress=progress,
                now=now,
            )
            for assignment in self.assignments
        )


def _row_totals(
    cells: Sequence[GradebookCell] | Sequence[CellStanding], columns: Sequence[_ColumnTally] | None = None
) -> tuple[Decimal | None, int]:
    """A student's average and missing count; each cell is also added to `columns` (in the
    cells' order) when given, in the same pass."""
    total = Decimal(0)
    counted = 0
    missing = 0
    for index, cell in enumerate(cells):
        value = cell.counts_toward_average()
        if columns is not None:
            columns[index].add(cell, value)
        if value is not None:
            total += value
            counted += 1
        missing += cell.is_missing
    return quantized_mean(total, counted), missing


def _row(*, student: StudentRef, cells: tuple[GradebookCell, ...]) -> GradebookRow:
    average, missing = _row_totals(cells)
    return GradebookRow(student=student, cells=cells, average_percent=average, missing_count=missing)


def _columns(assignments: Sequence[AssignmentFacts], summaries: Sequence[ColumnSummary]) -> tuple[GradebookColumn, ...]:
    return tuple(
        GradebookColumn(
            assignment=assignment,
            average_percent=summary.average_percent,
            submitted_count=summary.submitted_count,
            missing_count=summary.missing_count,
            late_count=summary.late_count,
        )
        for assignment, summary in zip(assignments, summaries, strict=True)
    )


class _ClassTally:
    """The columns' totals and the students' averages, added up a row at a time."""

    def __init__(self, assignments: Sequence[AssignmentFacts]) -> None:
        self.assignments = assignments
        self.columns = [_ColumnTally() for _ in assignments]
        self.row_averages: list[Decimal] = []

    def add_standings(self, cells: Sequence[GradebookCell] | Sequence[CellStanding]) -> tuple[Decimal | None, int]:
        """Adds a student's cells to the columns; their average and missing count."""
        average, missing = _row_totals(cells, self.columns)
        if average is not None:
            self.row_averages.append(average)
        return average, missing

    def add_row(self, *, student: StudentRef, cells: tuple[GradebookCell, ...]) -> GradebookRow:
        average, missing = self.add_standings(cells)
        return GradebookRow(student=student, cells=cells, average_percent=average, missing_count=missing)

    def summary(self) -> GradebookSummary:
        return GradebookSummary(
            columns=tuple(column.summary() for column in self.columns),
            class_average_percent=mean_percent(self.row_averages),
        )

    def gradebook(
        self, *, classroom: Classroom, rows: Sequence[GradebookRow], student_count: int, now: dt.datetime
    ) -> Gradebook:
        summary = self.summary()
        return Gradebook(
            classroom_id=classroom.pk,
            classroom_name=classroom.name,
            columns=_columns(self.assignments, summary.columns),
            rows=tuple(rows),
            class_average_percent=summary.class_average_percent,
            student_count=student_count,
            generated_at=now,
        )


@dataclass(slots=True)
class _ColumnTally:
    total: Decimal = Decimal(0)
    counted: int = 0
    submitted: int = 0
    missing: int = 0
    late: int = 0

    def add(self, cell: GradebookCell | CellStanding, value: Decimal | None) -> None:
        if value is not None:
            self.total += value
            self.counted += 1
        self.submitted += cell.is_done
        self.missing += cell.is_missing
        self.late += cell.is_late

    def summary(self) -> ColumnSummary:
        return ColumnSummary(
            average_percent=quantized_mean(self.total, self.counted),
            submitted_count=self.submitted,
            missing_count=self.missing,
            late_count=self.late,
        )
