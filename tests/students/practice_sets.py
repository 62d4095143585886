"""A practice set holding one question of every kind, and the form fields that answer them."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import ChoiceFactory, QuestionFactory
from tests.factories.learning import PracticeSetFactory
from tests.students.quizzes import QuizKinds
from toolbox.accounts.models import User
from toolbox.content.models import Choice, Question, QuestionKind
from toolbox.learning.item_keys import item_key, practice_scope
from toolbox.learning.models import PracticeItem, PracticeSet

KIND_NAMES = ("single", "multiple", "true_false", "short", "numeric", "ordering")


@dataclass
class PracticeKinds:
    practice: PracticeSet
    questions: dict[str, Question]
    items: dict[str, PracticeItem]


def practice_with_every_kind(student: User, kinds: QuizKinds) -> PracticeKinds:
    practice = PracticeSetFactory(student=student)
    questions = {name: getattr(kinds, name) for name in KIND_NAMES}
    items = {}
    for position, (name, question) in enumerate(questions.items()):
        question.explanation = f"Because of reason {name.upper()}-WHY."
        question.save(update_fields=["explanation"])
        items[name] = PracticeItem.objects.create(practice_set=practice, question=question, position=position)
    return PracticeKinds(practice, questions, items)


def practice_of_size(student: User, size: int) -> PracticeSet:
    practice = PracticeSetFactory(student=student)
    for position in range(size):
        question = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE, accepted_answers=[], explanation="Why not.")
        ChoiceFactory(question=question, text="Right", is_correct=True, position=0)
        ChoiceFactory(question=question, text="Wrong", position=1)
        item = PracticeItem.objects.create(practice_set=practice, question=question, position=position)
        if position % 2:
            PracticeItem.objects.filter(pk=item.pk).update(
                response={"choice_id": question.choices.get(text="Right").pk},
                is_correct=True,
                answered_at=practice.created_at,
            )
    return practice


def _choice(question: Question, text: str) -> int:
    return Choice.objects.get(question=question, text=text).pk


def answer_fields(sheet: PracticeKinds, name: str, *, right: bool) -> dict[str, object]:
    """The form fields the page sends for one question, answered rightly or wrongly."""
    question = sheet.questions[name]
    field = f"q{question.pk}"
    if name == "single":
        return {field: _choice(question, "Cell" if right else "Atom")}
    if name == "multiple":
        picked = ["Nucleus", "Mitochondrion"] if right else ["Nucleus", "Skeleton"]
        return {field: [_choice(question, text) for text in picked]}
    if name == "true_false":
        return {field: _choice(question, "True" if right else "False")}
    if name == "short":
        return {field: "  The NUCLEUS " if right else "the ribosome"}
    if name == "numeric":
        return {field: "6.0" if right else "8"}
    choices = list(Choice.objects.filter(question=question).order_by("position"))
    count = len(choices)
    scope = practice_scope(sheet.items[name].pk)
    return {
        f"{field}_{item_key(scope=scope, choice_id=choice.pk)}": (index + 1 if right else count - index)
        for index, choice in enumerate(choices)
    }
