from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tests.factories import AssignmentFactory, LearningObjectiveFactory, SchoolFactory, StudentFactory
from tests.learning.conftest import quiz_with_every_kind, right_response, wrong_response
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.levels import level_for_xp, xp_for_level
from toolbox.learning.models import Answer, Attempt, Badge, Mastery, Notification, StudentBadge, StudentStats, XPEvent
from toolbox.learning.services import (
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    badge_award,
    mastery_next_score,
    notification_create,
    notification_mark_read,
    notifications_mark_all_read,
    streak_record_activity,
    xp_grant,
)
from toolbox.learning.services.progress import mastery_record_answers


def _take_quiz(student: User, classroom: Classroom, respond: Any = right_response) -> Attempt:
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(classroom.school))
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=respond(question))
    return attempt_submit(student=student, attempt=attempt)


# --- levels and XP ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xp", "level"), [(0, 1), (99, 1), (100, 2), (299, 2), (300, 3), (599, 3), (600, 4), (1000, 5), (4950, 10)]
)
def test_level_from_total_xp(xp: int, level: int) -> None:
    assert level_for_xp(xp) == level


def test_levels_and_thresholds_agree() -> None:
    for level in range(1, 60):
        assert level_for_xp(xp_for_level(level)) == level
        assert level_for_xp(xp_for_level(level + 1) - 1) == level


def test_xp_is_granted_once_per_source(student: User) -> None:
    assert xp_grant(student=student, source="lesson:1", amount=15, description="Read") is not None
    assert xp_grant(student=student, source="lesson:1", amount=15, description="Read again") is None
    xp_grant(student=student, source="lesson:2", amount=15, description="Read")

    stats = StudentStats.objects.get(student=student)
    assert stats.total_xp == 30
    assert XPEvent.objects.filter(student=student).count() == 2


def test_a_submitted_quiz_earns_xp_by_score_once(student: User, classroom: Classroom) -> None:
    perfect = _take_quiz(student, classroom)
    nothing = _take_quiz(student, classroom, wrong_response)

    assert XPEvent.objects.get(source=f"attempt:{perfect.pk}").amount == 20
    assert XPEvent.objects.get(source=f"attempt:{nothing.pk}").amount == 10
    attempt_submit(student=student, attempt=perfect)
    assert XPEvent.objects.filter(source__startswith="attempt:").count() == 2


# --- streaks ----------------------------------------------------------------------------------


def test_the_streak_counts_days_in_the_schools_time_zone(db: None) -> None:
    student = StudentFactory(school=SchoolFactory(time_zone="America/Los_Angeles"))
    # 05:30 and 06:30 UTC on 3 March are still the evening of 2 March in Los Angeles.
    monday_evening = dt.datetime(2026, 3, 3, 6, 30, tzinfo=dt.UTC)
    streak_record_activity(student=student, at=monday_evening - dt.timedelta(hours=1))
    stats = streak_record_activity(student=student, at=monday_evening)
    assert (stats.current_streak, stats.last_active_on) == (1, dt.date(2026, 3, 2))

    stats = streak_record_activity(student=student, at=monday_evening + dt.timedelta(hours=20))
    assert (stats.current_streak, stats.longest_streak) == (2, 2)


def test_a_missed_day_restarts_the_streak_but_keeps_the_longest(student: User) -> None:
    start = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    for day in range(3):
        streak_record_activity(student=student, at=start + dt.timedelta(days=day))
    stats = streak_record_activity(student=student, at=start + dt.timedelta(days=5))
    assert (stats.current_streak, stats.longest_streak) == (1, 3)
    stats = streak_record_activity(student=student, at=start + dt.timedelta(days=1))
    assert (stats.current_streak, stats.last_active_on) == (1, dt.date(2026, 3, 7))


def test_five_days_of_quizzes_earn_the_streak_badge_once(student: User, classroom: Classroom) -> None:
    start = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)
    for day in range(6):
        with time_machine.travel(start + dt.timedelta(days=day), tick=False):
            _take_quiz(student, classroom, wrong_response)
        expected = 1 if day >= 4 else 0
        assert StudentBadge.objects.filter(student=student, badge__code="streak_5").count() == expected
    assert StudentStats.objects.get(student=student).current_streak == 6


# --- badges -----------------------------------------------------------------------------------


def test_first_quiz_and_perfect_score_badges_are_awarded_once(student: User, classroom: Classroom) -> None:
    _take_quiz(student, classroom, wrong_response)
    assert set(StudentBadge.objects.filter(student=student).values_list("badge__code", flat=True)) == {"first_quiz"}

    _take_quiz(student, classroom)
    _take_quiz(student, classroom)

    codes = list(StudentBadge.objects.filter(student=student).values_list("badge__code", flat=True))
    assert sorted(codes) == ["first_quiz", "perfect_score"]
    assert Notification.objects.filter(user=student, kind="badge").count() == 2


def test_ten_quizzes_earn_their_badge(student: User, classroom: Classroom) -> None:
    for _ in range(10):
        _take_quiz(student, classroom, wrong_response)
    assert StudentBadge.objects.filter(student=student, badge__code="quizzes_10").exists()


def test_a_blank_attempt_earns_nothing(student: User, classroom: Classroom) -> None:
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(classroom.school))
    attempt = attempt_submit(student=student, attempt=attempt_start(student=student, assignment=assignment))

    assert attempt.final_percent == 0
    assert not XPEvent.objects.exists()
    assert not StudentBadge.objects.exists()
    assert not StudentStats.objects.filter(student=student, current_streak__gt=0).exists()


