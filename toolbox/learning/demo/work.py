"""One class's students doing its assignments: quiz attempts with answers, lesson progress.

A generated student has an ability (the chance of answering a question right, adjusted by
the question's kind); the demo logins follow a script instead, so that their pages always
tell the same story.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from toolbox.classroom.models import Classroom
from toolbox.content.models import Lesson, Quiz
from toolbox.learning.demo.content import Catalog
from toolbox.learning.demo.progress import Ledger
from toolbox.learning.demo.snapshots import GradedResponse, QuestionPlan
from toolbox.learning.grading import GradeResult
from toolbox.learning.models import Assignment, Attempt, AttemptStatus, GradedBy, LessonProgress
from toolbox.learning.services.attempts import attempt_scores, late_penalty_percent

ZERO = Decimal("0.00")
REVIEW_FEEDBACK = "Not an answer this question accepts: look again at the key words in the lesson."
RECENT = dt.timedelta(days=35)
REVIEW_PENDING = dt.timedelta(days=7)

# How much harder each kind is than a plain single choice, for a generated student.
KIND_EASE = {
    "true_false": 1.08,
    "single_choice": 1.03,
    "multiple_choice": 0.9,
    "short_answer": 0.9,
    "numeric": 0.88,
    "ordering": 0.85,
}


@dataclass(frozen=True)
class StudentScript:
    """A demo login's fixed story: its ability and what it did with some of its past quizzes
    (indexes into the class's past quiz assignments: "missing", "late")."""

    ability: float
    past_quizzes: dict[int, str] = field(default_factory=dict)
    busy_now: bool = False
    # The teacher has not yet reviewed this student's short answers of the past week.
    review_pending: bool = False


# An answer row for `insert_rows`, after the attempt's id.
ANSWER_COLUMNS = (
    "attempt_id",
    "question_id",
    "question_key",
    "response",
    "is_correct",
    "points_awarded",
    "needs_review",
    "feedback",
    "graded_by",
    "ai_suggested_feedback",
    "saved_at",
)
AnswerRow = tuple[int, int, dict[str, Any], bool | None, Decimal | None, bool, str, str, str, dt.datetime]


@dataclass
class Review:
    """A short answer no rule could mark, which the class's teacher then looked at and
    confirmed at zero points with `grade_override` (an override row, an audit row and a
    notice to the student, as that service writes)."""

    question_key: int
    at: dt.datetime
    attempt_scores_before: dict[str, str]


@dataclass
class AttemptDraft:
    attempt: Attempt
    answers: list[AnswerRow]
    # What each answer was at submission, in question order: decided answers count for mastery.
    graded: list[tuple[QuestionPlan, GradedResponse]]
    title: str
    reviews: list[Review] = field(default_factory=list)


class ClassWork:
    """Generates one class's students' work on its assignments."""

    def __init__(
        self,
        *,
        classroom: Classroom,
        assignments: list[Assignment],
        catalog: Catalog,
        now: dt.datetime,
        ledger: Ledger,
        rng: random.Random,
        parents_of: dict[int, list[int]],
        lessons_seen: set[tuple[int, int]],
    ) -> None:
        self.classroom = classroom
        self.assignments = assignments
        self.catalog = catalog
        self.now = now
        self.ledger = ledger
        self.rng = rng
        self.parents_of = parents_of
        self.past_quizzes = [a for a in assignments if a.quiz is not None and a.due_at <= now]
        # Shared by every class: a student in two classes of a subject finishes a lesson once.
        self.lessons_seen = lessons_seen

    def _ability(self, script: StudentScript | None) -> float:
        drawn = min(0.97, max(0.35, self.rng.gauss(0.74, 0.13)))
        return script.ability if script else drawn

    def quizzes_of(self, student_id: int, script: StudentScript | None) -> list[AttemptDraft]:
        ability = self._ability(script)
        drafts: list[AttemptDraft] = []
        busy_now = script.busy_now if script else False
        for assignment in self.assignments:
            quiz = assignment.quiz
            if quiz is None or assignment.available_from > self.now:
                continue
            if assignment.due_at > self.now:
                roll = self.rng.random()
                if busy_now or 0.35 <= roll < 0.55:
                    drafts.append(self._in_progress(assignment, quiz, student_id, ability))
                    busy_now = False
                elif roll < 0.35:
                    latest = min(self.now, assignment.due_at) - dt.timedelta(minutes=30)
                    submitted = _between(self.rng, assignment.available_from + dt.timedelta(hours=1), latest)
                    drafts += self._graded(assignment, quiz, student_id, ability, submitted, script)
                continue
            fate = script.past_quizzes.get(self.past_quizzes.index(assignment)) if script else None
            if fate is None:
                if self.rng.random() < 0.04 + (1 - ability) * 0.15:
                    fate = "missing"
                elif assignment.accept_late and self.rng.random() < 0.1:
                    fate = "late"
            if fate == "missing":
                self._notify_missing(student_id, assignment, quiz)
                continue
            submitted = None
            if fate == "late" and assignment.accept_late:
                last = min(self.now, assignment.close_at or self.now) - dt.timedelta(minutes=5)
                if last > assignment.due_at + dt.timedelta(hours=2):
                    submitted = _between(self.rng, assignment.due_at + dt.timedelta(hours=2), last)
            if submitted is None:
                submitted = assignment.due_at - dt.timedelta(hours=self.rng.uniform(1, 24 * 5))
                submitted = max(submitted, assignment.available_from + dt.timedelta(hours=1))
            drafts += self._graded(assignment, quiz, student_id, ability, submitted, script)
        return drafts

    def _graded(
        self,
        assignment: Assignment,
        quiz: Quiz,
        student_id: int,
        ability: float,
        submitted: dt.datetime,
        script: StudentScript | None,
    ) -> list[AttemptDraft]:
        review_by = self.now - REVIEW_PENDING if script and script.review_pending else self.now
        first = self._attempt(assignment, quiz, student_id, ability, submitted, number=1, review_by=review_by)
        drafts = [first]
        retake_at = submitted + dt.timedelta(hours=self.rng.uniform(2, 30))
        if (
            first.attempt.final_percent is not None
            and first.attempt.final_percent < quiz.pass_mark_percent
            and quiz.max_attempts > 1
            and retake_at < min(self.now, assignment.due_at)
            and self.rng.random() < 0.5
        ):
            better = min(0.97, ability + 0.12)
            drafts.append(self._attempt(assignment, quiz, student_id, better, retake_at, number=2, review_by=review_by))
        return drafts

    def _attempt(
        self,
        assignment: Assignment,
        quiz: Quiz,
        student_id: int,
        ability: float,
        submitted: dt.datetime,
        *,
        number: int,
        review_by: dt.datetime,
    ) -> AttemptDraft:
        """`review_by`: the teacher has reviewed the short answers submitted up to then."""
        limit = quiz.time_limit_minutes
        minutes = self.rng.uniform(4, 16) if limit is None else self.rng.uniform(0.4, 0.95) * limit
        started = submitted - dt.timedelta(minutes=minutes)
        graded: list[tuple[QuestionPlan, GradedResponse]] = []
        for plan in self.catalog.plans[quiz.pk]:
            knows_it = self.rng.random() < min(0.99, ability * KIND_EASE[plan.kind])
            graded.append((plan, plan.correct if knows_it else self.rng.choice(plan.wrong)))
        penalty = late_penalty_percent(assignment=assignment, submitted_at=submitted)
        attempt = Attempt(
            assignment=assignment,
            student_id=student_id,
            number=number,
            started_at=started,
            deadline=None if limit is None else started + dt.timedelta(minutes=limit),
            submitted_at=submitted,
            snapshot=self.catalog.snapshots[quiz.pk],
            late_penalty_percent=penalty,
        )
        _set_scores(attempt, [option.grade for _, option in graded])
        draft = AttemptDraft(attempt=attempt, answers=[], graded=graded, title=quiz.title)
        reviewed_at = submitted + dt.timedelta(hours=self.rng.uniform(4, 40))
        reviewed = attempt.status == AttemptStatus.SUBMITTED and reviewed_at < review_by
        before = attempt_scores_of(attempt)
        for plan, option in graded:
            grade = option.grade
            if reviewed and grade.needs_review:
                draft.reviews.append(Review(question_key=plan.key, at=reviewed_at, attempt_scores_before=before))
                row: AnswerRow = (
                    plan.key,
                    plan.key,
                    option.response,
                    False,
                    ZERO,
                    False,
                    REVIEW_FEEDBACK,
                    GradedBy.EDUCATOR,
                    "",
                    submitted,
                )
            else:
                row = (
                    plan.key,
                    plan.key,
                    option.response,
                    grade.is_correct,
                    grade.points_awarded,
                    grade.needs_review,
                    grade.feedback,
                    GradedBy.AUTO,
                    "",
                    submitted,
                )
            draft.answers.append(row)
        if reviewed:
            # The teacher's zero stands in for the review: the scores stay, the attempt is graded.
            attempt.status = AttemptStatus.GRADED
        return draft

    def _in_progress(self, assignment: Assignment, quiz: Quiz, student_id: int, ability: float) -> AttemptDraft:
        limit = quiz.time_limit_minutes or 45
        started = self.now - dt.timedelta(minutes=self.rng.uniform(2, max(3, limit - 3)))
        plans = self.catalog.plans[quiz.pk]
        answered = plans[: self.rng.randint(1, len(plans) - 1)]
        saved = [
            (plan, plan.correct if self.rng.random() < ability else self.rng.choice(plan.wrong)) for plan in answered
        ]
        attempt = Attempt(
            assignment=assignment,
            student_id=student_id,
            number=1,
            status=AttemptStatus.IN_PROGRESS,
            started_at=started,
            deadline=None if quiz.time_limit_minutes is None else started + dt.timedelta(minutes=limit),
            snapshot=self.catalog.snapshots[quiz.pk],
        )
        # Autosaved, not yet graded: a response and nothing else, as `attempt_save_answer` leaves it.
        answers: list[AnswerRow] = [
            (plan.key, plan.key, option.response, None, None, False, "", GradedBy.AUTO, "", self.now)
            for plan, option in saved
        ]
        return AttemptDraft(attempt=attempt, answers=answers, graded=[], title=quiz.title)

    def lessons_of(self, student_id: int, script: StudentScript | None) -> list[LessonProgress]:
        rows = []
        diligence = script.ability if script else self.rng.uniform(0.6, 1.0)
        for assignment in self.assignments:
            lesson = assignment.lesson
            if lesson is None or assignment.available_from > self.now or (student_id, lesson.pk) in self.lessons_seen:
                continue
            self.lessons_seen.add((student_id, lesson.pk))
            is_open = assignment.due_at > self.now
            roll = self.rng.random()
            if roll < (0.45 if is_open else 0.8) * diligence + (0 if is_open else 0.15):
                done_at = _between(
                    self.rng, assignment.available_from + dt.timedelta(hours=2), min(self.now, assignment.due_at)
                )
                seconds = int(lesson.estimated_minutes * 60 * self.rng.uniform(0.7, 1.4))
                rows.append(_progress(student_id, lesson, 100, seconds, done_at, completed=True))
                self.ledger.lesson_completed(student_id=student_id, lesson_id=lesson.pk, title=lesson.title, at=done_at)
            elif roll < 0.95:
                seen_at = _between(self.rng, assignment.available_from + dt.timedelta(hours=2), self.now)
                seconds = int(lesson.estimated_minutes * 60 * self.rng.uniform(0.1, 0.6))
                rows.append(_progress(student_id, lesson, self.rng.randint(15, 85), seconds, seen_at, completed=False))
        return rows

    def _notify_missing(self, student_id: int, assignment: Assignment, quiz: Quiz) -> None:
        if assignment.due_at < self.now - RECENT:
            return
        at = assignment.due_at + dt.timedelta(hours=12)
        self.ledger.notify(
            user_id=student_id,
            kind="work_missing",
            message=f"“{quiz.title}” for {self.classroom.name} was due and has not been handed in.",
            link="/student/",
            dedupe_key=f"missing:{assignment.pk}",
            at=at,
        )
        for parent_id in self.parents_of.get(student_id, []):
            self.ledger.notify(
                user_id=parent_id,
                kind="child_work_missing",
                message=f"Missing work: “{quiz.title}” for {self.classroom.name} was not handed in.",
                link="/parent/",
                dedupe_key=f"child-missing:{assignment.pk}:{student_id}",
                at=at,
            )

    def notify_due_soon(self, roster: list[int]) -> None:
        upcoming = [a for a in self.assignments if a.available_from <= self.now < a.due_at]
        if not upcoming:
            return
        soonest = upcoming[0]
        title = soonest.quiz.title if soonest.quiz else soonest.lesson.title if soonest.lesson else ""
        local_due = soonest.due_at.astimezone(zoneinfo.ZoneInfo(self.classroom.school.time_zone))
        for student_id in roster:
            self.ledger.notify(
                user_id=student_id,
                kind="assignment_due",
                message=f"“{title}” for {self.classroom.name} is due {local_due:%A %B %-d at %-I:%M %p}.",
                link="/student/",
                dedupe_key=f"due:{soonest.pk}:{local_due:%Y-%m-%d}",
                at=max(soonest.available_from, self.now - dt.timedelta(hours=3)),
            )


def _set_scores(attempt: Attempt, grades: list[GradeResult]) -> None:
    """`attempt_scores_compute` without Answer objects: the same scores and status."""
    scores = attempt_scores(
        questions=attempt.snapshot["questions"],
        points_awarded=[grade.points_awarded for grade in grades],
        late_penalty_percent=attempt.late_penalty_percent,
    )
    attempt.raw_score = scores.raw_score
    attempt.max_score = scores.max_score
    attempt.final_score = scores.final_score
    attempt.final_percent = scores.final_percent
    attempt.status = AttemptStatus.SUBMITTED if any(grade.needs_review for grade in grades) else AttemptStatus.GRADED


def attempt_scores_of(attempt: Attempt) -> dict[str, str]:
    """An attempt's scores as `grade_override` records them in its audit row."""
    return {
        "raw_score": str(attempt.raw_score),
        "final_score": str(attempt.final_score),
        "final_percent": str(attempt.final_percent),
    }


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def _progress(
    student_id: int, lesson: Lesson, percent_done: int, seconds: int, at: dt.datetime, *, completed: bool
) -> LessonProgress:
    return LessonProgress(
        student_id=student_id,
        lesson=lesson,
        percent=percent_done,
        time_spent_seconds=seconds,
        started_at=at - dt.timedelta(seconds=seconds),
        updated_at=at,
        completed_at=at if completed else None,
    )
