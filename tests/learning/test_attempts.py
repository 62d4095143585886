from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from tests.factories import (
    AssignmentFactory,
    ChoiceFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    LearningObjectiveFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
)
from tests.learning.conftest import quiz_with_every_kind, right_response, wrong_response
from tests.learning.quiz_sizes import single_choice_response
from toolbox.accounts.models import AuditEvent, School, User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.content.models import Choice, Question, QuestionKind, Quiz
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    GradedBy,
    GradeOverride,
    Mastery,
    Notification,
    StudentBadge,
    StudentStats,
    XPEvent,
)
from toolbox.learning.services import (
    attempt_regrade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    attempts_submit_expired,
    grade_override,
    quiz_regrade,
)
from toolbox.learning.services import attempts as attempts_module
from toolbox.learning.tasks import submit_expired_attempts

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _answer_all(student: User, attempt: Attempt, respond: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=respond(question))


def _question(attempt: Attempt, kind: str) -> dict[str, Any]:
    return next(question for question in attempt.snapshot["questions"] if question["kind"] == kind)


def _dated_assignment(classroom: Classroom, quiz: Quiz, **fields: Any) -> Assignment:
    fields.setdefault("available_from", T0)
    fields.setdefault("due_at", T0 + dt.timedelta(days=7))
    return AssignmentFactory(classroom=classroom, quiz=quiz, **fields)


# --- starting ---------------------------------------------------------------------------------


def test_start_records_a_snapshot_of_the_quiz_and_is_idempotent(student: User, assignment: Assignment) -> None:
    attempt = attempt_start(student=student, assignment=assignment)

    assert attempt.number == 1
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert [question["kind"] for question in attempt.snapshot["questions"]] == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numeric",
        "ordering",
    ]
    assert attempt.deadline is None
    assert attempt_start(student=student, assignment=assignment).pk == attempt.pk
    assert Attempt.objects.count() == 1


def test_ordering_items_are_shuffled_but_keep_their_positions(student: User, assignment: Assignment) -> None:
    orders = set()
    for _ in range(8):
        attempt = attempt_start(student=student, assignment=assignment)
        ordering = _question(attempt, "ordering")
        assert sorted(choice["position"] for choice in ordering["choices"]) == [0, 1, 2, 3]
        orders.add(tuple(choice["id"] for choice in ordering["choices"]))
        Attempt.objects.filter(pk=attempt.pk).delete()
    assert len(orders) > 1


def test_shuffled_quizzes_hold_every_question_once(student: User, classroom: Classroom, school: School) -> None:
    quiz = quiz_with_every_kind(school, shuffle_questions=True, max_attempts=20)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    question_ids = set(Question.objects.filter(quiz=quiz).values_list("pk", flat=True))
    sequences = set()
    for _ in range(6):
        attempt = attempt_start(student=student, assignment=assignment)
        ids = [question["id"] for question in attempt.snapshot["questions"]]
        assert set(ids) == question_ids
        assert len(ids) == len(question_ids)
        sequences.add(tuple(ids))
        attempt_submit(student=student, attempt=attempt)
    assert len(sequences) > 1


def test_start_before_the_work_opens_is_refused(student: User, classroom: Classroom, quiz: Quiz) -> None:
    assignment = _dated_assignment(classroom, quiz)
    with time_machine.travel(T0 - dt.timedelta(minutes=1), tick=False), pytest.raises(ConflictError, match="opens"):
        attempt_start(student=student, assignment=assignment)
    assert not Attempt.objects.exists()


def test_start_after_the_due_date_depends_on_the_late_policy(
    student: User, classroom: Classroom, quiz: Quiz, school: School
) -> None:
    strict = _dated_assignment(classroom, quiz, accept_late=False)
    lenient = _dated_assignment(
        classroom, quiz_with_every_kind(school), accept_late=True, close_at=T0 + dt.timedelta(days=9)
    )
    with time_machine.travel(T0 + dt.timedelta(days=8), tick=False):
        with pytest.raises(ConflictError, match="does not accept late work"):
            attempt_start(student=student, assignment=strict)
        late = attempt_start(student=student, assignment=lenient)
        assert late.deadline == T0 + dt.timedelta(days=9)
    with time_machine.travel(T0 + dt.timedelta(days=9), tick=False):
        assert attempt_submit(student=student, attempt=late).submitted_by_server is True
        with pytest.raises(ConflictError, match="closed"):
            attempt_start(student=student, assignment=lenient)
    assert Attempt.objects.filter(assignment=strict).count() == 0


