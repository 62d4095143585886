"""Gradebook CSV exports that stream: memory stays flat whatever the number of students.

Three sorted streams are read with server-side cursors (`.iterator(chunk_size=…)`) and
merged in Python: active enrollments, the attempts of those students and their lesson
progress, all ordered by (last name, first name, student id, class id). The names are
ordered byte for byte (`binary_ordered`) so that Python's comparison agrees with the
database's, whatever its collation. Memory then holds one student's attempts at a time plus
the assignment list, never the whole class or school.

A class exports wide (one row per student, one column per assignment, as on the page); a
school or a selection of classes exports long (one row per student, class and assignment),
since each class has its own assignments.
"""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from toolbox.accounts.models import School
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.learning.models import Assignment, Attempt, LessonProgress
from toolbox.learning.selectors._common import (
    ATTEMPT_FACT_FIELDS,
    STUDENT_VALUE_FIELDS,
    AssignmentFacts,
    AttemptFacts,
    GradebookCell,
    StudentRef,
    binary_ordered,
    mean_percent,
    quantized_mean,
    student_ref,
    with_attempt_facts,
)
from toolbox.learning.selectors.gradebook import assignment_facts_where, cell_for

CHUNK_SIZE = 5000
# Rows are joined into pieces of about this many characters before they are sent.
STREAM_PIECE_CHARS = 64 * 1024
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def csv_safe(value: str) -> str:
    """Neutralise a cell that a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def cell_text(cell: GradebookCell) -> str:
    if cell.score_percent is not None:
        return f"{cell.score_percent} (late)" if cell.is_late else str(cell.score_percent)
    if cell.is_awaiting_grade:
        return "submitted (late)" if cell.is_late else "submitted"
    if cell.is_done:
        return "done (late)" if cell.is_late else "done"
    if cell.is_missing:
        return "missing"
    if cell.is_in_progress:
        return "in progress"
    return ""


def _percent_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _due_text(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """In the school's time zone, given explicitly: a streamed response is written after the
    view (and any time zone it activated) has returned."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


class _Peekable(Generic[T]):
    def __init__(self, items: Iterable[T]):
        self._items = iter(items)
        self._next: T | None = None
        self._done = False
        self._advance()

    def _advance(self) -> None:
        try:
            self._next = next(self._items)
        except StopIteration:
            self._next, self._done = None, True

    def take_while(self, keep: object, key_of: object) -> Iterator[T]:
        """Skip items whose key sorts before `keep`, then yield those whose key equals it."""
        while not self._done and key_of(self._next) < keep:  # type: ignore[operator]
            self._advance()
        while not self._done and key_of(self._next) == keep:  # type: ignore[operator]
            item = self._next
            self._advance()
            yield item  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class _StudentInClass:
    student: StudentRef
    classroom_id: int
    # Per assignment id, the student's attempts; per lesson id, (percent, completed_at).
    attempts: dict[int, list[AttemptFacts]]
    progress: dict[int, tuple[int, dt.datetime | None]]


