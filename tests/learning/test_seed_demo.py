"""`seed_demo` fills every table with a consistent, repeatable demo school."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Sum
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.classroom.models import Enrollment
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Question, QuestionKind, Quiz
from toolbox.learning.demo.people import LECTURE_CLASS_NAME
from toolbox.learning.grading import question_grade
from toolbox.learning.levels import level_for_xp
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    Badge,
    GradedBy,
    GradeOverride,
    Mastery,
    Notification,
    StudentBadge,
    StudentStats,
    XPEvent,
)
from toolbox.learning.services.gamification import BADGES, XP_PER_LESSON, XP_PER_OBJECTIVE_MASTERED, quiz_xp
from toolbox.learning.services.progress import MASTERY_DECAY, MASTERY_MIN_ANSWERS, MASTERY_THRESHOLD

pytestmark = pytest.mark.django_db
SEEDED_APPS = ("accounts", "classroom", "content", "learning", "ai")
SNAPSHOT_KEYS = {"quiz_id", "title", "pass_mark_percent", "answer_visibility", "questions"}
QUESTION_KEYS = {
    "id",
    "kind",
    "position",
    "prompt",
    "explanation",
    "hint",
    "points",
    "objective_id",
    "accepted_answers",
    "numeric_answer",
    "numeric_tolerance",
    "choices",
}
CHOICE_KEYS = {"id", "text", "is_correct", "position", "feedback"}
DECIMAL_2 = re.compile(r"^\d+\.\d{2}$")
DECIMAL_6 = re.compile(r"^-?\d+\.\d{6}$")


def seed() -> None:
    call_command("seed_demo", students=10, stdout=open("/dev/null", "w"))  # noqa: SIM115


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in SEEDED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def grade(question: dict[str, Any], response: dict[str, Any]) -> bool:
    """An independent reading of the grading contract in docs, to cross-check the seed (and
    toolbox.learning.grading, which the seed uses) against."""
    kind = question["kind"]
    right = {c["id"] for c in question["choices"] if c["is_correct"]}
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE):
        return response["choice_id"] in right and len(right) == 1
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return set(response["choice_ids"]) == right
    if kind == QuestionKind.SHORT_ANSWER:

        def norm(text: str) -> str:
            return " ".join(text.split()).casefold()

        return norm(response["text"]) in {norm(a) for a in question["accepted_answers"]}
    if kind == QuestionKind.NUMERIC:
        difference = abs(Decimal(str(response["value"])) - Decimal(question["numeric_answer"]))
        return difference <= Decimal(question["numeric_tolerance"])
    in_order = [c["id"] for c in sorted(question["choices"], key=lambda c: c["position"])]
    return response["order"] == in_order


def test_every_table_has_rows_after_a_small_seed() -> None:
    seed()

    empty = [label for label, count in row_counts().items() if count == 0]
    assert empty == []


def test_a_second_run_changes_nothing() -> None:
    seed()
    before = row_counts()
    last_attempt = Attempt.objects.aggregate(Max("id"))["id__max"]

    seed()

    assert row_counts() == before
    assert Attempt.objects.aggregate(Max("id"))["id__max"] == last_attempt


def test_the_demo_student_has_a_rich_history() -> None:
    seed()
    student = User.objects.get(username="student")
    parent = User.objects.get(username="parent")
    attempts = Attempt.objects.filter(student=student)

    assert attempts.filter(status=AttemptStatus.GRADED).count() >= 5
    assert attempts.filter(status=AttemptStatus.IN_PROGRESS).exists()
    assert attempts.filter(late_penalty_percent__gt=0).exists()
    past_quizzes = Assignment.objects.filter(
        classroom__enrollments__student=student, quiz__isnull=False, due_at__lt=timezone.now()
    )
    assert past_quizzes.exclude(attempts__student=student).exists(), "some work is missing"
    assert Mastery.objects.filter(student=student).count() >= 8
    stats = StudentStats.objects.get(student=student)
    assert stats.longest_streak >= 2
    assert level_for_xp(stats.total_xp) >= 2
    earned = set(StudentBadge.objects.filter(student=student).values_list("badge__code", flat=True))
    assert {"first_quiz", "first_lesson"} <= earned
    assert Notification.objects.filter(user=student, kind="badge", dedupe_key="badge:first_quiz").exists()
    assert Notification.objects.filter(user=parent, kind="child_graded").exists()
    assert GradeOverride.objects.filter(attempt__student=student).exists()


def test_every_question_kind_is_published_with_explanations_and_objectives() -> None:
    seed()
    published = Question.objects.filter(quiz__status=ContentStatus.PUBLISHED, quiz__is_practice_bank=False)

    assert set(published.values_list("kind", flat=True)) == set(QuestionKind.values)
    assert not published.filter(explanation="").exists()
    assert not published.filter(hint="").exists()
    assert not published.filter(objective__isnull=True).exists()
    assert Quiz.objects.filter(time_limit_minutes__isnull=False, status=ContentStatus.PUBLISHED).exists()
    assert Quiz.objects.filter(answer_visibility="after_due").exists()
    banks = Quiz.objects.filter(is_practice_bank=True, status=ContentStatus.PUBLISHED)
    assert banks.count() == 3
    per_objective = Question.objects.filter(quiz__in=banks).values("objective").annotate(n=Count("id"))
    assert len(per_objective) == 24
    assert all(row["n"] >= 2 for row in per_objective)


def test_lessons_are_real_material_and_the_review_queue_has_work() -> None:
    seed()
    published = Lesson.objects.filter(status=ContentStatus.PUBLISHED)

    assert set(published.values_list("subject", flat=True)) == {"Science", "Mathematics", "History"}
    for lesson in published:
        words = len(lesson.body_markdown.split())
        assert 300 <= words <= 700, (lesson.title, words)
        assert lesson.objectives.exists()
        assert "<table>" in lesson.body_html
        assert "<script" not in lesson.body_html
    draft = Lesson.objects.get(source=ContentSource.AI)
    assert draft.status == ContentStatus.DRAFT
    assert draft.generation_job is not None
    assert draft.provenance["provider"] == "offline"
    assert draft.prompt_version
    assert Lesson.objects.filter(status=ContentStatus.IN_REVIEW).exists()


def test_snapshots_follow_the_shared_format() -> None:
    seed()

    for attempt in Attempt.objects.all():
        snapshot = attempt.snapshot
        assert set(snapshot) == SNAPSHOT_KEYS
        assert snapshot["quiz_id"] == attempt.assignment.quiz_id
        for question in snapshot["questions"]:
            assert set(question) == QUESTION_KEYS
            assert DECIMAL_2.match(question["points"])
            assert DECIMAL_6.match(question["numeric_tolerance"])
            assert question["numeric_answer"] is None or DECIMAL_6.match(question["numeric_answer"])
            assert isinstance(question["id"], int)
            assert isinstance(question["objective_id"], int)
            for choice in question["choices"]:
                assert set(choice) == CHOICE_KEYS
    question = Question.objects.get(kind=QuestionKind.NUMERIC, prompt__startswith="A cell is 0.02 mm")
    in_snapshot = next(
        q
        for a in Attempt.objects.filter(assignment__quiz=question.quiz)[:1]
        for q in a.snapshot["questions"]
        if q["id"] == question.pk
    )
    assert in_snapshot["numeric_answer"] == "400.000000"


def test_scores_follow_from_the_snapshot_and_the_answers() -> None:
    seed()
    checked = reviewed = 0

    answers_of: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(attempt__submitted_at__isnull=False):
        answers_of.setdefault(answer.attempt_id, []).append(answer)
    overrides_of: dict[int | None, list[Decimal]] = {}
    for answer_id, new_score in GradeOverride.objects.values_list("answer_id", "new_score"):
        overrides_of.setdefault(answer_id, []).append(new_score)

    submitted = Attempt.objects.exclude(status=AttemptStatus.IN_PROGRESS).select_related("assignment")
    for attempt in submitted:
        questions = {q["id"]: q for q in attempt.snapshot["questions"]}
        answers = answers_of[attempt.pk]
        assert {a.question_key for a in answers} == set(questions)
        for answer in answers:
            question = questions[answer.question_key]
            right = grade(question, answer.response)
            assert question_grade(question, answer.response).is_correct is right
            if answer.graded_by == GradedBy.AUTO:
                assert answer.is_correct is right
                assert answer.points_awarded == (Decimal(question["points"]) if right else Decimal(0))
                assert answer.needs_review == (question["kind"] == QuestionKind.SHORT_ANSWER and not right)
                checked += 1
            else:
                assert not right
                assert overrides_of[answer.pk] == [answer.points_awarded]
                reviewed += 1
        assert attempt.status == (
            AttemptStatus.SUBMITTED if any(a.needs_review for a in answers) else AttemptStatus.GRADED
        )
        assert attempt.raw_score == sum(a.points_awarded for a in answers)
        assert attempt.max_score == sum(Decimal(q["points"]) for q in questions.values())
        assert attempt.submitted_at is not None
        assignment = attempt.assignment
        late_days = max(0, math.ceil((attempt.submitted_at - assignment.due_at).total_seconds() / 86400))
        penalty = min(assignment.max_late_penalty_percent, assignment.late_penalty_percent_per_day * late_days)
        assert attempt.late_penalty_percent == penalty
        final = (attempt.raw_score * (100 - penalty) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert attempt.final_score == final
        assert attempt.final_percent == (final * 100 / attempt.max_score).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert checked > 200
    assert reviewed > 0
    assert submitted.filter(status=AttemptStatus.SUBMITTED).exists(), "some short answers await review"
    assert not Answer.objects.filter(attempt__status=AttemptStatus.IN_PROGRESS, is_correct__isnull=False).exists()


def test_mastery_follows_from_the_students_answers() -> None:
    """Mastery counts the answers decided at submission (not those left for the teacher),
    as the weighted accuracy the progress service defines: the newest weighs 1, then 0.8, …"""
    seed()
    student = User.objects.get(username="student2")
    outcomes: dict[int, list[tuple[Any, int, bool]]] = {}
    for answer in Answer.objects.filter(attempt__student=student, attempt__submitted_at__isnull=False).select_related(
        "attempt", "question"
    ):
        assert answer.question is not None
        assert answer.question.objective_id is not None
        question = next(q for q in answer.attempt.snapshot["questions"] if q["id"] == answer.question_key)
        right = grade(question, answer.response)
        if question["kind"] == QuestionKind.SHORT_ANSWER and not right:
            continue
        outcomes.setdefault(answer.question.objective_id, []).append(
            (answer.attempt.submitted_at, answer.question_key, right)
        )

    rows = {row.objective_id: row for row in Mastery.objects.filter(student=student)}
    assert set(rows) == set(outcomes)
    for objective_id, history in outcomes.items():
        row = rows[objective_id]
        ordered = [correct for _, _, correct in sorted(history, key=lambda item: item[0])]
        weights = [MASTERY_DECAY**age for age in range(len(ordered) - 1, -1, -1)]
        expected = sum(w * c for w, c in zip(weights, ordered, strict=True)) / sum(weights)
        assert row.answers_counted == len(ordered)
        assert row.score == pytest.approx(expected, abs=1e-9)
        if row.score >= MASTERY_THRESHOLD and row.answers_counted >= MASTERY_MIN_ANSWERS:
            assert row.mastered_at is not None
        if row.mastered_at is None:
            assert row.answers_counted < MASTERY_MIN_ANSWERS or row.score < MASTERY_THRESHOLD


def test_xp_badges_and_stats_follow_the_gamification_rules() -> None:
    seed()

    assert set(Badge.objects.values_list("code", flat=True)) == set(BADGES)
    percents = dict(Attempt.objects.values_list("id", "final_percent"))
    for event in XPEvent.objects.all():
        kind, source_id = event.source.split(":")
        if kind == "attempt":
            assert event.amount == quiz_xp(percents[int(source_id)])
        else:
            assert event.amount == {"lesson": XP_PER_LESSON, "mastery": XP_PER_OBJECTIVE_MASTERED}[kind], event.source
    submitted = Attempt.objects.exclude(status=AttemptStatus.IN_PROGRESS)
    assert XPEvent.objects.filter(source__startswith="attempt:").count() == submitted.count()
    mastered = Mastery.objects.filter(mastered_at__isnull=False)
    assert XPEvent.objects.filter(source__startswith="mastery:").count() == mastered.count()
    totals = dict(XPEvent.objects.values("student").annotate(total=Sum("amount")).values_list("student", "total"))
    for stats in StudentStats.objects.all():
        assert stats.total_xp == totals.get(stats.student_id, 0)
        assert stats.longest_streak >= stats.current_streak
    for award in StudentBadge.objects.select_related("badge"):
        if award.badge.code == "quizzes_10":
            assert submitted.filter(student=award.student_id, submitted_at__lte=award.awarded_at).count() == 10
        if award.badge.code == "first_quiz":
            assert submitted.filter(student=award.student_id, submitted_at__lt=award.awarded_at).count() == 0


def test_a_large_class_can_be_added_for_the_benchmark() -> None:
    call_command("seed_demo", students=60, assignments_per_class=4, large_class_size=40, stdout=open("/dev/null", "w"))  # noqa: SIM115

    lecture = Assignment.objects.filter(classroom__name=LECTURE_CLASS_NAME)
    assert lecture.count() == 4
    assert Enrollment.objects.filter(classroom__name=LECTURE_CLASS_NAME).count() == 40
    assert Attempt.objects.filter(assignment__in=lecture).values("student").distinct().count() > 20
    assert XPEvent.objects.values("student", "source").annotate(n=Count("id")).filter(n__gt=1).count() == 0


def test_assignment_count_per_class_is_an_option() -> None:
    call_command("seed_demo", students=0, assignments_per_class=5, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(Assignment.objects.values("classroom").annotate(n=Count("id")).values_list("n", flat=True)) == {5}


def test_bad_options_are_refused() -> None:
    with pytest.raises(CommandError, match="assignments-per-class"):
        call_command("seed_demo", assignments_per_class=0)
    with pytest.raises(CommandError, match="large-class-size"):
        call_command("seed_demo", students=10, large_class_size=11)


def test_the_large_class_cannot_be_added_to_a_school_with_history() -> None:
    seed()

    with pytest.raises(CommandError, match="first run"):
        call_command("seed_demo", students=10, large_class_size=5)


@pytest.mark.postgres
def test_the_seed_leaves_the_planner_statistics_of_what_it_loaded() -> None:
    from django.db import connection

    def estimated_attempts() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Attempt._meta.db_table])
            return cursor.fetchone()[0]

    # -1 is PostgreSQL's "never analysed"; autovacuum may be off, and a bulk load does not count.
    seed()
    assert estimated_attempts() == Attempt.objects.count()
