"""Changing recorded grades: an educator's override, and regrades from the snapshot.

Regrade rules:
- `attempt_regrade` grades an attempt again from its own snapshot, so editing the quiz never
  changes it. Answers an educator has graded (or whose AI suggestion was confirmed) stand.
- `quiz_regrade` is for a fixed question (a wrong answer key). For every submitted attempt
  at the quiz it takes each question's answer key — correct choices, item order, accepted
  answers, numeric answer and tolerance, points — from the quiz as it is now, keeping the
  wording the student saw, then regrades as above. Choices are matched by id: a choice added
  since was never shown and is left out; questions added since are not added to old attempts
  and questions deleted since keep the key they had.
- Neither changes the late penalty, and XP already granted stays granted (one award per
  source). Mastery counts each answer once: when it was submitted, or, for an answer that
  waited for an educator, when it is first marked.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from toolbox.accounts import permissions
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import User
from toolbox.content.models import Quiz
from toolbox.content.services import quiz_snapshot
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from toolbox.learning.models import Answer, Attempt, AttemptStatus, GradedBy, GradeOverride
from toolbox.learning.services.attempts import (
    CENTS,
    answer_grade_auto,
    attempt_scores_compute,
    snapshot_question,
)
from toolbox.learning.services.gamification import perfect_score_check
from toolbox.learning.services.notifications import notification_create
from toolbox.learning.services.progress import mastery_record_answers

ANSWER_KEY_FIELDS = ("points", "accepted_answers", "numeric_answer", "numeric_tolerance")
CHOICE_KEY_FIELDS = ("is_correct", "position")


def _check_can_grade(actor: User, attempt: Attempt) -> None:
    if permissions.can_grade_attempt(actor, attempt):
        return
    if permissions.can_view_attempt(actor, attempt):
        raise ForbiddenError("Only the teachers of this class can change its grades.")
    raise NotFoundError("That attempt does not exist.")


def _lock_submitted(attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assignment__classroom", "student")
        .get(pk=attempt_id)
    )
    if attempt.status == AttemptStatus.IN_PROGRESS:
        raise ConflictError("This attempt has not been submitted yet, so it has no grade to change.")
    return attempt


def _scores(attempt: Attempt) -> dict[str, str | None]:
    return {
        "raw_score": str(attempt.raw_score),
        "final_score": str(attempt.final_score),
        "final_percent": str(attempt.final_percent),
    }


def _regrade_answers(attempt: Attempt) -> list[Answer]:
    answers = list(Answer.objects.filter(attempt=attempt))
    auto_graded = [answer for answer in answers if answer.graded_by == GradedBy.AUTO]
    for answer in auto_graded:
        answer_grade_auto(answer, snapshot_question(attempt, answer.question_key))
    Answer.objects.bulk_update(auto_graded, ["is_correct", "points_awarded", "needs_review", "feedback", "graded_by"])
    attempt_scores_compute(attempt=attempt, answers=answers)
    attempt.save(update_fields=["raw_score", "max_score", "final_score", "final_percent", "status"])
    perfect_score_check(attempt=attempt)
    return answers


def grade_override(*, actor: User, answer: Answer, points: Decimal, reason: str, feedback: str = "") -> Answer:
    """Set an answer's points by hand, with a reason; keeps an audit row (who, when, old,
    new, why) and recomputes the attempt's scores."""
    reason = reason.strip()
    with transaction.atomic():
        locked_answer = Answer.objects.select_for_update().filter(pk=answer.pk).first()
        if locked_answer is None:
            raise NotFoundError("That answer does not exist.")
        attempt = Attempt.objects.select_related("assignment__classroom", "student").get(pk=locked_answer.attempt_id)
        _check_can_grade(actor, attempt)
        attempt = _lock_submitted(attempt.pk)
        if not reason:
            raise InvalidInputError("Give a reason for changing the grade; it is kept with the change.", field="reason")
        question = snapshot_question(attempt, locked_answer.question_key)
        maximum = Decimal(str(question["points"]))
        try:
            new_points = Decimal(str(points)).quantize(CENTS)
        except (InvalidOperation, ValueError):
            new_points = Decimal("NaN")
        # NaN passes quantize and then raises on comparison, so it is refused here.
        if not new_points.is_finite():
            raise InvalidInputError("Points must be a number.", field="points")
        if not Decimal("0") <= new_points <= maximum:
            raise InvalidInputError(f"Points must be between 0 and {maximum} for this question.", field="points")
        old_points = locked_answer.points_awarded
        first_marking = locked_answer.needs_review
        GradeOverride.objects.create(
            attempt=attempt,
            answer=locked_answer,
            changed_by=actor,
            old_score=old_points,
            new_score=new_points,
            reason=reason,
        )
        confirms_ai = locked_answer.ai_suggested_points is not None and locked_answer.ai_suggested_points == new_points
        locked_answer.points_awarded = new_points
        locked_answer.is_correct = new_points == maximum
        locked_answer.needs_review = False
        locked_answer.graded_by = GradedBy.AI_SUGGESTED if confirms_ai else GradedBy.EDUCATOR
        if feedback.strip():
            locked_answer.feedback = feedback.strip()
        locked_answer.save(update_fields=["points_awarded", "is_correct", "needs_review", "graded_by", "feedback"])
        before = _scores(attempt)
        _regrade_answers(attempt)
        if first_marking:
            # Left out of mastery at submission while it waited for a person; it counts now, once.
            mastery_record_answers(student=attempt.student, questions=[question], answers=[locked_answer])
        audit_record(
            actor=actor,
            action="grade.override",
            target=locked_answer,
            school=attempt.assignment.classroom.school,
            before={"points": str(old_points), **before},
            after={"points": str(new_points), "reason": reason, **_scores(attempt)},
        )
        notification_create(
            user=attempt.student,
            kind="grade",
            message=f"Your teacher updated a grade on “{attempt.snapshot.get('title', 'a quiz')}”.",
            dedupe_key=f"override:{locked_answer.pk}:{GradeOverride.objects.filter(answer=locked_answer).count()}",
        )
        return locked_answer


