"""Assignments in every class and a term of work on them.

Each class gets `assignments_per_class` assignments, due from eight weeks ago to two weeks
ahead, alternating its subject's lessons and quizzes. Its students then do the work as
students do: most on time, some late (with the class's late penalty), some not at all, a few
mid-quiz right now; a weak first attempt is sometimes retaken. Scores are computed from the
quiz snapshot and the generated responses, never by calling the grading services, so that
ten thousand students seed in minutes. A class that already has assignments is left alone:
that is what makes a second run add nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.content.models import Lesson, Quiz
from toolbox.learning.demo.bulk import BATCH_SIZE, insert
from toolbox.learning.demo.content import Catalog
from toolbox.learning.demo.progress import Ledger
from toolbox.learning.demo.work import RECENT, AttemptDraft, ClassWork, StudentScript
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    GradedBy,
    LessonProgress,
    ScorePolicy,
)

FIRST_DUE_DAYS_AGO = 52
LAST_DUE_DAYS_AHEAD = 12
OPEN_DAYS_BEFORE_DUE = 7
CLASSES_PER_CHUNK = 20


@dataclass(frozen=True)
class LatePolicy:
    accept_late: bool
    per_day: Decimal
    maximum: Decimal
    close_after_days: int | None


LATE_POLICIES = (
    LatePolicy(True, Decimal("10"), Decimal("50"), None),
    LatePolicy(True, Decimal("5"), Decimal("25"), 7),
    LatePolicy(False, Decimal("0"), Decimal("0"), 0),
    LatePolicy(True, Decimal("20"), Decimal("100"), 5),
)


@dataclass
class HistoryResult:
    classrooms: int = 0
    assignments: int = 0
    attempts: int = 0
    answers: int = 0
    lesson_progress: int = 0
    student_ids: set[int] = field(default_factory=set)
    graded_by_student: dict[int, list[tuple[Attempt, list[Answer]]]] = field(default_factory=dict)


def seed_history(
    *,
    classrooms: Sequence[Classroom],
    catalog: Catalog,
    assignments_per_class: int,
    now: dt.datetime,
    ledger: Ledger,
    scripts: dict[int, StudentScript],
    parents_of: dict[int, list[int]],
    seed: int,
) -> HistoryResult:
    """`scripts` pins the demo logins' stories; `parents_of` maps a student to linked parents,
    who are notified of that child's grades and missing work. The graded attempts of the
    scripted students are returned so that the caller can tell more of their story."""
    result = HistoryResult()
    done = set(Assignment.objects.filter(classroom__in=classrooms).values_list("classroom_id", flat=True))
    pending = [classroom for classroom in classrooms if classroom.pk not in done]
    for chunk in _chunks(pending, CLASSES_PER_CHUNK):
        rosters: dict[int, list[int]] = {classroom.pk: [] for classroom in chunk}
        for classroom_id, student_id in (
            Enrollment.objects.filter(classroom__in=chunk, status=EnrollmentStatus.ACTIVE)
            .order_by("classroom_id", "student_id")
            .values_list("classroom_id", "student_id")
        ):
            rosters[classroom_id].append(student_id)
        assignments = _create_assignments(chunk=chunk, catalog=catalog, count=assignments_per_class, now=now)
        drafts: list[AttemptDraft] = []
        progress: list[LessonProgress] = []
        for classroom in chunk:
            work = ClassWork(
                classroom=classroom,
                assignments=assignments[classroom.pk],
                catalog=catalog,
                now=now,
                ledger=ledger,
                rng=random.Random(f"{seed}:{classroom.name}"),
                parents_of=parents_of,
            )
            for student_id in rosters[classroom.pk]:
                drafts += work.quizzes_of(student_id, scripts.get(student_id))
                progress += work.lessons_of(student_id, scripts.get(student_id))
                result.student_ids.add(student_id)
            work.notify_due_soon(rosters[classroom.pk])
        _write_work(
            drafts=drafts, progress=progress, ledger=ledger, scripts=scripts, parents_of=parents_of, result=result
        )
        result.classrooms += len(chunk)
        result.assignments += sum(len(rows) for rows in assignments.values())
    return result


def _chunks(items: Sequence[Classroom], size: int) -> Iterator[Sequence[Classroom]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _create_assignments(
    *, chunk: Sequence[Classroom], catalog: Catalog, count: int, now: dt.datetime
) -> dict[int, list[Assignment]]:
    rows: dict[int, list[Assignment]] = {}
    tz = zoneinfo.ZoneInfo(chunk[0].school.time_zone) if chunk else dt.UTC
    today = now.astimezone(tz).date()
    span = FIRST_DUE_DAYS_AGO + LAST_DUE_DAYS_AHEAD
    for classroom in chunk:
        content = catalog.subjects[classroom.subject]
        sequence: list[Lesson | Quiz] = [
            item for pair in zip(content.lessons, content.quizzes, strict=False) for item in pair
        ]
        rows[classroom.pk] = []
        for slot in range(count):
            offset = -FIRST_DUE_DAYS_AGO + (round(slot * span / (count - 1)) if count > 1 else span)
            due = dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(17), tzinfo=tz)
            policy = LATE_POLICIES[slot % len(LATE_POLICIES)]
            item = sequence[slot % len(sequence)]
            rows[classroom.pk].append(
                Assignment(
                    classroom=classroom,
                    lesson=item if isinstance(item, Lesson) else None,
                    quiz=item if isinstance(item, Quiz) else None,
                    assigned_by_id=classroom.owner_id,
                    available_from=due - dt.timedelta(days=OPEN_DAYS_BEFORE_DUE),
                    due_at=due,
                    close_at=None
                    if policy.close_after_days is None
                    else due + dt.timedelta(days=policy.close_after_days),
                    accept_late=policy.accept_late,
                    late_penalty_percent_per_day=policy.per_day,
                    max_late_penalty_percent=policy.maximum,
                    score_policy=ScorePolicy.LAST if slot % 5 == 4 else ScorePolicy.BEST,
                    created_at=due - dt.timedelta(days=OPEN_DAYS_BEFORE_DUE + 1),
                )
            )
    created = Assignment.objects.bulk_create(
        [row for class_rows in rows.values() for row in class_rows], batch_size=BATCH_SIZE
    )
    assert all(row.pk for row in created)
    return rows


def _write_work(
    *,
    drafts: list[AttemptDraft],
    progress: list[LessonProgress],
    ledger: Ledger,
    scripts: dict[int, StudentScript],
    parents_of: dict[int, list[int]],
    result: HistoryResult,
) -> None:
    insert(Attempt, [d.attempt for d in drafts])
    LessonProgress.objects.bulk_create(progress, batch_size=BATCH_SIZE, ignore_conflicts=True)
    answers: list[Answer] = []
    for draft in drafts:
        attempt = draft.attempt
        rows = [
            Answer(
                attempt_id=attempt.pk,
                question_id=plan.key,
                question_key=plan.key,
                response=response,
                is_correct=correct,
                points_awarded=None if correct is None else (plan.points if correct else Decimal(0)),
                graded_by=GradedBy.AUTO,
                saved_at=attempt.submitted_at or attempt.started_at,
            )
            for plan, response, correct in draft.answers
        ]
        answers += rows
        if attempt.status == AttemptStatus.GRADED:
            _record_graded(draft, ledger=ledger, parents=parents_of.get(attempt.student_id, []))
            if attempt.student_id in scripts:
                result.graded_by_student.setdefault(attempt.student_id, []).append((attempt, rows))
    insert(Answer, answers)
    ledger.flush()
    result.attempts += len(drafts)
    result.answers += len(answers)
    result.lesson_progress += len(progress)


def _record_graded(draft: AttemptDraft, *, ledger: Ledger, parents: list[int]) -> None:
    attempt = draft.attempt
    at = attempt.submitted_at
    assert at is not None
    assert attempt.final_percent is not None
    student_id = attempt.student_id
    for plan, _, correct in draft.answers:
        ledger.answered(
            student_id=student_id, objective_id=plan.objective_id, question_id=plan.key, at=at, correct=bool(correct)
        )
    ledger.active(student_id=student_id, at=at)
    ledger.graded(student_id=student_id, at=at, perfect=attempt.raw_score == attempt.max_score)
    ledger.award_xp(
        student_id=student_id,
        source=f"attempt:{attempt.pk}",
        amount=10 + int(attempt.final_percent) // 10,
        description=f"Completed the quiz “{draft.title}”",
        at=at,
    )
    # Every student hears about their latest grades; parents about every grade of their child.
    if at < ledger.now - RECENT:
        return
    late = f" (submitted late, −{attempt.late_penalty_percent:g}%)" if attempt.late_penalty_percent else ""
    ledger.notify(
        user_id=student_id,
        kind="attempt_graded",
        message=f"“{draft.title}” was graded: {attempt.final_percent:g}%{late}.",
        link="/student/",
        dedupe_key=f"graded:{attempt.pk}",
        at=at + dt.timedelta(minutes=1),
    )
    for parent_id in parents:
        ledger.notify(
            user_id=parent_id,
            kind="child_graded",
            message=f"A quiz was graded: “{draft.title}”, {attempt.final_percent:g}%{late}.",
            link="/parent/",
            dedupe_key=f"child-graded:{attempt.pk}",
            at=at + dt.timedelta(minutes=1),
        )
