"""Taking a quiz: starting an attempt, autosaving answers, submitting and grading.

Concurrency: every write to an attempt first locks a row — the student's enrolment when an
attempt starts (so two simultaneous starts cannot exceed the limit or open two attempts)
and the attempt itself when answers are saved or it is submitted (so a submit grades once
however many requests race). A start that finds its attempt in progress expired locks it
after the enrolment; a submit then locks the student's mastery rows and stats row, in that
order. The partial unique constraint `one_attempt_in_progress` and `unique_attempt_number`
back the locks up at the database. A submit costs the same queries whatever the size of
the quiz: answers, mastery rows, XP and badges are each read and written in bulk.

When an attempt expires (its time limit, the closing date, or the due date when late work is
not accepted), the server submits what was saved, as of the moment it expired: from
`attempts_submit_expired` (a periodic task) and whenever the expired attempt is touched.
When late work is not accepted the attempt runs out at the due time, so a student's submit
that arrives later is never counted as late work: it finds (or makes) the server's
submission of what was saved by the due time, marked `submitted_by_server`.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.classroom.models import Enrollment, EnrollmentStatus
from toolbox.content.models import Question, Quiz
from toolbox.content.services import quiz_snapshot
from toolbox.errors import ConflictError, DomainError, InvalidInputError, NotFoundError
from toolbox.learning.grading import GradeResult, question_grade, response_clean
from toolbox.learning.models import Answer, Assignment, Attempt, AttemptStatus, GradedBy
from toolbox.learning.services._rows import rows_write
from toolbox.learning.services.gamification import attempt_rewards_grant, mastery_rewards_grant
from toolbox.learning.services.progress import mastery_update

CENTS = Decimal("0.01")
ONE_DAY = dt.timedelta(days=1)


def _shuffled(items: list[Any]) -> list[Any]:
    shuffled = list(items)
    secrets.SystemRandom().shuffle(shuffled)
    return shuffled


def snapshot_for_attempt(quiz: Quiz) -> dict[str, Any]:
    """The quiz as this attempt will see it. Questions appear in list order (shuffled when
    the quiz asks for it); ordering items are always shuffled, since showing them in their
    stored order would give the answer away (grading reads each item's `position`)."""
    snapshot = quiz_snapshot(quiz=quiz)
    questions = snapshot["questions"]
    for question in questions:
        if question["kind"] == "ordering":
            question["choices"] = _shuffled(question["choices"])
    if quiz.shuffle_questions:
        snapshot["questions"] = _shuffled(questions)
    return snapshot


def attempt_expires_at(attempt: Attempt, assignment: Assignment) -> dt.datetime | None:
    """When the attempt stops taking answers: its own deadline, or the assignment's hard
    stop under the current late policy (an educator may have tightened it since)."""
    hard_stop = assignment.close_at if assignment.accept_late else assignment.due_at
    stops = [moment for moment in (attempt.deadline, hard_stop) if moment is not None]
    return min(stops) if stops else None


def _is_expired(attempt: Attempt, assignment: Assignment, now: dt.datetime) -> bool:
    expires_at = attempt_expires_at(attempt, assignment)
    return expires_at is not None and now >= expires_at


def late_penalty_percent(*, assignment: Assignment, submitted_at: dt.datetime) -> Decimal:
    """Whole days late, rounded up, times the daily penalty, capped by the maximum."""
    if submitted_at <= assignment.due_at:
        return Decimal("0")
    days_late = math.ceil((submitted_at - assignment.due_at) / ONE_DAY)
    return min(
        days_late * Decimal(assignment.late_penalty_percent_per_day), Decimal(assignment.max_late_penalty_percent)
    )


@dataclass(frozen=True)
class AttemptScores:
    raw_score: Decimal
    max_score: Decimal
    final_score: Decimal
    final_percent: Decimal


def attempt_scores(
    *, questions: Iterable[dict[str, Any]], points_awarded: Iterable[Decimal | None], late_penalty_percent: Decimal
) -> AttemptScores:
    """The scores of an attempt from its snapshot questions, the points of its answers (None
    counts as 0) and its late penalty: the final score is the raw score less the penalty."""
    max_score = sum((Decimal(str(question["points"])) for question in questions), Decimal("0")).quantize(CENTS)
    raw_score = sum((points or Decimal("0") for points in points_awarded), Decimal("0")).quantize(CENTS)
    final_score = (raw_score * (Decimal("100") - Decimal(late_penalty_percent)) / Decimal("100")).quantize(
        CENTS, rounding=ROUND_HALF_UP
    )
    final_percent = (
        (final_score * Decimal("100") / max_score).quantize(CENTS, rounding=ROUND_HALF_UP)
        if max_score
        else Decimal("0.00")
    )
    return AttemptScores(raw_score=raw_score, max_score=max_score, final_score=final_score, final_percent=final_percent)


def attempt_scores_compute(*, attempt: Attempt, answers: Iterable[Answer]) -> None:
    """Set raw, maximum and final scores and the status from the answers (no save)."""
    answers = list(answers)
    scores = attempt_scores(
        questions=attempt.snapshot.get("questions", []),
        points_awarded=[answer.points_awarded for answer in answers],
        late_penalty_percent=attempt.late_penalty_percent,
    )
    attempt.max_score = scores.max_score
    attempt.raw_score = scores.raw_score
    attempt.final_score = scores.final_score
    attempt.final_percent = scores.final_percent
    attempt.status = AttemptStatus.SUBMITTED if any(answer.needs_review for answer in answers) else AttemptStatus.GRADED


def snapshot_question(attempt: Attempt, question_id: object) -> dict[str, Any]:
    for question in attempt.snapshot.get("questions", []):
        if question["id"] == question_id:
            return question
    raise InvalidInputError("That question is not part of this attempt.", field="question_id")


def answer_grade_auto(answer: Answer, question: dict[str, Any]) -> None:
    """Grade one answer by the rules of its kind (no save)."""
    try:
        result = question_grade(question, answer.response)
    except InvalidInputError:
        # Saved under older, looser rules: it is wrong, and it must not block the submit.
        result = GradeResult(is_correct=False, points_awarded=Decimal("0"))
    answer.is_correct = result.is_correct
    answer.points_awarded = result.points_awarded
    answer.needs_review = result.needs_review
    answer.feedback = result.feedback
    answer.graded_by = GradedBy.AUTO


def _grade_and_submit(
    attempt: Attempt, *, submitted_at: dt.datetime, by_server: bool, idempotency_key: str = ""
) -> Attempt:
    """Grade every question of a locked, in-progress attempt and record the rewards, in a
    fixed number of queries whatever the size of the quiz."""
    assignment = attempt.assignment
    questions = attempt.snapshot["questions"]
    answers = {answer.question_key: answer for answer in Answer.objects.filter(attempt=attempt)}
    unanswered = [question["id"] for question in questions if question["id"] not in answers]
    # A question left unanswered gets its answer row now, linked to the question unless it
    # has been deleted since the attempt began (a saved answer was linked when it was saved).
    existing_question_ids = (
        set(Question.objects.filter(pk__in=unanswered).values_list("pk", flat=True)) if unanswered else set()
    )
    graded: list[Answer] = []
    for question in questions:
        answer = answers.get(question["id"])
        if answer is None:
            answer = Answer(
                attempt=attempt,
                question_key=question["id"],
                question_id=question["id"] if question["id"] in existing_question_ids else None,
                response=None,
            )
        answer_grade_auto(answer, question)
        graded.append(answer)
    rows_write(
        rows=[answer for answer in graded if answer.pk is not None],
        fields=["is_correct", "points_awarded", "needs_review", "feedback", "graded_by"],
    )
    Answer.objects.bulk_create([answer for answer in graded if answer.pk is None])
    attempt.submitted_at = submitted_at
    attempt.submitted_by_server = by_server
    attempt.idempotency_key = idempotency_key[:80]
    attempt.late_penalty_percent = late_penalty_percent(assignment=assignment, submitted_at=submitted_at)
    attempt_scores_compute(attempt=attempt, answers=graded)
    attempt.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by_server",
            "idempotency_key",
            "raw_score",
            "max_score",
            "late_penalty_percent",
            "final_score",
            "final_percent",
        ]
    )
    mastered = mastery_update(student=attempt.student, questions=questions, answers=graded)
    # An attempt left blank (started, then submitted or expired with nothing saved) earns
    # nothing, so that starting and abandoning quizzes cannot farm XP or streak days.
    if any(answer.response is not None for answer in graded):
        attempt_rewards_grant(attempt=attempt, objectives_mastered=mastered)
    else:
        mastery_rewards_grant(student=attempt.student, objective_ids=mastered)
    return attempt