def test_the_time_limit_sets_the_deadline_capped_by_the_closing_date(
    student: User, classroom: Classroom, school: School
) -> None:
    quiz = quiz_with_every_kind(school, time_limit_minutes=30)
    roomy = _dated_assignment(classroom, quiz)
    tight = _dated_assignment(classroom, quiz, close_at=T0 + dt.timedelta(days=7, minutes=10))
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        assert attempt_start(student=student, assignment=roomy).deadline == T0 + dt.timedelta(hours=1, minutes=30)
    with time_machine.travel(T0 + dt.timedelta(days=7), tick=False):
        assert attempt_start(student=student, assignment=tight).deadline == T0 + dt.timedelta(days=7, minutes=10)


def test_the_attempt_limit_holds(student: User, classroom: Classroom, school: School) -> None:
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school, max_attempts=2))
    for _ in range(2):
        attempt_submit(student=student, attempt=attempt_start(student=student, assignment=assignment))
    with pytest.raises(ConflictError, match="all 2 attempts"):
        attempt_start(student=student, assignment=assignment)
    assert list(Attempt.objects.values_list("number", flat=True)) == [1, 2]


def test_students_outside_the_class_cannot_start(assignment: Assignment, school: School) -> None:
    outsider = StudentFactory(school=school)
    with pytest.raises(NotFoundError):
        attempt_start(student=outsider, assignment=assignment)
    with pytest.raises(NotFoundError):
        attempt_start(student=assignment.classroom.owner, assignment=assignment)
    assert not Attempt.objects.exists()


def test_a_quiz_without_questions_cannot_be_started(student: User, classroom: Classroom, school: School) -> None:
    empty = AssignmentFactory(classroom=classroom, quiz__school=school)
    with pytest.raises(ConflictError, match="no questions"):
        attempt_start(student=student, assignment=empty)


# --- saving answers ---------------------------------------------------------------------------


def test_saving_twice_keeps_one_answer_with_the_latest_response(student: User, assignment: Assignment) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    numeric = _question(attempt, "numeric")
    attempt_save_answer(student=student, attempt=attempt, question_id=numeric["id"], response={"value": "1"})
    answer = attempt_save_answer(student=student, attempt=attempt, question_id=numeric["id"], response={"value": 3.1})

    assert Answer.objects.get(attempt=attempt).pk == answer.pk
    assert answer.response == {"value": "3.1"}
    assert answer.question_id == numeric["id"]
    assert answer.is_correct is None


@pytest.mark.parametrize(
    ("kind", "response"),
    [
        ("single_choice", {"choice_id": 999_999}),
        ("single_choice", {"choice_ids": []}),
        ("multiple_choice", {"choice_ids": "all"}),
        ("numeric", {"value": "3,14"}),
        ("ordering", {"order": [1, 2]}),
        ("short_answer", ["nucleus"]),
    ],
)
def test_invalid_answers_are_refused_and_keep_the_saved_one(
    student: User, assignment: Assignment, kind: str, response: Any
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    question = _question(attempt, kind)
    attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=right_response(question))

    with pytest.raises(InvalidInputError, match=question["prompt"][:20]):
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=response)
    assert Answer.objects.get(attempt=attempt).response == right_response(question)