def attempt_regrade(*, actor: User, attempt: Attempt) -> Attempt:
    """Grade a submitted attempt again from its own snapshot."""
    with transaction.atomic():
        loaded = Attempt.objects.select_related("assignment__classroom", "student").get(pk=attempt.pk)
        _check_can_grade(actor, loaded)
        locked = _lock_submitted(loaded.pk)
        before = _scores(locked)
        _regrade_answers(locked)
        audit_record(
            actor=actor,
            action="attempt.regrade",
            target=locked,
            school=locked.assignment.classroom.school,
            before=before,
            after=_scores(locked),
        )
        return locked


def _refresh_answer_key(question: dict[str, Any], current: dict[str, Any]) -> None:
    for field in ANSWER_KEY_FIELDS:
        question[field] = current[field]
    current_choices = {choice["id"]: choice for choice in current["choices"]}
    for choice in question["choices"]:
        fixed = current_choices.get(choice["id"])
        if fixed is not None:
            for field in CHOICE_KEY_FIELDS:
                choice[field] = fixed[field]


def quiz_regrade(*, actor: User, quiz: Quiz) -> int:
    """After fixing a question's answer key, regrade every submitted attempt at the quiz
    (rules in the module docstring). Returns how many attempts were regraded."""
    if not permissions.can_regrade_quiz(actor, quiz):
        raise NotFoundError("That quiz does not exist.")
    with transaction.atomic():
        current = {question["id"]: question for question in quiz_snapshot(quiz=quiz)["questions"]}
        attempts = list(
            Attempt.objects.select_for_update(of=("self",))
            .select_related("student")
            .filter(assignment__quiz=quiz)
            .exclude(status=AttemptStatus.IN_PROGRESS)
            .order_by("pk")
        )
        for attempt in attempts:
            for question in attempt.snapshot["questions"]:
                if question["id"] in current:
                    _refresh_answer_key(question, current[question["id"]])
            attempt.save(update_fields=["snapshot"])
            _regrade_answers(attempt)
        audit_record(
            actor=actor,
            action="quiz.regrade",
            target=quiz,
            school=quiz.school,
            after={"attempts_regraded": len(attempts)},
        )
        return len(attempts)
