"""One attempt question by question: for the educator (the gradebook's click-through)
and for the student (the result page, as the quiz's answer visibility allows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from toolbox.content.models import AnswerVisibility
from toolbox.learning.models import Answer, Attempt, AttemptStatus, GradedBy, GradeOverride
from toolbox.learning.selectors._common import StudentRef, student_ref_of
from toolbox.learning.selectors._snapshot import SnapshotQuestion, questions_of_snapshot


@dataclass(frozen=True, slots=True)
class AnswerDetail:
    question: SnapshotQuestion
    answer_id: int | None
    response: object
    response_text: str
    is_correct: bool | None
    points_awarded: Decimal | None
    feedback: str
    graded_by: str
    needs_review: bool
    ai_suggested_points: Decimal | None
    ai_suggested_feedback: str
    ai_suggestion_confidence: float | None

    @property
    def correct_answer_text(self) -> str:
        return self.question.correct_answer_text


@dataclass(frozen=True, slots=True)
class OverrideEntry:
    changed_by: str
    changed_at: dt.datetime
    answer_id: int | None
    old_score: Decimal | None
    new_score: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class AttemptDetail:
    attempt_id: int
    number: int
    status: str
    student: StudentRef
    assignment_id: int
    assignment_title: str
    classroom_id: int
    classroom_name: str
    started_at: dt.datetime
    deadline: dt.datetime | None
    submitted_at: dt.datetime | None
    submitted_by_server: bool
    due_at: dt.datetime
    raw_score: Decimal | None
    max_score: Decimal | None
    late_penalty_percent: Decimal
    final_score: Decimal | None
    final_percent: Decimal | None
    pass_mark_percent: int
    answers: tuple[AnswerDetail, ...]
    overrides: tuple[OverrideEntry, ...]

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at

    @property
    def passed(self) -> bool | None:
        return None if self.final_percent is None else self.final_percent >= self.pass_mark_percent

    @property
    def needs_review_count(self) -> int:
        return sum(1 for answer in self.answers if answer.needs_review)


def _load_attempt(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_related(
        "student", "assignment__classroom", "assignment__quiz", "assignment__lesson"
    ).get(pk=attempt.pk)


def _answer_details(attempt: Attempt) -> tuple[AnswerDetail, ...]:
    """Every question of the snapshot in order, with the student's answer if there is one."""
    answers = {answer.question_key: answer for answer in Answer.objects.filter(attempt_id=attempt.pk).order_by("id")}
    details = []
    for question in questions_of_snapshot(attempt.snapshot):
        answer = answers.get(question.id)
        details.append(
            AnswerDetail(
                question=question,
                answer_id=answer.pk if answer else None,
                response=answer.response if answer else None,
                response_text=question.describe(answer.response) if answer else "",
                is_correct=answer.is_correct if answer else None,
                points_awarded=answer.points_awarded if answer else None,
                feedback=answer.feedback if answer else "",
                graded_by=answer.graded_by if answer else GradedBy.AUTO,
                needs_review=answer.needs_review if answer else False,
                ai_suggested_points=answer.ai_suggested_points if answer else None,
                ai_suggested_feedback=answer.ai_suggested_feedback if answer else "",
                ai_suggestion_confidence=answer.ai_suggestion_confidence if answer else None,
            )
        )
    return tuple(details)


def _pass_mark(attempt: Attempt) -> int:
    snapshot = attempt.snapshot if isinstance(attempt.snapshot, dict) else {}
    quiz = attempt.assignment.quiz
    return int(snapshot.get("pass_mark_percent", quiz.pass_mark_percent if quiz else 70))


def attempt_detail(*, attempt: Attempt) -> AttemptDetail:
    """The attempt for the gradebook's click-through: every answer beside its question as
    the attempt saw it, and the audit trail of overrides (three queries)."""
    attempt = _load_attempt(attempt)
    student = attempt.student
    overrides = GradeOverride.objects.filter(attempt_id=attempt.pk).select_related("changed_by")
    return AttemptDetail(
        attempt_id=attempt.pk,
        number=attempt.number,
        status=attempt.status,
        student=student_ref_of(student),
        assignment_id=attempt.assignment_id,
        assignment_title=attempt.assignment.title,
        classroom_id=attempt.assignment.classroom_id,
        classroom_name=attempt.assignment.classroom.name,
        started_at=attempt.started_at,
        deadline=attempt.deadline,
        submitted_at=attempt.submitted_at,
        submitted_by_server=attempt.submitted_by_server,
        due_at=attempt.assignment.due_at,
        raw_score=attempt.raw_score,
        max_score=attempt.max_score,
        late_penalty_percent=attempt.late_penalty_percent,
        final_score=attempt.final_score,
        final_percent=attempt.final_percent,
        pass_mark_percent=_pass_mark(attempt),
        answers=_answer_details(attempt),
        overrides=tuple(
            OverrideEntry(
                changed_by=override.changed_by.name,
                changed_at=override.changed_at,
                answer_id=override.answer_id,
                old_score=override.old_score,
                new_score=override.new_score,
                reason=override.reason,
            )
            for override in overrides
        ),
    )


