"""Assignments in every class and a term of work on them.

Each class gets `assignments_per_class` assignments, due from eight weeks ago to two weeks
ahead, alternating its subject's lessons and quizzes. Its students then do the work as
students do: most on time, some late (with the class's late penalty), some not at all, a few
mid-quiz right now; a weak first attempt is sometimes retaken; a short answer no rule can mark waits for
the teacher, who confirms it within a day or two. Every grade, penalty and score comes from
the learning domain's pure functions (`question_grade`, `late_penalty_percent`,
`attempt_scores_compute`) applied to the quiz snapshot and the generated responses, and the
rows go in with bulk inserts instead of one service call each, so that ten thousand students
seed in minutes. A class that already has assignments is left alone:
that is what makes a second run add nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from toolbox.accounts.models import AuditEvent
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.content.models import Lesson, Quiz
from toolbox.learning.demo.bulk import BATCH_SIZE, insert, insert_rows, next_ids
from toolbox.learning.demo.content import Catalog
from toolbox.learning.demo.progress import Ledger
from toolbox.learning.demo.work import (
    ANSWER_COLUMNS,
    RECENT,
    ZERO,
    AttemptDraft,
    ClassWork,
    Review,
    StudentScript,
    attempt_scores_of,
)
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    GradedBy,
    GradeOverride,
    LessonProgress,
    ScorePolicy,
)

FIRST_DUE_DAYS_AGO = 52
LAST_DUE_DAYS_AHEAD = 12
OPEN_DAYS_BEFORE_DUE = 7
CLASSES_PER_CHUNK = 20
REVIEW_REASON = "Checked by the teacher: not an answer this question accepts."


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
    scripted_attempts: list[Attempt] = field(default_factory=list)
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
    owners = {classroom.pk: classroom.owner_id for classroom in classrooms}
    lessons_seen: set[tuple[int, int]] = set()
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
                lessons_seen=lessons_seen,
            )
            for student_id in rosters[classroom.pk]:
                drafts += work.quizzes_of(student_id, scripts.get(student_id))
                progress += work.lessons_of(student_id, scripts.get(student_id))
                result.student_ids.add(student_id)
            work.notify_due_soon(rosters[classroom.pk])
        _write_work(
            drafts=drafts,
            progress=progress,
            ledger=ledger,
            scripts=scripts,
            parents_of=parents_of,
            owners=owners,
            result=result,
        )
        result.classrooms += len(chunk)
        result.assignments += sum(len(rows) for rows in assignments.values())
    answers_of: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(attempt_id__in=[attempt.pk for attempt in result.scripted_attempts]):
        answers_of[answer.attempt_id].append(answer)
    for attempt in result.scripted_attempts:
        result.graded_by_student.setdefault(attempt.student_id, []).append((attempt, answers_of[attempt.pk]))
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
    owners: dict[int, int],
    result: HistoryResult,
) -> None:
    insert(Attempt, [d.attempt for d in drafts])
    LessonProgress.objects.bulk_create(progress, batch_size=BATCH_SIZE, ignore_conflicts=True)
    # The answers an educator reviewed get their ids first, for the override rows naming
    # them; the rest take theirs from the column default (asking the table afterwards
    # meant scanning millions of fresh answers the planner has no statistics for).
    reviewed = [draft for draft in drafts if draft.reviews]
    reviewed_rows = [
        (draft.attempt.pk, *row) for draft in reviewed for row in draft.answers if row[7] == GradedBy.EDUCATOR
    ]
    ids = next_ids(Answer, len(reviewed_rows))
    insert_rows(Answer, ("id", *ANSWER_COLUMNS), [(pk, *row) for pk, row in zip(ids, reviewed_rows, strict=True)])
    answer_ids = {(row[0], row[2]): pk for pk, row in zip(ids, reviewed_rows, strict=True)}
    rows = [
        (draft.attempt.pk, *row)
        for draft in drafts
        for row in draft.answers
        if not (draft.reviews and row[7] == GradedBy.EDUCATOR)
    ]
    insert_rows(Answer, ANSWER_COLUMNS, rows)
    overrides: list[GradeOverride] = []
    audits: list[AuditEvent] = []
    for draft in reviewed:
        attempt = draft.attempt
        teacher_id = owners[attempt.assignment.classroom_id]
        for review in draft.reviews:
            answer_id = answer_ids[attempt.pk, review.question_key]
            overrides.append(_override(review, attempt=attempt, answer_id=answer_id, teacher_id=teacher_id))
            audits.append(_override_audit(review, attempt=attempt, answer_id=answer_id, teacher_id=teacher_id))
            ledger.notify(
                user_id=attempt.student_id,
                kind="grade",
                message=f"Your teacher updated a grade on “{draft.title}”.",
                dedupe_key=f"override:{answer_id}:1",
                at=review.at,
            )
    for draft in drafts:
        if draft.attempt.status != AttemptStatus.IN_PROGRESS:
            _record_submitted(draft, ledger=ledger, parents=parents_of.get(draft.attempt.student_id, []))
    insert(GradeOverride, overrides)
    insert(AuditEvent, audits)
    result.scripted_attempts += [
        d.attempt for d in drafts if d.attempt.student_id in scripts and d.attempt.submitted_at
    ]
    ledger.flush()
    result.attempts += len(drafts)
    result.answers += len(rows) + len(reviewed_rows)
    result.lesson_progress += len(progress)


def _override(review: Review, *, attempt: Attempt, answer_id: int, teacher_id: int) -> GradeOverride:
    return GradeOverride(
        attempt=attempt,
        answer_id=answer_id,
        changed_by_id=teacher_id,
        changed_at=review.at,
        old_score=ZERO,
        new_score=ZERO,
        reason=REVIEW_REASON,
    )


def _override_audit(review: Review, *, attempt: Attempt, answer_id: int, teacher_id: int) -> AuditEvent:
    return AuditEvent(
        actor_id=teacher_id,
        action="grade.override",
        target_type=Answer._meta.label_lower,
        target_id=str(answer_id),
        school_id=attempt.assignment.classroom.school_id,
        before={"points": "0.00", **review.attempt_scores_before},
        after={"points": "0.00", "reason": REVIEW_REASON, **attempt_scores_of(attempt)},
        created_at=review.at,
    )


def _record_submitted(draft: AttemptDraft, *, ledger: Ledger, parents: list[int]) -> None:
    attempt = draft.attempt
    at = attempt.submitted_at
    assert at is not None
    assert attempt.final_percent is not None
    student_id = attempt.student_id
    ledger.attempt_submitted(
        student_id=student_id,
        attempt_id=attempt.pk,
        title=draft.title,
        at=at,
        final_percent=attempt.final_percent,
        outcomes=tuple(
            (plan.objective_id, option.grade.is_correct)
            for plan, option in draft.graded
            if plan.objective_id is not None and not option.grade.needs_review
        ),
        perfect=not any(option.grade.needs_review for _, option in draft.graded)
        and attempt.raw_score == attempt.max_score,
    )
    # Every student hears about their latest grades; parents about every grade of their child.
    if at < ledger.now - RECENT or attempt.status != AttemptStatus.GRADED:
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