def _lock_attempt(attempt_id: int) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assignment__classroom__school", "assignment__quiz", "student__school")
        .get(pk=attempt_id)
    )


def _submit_if_expired(attempt_id: int, now: dt.datetime) -> bool:
    """Server-submit the attempt as of its expiry if it has run out; True when it did.
    Within a caller's transaction it joins it, without a savepoint to protect nothing."""
    with transaction.atomic(savepoint=False):
        attempt = _lock_attempt(attempt_id)
        if attempt.status != AttemptStatus.IN_PROGRESS or not _is_expired(attempt, attempt.assignment, now):
            return False
        expires_at = attempt_expires_at(attempt, attempt.assignment)
        assert expires_at is not None
        _grade_and_submit(attempt, submitted_at=expires_at, by_server=True)
        return True


def _start_refusal(*, assignment: Assignment, attempts_used: int, now: dt.datetime) -> DomainError | None:
    """Why a new attempt may not start now, if it may not."""
    quiz = assignment.quiz
    if quiz is None:
        return InvalidInputError("This assignment is a lesson, not a quiz: open the lesson to work on it.")
    if assignment.classroom.is_archived:
        return ConflictError("This class is archived, so its work is closed.")
    local = timezone.localtime
    if now < assignment.available_from:
        return ConflictError(f"This quiz opens on {local(assignment.available_from):%d %B %Y at %H:%M}.")
    if assignment.close_at is not None and now >= assignment.close_at:
        return ConflictError("This quiz has closed and no longer takes attempts.")
    if now > assignment.due_at and not assignment.accept_late:
        return ConflictError("This quiz was due already and does not accept late work.")
    if attempts_used >= quiz.max_attempts:
        return ConflictError(f"You have used all {quiz.max_attempts} attempts at this quiz.")
    return None