def test_a_badge_missing_from_the_table_is_recreated_when_awarded(student: User) -> None:
    Badge.objects.filter(code="first_lesson").delete()
    assert badge_award(student=student, code="first_lesson") is not None
    assert badge_award(student=student, code="first_lesson") is None
    assert Badge.objects.get(code="first_lesson").name == "First lesson"


# --- mastery ----------------------------------------------------------------------------------


def test_mastery_is_an_exponentially_weighted_accuracy() -> None:
    score = mastery_next_score(previous_score=0.0, answers_counted=0, correct=True)
    assert score == 1.0
    score = mastery_next_score(previous_score=score, answers_counted=1, correct=False)
    assert score == pytest.approx(0.8 / 1.8)
    # Weights 1, 0.8, 0.64 for the newest three: right, wrong, right.
    score = mastery_next_score(previous_score=score, answers_counted=2, correct=True)
    assert score == pytest.approx((1 + 0.64) / (1 + 0.8 + 0.64))


def _record(student: User, objective_id: int, outcomes: list[bool]) -> None:
    questions = [{"id": index, "objective_id": objective_id} for index in range(len(outcomes))]
    answers = [Answer(question_key=index, is_correct=correct) for index, correct in enumerate(outcomes)]
    mastery_record_answers(student=student, questions=questions, answers=answers)


def test_mastered_after_five_answers_at_085_and_recorded_once(student: User) -> None:
    objective = LearningObjectiveFactory()
    _record(student, objective.pk, [True] * 4)
    mastery = Mastery.objects.get(student=student, objective=objective)
    assert (mastery.score, mastery.mastered_at) == (1.0, None)

    _record(student, objective.pk, [True])
    mastery.refresh_from_db()
    assert mastery.mastered_at is not None
    first_mastered = mastery.mastered_at

    _record(student, objective.pk, [False, False])
    mastery.refresh_from_db()
    assert mastery.score < 0.85
    _record(student, objective.pk, [True] * 6)
    mastery.refresh_from_db()
    assert mastery.mastered_at == first_mastered
    assert XPEvent.objects.filter(student=student, source=f"mastery:{objective.pk}").count() == 1


def test_a_recent_mistake_keeps_mastery_out_of_reach(student: User) -> None:
    objective = LearningObjectiveFactory()
    _record(student, objective.pk, [True, True, True, True, False])
    mastery = Mastery.objects.get(student=student, objective=objective)
    assert mastery.answers_counted == 5
    assert mastery.score < 0.85
    assert mastery.mastered_at is None


def test_answers_awaiting_review_do_not_count_towards_mastery(student: User) -> None:
    objective = LearningObjectiveFactory()
    questions = [{"id": 1, "objective_id": objective.pk}, {"id": 2, "objective_id": objective.pk}]
    answers = [Answer(question_key=1, is_correct=True), Answer(question_key=2, is_correct=False, needs_review=True)]
    mastery_record_answers(student=student, questions=questions, answers=answers)
    assert Mastery.objects.get(student=student, objective=objective).answers_counted == 1


def test_five_objectives_mastered_earn_a_badge(student: User) -> None:
    objectives = LearningObjectiveFactory.create_batch(5)
    for objective in objectives[:4]:
        _record(student, objective.pk, [True] * 5)
    assert not StudentBadge.objects.filter(student=student, badge__code="mastered_5").exists()
    _record(student, objectives[4].pk, [True] * 5)
    assert StudentBadge.objects.filter(student=student, badge__code="mastered_5").count() == 1


def test_a_submitted_quiz_updates_mastery_of_its_objective(student: User, classroom: Classroom) -> None:
    attempt = _take_quiz(student, classroom)
    objective_id = attempt.snapshot["questions"][0]["objective_id"]
    mastery = Mastery.objects.get(student=student, objective_id=objective_id)
    assert mastery.answers_counted == 6
    assert mastery.mastered_at is not None


# --- notifications ----------------------------------------------------------------------------


def test_notifications_are_deduplicated_per_user(student: User, school: Any) -> None:
    first = notification_create(user=student, kind="due", message="Quiz due tomorrow", dedupe_key="due:1:2026-03-02")
    again = notification_create(user=student, kind="due", message="Quiz due tomorrow", dedupe_key="due:1:2026-03-02")
    other = notification_create(
        user=StudentFactory(school=school), kind="due", message="Quiz due tomorrow", dedupe_key="due:1:2026-03-02"
    )
    assert first is not None
    assert again is None
    assert other is not None
    assert Notification.objects.filter(user=student).count() == 1


def test_a_notification_needs_a_message_and_a_key(student: User) -> None:
    with pytest.raises(InvalidInputError):
        notification_create(user=student, kind="due", message="  ", dedupe_key="k")
    with pytest.raises(InvalidInputError):
        notification_create(user=student, kind="due", message="Hello", dedupe_key="")
    assert not Notification.objects.exists()


def test_marking_read_is_for_the_owner_only(student: User, school: Any) -> None:
    notification = notification_create(user=student, kind="due", message="Hello", dedupe_key="k")
    assert notification is not None
    with pytest.raises(NotFoundError):
        notification_mark_read(user=StudentFactory(school=school), notification=notification)
    read = notification_mark_read(user=student, notification=notification)
    assert read.read_at is not None
    assert notification_mark_read(user=student, notification=notification).read_at == read.read_at
    notification_create(user=student, kind="due", message="Hello", dedupe_key="k2")
    assert notifications_mark_all_read(user=student) == 1


def test_the_data_migration_creates_every_badge(db: None) -> None:
    assert set(Badge.objects.values_list("code", flat=True)) >= {
        "first_quiz",
        "perfect_score",
        "streak_5",
        "mastered_5",
        "first_lesson",
        "quizzes_10",
    }
