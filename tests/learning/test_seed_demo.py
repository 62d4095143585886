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
from django.db.models import Count, Max
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Question, QuestionKind, Quiz
from toolbox.learning.demo.progress import MASTERY_MIN_ANSWERS, MASTERY_THRESHOLD, mastery_score
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    GradedBy,
    GradeOverride,
    Mastery,
    Notification,
    PracticeItem,
    StudentBadge,
    StudentStats,
)

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
    """An independent reading of the grading contract in docs, to check the seed against."""
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
    assert stats.current_streak >= 5
    assert stats.total_xp > 0
    assert StudentBadge.objects.filter(student=student, badge__code="streak-5").exists()
    assert Notification.objects.filter(user=student).exists()
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
    checked = 0

    answers_of: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(attempt__status=AttemptStatus.GRADED):
        answers_of.setdefault(answer.attempt_id, []).append(answer)

    for attempt in Attempt.objects.filter(status=AttemptStatus.GRADED).select_related("assignment"):
        questions = {q["id"]: q for q in attempt.snapshot["questions"]}
        answers = answers_of[attempt.pk]
        assert {a.question_key for a in answers} == set(questions)
        for answer in answers:
            question = questions[answer.question_key]
            if answer.graded_by == GradedBy.AUTO:
                assert grade(question, answer.response) is answer.is_correct
                expected = Decimal(question["points"]) if answer.is_correct else Decimal(0)
                assert answer.points_awarded == expected
                checked += 1
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
    assert not Answer.objects.filter(attempt__status=AttemptStatus.IN_PROGRESS, is_correct__isnull=False).exists()


def test_mastery_follows_from_the_students_answers() -> None:
    seed()
    student = User.objects.get(username="student2")
    outcomes: dict[int, list[tuple[Any, int, bool]]] = {}
    for answer in Answer.objects.filter(attempt__student=student, attempt__status=AttemptStatus.GRADED).select_related(
        "attempt", "question"
    ):
        assert answer.question is not None
        assert answer.question.objective_id is not None
        outcomes.setdefault(answer.question.objective_id, []).append(
            (answer.attempt.submitted_at, answer.question_key, bool(answer.is_correct))
        )
    for item in PracticeItem.objects.filter(practice_set__student=student, is_correct__isnull=False).select_related(
        "question"
    ):
        assert item.question.objective_id is not None
        outcomes.setdefault(item.question.objective_id, []).append(
            (item.answered_at, item.question_id, bool(item.is_correct))
        )

    rows = {row.objective_id: row for row in Mastery.objects.filter(student=student)}
    assert set(rows) == set(outcomes)
    for objective_id, history in outcomes.items():
        row = rows[objective_id]
        ordered = [correct for _, _, correct in sorted(history)]
        assert row.answers_counted == len(ordered)
        assert row.score == pytest.approx(mastery_score(ordered), abs=1e-3)
        mastered = row.score >= MASTERY_THRESHOLD and row.answers_counted >= MASTERY_MIN_ANSWERS
        assert (row.mastered_at is not None) == mastered


def test_assignment_count_per_class_is_an_option() -> None:
    call_command("seed_demo", students=0, assignments_per_class=5, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(Assignment.objects.values("classroom").annotate(n=Count("id")).values_list("n", flat=True)) == {5}


def test_bad_options_are_refused() -> None:
    with pytest.raises(CommandError, match="assignments-per-class"):
        call_command("seed_demo", assignments_per_class=0)