def _start_locked(*, student: User, assignment: Assignment, now: dt.datetime) -> Attempt | DomainError:
    assignment = Assignment.objects.select_related("quiz", "classroom").get(pk=assignment.pk)
    if not permissions.can_attempt(student, assignment):
        raise NotFoundError("That assignment does not exist.")
    # Serialises every start by this student in this class; the checks below then see
    # the attempts committed by any start that ran first.
    Enrollment.objects.select_for_update().get(
        classroom_id=assignment.classroom_id, student_id=student.pk, status=EnrollmentStatus.ACTIVE
    )
    attempts = list(Attempt.objects.filter(assignment=assignment, student=student))
    in_progress = next((attempt for attempt in attempts if attempt.status == AttemptStatus.IN_PROGRESS), None)
    if in_progress is not None:
        if not _is_expired(in_progress, assignment, now):
            in_progress.assignment, in_progress.student = assignment, student
            return in_progress
        # Run out: submitted as of its expiry (unless a submit got there first), then a new
        # attempt may start if the rules allow.
        _submit_if_expired(in_progress.pk, now)
    refusal = _start_refusal(assignment=assignment, attempts_used=len(attempts), now=now)
    if refusal is not None:
        return refusal
    quiz = assignment.quiz
    assert quiz is not None
    snapshot = snapshot_for_attempt(quiz)
    if not snapshot["questions"]:
        return ConflictError("This quiz has no questions yet; ask your teacher.")
    attempt = Attempt(
        assignment=assignment,
        student=student,
        number=max((attempt.number for attempt in attempts), default=0) + 1,
        started_at=now,
        deadline=now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        snapshot=snapshot,
    )
    # The time limit never outlasts the assignment: cap it by its hard stop.
    attempt.deadline = attempt_expires_at(attempt, assignment)
    attempt.save()
    return attempt


def attempt_start(*, student: User, assignment: Assignment) -> Attempt:
    """Start an attempt at a quiz assignment, or return the one already in progress. One in
    progress that has run out is submitted first, as of its expiry."""
    now = timezone.now()
    with transaction.atomic():
        started = _start_locked(student=student, assignment=assignment, now=now)
    # Refused only once the transaction has committed, so that an expired attempt
    # submitted on the way stays submitted even when no new attempt may start.
    if isinstance(started, DomainError):
        raise started
    return started


