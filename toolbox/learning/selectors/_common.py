"""What the selectors share: people as the pages name them, and how one student's attempts
at one assignment become one gradebook cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Collate

from toolbox.accounts.models import User
from toolbox.learning.models import Attempt, AttemptStatus, ScorePolicy

HUNDREDTH = Decimal("0.01")
FINISHED_STATUSES = (AttemptStatus.SUBMITTED, AttemptStatus.GRADED)


def reduce_by_fields(self: Any) -> tuple[Any, ...]:
    """`__reduce__` for the frozen slotted dataclasses that cached page data holds by the
    hundred (toolbox/freshness.py): unpickled through `__init__`, instead of the dataclass
    default that looks up every field of the class again for each instance."""
    cls = type(self)
    return (cls, tuple(getattr(self, name) for name in cls.__slots__))


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


def student_ref_of(user: User) -> StudentRef:
    return student_ref(id=user.pk, **{field: getattr(user, field) for field in STUDENT_VALUE_FIELDS})


def binary_ordered(field: str) -> Collate:
    """A text column ordered by code point on both databases, so that Python's string
    comparison agrees with the database's order (the CSV export merges sorted streams)."""
    return Collate(F(field), "C" if settings.IS_POSTGRES else "BINARY")


def quantized_mean(total: Decimal, count: int) -> Decimal | None:
    return (total / count).quantize(HUNDREDTH, rounding=ROUND_HALF_UP) if count else None


def mean_percent(values: Iterable[Decimal]) -> Decimal | None:
    items = list(values)
    return quantized_mean(sum(items, Decimal(0)), len(items))


class AttemptFacts(NamedTuple):
    """The columns of one attempt that gradebooks and to-do lists need. Whether it was
    submitted, and late, comes from the database (`with_attempt_facts`): parsing a timestamp
    per attempt was most of a large gradebook's time. `submitted_at` is loaded only where a
    page shows it (the to-do list). A named tuple, not a frozen dataclass: a school's CSV
    export reads 280,000 of them, and a tuple is built several times faster."""

    id: int
    number: int
    status: str
    final_percent: Decimal | None
    is_submitted: bool
    is_late: bool
    submitted_at: dt.datetime | None = None


ATTEMPT_FACT_FIELDS = ("id", "number", "status", "final_percent", "fact_submitted", "fact_late")


def with_attempt_facts(queryset: QuerySet[Attempt]) -> QuerySet[Attempt]:
    return queryset.annotate(
        fact_submitted=ExpressionWrapper(Q(submitted_at__isnull=False), output_field=BooleanField()),
        fact_late=ExpressionWrapper(Q(submitted_at__gt=F("assignment__due_at")), output_field=BooleanField()),
    )


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

    __reduce__ = reduce_by_fields


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


def _cell_status(
    *, score_percent: Decimal | None, is_awaiting_grade: bool, is_done: bool, is_missing: bool, is_in_progress: bool
) -> str:
    if score_percent is not None:
        return "graded"
    if is_awaiting_grade:
        return "awaiting_grade"
    if is_done:
        return "done"
    if is_missing:
        return "missing"
    if is_in_progress:
        return "in_progress"
    return "not_started"


def _counted_value(*, kind: str, score_percent: Decimal | None, is_missing: bool) -> Decimal | None:
    """The value a cell adds to averages: its score, 0 when a quiz is missing, and nothing
    while it is not yet due or waits for grading, nor for lessons (no score)."""
    if score_percent is not None:
        return score_percent
    if kind == "quiz" and is_missing:
        return Decimal(0)
    return None


class CellStanding(NamedTuple):
    """What a gradebook cell shows: the counted score and the state, without the ids and
    times a page links with. The CSV export formats half a million of these: a tuple is
    cheap to build, and equal standings share one formatted text."""

    kind: str
    score_percent: Decimal | None
    is_done: bool
    is_late: bool
    is_missing: bool
    is_in_progress: bool
    is_awaiting_grade: bool

    @property
    def status(self) -> str:
        return _cell_status(
            score_percent=self.score_percent,
            is_awaiting_grade=self.is_awaiting_grade,
            is_done=self.is_done,
            is_missing=self.is_missing,
            is_in_progress=self.is_in_progress,
        )

    def counts_toward_average(self) -> Decimal | None:
        return _counted_value(kind=self.kind, score_percent=self.score_percent, is_missing=self.is_missing)


@dataclass(frozen=True, slots=True)
class GradebookCell:
    """One student's standing on one assignment.

    `score_percent` is the counted score (the best or the last graded attempt, per the
    assignment's policy); lessons have no score and count as done once completed.
    `done_at` (when the counted or first submission was made) is filled on to-do items
    and for lessons; the class gradebook leaves it out for quizzes to stay fast."""

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
    # The submitted attempt an educator still has to mark, so the cell can open it.
    awaiting_attempt_id: int | None = None

    @property
    def status(self) -> str:
        return _cell_status(
            score_percent=self.score_percent,
            is_awaiting_grade=self.is_awaiting_grade,
            is_done=self.is_done,
            is_missing=self.is_missing,
            is_in_progress=self.is_in_progress,
        )

    def counts_toward_average(self) -> Decimal | None:
        return _counted_value(kind=self.kind, score_percent=self.score_percent, is_missing=self.is_missing)


