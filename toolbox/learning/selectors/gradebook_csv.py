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

A school's long export is 600,000 rows, so the work per row is kept to a minimum: what rows
share (a student's name, an assignment's title and due time, the cell of a student who has
not started an assignment) is computed and encoded as CSV once, and each row joins those
pieces with the text of its own cell.
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
from toolbox.learning.models import Attempt, LessonProgress
from toolbox.learning.selectors._common import (
    ATTEMPT_FACT_FIELDS,
    STUDENT_VALUE_FIELDS,
    AssignmentFacts,
    AttemptFacts,
    CellStanding,
    StudentRef,
    binary_ordered,
    mean_percent,
    quantized_mean,
    student_ref,
    with_attempt_facts,
)
from toolbox.learning.selectors.gradebook import assignment_facts_where, standing_for

# Rows fetched per round trip by each of the three cursors. Their buffered rows were half
# the export's memory at 5,000; at 2,000 the round trips still cost no measurable time.
CHUNK_SIZE = 2000
# Rows are joined into pieces of about this many characters before they are sent.
STREAM_PIECE_CHARS = 64 * 1024
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# csv.writer's line ending (the excel dialect), also used by rows written without it.
LINE_END = "\r\n"

T = TypeVar("T")


def csv_safe(value: str) -> str:
    """Neutralise a cell that a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def cell_text(cell: CellStanding) -> str:
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


class _Echo:
    """A file-like object whose write returns what it was given (csv.writer needs one)."""

    def write(self, value: str) -> str:
        return value


_WRITER = csv.writer(_Echo())


def _csv_line(values: list[str]) -> str:
    line: str = _WRITER.writerow(values)  # type: ignore[assignment]
    return line


@dataclass(frozen=True, slots=True)
class _Fields:
    """Consecutive fields that many rows share, formula-safe, and the same as CSV text
    followed by a comma, encoded once."""

    values: tuple[str, ...]
    text: str


def _fields(*values: str) -> _Fields:
    safe = tuple(csv_safe(value) for value in values)
    # The empty last field makes csv.writer quote each value as it would inside a longer
    # row (alone, an empty value would be written as "").
    return _Fields(values=safe, text=_csv_line([*safe, ""]).removesuffix(LINE_END))


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
        while not self._done:
            key = key_of(self._next)  # type: ignore[operator]
            if key == keep:
                item = self._next
                self._advance()
                yield item  # type: ignore[misc]
            elif key < keep:
                self._advance()
            else:
                return


@dataclass(frozen=True, slots=True)
class _StudentInClass:
    student: StudentRef
    classroom_id: int
    # Per assignment id, the student's attempts; per lesson id, (percent, completed_at).
    attempts: dict[int, list[AttemptFacts]]
    progress: dict[int, tuple[int, dt.datetime | None]]


@dataclass(frozen=True, slots=True)
class _Scope:
    """The classes an export covers and the lessons assigned in them. The progress query
    takes the lessons as a list of ids: given a subquery instead, PostgreSQL without
    up-to-date statistics paired every student with every lesson (a second for 1,000
    students, growing with their square)."""

    classrooms: QuerySet[Classroom]
    lesson_ids: list[int]


def _scope(classrooms: QuerySet[Classroom], assignments: Iterable[AssignmentFacts]) -> _Scope:
    return _Scope(
        classrooms=classrooms,
        lesson_ids=sorted({a.lesson_id for a in assignments if a.lesson_id is not None}),
    )


def _students_in_classes(scope: _Scope) -> Iterator[_StudentInClass]:
    """Every active enrollment of the scope's classes with its student's attempts and
    progress, merged from three sorted server-side cursors (three queries in all)."""
    classroom_ids = scope.classrooms.values("pk")
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
        LessonProgress.objects.filter(lesson_id__in=scope.lesson_ids)
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


@dataclass(frozen=True, slots=True)
class _Column:
    """One assignment of a class, with the cell of every student who has neither an attempt
    at it nor progress in its lesson: most cells of a term, computed once."""

    assignment: AssignmentFacts
    blank: CellStanding
    is_quiz: bool
    # The key of the student's attempts (the assignment's id) or progress (the lesson's id).
    key: int


def _columns(assignments: list[AssignmentFacts], now: dt.datetime) -> list[_Column]:
    # A few blank cells serve every column: not started or missing, quiz or lesson.
    blanks: dict[CellStanding, CellStanding] = {}
    columns = []
    for assignment in assignments:
        blank = standing_for(assignment=assignment, attempts=(), progress={}, now=now)
        columns.append(
            _Column(
                assignment=assignment,
                blank=blanks.setdefault(blank, blank),
                is_quiz=assignment.kind == "quiz",
                key=assignment.id if assignment.kind == "quiz" else assignment.lesson_id or 0,
            )
        )
    return columns


def _cells(entry: _StudentInClass, columns: list[_Column], now: dt.datetime) -> list[CellStanding]:
    attempts, progress = entry.attempts, entry.progress
    return [
        standing_for(
            assignment=column.assignment, attempts=attempts.get(column.assignment.id, ()), progress=progress, now=now
        )
        if column.key in (attempts if column.is_quiz else progress)
        else column.blank
        for column in columns
    ]


def gradebook_csv_rows(*, classroom: Classroom, now: dt.datetime | None = None) -> Iterator[list[str]]:
    """A header, one row per active student (cells as on the page, then the student's
    average), and a last row of averages per assignment. Every cell is formula-safe."""
    now = now or timezone.now()
    assignments = assignment_facts_where(classroom=classroom)
    columns = _columns(assignments, now)
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
    scope = _scope(Classroom.objects.filter(pk=classroom.pk), assignments)
    for entry in _students_in_classes(scope):
        cells = _cells(entry, columns, now)
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


@dataclass(frozen=True, slots=True)
class _LongClass:
    """A class in the long export: its name and, per assignment, the column and the fields
    every row about it repeats (assignment, kind, due)."""

    name: _Fields
    columns: list[_Column]
    assignment_fields: list[_Fields]


def _long_cell_values(cell: CellStanding) -> tuple[str, str, str]:
    score = "" if cell.score_percent is None else csv_safe(str(cell.score_percent))
    return score, cell.status.replace("_", " "), "yes" if cell.is_late else "no"


def _long_cell_text(values: tuple[str, str, str]) -> str:
    """The last three fields of a row and its line ending. A score, a status and yes or no
    never hold a comma, a quote or a line break, so no field needs quoting."""
    return ",".join(values) + LINE_END


def _long_entries(
    classrooms: QuerySet[Classroom], now: dt.datetime | None
) -> Iterator[tuple[_Fields, _LongClass, list[CellStanding]]]:
    """Per active enrollment: the student's name and username, the class and the student's
    cells in its columns."""
    now = now or timezone.now()
    scope = classrooms.order_by()
    class_names: dict[int, str] = {}
    class_zones: dict[int, dt.tzinfo] = {}
    for pk, name, time_zone in scope.values_list("pk", "name", "school__time_zone"):
        class_names[pk] = name
        class_zones[pk] = zoneinfo.ZoneInfo(time_zone)
    assignments = assignment_facts_where(classroom_id__in=scope.values("pk"))
    assignments_by_class: dict[int, list[AssignmentFacts]] = {}
    for assignment in assignments:
        assignments_by_class.setdefault(assignment.classroom_id, []).append(assignment)
    # Classes mostly set the same assignments on the same days: their fields are shared.
    shared_fields: dict[tuple[str, str, dt.datetime, dt.tzinfo], _Fields] = {}

    def long_class(classroom_id: int) -> _LongClass:
        tz = class_zones[classroom_id]
        columns = _columns(assignments_by_class.get(classroom_id, []), now)
        assignment_fields = []
        for column in columns:
            assignment = column.assignment
            key = (assignment.title, assignment.kind, assignment.due_at, tz)
            if key not in shared_fields:
                shared_fields[key] = _fields(assignment.title, assignment.kind, _due_text(assignment.due_at, tz))
            assignment_fields.append(shared_fields[key])
        return _LongClass(
            name=_fields(class_names.get(classroom_id, "")), columns=columns, assignment_fields=assignment_fields
        )

    # Built when a class's first student comes, so the first rows need not wait for them all.
    classes: dict[int, _LongClass] = {}
    for entry in _students_in_classes(_scope(scope, assignments)):
        if entry.classroom_id not in classes:
            classes[entry.classroom_id] = long_class(entry.classroom_id)
        in_class = classes[entry.classroom_id]
        yield _fields(entry.student.name, entry.student.username), in_class, _cells(entry, in_class.columns, now)


def classrooms_gradebook_csv_rows(
    *, classrooms: QuerySet[Classroom], now: dt.datetime | None = None
) -> Iterator[list[str]]:
    """One row per student, class and assignment, for many classes at once."""
    yield list(LONG_HEADER)
    for student, in_class, cells in _long_entries(classrooms, now):
        for assignment, cell in zip(in_class.assignment_fields, cells, strict=True):
            yield [*student.values, *in_class.name.values, *assignment.values, *_long_cell_values(cell)]


def _long_text(classrooms: QuerySet[Classroom], now: dt.datetime | None) -> Iterator[str]:
    """The rows of `classrooms_gradebook_csv_rows` as CSV text, one student and class at a
    time, each row joined from the pieces it shares with others."""
    yield _csv_line(LONG_HEADER)
    # Equal standings are common (every 100.00, every "missing"): each is formatted once.
    cell_texts: dict[CellStanding, str] = {}
    for student, in_class, cells in _long_entries(classrooms, now):
        start = student.text + in_class.name.text
        lines = []
        for assignment, cell in zip(in_class.assignment_fields, cells, strict=True):
            text = cell_texts.get(cell)
            if text is None:
                text = cell_texts[cell] = _long_cell_text(_long_cell_values(cell))
            lines.append(f"{start}{assignment.text}{text}")
        yield "".join(lines)


def _pieces(texts: Iterable[str]) -> Iterator[str]:
    """`texts` joined into pieces of about STREAM_PIECE_CHARS, for a StreamingHttpResponse."""
    piece: list[str] = []
    size = 0
    for text in texts:
        piece.append(text)
        size += len(text)
        if size >= STREAM_PIECE_CHARS:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def csv_stream(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text in pieces of about 64 KB, for a StreamingHttpResponse."""
    return _pieces(_csv_line(row) for row in rows)


def gradebook_csv_stream(*, classroom: Classroom, now: dt.datetime | None = None) -> Iterator[str]:
    return csv_stream(gradebook_csv_rows(classroom=classroom, now=now))


def classrooms_gradebook_csv_stream(
    *, classrooms: QuerySet[Classroom], now: dt.datetime | None = None
) -> Iterator[str]:
    return _pieces(_long_text(classrooms, now))


def school_gradebook_csv_stream(*, school: School, now: dt.datetime | None = None) -> Iterator[str]:
    """Every class of the school that is not archived, in the long format."""
    classrooms = Classroom.objects.filter(school=school, is_archived=False)
    return classrooms_gradebook_csv_stream(classrooms=classrooms, now=now)