def _students_in_classes(classrooms: QuerySet[Classroom]) -> Iterator[_StudentInClass]:
    """Every active enrollment of `classrooms` with its student's attempts and progress,
    merged from three sorted server-side cursors (three queries in all)."""
    classroom_ids = classrooms.values("pk")
    enrollments = (
        Enrollment.objects.filter(classroom_id__in=classroom_ids, status=EnrollmentStatus.ACTIVE)
        .annotate(sort_last=binary_ordered("student__last_name"), sort_first=binary_ordered("student__first_name"))
        .order_by("sort_last", "sort_first", "student_id", "classroom_id")
        .values_list("classroom_id", "student_id", *(f"student__{field}" for field in STUDENT_VALUE_FIELDS))
    )
    enrolled_in_its_class = Enrollment.objects.filter(
        classroom_id=OuterRef("assignment__classroom_id"),
        student_id=OuterRef("student_id"),
        status=EnrollmentStatus.ACTIVE,
    )
    attempts = _Peekable(
        with_attempt_facts(Attempt.objects.filter(assignment__classroom_id__in=classroom_ids))
        .filter(Exists(enrolled_in_its_class))
        .annotate(sort_last=binary_ordered("student__last_name"), sort_first=binary_ordered("student__first_name"))
        .order_by("sort_last", "sort_first", "student_id", "assignment__classroom_id")
        .values_list(
            "student__last_name",
            "student__first_name",
            "student_id",
            "assignment__classroom_id",
            "assignment_id",
            *ATTEMPT_FACT_FIELDS,
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    enrolled_in_scope = Enrollment.objects.filter(
        classroom_id__in=classroom_ids, student_id=OuterRef("student_id"), status=EnrollmentStatus.ACTIVE
    )
    progress = _Peekable(
        LessonProgress.objects.filter(
            lesson_id__in=Assignment.objects.filter(classroom_id__in=classroom_ids, lesson__isnull=False).values(
                "lesson_id"
            )
        )
        .filter(Exists(enrolled_in_scope))
        .annotate(sort_last=binary_ordered("student__last_name"), sort_first=binary_ordered("student__first_name"))
        .order_by("sort_last", "sort_first", "student_id")
        .values_list("student__last_name", "student__first_name", "student_id", "lesson_id", "percent", "completed_at")
        .iterator(chunk_size=CHUNK_SIZE)
    )

    current_student: tuple[str, str, int] | None = None
    student_progress: dict[int, tuple[int, dt.datetime | None]] = {}
    for classroom_id, student_id, first, last, display, username in enrollments.iterator(chunk_size=CHUNK_SIZE):
        student = student_ref(id=student_id, first_name=first, last_name=last, display_name=display, username=username)
        if student.sort_key != current_student:
            current_student = student.sort_key
            student_progress = {
                row[3]: (row[4], row[5]) for row in progress.take_while(current_student, lambda row: row[:3])
            }
        by_assignment: dict[int, list[AttemptFacts]] = {}
        for row in attempts.take_while((*student.sort_key, classroom_id), lambda row: row[:4]):
            by_assignment.setdefault(row[4], []).append(AttemptFacts(*row[5:]))
        yield _StudentInClass(
            student=student, classroom_id=classroom_id, attempts=by_assignment, progress=student_progress
        )


def _cells(entry: _StudentInClass, assignments: list[AssignmentFacts], now: dt.datetime) -> list[GradebookCell]:
    return [
        cell_for(assignment=a, attempts=entry.attempts.get(a.id, []), progress=entry.progress, now=now)
        for a in assignments
    ]


def gradebook_csv_rows(*, classroom: Classroom, now: dt.datetime | None = None) -> Iterator[list[str]]:
    """A header, one row per active student (cells as on the page, then the student's
    average), and a last row of averages per assignment. Every cell is formula-safe."""
    now = now or timezone.now()
    assignments = assignment_facts_where(classroom=classroom)
    tz = classroom.school.tzinfo
    yield [
        csv_safe(text)
        for text in [
            "Student",
            "Username",
            *(f"{a.title} (due {_due_text(a.due_at, tz)})" for a in assignments),
            "Average",
        ]
    ]
    # Running totals, not lists of values, so that memory stays flat however many students.
    column_sums = [Decimal(0)] * len(assignments)
    column_counts = [0] * len(assignments)
    classrooms = Classroom.objects.filter(pk=classroom.pk)
    for entry in _students_in_classes(classrooms):
        cells = _cells(entry, assignments, now)
        counted = [cell.counts_toward_average() for cell in cells]
        for index, value in enumerate(counted):
            if value is not None:
                column_sums[index] += value
                column_counts[index] += 1
        average = mean_percent(value for value in counted if value is not None)
        yield [
            csv_safe(text)
            for text in [
                entry.student.name,
                entry.student.username,
                *(cell_text(cell) for cell in cells),
                _percent_text(average),
            ]
        ]
    averages = (
        _percent_text(quantized_mean(total, count)) for total, count in zip(column_sums, column_counts, strict=True)
    )
    yield ["Assignment average", "", *averages, ""]


LONG_HEADER = ["Student", "Username", "Class", "Assignment", "Kind", "Due", "Score", "Status", "Late"]


def classrooms_gradebook_csv_rows(
    *, classrooms: QuerySet[Classroom], now: dt.datetime | None = None
) -> Iterator[list[str]]:
    """One row per student, class and assignment, for many classes at once."""
    now = now or timezone.now()
    scope = classrooms.order_by()
    class_names: dict[int, str] = {}
    class_zones: dict[int, dt.tzinfo] = {}
    for pk, name, time_zone in scope.values_list("pk", "name", "school__time_zone"):
        class_names[pk] = name
        class_zones[pk] = zoneinfo.ZoneInfo(time_zone)
    assignments_by_class: dict[int, list[AssignmentFacts]] = {}
    for assignment in assignment_facts_where(classroom_id__in=scope.values("pk")):
        assignments_by_class.setdefault(assignment.classroom_id, []).append(assignment)
    yield list(LONG_HEADER)
    for entry in _students_in_classes(scope):
        assignments = assignments_by_class.get(entry.classroom_id, [])
        for assignment, cell in zip(assignments, _cells(entry, assignments, now), strict=True):
            yield [
                csv_safe(text)
                for text in [
                    entry.student.name,
                    entry.student.username,
                    class_names.get(entry.classroom_id, ""),
                    assignment.title,
                    assignment.kind,
                    _due_text(assignment.due_at, class_zones[entry.classroom_id]),
                    _percent_text(cell.score_percent),
                    cell.status.replace("_", " "),
                    "yes" if cell.is_late else "no",
                ]
            ]


class _Echo:
    """A file-like object whose write returns what it was given (csv.writer needs one)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text in pieces of about 64 KB, for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    piece: list[str] = []
    size = 0
    for row in rows:
        line: str = writer.writerow(row)  # type: ignore[assignment]
        piece.append(line)
        size += len(line)
        if size >= STREAM_PIECE_CHARS:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def gradebook_csv_stream(*, classroom: Classroom, now: dt.datetime | None = None) -> Iterator[str]:
    return csv_stream(gradebook_csv_rows(classroom=classroom, now=now))


def classrooms_gradebook_csv_stream(
    *, classrooms: QuerySet[Classroom], now: dt.datetime | None = None
) -> Iterator[str]:
    return csv_stream(classrooms_gradebook_csv_rows(classrooms=classrooms, now=now))


def school_gradebook_csv_stream(*, school: School, now: dt.datetime | None = None) -> Iterator[str]:
    """Every class of the school that is not archived, in the long format."""
    classrooms = Classroom.objects.filter(school=school, is_archived=False)
    return classrooms_gradebook_csv_stream(classrooms=classrooms, now=now)