def test_saving_to_a_question_outside_the_attempt_or_someone_elses_attempt(
    student: User, assignment: Assignment, classroom: Classroom
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    with pytest.raises(InvalidInputError, match="not part of this attempt"):
        attempt_save_answer(student=student, attempt=attempt, question_id=999_999, response={"text": "x"})
    other = EnrollmentFactory(classroom=classroom).student
    question = attempt.snapshot["questions"][0]
    with pytest.raises(NotFoundError):
        attempt_save_answer(
            student=other, attempt=attempt, question_id=question["id"], response=right_response(question)
        )
    assert not Answer.objects.exists()


def test_no_saving_after_submit(student: User, assignment: Assignment) -> None:
    attempt = attempt_submit(student=student, attempt=attempt_start(student=student, assignment=assignment))
    question = attempt.snapshot["questions"][0]
    with pytest.raises(ConflictError, match="submitted"):
        attempt_save_answer(
            student=student, attempt=attempt, question_id=question["id"], response=right_response(question)
        )
    assert Answer.objects.get(attempt=attempt, question_key=question["id"]).response is None


def test_a_student_removed_from_the_class_can_no_longer_save(
    student: User, assignment: Assignment, classroom: Classroom
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    single = _question(attempt, "single_choice")
    Enrollment.objects.filter(classroom=classroom, student=student).update(status=EnrollmentStatus.REMOVED)

    with pytest.raises(ConflictError, match="no longer in this class"):
        attempt_save_answer(
            student=student,
            attempt=attempt,
            question_id=single["id"],
            response={"choice_id": single["choices"][0]["id"]},
        )
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_saving_after_the_time_limit_submits_what_was_saved(
    student: User, classroom: Classroom, school: School
) -> None:
    assignment = _dated_assignment(classroom, quiz_with_every_kind(school, time_limit_minutes=20))
    with time_machine.travel(T0, tick=False):
        attempt = attempt_start(student=student, assignment=assignment)
        first, second = attempt.snapshot["questions"][:2]
        attempt_save_answer(student=student, attempt=attempt, question_id=first["id"], response=right_response(first))
    with (
        time_machine.travel(T0 + dt.timedelta(minutes=21), tick=False),
        pytest.raises(ConflictError, match="Time is up"),
    ):
        attempt_save_answer(student=student, attempt=attempt, question_id=second["id"], response=right_response(second))

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.submitted_by_server is True
    assert attempt.submitted_at == T0 + dt.timedelta(minutes=20)
    assert attempt.raw_score == Decimal("1.00")
    assert Answer.objects.get(attempt=attempt, question_key=second["id"]).response is None


# --- submitting and grading -------------------------------------------------------------------


def test_a_perfect_submit_grades_every_kind(student: User, assignment: Assignment) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)
    attempt = attempt_submit(student=student, attempt=attempt, idempotency_key="key-1")

    assert attempt.status == AttemptStatus.GRADED
    assert (attempt.raw_score, attempt.max_score, attempt.final_score) == (Decimal(6), Decimal(6), Decimal(6))
    assert attempt.final_percent == Decimal("100.00")
    assert attempt.idempotency_key == "key-1"
    assert set(Answer.objects.filter(attempt=attempt).values_list("is_correct", flat=True)) == {True}


def test_wrong_and_missing_answers_score_nothing(student: User, assignment: Assignment) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        if question["kind"] not in ("short_answer", "numeric"):
            attempt_save_answer(
                student=student, attempt=attempt, question_id=question["id"], response=wrong_response(question)
            )
    attempt = attempt_submit(student=student, attempt=attempt)

    assert attempt.raw_score == Decimal("0.00")
    assert attempt.final_percent == Decimal("0.00")
    assert Answer.objects.filter(attempt=attempt).count() == 6
    assert Answer.objects.filter(attempt=attempt, response__isnull=True).count() == 2


def test_an_unmatched_short_answer_waits_for_review(student: User, assignment: Assignment) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)
    short = _question(attempt, "short_answer")
    attempt_save_answer(student=student, attempt=attempt, question_id=short["id"], response={"text": "the nuclei"})
    attempt = attempt_submit(student=student, attempt=attempt)

    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.raw_score == Decimal("5.00")
    assert Answer.objects.get(attempt=attempt, question_key=short["id"]).needs_review is True


def test_submitting_twice_grades_once(student: User, assignment: Assignment) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)
    first = attempt_submit(student=student, attempt=attempt, idempotency_key="abc")
    again = attempt_submit(student=student, attempt=attempt, idempotency_key="abc")
    other_key = attempt_submit(student=student, attempt=attempt, idempotency_key="other")

    assert first.pk == again.pk == other_key.pk
    assert again.submitted_at == first.submitted_at
    assert again.idempotency_key == "abc"
    assert XPEvent.objects.filter(student=student, source=f"attempt:{attempt.pk}").count() == 1