@dataclass(frozen=True, slots=True)
class StudentAnswerResult:
    """One question as the student may see it. The correctness, the right answer, the
    explanation and the automatic feedback are None or empty unless answers are shown."""

    position: int
    prompt: str
    kind: str
    response_text: str
    points_possible: Decimal
    is_correct: bool | None
    points_awarded: Decimal | None
    correct_answer_text: str | None
    explanation: str | None
    feedback: str


@dataclass(frozen=True, slots=True)
class StudentAttemptResult:
    attempt_id: int
    assignment_id: int
    title: str
    status: str
    submitted_at: dt.datetime | None
    is_late: bool
    late_penalty_percent: Decimal
    raw_score: Decimal | None
    max_score: Decimal | None
    final_percent: Decimal | None
    pass_mark_percent: int
    answer_visibility: str
    answers_shown: bool
    # When answers are shown after the due date and that date is still ahead.
    answers_shown_from: dt.datetime | None
    items: tuple[StudentAnswerResult, ...]

    @property
    def passed(self) -> bool | None:
        return None if self.final_percent is None else self.final_percent >= self.pass_mark_percent


def _answers_shown(*, visibility: str, attempt: Attempt, now: dt.datetime) -> bool:
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return False
    if visibility == AnswerVisibility.IMMEDIATELY:
        return True
    if visibility == AnswerVisibility.AFTER_DUE:
        return now >= attempt.assignment.due_at
    return False


def attempt_result_for_student(*, attempt: Attempt, now: dt.datetime | None = None) -> StudentAttemptResult:
    """The result page: the score once graded, and the student's own answers; whether each
    was right, the right answers and the explanations only as the quiz's answer visibility
    allows (right after submitting, after the due date, or never). Feedback that an educator
    wrote or confirmed is always shown: it was written for the student."""
    now = now or timezone.now()
    attempt = _load_attempt(attempt)
    snapshot = attempt.snapshot if isinstance(attempt.snapshot, dict) else {}
    quiz = attempt.assignment.quiz
    visibility = str(snapshot.get("answer_visibility") or (quiz.answer_visibility if quiz else AnswerVisibility.NEVER))
    shown = _answers_shown(visibility=visibility, attempt=attempt, now=now)
    graded = attempt.status == AttemptStatus.GRADED
    due_at = attempt.assignment.due_at
    items = tuple(
        StudentAnswerResult(
            position=detail.question.position,
            prompt=detail.question.prompt,
            kind=detail.question.kind,
            response_text=detail.response_text,
            points_possible=detail.question.points,
            is_correct=detail.is_correct if shown else None,
            points_awarded=detail.points_awarded if shown else None,
            correct_answer_text=detail.correct_answer_text if shown else None,
            explanation=detail.question.explanation if shown else None,
            feedback=detail.feedback if shown or detail.graded_by != GradedBy.AUTO else "",
        )
        for detail in (_answer_details(attempt) if attempt.status != AttemptStatus.IN_PROGRESS else ())
    )
    return StudentAttemptResult(
        attempt_id=attempt.pk,
        assignment_id=attempt.assignment_id,
        title=str(snapshot.get("title") or attempt.assignment.title),
        status=attempt.status,
        submitted_at=attempt.submitted_at,
        is_late=attempt.submitted_at is not None and attempt.submitted_at > due_at,
        late_penalty_percent=attempt.late_penalty_percent,
        raw_score=attempt.raw_score if graded else None,
        max_score=attempt.max_score if graded else None,
        final_percent=attempt.final_percent if graded else None,
        pass_mark_percent=_pass_mark(attempt),
        answer_visibility=visibility,
        answers_shown=shown,
        answers_shown_from=due_at if visibility == AnswerVisibility.AFTER_DUE and not shown else None,
        items=items,
    )
