# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories.accounts import StudentFactory
from tests.factories.classroom import ClassroomFactory
from tests.factories.content import LearningObjectiveFactory, LessonFactory, QuizFactory
from toolbox.content.models import Choice, Question, Quiz
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    Badge,
    LessonProgress,
    Mastery,
    Notification,
    PracticeSet,
    StudentBadge,
    StudentStats,
)


class AssignmentFactory(DjangoModelFactory):
    """A quiz assignment open now and due in a week."""

    class Meta:
        model = Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    quiz = factory.SubFactory(QuizFactory, school=factory.SelfAttribute("..classroom.school"))
    lesson = None
    assigned_by = factory.SelfAttribute("classroom.owner")
    available_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class LessonAssignmentFactory(AssignmentFactory):
    """A lesson assignment open now and due in a week."""

    quiz = None
    lesson = factory.SubFactory(LessonFactory, school=factory.SelfAttribute("..classroom.school"))


# --- Read-side factories (learnread) -----------------------------------------------------------
# Rows inserted directly, bypassing the services, so that selector tests can lay out any
# history (graded, late, in progress, reviewed…) in a few lines.


class AttemptRowFactory(DjangoModelFactory):
    """A graded attempt submitted now, with no answers; set `snapshot` for item analysis."""

    class Meta:
        model = Attempt

    assignment = factory.SubFactory(AssignmentFactory)
    student = factory.SubFactory(StudentFactory, school=factory.SelfAttribute("..assignment.classroom.school"))
    number = 1
    status = AttemptStatus.GRADED
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=20))
    submitted_at = factory.LazyFunction(timezone.now)
    raw_score = Decimal("8")
    max_score = Decimal("10")
    final_score = Decimal("8")
    final_percent = Decimal("80")


class AnswerRowFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    attempt = factory.SubFactory(AttemptRowFactory)
    question = None
    question_key = factory.Sequence(lambda n: 100_000 + n)
    response = factory.LazyFunction(lambda: {"text": "cell"})
    is_correct = True
    points_awarded = Decimal("1")


class LessonProgressFactory(DjangoModelFactory):
    class Meta:
        model = LessonProgress

    student = factory.SubFactory(StudentFactory)
    lesson = factory.SubFactory(LessonFactory)
    percent = 100
    completed_at = factory.LazyFunction(timezone.now)


class MasteryFactory(DjangoModelFactory):
    class Meta:
        model = Mastery

    student = factory.SubFactory(StudentFactory)
    objective = factory.SubFactory(LearningObjectiveFactory)
    score = 0.5
    answers_counted = 3


class StudentStatsFactory(DjangoModelFactory):
    class Meta:
        model = StudentStats

    student = factory.SubFactory(StudentFactory)
    total_xp = 0


class BadgeFactory(DjangoModelFactory):
    class Meta:
        model = Badge
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"badge-{n}")
    name = factory.Sequence(lambda n: f"Badge {n}")
    description = "Did something worth a badge."


class StudentBadgeFactory(DjangoModelFactory):
    class Meta:
        model = StudentBadge

    student = factory.SubFactory(StudentFactory)
    badge = factory.SubFactory(BadgeFactory)


class PracticeSetFactory(DjangoModelFactory):
    class Meta:
        model = PracticeSet

    student = factory.SubFactory(StudentFactory)
    for_date = factory.LazyFunction(lambda: timezone.now().date())


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(StudentFactory)
    kind = "due_soon"
    message = factory.Sequence(lambda n: f"Notice {n}")
    dedupe_key = factory.Sequence(lambda n: f"notice:{n}")


def snapshot_of(quiz: Quiz) -> dict[str, object]:
    """The quiz in the attempt-snapshot format of the shared contract, built from its rows."""
    return {
        "quiz_id": quiz.pk,
        "title": quiz.title,
        "pass_mark_percent": quiz.pass_mark_percent,
        "answer_visibility": quiz.answer_visibility,
        "questions": [
            {
                "id": question.pk,
                "kind": question.kind,
                "position": question.position,
                "prompt": question.prompt,
                "explanation": question.explanation,
                "hint": question.hint,
                "points": f"{question.points:.2f}",
                "objective_id": question.objective_id,
                "accepted_answers": list(question.accepted_answers),
                "numeric_answer": None if question.numeric_answer is None else f"{question.numeric_answer:.6f}",
                "numeric_tolerance": f"{question.numeric_tolerance:.6f}",
                "choices": [
                    {
                        "id": choice.pk,
                        "text": choice.text,
                        "is_correct": choice.is_correct,
                        "position": choice.position,
                        "feedback": choice.feedback,
                    }
                    for choice in Choice.objects.filter(question=question).order_by("position", "id")
                ],
            }
            for question in Question.objects.filter(quiz=quiz).order_by("position", "id")
        ],
    }