_GRADED = AttemptStatus.GRADED.value
_SUBMITTED = AttemptStatus.SUBMITTED.value
_IN_PROGRESS = AttemptStatus.IN_PROGRESS.value


class _QuizOutcome(NamedTuple):
    standing: CellStanding
    counted: AttemptFacts | None
    # The counted attempt or, while none is graded, the first submission.
    deciding: AttemptFacts | None
    awaiting: AttemptFacts | None


def _quiz_outcome(*, assignment: AssignmentFacts, attempts: Sequence[AttemptFacts], now: dt.datetime) -> _QuizOutcome:
    """The counted attempt is the best graded one (ties: the earlier) or, under the "last"
    policy, the last graded one. Lateness is judged on the counted attempt, or on the first
    submission while none is graded. One pass: the CSV export calls this 250,000 times."""
    last_counts = assignment.score_policy == ScorePolicy.LAST
    counted: AttemptFacts | None = None
    first_submitted: AttemptFacts | None = None
    in_progress = False
    awaiting: AttemptFacts | None = None
    for attempt in attempts:
        status = attempt.status
        if status == _IN_PROGRESS:
            in_progress = True
        elif status == _SUBMITTED and (awaiting is None or attempt.number < awaiting.number):
            awaiting = attempt
        if attempt.is_submitted and (first_submitted is None or attempt.number < first_submitted.number):
            first_submitted = attempt
        percent = attempt.final_percent
        if status != _GRADED or percent is None:
            continue
        if counted is None or counted.final_percent is None:
            counted = attempt
        elif last_counts:
            if attempt.number > counted.number:
                counted = attempt
        elif percent > counted.final_percent or (percent == counted.final_percent and attempt.number < counted.number):
            counted = attempt
    deciding = counted or first_submitted
    standing = CellStanding(
        kind="quiz",
        score_percent=counted.final_percent if counted else None,
        is_done=first_submitted is not None,
        is_late=bool(deciding and deciding.is_late),
        is_missing=first_submitted is None and now > assignment.due_at,
        is_in_progress=in_progress,
        is_awaiting_grade=counted is None and awaiting is not None,
    )
    return _QuizOutcome(standing=standing, counted=counted, deciding=deciding, awaiting=awaiting)


def quiz_standing(*, assignment: AssignmentFacts, attempts: Sequence[AttemptFacts], now: dt.datetime) -> CellStanding:
    return _quiz_outcome(assignment=assignment, attempts=attempts, now=now).standing


def quiz_cell(*, assignment: AssignmentFacts, attempts: Sequence[AttemptFacts], now: dt.datetime) -> GradebookCell:
    standing, counted, deciding, awaiting = _quiz_outcome(assignment=assignment, attempts=attempts, now=now)
    return GradebookCell(
        assignment_id=assignment.id,
        kind="quiz",
        score_percent=standing.score_percent,
        counted_attempt_id=counted.id if counted else None,
        attempts_used=len(attempts),
        is_done=standing.is_done,
        is_late=standing.is_late,
        is_missing=standing.is_missing,
        is_in_progress=standing.is_in_progress,
        is_awaiting_grade=standing.is_awaiting_grade,
        done_at=deciding.submitted_at if deciding else None,
        awaiting_attempt_id=awaiting.id if standing.is_awaiting_grade and awaiting else None,
    )


def lesson_standing(
    *, assignment: AssignmentFacts, completed_at: dt.datetime | None, started: bool, now: dt.datetime
) -> CellStanding:
    return CellStanding(
        kind="lesson",
        score_percent=None,
        is_done=completed_at is not None,
        is_late=completed_at is not None and completed_at > assignment.due_at,
        is_missing=completed_at is None and now > assignment.due_at,
        is_in_progress=started and completed_at is None,
        is_awaiting_grade=False,
    )


def lesson_cell(
    *, assignment: AssignmentFacts, completed_at: dt.datetime | None, started: bool, now: dt.datetime
) -> GradebookCell:
    standing = lesson_standing(assignment=assignment, completed_at=completed_at, started=started, now=now)
    return GradebookCell(
        assignment_id=assignment.id,
        kind="lesson",
        score_percent=None,
        counted_attempt_id=None,
        attempts_used=0,
        is_done=standing.is_done,
        is_late=standing.is_late,
        is_missing=standing.is_missing,
        is_in_progress=standing.is_in_progress,
        is_awaiting_grade=False,
        done_at=completed_at,
    )
