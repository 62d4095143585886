"""The gradebook of a class: active students × assignments, in four queries whatever its size.

Columns run in due-date order (oldest first, as a term reads left to right); rows in name
order. Averages ignore blanks that are not yet due and submissions waiting for a grade;
after the due date a quiz with no submission counts as 0. Lessons have no score: they show
done, late or missing and stay out of the averages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
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
    rows: tuple[GradebookRow, ...]
    class_average_percent: Decimal | None
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
    now = now or timezone.now()
    assignments = assignment_facts_where(classroom=classroom)
    students = active_student_refs(classroom=classroom)
    active_ids = Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).values("student_id")

    attempts: dict[tuple[int, int], list[AttemptFacts]] = defaultdict(list)
    attempt_rows = with_attempt_facts(
        Attempt.objects.filter(assignment__classroom=classroom, student_id__in=active_ids).order_by()
    ).values_list("student_id", "assignment_id", *ATTEMPT_FACT_FIELDS)
    for student_id, assignment_id, *facts in attempt_rows:
        attempts[(student_id, assignment_id)].append(AttemptFacts(*facts))

    lesson_ids = {a.lesson_id for a in assignments if a.lesson_id is not None}
    progress: dict[int, dict[int, tuple[int, dt.datetime | None]]] = defaultdict(dict)
    if lesson_ids:
        progress_rows = LessonProgress.objects.filter(lesson_id__in=lesson_ids, student_id__in=active_ids).values_list(
            "student_id", "lesson_id", "percent", "completed_at"
        )
        for student_id, lesson_id, percent, completed_at in progress_rows:
            progress[student_id][lesson_id] = (percent, completed_at)

    # One pass over the cells feeds the rows and the column totals alike: the columns used
    # to walk every row four times, a large part of the selector's time on a class of 200.
    column_totals = [_ColumnTally() for _ in assignments]
    rows: list[GradebookRow] = []
    for student in students:
        student_progress = progress.get(student.id, {})
        cells = tuple(
            cell_for(
                assignment=assignment,
                attempts=attempts.get((student.id, assignment.id), []),
                progress=student_progress,
                now=now,
            )
            for assignment in assignments
        )
        row_total = Decimal(0)
        row_count = 0
        missing = 0
        for cell, tally in zip(cells, column_totals, strict=True):
            value = cell.counts_toward_average()
            if value is not None:
                row_total += value
                row_count += 1
            missing += cell.is_missing
            tally.add(cell, value)
        rows.append(
            GradebookRow(
                student=student,
                cells=cells,
                average_percent=quantized_mean(row_total, row_count),
                missing_count=missing,
            )
        )

    columns = tuple(
        GradebookColumn(
            assignment=assignment,
            average_percent=quantized_mean(tally.total, tally.counted),
            submitted_count=tally.submitted,
            missing_count=tally.missing,
            late_count=tally.late,
        )
        for assignment, tally in zip(assignments, column_totals, strict=True)
    )
    return Gradebook(
        classroom_id=classroom.pk,
        classroom_name=classroom.name,
        columns=columns,
        rows=tuple(rows),
        class_average_percent=mean_percent(row.average_percent for row in rows if row.average_percent is not None),
        generated_at=now,
    )


@dataclass(slots=True)
class _ColumnTally:
    total: Decimal = Decimal(0)
    counted: int = 0
    submitted: int = 0
    missing: int = 0
    late: int = 0

    def add(self, cell: GradebookCell, value: Decimal | None) -> None:
        if value is not None:
            self.total += value
            self.counted += 1
        self.submitted += cell.is_done
        self.missing += cell.is_missing
        self.late += cell.is_late
