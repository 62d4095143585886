"""Item analysis: how a class did on each question of a quiz, and its most-missed questions.

Item analysis counts every finished attempt (submitted or graded) of the students enrolled
in the class now, retries included: a question that needed a second try was hard, and
teachers want to see that. A removed student's answers stay in their record but leave the
class's figures, as they leave its gradebook. Percent correct is over the answers that have
been graded; answers still waiting for an educator do not count yet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.learning.models import Answer, Assignment, Attempt
from toolbox.learning.selectors._common import FINISHED_STATUSES
from toolbox.learning.selectors._snapshot import SnapshotQuestion, questions_for_assignments

REMOVED_QUESTION_PROMPT = "(a question no longer in the quiz)"


@dataclass(frozen=True, slots=True)
class QuestionStats:
    assignment_id: int
    question_key: int
    position: int
    kind: str
    prompt: str
    answered: int
    graded: int
    correct: int
    most_common_wrong_answer: str | None
    most_common_wrong_count: int

    @property
    def percent_correct(self) -> Decimal | None:
        if not self.graded:
            return None
        return (Decimal(self.correct * 100) / self.graded).quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class ItemAnalysis:
    assignment_id: int
    title: str
    attempts_counted: int
    questions: tuple[QuestionStats, ...]


@dataclass(frozen=True, slots=True)
class MissedQuestion:
    assignment_title: str
    stats: QuestionStats


def _enrolled_now(classroom_id: int) -> QuerySet[Enrollment, dict[str, Any]]:
    """The ids of the class's active students, as a subquery (no query of its own)."""
    return Enrollment.objects.filter(classroom_id=classroom_id, status=EnrollmentStatus.ACTIVE).values("student_id")


def _answer_counts(answers_filter: Q) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(assignment id, question key) → (answered, graded, correct), aggregated in the database."""
    rows = (
        Answer.objects.filter(answers_filter, attempt__status__in=FINISHED_STATUSES)
        .values("attempt__assignment_id", "question_key")
        .annotate(
            answered=Count("id", filter=Q(response__isnull=False)),
            graded=Count("id", filter=Q(is_correct__isnull=False)),
            correct=Count("id", filter=Q(is_correct=True)),
        )
        .values_list("attempt__assignment_id", "question_key", "answered", "graded", "correct")
        .order_by()
    )
    return {(assignment_id, key): (answered, graded, correct) for assignment_id, key, answered, graded, correct in rows}


def _wrong_answer_modes(
    answers_filter: Q, questions: dict[tuple[int, int], SnapshotQuestion]
) -> dict[tuple[int, int], tuple[str, int]]:
    """The most common wrong answer per question, grouped as grading would group them."""
    counters: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    first_wording: dict[tuple[int, int, str], str] = {}
    rows = (
        Answer.objects.filter(
            answers_filter, attempt__status__in=FINISHED_STATUSES, is_correct=False, response__isnull=False
        )
        .order_by("attempt_id", "id")
        .values_list("attempt__assignment_id", "question_key", "response")
    )
    for assignment_id, key, response in rows:
        question = questions.get((assignment_id, key))
        if question is None:
            continue
        wording = question.describe(response)
        if not wording:
            continue
        group = question.grouping_key(response)
        counters[(assignment_id, key)][group] += 1
        first_wording.setdefault((assignment_id, key, group), wording)
    modes: dict[tuple[int, int], tuple[str, int]] = {}
    for pair, counter in counters.items():
        group, count = counter.most_common(1)[0]
        modes[pair] = (first_wording[(*pair, group)], count)
    return modes


def _stats(
    pair: tuple[int, int],
    counts: tuple[int, int, int],
    question: SnapshotQuestion | None,
    mode: tuple[str, int] | None,
) -> QuestionStats:
    answered, graded, correct = counts
    return QuestionStats(
        assignment_id=pair[0],
        question_key=pair[1],
        position=question.position if question else 10_000,
        kind=question.kind if question else "",
        prompt=question.prompt if question else REMOVED_QUESTION_PROMPT,
        answered=answered,
        graded=graded,
        correct=correct,
        most_common_wrong_answer=mode[0] if mode else None,
        most_common_wrong_count=mode[1] if mode else 0,
    )


def item_analysis_for_assignment(*, assignment: Assignment) -> ItemAnalysis:
    """Per question of the quiz, in quiz order: answered, percent correct, the most common
    wrong answer. Questions nobody answered yet are listed with zero counts."""
    enrolled_now = _enrolled_now(assignment.classroom_id)
    scope = Q(attempt__assignment_id=assignment.pk, attempt__student_id__in=enrolled_now)
    counts = _answer_counts(scope)
    questions = questions_for_assignments(assignment_ids=[assignment.pk], keys=counts.keys())
    modes = _wrong_answer_modes(scope, questions) if counts else {}
    pairs = set(counts) | set(questions)
    stats = sorted(
        (_stats(pair, counts.get(pair, (0, 0, 0)), questions.get(pair), modes.get(pair)) for pair in pairs),
        key=lambda s: (s.position, s.question_key),
    )
    attempts_counted = Attempt.objects.filter(
        assignment_id=assignment.pk, status__in=FINISHED_STATUSES, student_id__in=enrolled_now
    ).count()
    return ItemAnalysis(
        assignment_id=assignment.pk,
        title=assignment.title,
        attempts_counted=attempts_counted,
        questions=tuple(stats),
    )


def most_missed_questions_for_classroom(*, classroom: Classroom, limit: int = 5) -> list[MissedQuestion]:
    """The class's hardest questions across its quizzes: lowest percent correct first (ties:
    the more answers, the surer the signal)."""
    enrolled_now = _enrolled_now(classroom.pk)
    scope = Q(attempt__assignment__classroom=classroom, attempt__student_id__in=enrolled_now)
    counts = {pair: c for pair, c in _answer_counts(scope).items() if c[1]}
    ranked = sorted(counts, key=lambda pair: (counts[pair][2] / counts[pair][1], -counts[pair][1], pair))[:limit]
    if not ranked:
        return []
    assignment_ids = {assignment_id for assignment_id, _ in ranked}
    keys = {key for _, key in ranked}
    questions = questions_for_assignments(assignment_ids=assignment_ids, keys=ranked)
    modes = _wrong_answer_modes(
        Q(attempt__assignment_id__in=assignment_ids, question_key__in=keys, attempt__student_id__in=enrolled_now),
        questions,
    )
    titles = dict(Assignment.objects.filter(id__in=assignment_ids).values_list("id", "quiz__title"))
    return [
        MissedQuestion(
            assignment_title=titles.get(pair[0]) or "",
            stats=_stats(pair, counts[pair], questions.get(pair), modes.get(pair)),
        )
        for pair in ranked
    ]