def test_only_the_student_may_submit(student: User, assignment: Assignment, classroom: Classroom) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    with pytest.raises(NotFoundError):
        attempt_submit(student=EnrollmentFactory(classroom=classroom).student, attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("submitted_after_due", "penalty"),
    [
        (dt.timedelta(0), Decimal("0")),
        (dt.timedelta(seconds=1), Decimal("10")),
        (dt.timedelta(hours=24), Decimal("10")),
        (dt.timedelta(hours=24, seconds=1), Decimal("20")),
        (dt.timedelta(days=3, hours=2), Decimal("40")),
        (dt.timedelta(days=30), Decimal("50")),
    ],
)
def test_late_penalty_is_whole_days_late_times_the_daily_rate_capped(
    student: User, classroom: Classroom, quiz: Quiz, submitted_after_due: dt.timedelta, penalty: Decimal
) -> None:
    assignment = _dated_assignment(classroom, quiz)
    with time_machine.travel(T0 + dt.timedelta(days=6), tick=False):
        attempt = attempt_start(student=student, assignment=assignment)
        _answer_all(student, attempt, right_response)
    with time_machine.travel(assignment.due_at + submitted_after_due, tick=False):
        attempt = attempt_submit(student=student, attempt=attempt)

    assert attempt.late_penalty_percent == penalty
    assert attempt.raw_score == Decimal("6.00")
    assert attempt.final_score == (Decimal(6) * (100 - penalty) / 100).quantize(Decimal("0.01"))
    assert attempt.final_percent == (100 - penalty)


def test_the_penalty_uses_the_assignments_rates(student: User, classroom: Classroom, quiz: Quiz) -> None:
    assignment = _dated_assignment(
        classroom, quiz, late_penalty_percent_per_day=Decimal("7.5"), max_late_penalty_percent=Decimal("20")
    )
    with time_machine.travel(T0 + dt.timedelta(days=7, hours=30), tick=False):
        attempt = attempt_start(student=student, assignment=assignment)
        _answer_all(student, attempt, right_response)
        attempt = attempt_submit(student=student, attempt=attempt)
    assert attempt.late_penalty_percent == Decimal("15")
    assert attempt.final_score == Decimal("5.10")


def test_when_late_work_is_refused_the_server_submits_at_the_due_time(
    student: User, classroom: Classroom, quiz: Quiz
) -> None:
    assignment = _dated_assignment(classroom, quiz, accept_late=False)
    with time_machine.travel(T0 + dt.timedelta(days=6), tick=False):
        attempt = attempt_start(student=student, assignment=assignment)
        _answer_all(student, attempt, right_response)
    with time_machine.travel(T0 + dt.timedelta(days=9), tick=False):
        attempt = attempt_submit(student=student, attempt=attempt)

    assert attempt.submitted_by_server is True
    assert attempt.submitted_at == assignment.due_at
    assert attempt.late_penalty_percent == Decimal("0")
    assert attempt.final_percent == Decimal("100.00")


def test_the_sweeper_submits_expired_attempts_once(student: User, classroom: Classroom, school: School) -> None:
    assignment = _dated_assignment(classroom, quiz_with_every_kind(school, time_limit_minutes=10))
    with time_machine.travel(T0, tick=False):
        attempt = attempt_start(student=student, assignment=assignment)
        _answer_all(student, attempt, right_response)
        assert attempts_submit_expired() == 0
    with time_machine.travel(T0 + dt.timedelta(minutes=11), tick=False):
        assert attempts_submit_expired() == 1
        assert attempts_submit_expired() == 0

    attempt.refresh_from_db()
    assert attempt.submitted_by_server is True
    assert attempt.submitted_at == T0 + dt.timedelta(minutes=10)
    assert attempt.final_percent == Decimal("100.00")


def test_starting_again_after_expiry_submits_the_old_attempt_first(
    student: User, classroom: Classroom, school: School
) -> None:
    assignment = _dated_assignment(classroom, quiz_with_every_kind(school, time_limit_minutes=10))
    with time_machine.travel(T0, tick=False):
        first = attempt_start(student=student, assignment=assignment)
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        second = attempt_start(student=student, assignment=assignment)
    first.refresh_from_db()
    assert first.status == AttemptStatus.GRADED
    assert (second.number, second.status) == (2, AttemptStatus.IN_PROGRESS)


