"""What the selectors share: people as the pages name them, and how one student's attempts
at one assignment become one gradebook cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Collate

from toolbox.learning.models import AttemptStatus, ScorePolicy

HUNDREDTH = Decimal("0.01")
FINISHED_STATUSES = (AttemptStatus.SUBMITTED, AttemptStatus.GRADED)


@dataclass(frozen=True, slots=True)
class StudentRef:
    id: int
    name: str
    username: str
    first_name: str = ""
    last_name: str = ""

    @property
    def sort_key(self) -> tuple[str, str, int]:
        """The order of students on every page and export: last name, first name, id,
        compared byte for byte exactly as `binary_ordered` makes the database compare them."""
        return (self.last_name, self.first_name, self.id)


def student_ref(*, id: int, first_name: str, last_name: str, display_name: str, username: str) -> StudentRef:
    full_name = f"{first_name} {last_name}".strip()
    return StudentRef(
        id=id,
        name=display_name or full_name or username,
        username=username,
        first_name=first_name,
        last_name=last_name,
    )


STUDENT_VALUE_FIELDS = ("first_name", "last_name", "display_name", "username")


def binary_ordered(field: str) -> Collate:
    """A text column ordered by code point on both databases, so that Python's string
    comparison agrees with the database's order (the CSV export merges sorted streams)."""
    return Collate(F(field), "C" if settings.IS_POSTGRES else "BINARY")


def mean_percent(values: Iterable[Decimal]) -> Decimal | None:
    items = list(values)
    if not items:
        return None
    return (sum(items, Decimal(0)) / len(items)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class AttemptFacts:
    """The columns of one attempt that gradebooks and to-do lists need."""

    id: int
    number: int
    status: str
    submitted_at: dt.datetime | None
    final_percent: Decimal | None


ATTEMPT_FACT_FIELDS = ("id", "number", "status", "submitted_at", "final_percent")


@dataclass(frozen=True, slots=True)
class AssignmentFacts:
    id: int
    classroom_id: int
    kind: str
    title: str
    due_at: dt.datetime
    available_from: dt.datetime
    close_at: dt.datetime | None
    accept_late: bool
    score_policy: str
    lesson_id: int | None
    quiz_id: int | None
    max_attempts: int | None


ASSIGNMENT_FACT_FIELDS = (
    "id",
    "classroom_id",
    "due_at",
    "available_from",
    "close_at",
    "accept_late",
    "score_policy",
    "lesson_id",
    "quiz_id",
    "quiz__title",
    "lesson__title",
    "quiz__max_attempts",
)


def assignment_facts(row: dict[str, object]) -> AssignmentFacts:
    is_quiz = row["quiz_id"] is not None
    return AssignmentFacts(
        id=row["id"],  # type: ignore[arg-type]
        classroom_id=row["classroom_id"],  # type: ignore[arg-type]
        kind="quiz" if is_quiz else "lesson",
        title=str(row["quiz__title"] if is_quiz else row["lesson__title"]),
        due_at=row["due_at"],  # type: ignore[arg-type]
        available_from=row["available_from"],  # type: ignore[arg-type]
        close_at=row["close_at"],  # type: ignore[arg-type]
        accept_late=bool(row["accept_late"]),
        score_policy=str(row["score_policy"]),
        lesson_id=row["lesson_id"],  # type: ignore[arg-type]
        quiz_id=row["quiz_id"],  # type: ignore[arg-type]
        max_attempts=row["quiz__max_attempts"] if is_quiz else None,  # type: ignore[arg-type]
    )


@dataclass(frozen=True, slots=True)
class GradebookCell:
    """One student's standing on one assignment.

    `score_percent` is the counted score (the best or the last graded attempt, per the
    assignment's policy); lessons have no score and count as done once completed."""

    assignment_id: int
    kind: str
    score_percent: Decimal | None
    counted_attempt_id: int | None
    attempts_used: int
    is_done: bool
    is_late: bool
    is_missing: bool
    is_in_progress: bool
    is_awaiting_grade: bool
    done_at: dt.datetime | None

    @property
    def status(self) -> str:
        if self.score_percent is not None:
            return "graded"
        if self.is_awaiting_grade:
            return "awaiting_grade"
        if self.is_done:
            return "done"
        if self.is_missing:
            return "missing"
        if self.is_in_progress:
            return "in_progress"
        return "not_started"

    def counts_toward_average(self) -> Decimal | None:
        """The value this cell adds to averages: its score, 0 when a quiz is missing, and
        nothing while it is not yet due or waits for grading, nor for lessons (no score)."""
        if self.score_percent is not None:
            return self.score_percent
        if self.kind == "quiz" and self.is_missing:
            return Decimal(0)
        return None


def quiz_cell(*, assignment: AssignmentFacts, attempts: Sequence[AttemptFacts], now: dt.datetime) -> GradebookCell:
    graded = [a for a in attempts if a.status == AttemptStatus.GRADED and a.final_percent is not None]
    counted: AttemptFacts | None = None
    if graded:
        if assignment.score_policy == ScorePolicy.LAST:
            counted = max(graded, key=lambda a: a.number)
        else:
            counted = max(graded, key=lambda a: (a.final_percent, -a.number))
    submitted = sorted((a for a in attempts if a.submitted_at is not None), key=lambda a: a.number)
    deciding = counted or (submitted[0] if submitted else None)
    done_at = deciding.submitted_at if deciding else None
    return GradebookCell(
        assignment_id=assignment.id,
        kind="quiz",
        score_percent=counted.final_percent if counted else None,
        counted_attempt_id=counted.id if counted else None,
        attempts_used=len(attempts),
        is_done=bool(submitted),
        is_late=done_at is not None and done_at > assignment.due_at,
        is_missing=not submitted and now > assignment.due_at,
        is_in_progress=any(a.status == AttemptStatus.IN_PROGRESS for a in attempts),
        is_awaiting_grade=counted is None and any(a.status == AttemptStatus.SUBMITTED for a in attempts),
        done_at=done_at,
    )


def lesson_cell(
    *, assignment: AssignmentFacts, completed_at: dt.datetime | None, started: bool, now: dt.datetime
) -> GradebookCell:
    return GradebookCell(
        assignment_id=assignment.id,
        kind="lesson",
        score_percent=None,
        counted_attempt_id=None,
        attempts_used=0,
        is_done=completed_at is not None,
        is_late=completed_at is not None and completed_at > assignment.due_at,
        is_missing=completed_at is None and now > assignment.due_at,
        is_in_progress=started and completed_at is None,
        is_awaiting_grade=False,
        done_at=completed_at,
    )