def _lock_attempt_to_save(*, attempt_id: int, student: User, question_id: int) -> Attempt:
    """The attempt, locked, annotated in the same query with whether the student is still
    in its class (`still_enrolled`) and whether the question still exists (`question_exists`)."""
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assignment", "student__school")
        .annotate(
            still_enrolled=Exists(
                Enrollment.objects.filter(
                    classroom_id=OuterRef("assignment__classroom_id"),
                    student_id=student.pk,
                    status=EnrollmentStatus.ACTIVE,
                )
            ),
            question_exists=Exists(Question.objects.filter(pk=question_id)),
        )
        .get(pk=attempt_id)
    )


def attempt_save_answer(*, student: User, attempt: Attempt, question_id: int, response: dict[str, Any]) -> Answer:
    """Autosave one answer (the latest save of a question wins); refused once the attempt
    is submitted or its time is up."""
    now = timezone.now()
    expired = False
    with transaction.atomic():
        locked = _lock_attempt_to_save(attempt_id=attempt.pk, student=student, question_id=question_id)
        if locked.student_id != student.pk:
            raise NotFoundError("That attempt does not exist.")
        if locked.status != AttemptStatus.IN_PROGRESS:
            raise ConflictError("This attempt has been submitted; answers can no longer be changed.")
        if not locked.still_enrolled:  # pyright: ignore[reportAttributeAccessIssue]
            # A student removed from the class mid-quiz keeps what they saved, but the
            # class's work is no longer theirs to change.
            raise ConflictError("You are no longer in this class, so its quizzes are closed to you.")
        if _is_expired(locked, locked.assignment, now):
            expires_at = attempt_expires_at(locked, locked.assignment)
            assert expires_at is not None
            _grade_and_submit(locked, submitted_at=expires_at, by_server=True)
            expired = True
        else:
            question = snapshot_question(locked, question_id)
            answer = Answer(
                attempt=locked,
                question_key=question_id,
                response=response_clean(question, response),
                question_id=question_id if locked.question_exists else None,  # pyright: ignore[reportAttributeAccessIssue]
            )
            # One statement, whether the question was answered before or not (the attempt
            # lock already orders the saves of one attempt).
            Answer.objects.bulk_create(
                [answer],
                update_conflicts=True,
                unique_fields=["attempt", "question_key"],
                update_fields=["response", "question", "saved_at"],
            )
            return answer
    assert expired
    raise ConflictError("Time is up for this attempt: the answers saved before then have been submitted.")


def attempt_submit(*, student: User, attempt: Attempt, idempotency_key: str = "", by_server: bool = False) -> Attempt:
    """Submit and grade an attempt, once. A second submit, or a retried request, returns the
    attempt as first graded. An attempt that has run out is submitted as of its expiry,
    with what was saved by then."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_attempt(attempt.pk)
        # Checked even when the server submits: `by_server` only marks who pressed submit.
        if locked.student_id != student.pk:
            raise NotFoundError("That attempt does not exist.")
        if locked.status != AttemptStatus.IN_PROGRESS:
            return locked
        assignment = locked.assignment
        if _is_expired(locked, assignment, now):
            expires_at = attempt_expires_at(locked, assignment)
            assert expires_at is not None
            return _grade_and_submit(locked, submitted_at=expires_at, by_server=True, idempotency_key=idempotency_key)
        return _grade_and_submit(locked, submitted_at=now, by_server=by_server, idempotency_key=idempotency_key)


def attempts_submit_expired(*, now: dt.datetime | None = None) -> int:
    """Submit every in-progress attempt that has run out; returns how many were submitted.
    Safe to run twice at once: each attempt is locked and re-checked before it is graded."""
    now = now or timezone.now()
    candidate_ids = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS).filter(
        Q(deadline__lte=now)
        | Q(assignment__close_at__lte=now)
        | Q(assignment__accept_late=False, assignment__due_at__lte=now)
    )
    return sum(1 for attempt_id in candidate_ids.values_list("pk", flat=True) if _submit_if_expired(attempt_id, now))