def test_a_submit_that_fails_midway_leaves_the_attempt_as_it_was_and_a_retry_grades_once(
    student: User, assignment: Assignment, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)

    def connection_lost(**kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(attempts_module, "attempt_rewards_grant", connection_lost)
        with pytest.raises(OperationalError):
            attempt_submit(student=student, attempt=attempt, idempotency_key="retry-me")

    attempt.refresh_from_db()
    assert (attempt.status, attempt.submitted_at, attempt.raw_score) == (AttemptStatus.IN_PROGRESS, None, None)
    assert set(Answer.objects.filter(attempt=attempt).values_list("is_correct", flat=True)) == {None}
    assert not Mastery.objects.exists()
    assert not XPEvent.objects.exists()

    retried = attempt_submit(student=student, attempt=attempt, idempotency_key="retry-me")
    assert attempt_submit(student=student, attempt=attempt, idempotency_key="retry-me").pk == retried.pk
    assert (retried.status, retried.final_percent) == (AttemptStatus.GRADED, Decimal("100.00"))
    assert XPEvent.objects.filter(source=f"attempt:{attempt.pk}").count() == 1


def test_the_periodic_task_submits_expired_attempts(student: User, classroom: Classroom, school: School) -> None:
    assignment = _dated_assignment(classroom, quiz_with_every_kind(school, time_limit_minutes=5))
    with time_machine.travel(T0, tick=False):
        attempt_start(student=student, assignment=assignment)
    with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
        assert submit_expired_attempts() == 1
    assert Attempt.objects.get().submitted_by_server is True


# --- snapshots, regrades and overrides --------------------------------------------------------


def _fix_single_choice_key(quiz: Quiz) -> None:
    """Swap which choice is right in the single-choice question, as an editor fixing a key."""
    question = Question.objects.get(quiz=quiz, kind=QuestionKind.SINGLE_CHOICE)
    for choice in Choice.objects.filter(question=question):
        choice.is_correct = not choice.is_correct
        choice.save()
    Question.objects.filter(pk=question.pk).update(prompt="Edited prompt")


def test_editing_the_quiz_never_changes_a_recorded_attempt(
    student: User, assignment: Assignment, quiz: Quiz, educator: User
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)
    attempt = attempt_submit(student=student, attempt=attempt)
    _fix_single_choice_key(quiz)

    regraded = attempt_regrade(actor=educator, attempt=attempt)

    assert regraded.raw_score == Decimal("6.00")
    assert _question(regraded, "single_choice")["prompt"] == "Which organelle makes energy?"
    assert AuditEvent.objects.filter(action="attempt.regrade").count() == 1


def test_quiz_regrade_applies_a_fixed_key_to_every_attempt_but_keeps_overrides(
    student: User, assignment: Assignment, quiz: Quiz, educator: User, classroom: Classroom
) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)
    attempt = attempt_submit(student=student, attempt=attempt)
    other_student = EnrollmentFactory(classroom=classroom).student
    other = attempt_start(student=other_student, assignment=assignment)
    _answer_all(other_student, other, right_response)
    other = attempt_submit(student=other_student, attempt=other)
    single = _question(other, "single_choice")
    kept = Answer.objects.get(attempt=other, question_key=single["id"])
    grade_override(actor=educator, answer=kept, points=Decimal("1"), reason="Accepted after discussion")
    _fix_single_choice_key(quiz)

    assert quiz_regrade(actor=educator, quiz=quiz) == 2

    attempt.refresh_from_db()
    other.refresh_from_db()
    assert attempt.raw_score == Decimal("5.00")
    assert _question(attempt, "single_choice")["prompt"] == "Which organelle makes energy?"
    assert other.raw_score == Decimal("6.00")
    assert XPEvent.objects.filter(student=student, source=f"attempt:{attempt.pk}").count() == 1


def test_quiz_regrade_is_for_the_schools_educators(quiz: Quiz, student: User) -> None:
    with pytest.raises(NotFoundError):
        quiz_regrade(actor=student, quiz=quiz)
    with pytest.raises(NotFoundError):
        quiz_regrade(actor=EducatorFactory(), quiz=quiz)


def _submitted_with_review(student: User, assignment: Assignment) -> tuple[Attempt, Answer]:
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)
    short = _question(attempt, "short_answer")
    attempt_save_answer(student=student, attempt=attempt, question_id=short["id"], response={"text": "the nuclei"})
    attempt = attempt_submit(student=student, attempt=attempt)
    return attempt, Answer.objects.get(attempt=attempt, question_key=short["id"])


