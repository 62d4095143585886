"""A quiz with one question of every kind, assigned to a class (for page and browser tests)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tests.factories import (
    AssignmentFactory,
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
)
from toolbox.classroom.models import Classroom
from toolbox.content.models import Question, QuestionKind, Quiz
from toolbox.learning.models import Assignment


@dataclass
class QuizKinds:
    quiz: Quiz
    assignment: Assignment
    single: Question
    multiple: Question
    true_false: Question
    short: Question
    numeric: Question
    ordering: Question


def quiz_with_every_kind(classroom: Classroom, **quiz_fields: object) -> QuizKinds:
    quiz = QuizFactory(school=classroom.school, author=classroom.owner, title="Cells check", **quiz_fields)
    single = QuestionFactory(
        quiz=quiz, kind=QuestionKind.SINGLE_CHOICE, prompt="Smallest unit of life?", accepted_answers=[]
    )
    ChoiceFactory(question=single, text="Atom", position=0)
    ChoiceFactory(question=single, text="Cell", is_correct=True, position=1)
    multiple = QuestionFactory(
        quiz=quiz, kind=QuestionKind.MULTIPLE_CHOICE, prompt="Which are organelles?", accepted_answers=[]
    )
    ChoiceFactory(question=multiple, text="Nucleus", is_correct=True, position=0)
    ChoiceFactory(question=multiple, text="Mitochondrion", is_correct=True, position=1)
    ChoiceFactory(question=multiple, text="Skeleton", position=2)
    true_false = QuestionFactory(
        quiz=quiz, kind=QuestionKind.TRUE_FALSE, prompt="Plants have cell walls.", accepted_answers=[]
    )
    ChoiceFactory(question=true_false, text="True", is_correct=True, position=0)
    ChoiceFactory(question=true_false, text="False", position=1)
    short = QuestionFactory(
        quiz=quiz,
        kind=QuestionKind.SHORT_ANSWER,
        prompt="Name the cell's control centre.",
        accepted_answers=["the nucleus"],
    )
    numeric = QuestionFactory(
        quiz=quiz,
        kind=QuestionKind.NUMERIC,
        prompt="How many legs has an insect?",
        accepted_answers=[],
        numeric_answer=Decimal("6"),
    )
    ordering = QuestionFactory(
        quiz=quiz, kind=QuestionKind.ORDERING, prompt="Order from smallest.", accepted_answers=[]
    )
    ChoiceFactory(question=ordering, text="Cell", position=0)
    ChoiceFactory(question=ordering, text="Tissue", position=1)
    ChoiceFactory(question=ordering, text="Organ", position=2)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    return QuizKinds(quiz, assignment, single, multiple, true_false, short, numeric, ordering)