def test_an_override_is_audited_and_rescores_the_attempt(student: User, assignment: Assignment, educator: User) -> None:
    attempt, answer = _submitted_with_review(student, assignment)

    answer = grade_override(
        actor=educator, answer=answer, points=Decimal("1"), reason="Plural is fine", feedback="Good enough"
    )

    attempt.refresh_from_db()
    assert (answer.points_awarded, answer.is_correct, answer.needs_review) == (Decimal("1.00"), True, False)
    assert answer.graded_by == GradedBy.EDUCATOR
    assert answer.feedback == "Good enough"
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.raw_score == Decimal("6.00")
    override = GradeOverride.objects.get()
    assert (override.changed_by, override.old_score, override.new_score, override.reason) == (
        educator,
        Decimal("0.00"),
        Decimal("1.00"),
        "Plural is fine",
    )
    assert override.changed_at is not None
    event = AuditEvent.objects.get(action="grade.override")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["raw_score"], event.after["raw_score"]) == ("5.00", "6.00")
    assert StudentBadge.objects.filter(student=student, badge__code="perfect_score").exists()


def test_confirming_the_ai_suggestion_is_recorded_as_such(
    student: User, assignment: Assignment, educator: User
) -> None:
    _, answer = _submitted_with_review(student, assignment)
    Answer.objects.filter(pk=answer.pk).update(ai_suggested_points=Decimal("0.50"))
    answer = grade_override(actor=educator, answer=answer, points=Decimal("0.5"), reason="AI suggestion is fair")
    assert answer.graded_by == GradedBy.AI_SUGGESTED
    assert answer.is_correct is False


@pytest.mark.parametrize(
    ("points", "reason", "error"),
    [
        (Decimal("1"), "   ", InvalidInputError),
        (Decimal("1.5"), "Too generous", InvalidInputError),
        (Decimal("-1"), "Negative", InvalidInputError),
        ("lots", "Not a number", InvalidInputError),
    ],
)
def test_bad_overrides_change_nothing(
    student: User, assignment: Assignment, educator: User, points: Any, reason: str, error: type[Exception]
) -> None:
    attempt, answer = _submitted_with_review(student, assignment)
    with pytest.raises(error):
        grade_override(actor=educator, answer=answer, points=points, reason=reason)
    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert (answer.points_awarded, answer.needs_review, attempt.raw_score) == (Decimal("0.00"), True, Decimal("5.00"))
    assert not GradeOverride.objects.exists()


def test_only_teachers_of_the_class_or_admins_override(
    student: User, assignment: Assignment, school: School, admin_user: User
) -> None:
    _, answer = _submitted_with_review(student, assignment)
    with pytest.raises(ForbiddenError):
        grade_override(actor=student, answer=answer, points=Decimal("1"), reason="I think so")
    with pytest.raises(NotFoundError):
        grade_override(actor=EducatorFactory(school=school), answer=answer, points=Decimal("1"), reason="Hmm")
    assert not GradeOverride.objects.exists()
    grade_override(actor=admin_user, answer=answer, points=Decimal("1"), reason="Appeal upheld")
    assert GradeOverride.objects.count() == 1


def test_an_attempt_in_progress_has_no_grade_to_override(student: User, assignment: Assignment, educator: User) -> None:
    attempt = attempt_start(student=student, assignment=assignment)
    question = attempt.snapshot["questions"][0]
    answer = attempt_save_answer(
        student=student, attempt=attempt, question_id=question["id"], response=right_response(question)
    )
    with pytest.raises(ConflictError):
        grade_override(actor=educator, answer=answer, points=Decimal("1"), reason="Early")
    with pytest.raises(ConflictError):
        attempt_regrade(actor=educator, attempt=attempt)


# --- concurrency (PostgreSQL) -----------------------------------------------------------------


def _run_at_once(count: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            result = work()
            with lock:
                results.append(result)
        except BaseException as error:  # noqa: BLE001 (collected and asserted on by the test)
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_starts_open_one_attempt() -> None:
    classroom = ClassroomFactory()
    student = EnrollmentFactory(classroom=classroom).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(classroom.school))

    results, errors = _run_at_once(10, lambda: attempt_start(student=student, assignment=assignment).pk)

    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.filter(student=student).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_start_and_submit_cycles_never_exceed_the_limit() -> None:
    classroom = ClassroomFactory()
    student = EnrollmentFactory(classroom=classroom).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(classroom.school, max_attempts=3))

    def start_and_submit_until_refused() -> str:
        while True:
            try:
                attempt = attempt_start(student=student, assignment=assignment)
            except ConflictError as refusal:
                return refusal.message
            attempt_submit(student=student, attempt=attempt)

    results, errors = _run_at_once(10, start_and_submit_until_refused)

    assert errors == []
    assert set(results) == {"You have used all 3 attempts at this quiz."}
    assert sorted(Attempt.objects.filter(student=student).values_list("number", flat=True)) == [1, 2, 3]
    assert not Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_attempt_grade_once() -> None:
    classroom = ClassroomFactory()
    student = EnrollmentFactory(classroom=classroom).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(classroom.school))
    attempt = attempt_start(student=student, assignment=assignment)
    _answer_all(student, attempt, right_response)

    results, errors = _run_at_once(
        20, lambda: attempt_submit(student=student, attempt=attempt, idempotency_key="same-key")
    )

    assert errors == []
    assert {(result.pk, result.submitted_at, result.final_score) for result in results} == {
        (attempt.pk, results[0].submitted_at, Decimal("6.00"))
    }
    assert XPEvent.objects.filter(student=student, source=f"attempt:{attempt.pk}").count() == 1
    assert StudentBadge.objects.filter(student=student, badge__code="first_quiz").count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_students_submitting_at_once_lose_nothing() -> None:
    classroom = ClassroomFactory()
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(classroom.school))
    students = [EnrollmentFactory(classroom=classroom).student for _ in range(12)]
    attempts = {}
    for student in students:
        attempts[student.pk] = attempt_start(student=student, assignment=assignment)
        _answer_all(student, attempts[student.pk], right_response)
    pending = list(students)
    lock = threading.Lock()

    def submit_next() -> Attempt:
        with lock:
            student = pending.pop()
        return attempt_submit(student=student, attempt=attempts[student.pk])

    results, errors = _run_at_once(len(students), submit_next)

    assert errors == []
    assert len(results) == len(students)
    assert Attempt.objects.filter(status=AttemptStatus.GRADED, final_percent=100).count() == len(students)
    assert Answer.objects.count() == 6 * len(students)
    assert timezone.now() >= max(result.submitted_at for result in results)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_students_simultaneous_submits_on_shared_objectives_count_every_answer_once() -> None:
    """First answers on the same objectives, all at once: the mastery rows, the stats row
    and the badges are each created once, and every answer, XP award and badge counts once."""
    classroom = ClassroomFactory()
    student = EnrollmentFactory(classroom=classroom).student
    objectives = LearningObjectiveFactory.create_batch(3)
    attempts = []
    for turn in range(8):
        quiz = QuizFactory(school=classroom.school)
        # Each quiz meets the objectives in another order, so that their locks cross.
        for objective in objectives[turn % 3 :] + objectives[: turn % 3]:
            for _ in range(2):
                question = QuestionFactory(quiz=quiz, kind="single_choice", objective=objective, accepted_answers=[])
                ChoiceFactory(question=question, text="Right", is_correct=True, position=0)
                ChoiceFactory(question=question, text="Wrong", position=1)
        attempt = attempt_start(student=student, assignment=AssignmentFactory(classroom=classroom, quiz=quiz))
        _answer_all(student, attempt, lambda question: single_choice_response(question, right=True))
        attempts.append(attempt)
    pending = list(attempts)
    lock = threading.Lock()

    def submit_next() -> Attempt:
        with lock:
            attempt = pending.pop()
        return attempt_submit(student=student, attempt=attempt)

    results, errors = _run_at_once(len(attempts), submit_next)

    assert errors == []
    assert {result.final_percent for result in results} == {Decimal("100.00")}
    mastery = Mastery.objects.filter(student=student)
    assert sorted(mastery.values_list("objective_id", "answers_counted")) == [(o.pk, 16) for o in objectives]
    assert all(row.mastered_at is not None for row in mastery)
    sources = list(XPEvent.objects.filter(student=student).values_list("source", flat=True))
    assert sorted(sources) == sorted(
        [f"attempt:{attempt.pk}" for attempt in attempts] + [f"mastery:{o.pk}" for o in objectives]
    )
    stats = StudentStats.objects.get(student=student)
    assert stats.total_xp == sum(XPEvent.objects.filter(student=student).values_list("amount", flat=True)) == 235
    assert stats.current_streak == 1
    codes = sorted(StudentBadge.objects.filter(student=student).values_list("badge__code", flat=True))
    assert codes == ["first_quiz", "perfect_score"]
    assert Notification.objects.filter(user=student, kind="badge").count() == 2
