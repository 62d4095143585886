"""Practice answers count toward mastery and XP like quiz answers: once per item, and a
typed answer that no accepted answer matches is left out of mastery."""

from __future__ import annotations

import pytest

from tests.factories import ChoiceFactory, LearningObjectiveFactory, QuestionFactory
from tests.factories.learning import MasteryFactory, PracticeSetFactory
from toolbox.accounts.models import User
from toolbox.content.models import QuestionKind
from toolbox.errors import ConflictError
from toolbox.learning.models import Mastery, PracticeItem, StudentStats, XPEvent
from toolbox.learning.services.practice import XP_PER_PRACTICE_ANSWER, practice_item_answer
from toolbox.learning.services.progress import MASTERY_MIN_ANSWERS

pytestmark = pytest.mark.django_db


def _single_choice_items(student: User, objective, count: int) -> list[PracticeItem]:
    practice = PracticeSetFactory(student=student)
    items = []
    for position in range(count):
        question = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE, accepted_answers=[], objective=objective)
        ChoiceFactory(question=question, text="Right", is_correct=True, position=0)
        ChoiceFactory(question=question, text="Wrong", position=1)
        items.append(PracticeItem.objects.create(practice_set=practice, question=question, position=position))
    return items


def _answer(student: User, item: PracticeItem, text: str) -> PracticeItem:
    choice = item.question.choices.get(text=text)
    return practice_item_answer(student=student, item=item, response={"choice_id": choice.pk})


def test_each_answer_moves_mastery_and_pays_xp_once(student: User) -> None:
    objective = LearningObjectiveFactory()
    MasteryFactory(student=student, objective=objective, score=0.0, answers_counted=0)
    right, wrong = _single_choice_items(student, objective, 2)
    _answer(student, right, "Right")
    mastery = Mastery.objects.get(student=student, objective=objective)
    assert (mastery.answers_counted, mastery.score) == (1, 1.0)
    _answer(student, wrong, "Wrong")
    mastery.refresh_from_db()
    assert mastery.answers_counted == 2
    assert 0 < mastery.score < 1
    assert set(XPEvent.objects.filter(student=student).values_list("source", "amount")) == {
        (f"practice:{right.pk}", XP_PER_PRACTICE_ANSWER),
        (f"practice:{wrong.pk}", XP_PER_PRACTICE_ANSWER),
    }
    with pytest.raises(ConflictError):
        _answer(student, right, "Right")
    mastery.refresh_from_db()
    assert mastery.answers_counted == 2
    assert StudentStats.objects.get(student=student).total_xp == 2 * XP_PER_PRACTICE_ANSWER


def test_enough_right_practice_masters_an_objective(student: User) -> None:
    objective = LearningObjectiveFactory()
    for item in _single_choice_items(student, objective, MASTERY_MIN_ANSWERS):
        _answer(student, item, "Right")
    mastery = Mastery.objects.get(student=student, objective=objective)
    assert mastery.mastered_at is not None
    assert XPEvent.objects.filter(student=student, source=f"mastery:{objective.pk}").exists()


def test_an_unmatched_typed_answer_pays_xp_but_leaves_mastery_alone(student: User) -> None:
    objective = LearningObjectiveFactory()
    MasteryFactory(student=student, objective=objective, score=0.5, answers_counted=3)
    question = QuestionFactory(kind=QuestionKind.SHORT_ANSWER, accepted_answers=["photosynthesis"], objective=objective)
    item = PracticeItem.objects.create(practice_set=PracticeSetFactory(student=student), question=question, position=0)
    graded = practice_item_answer(student=student, item=item, response={"text": "making food from light"})
    assert graded.is_correct is False
    mastery = Mastery.objects.get(student=student, objective=objective)
    assert (mastery.answers_counted, mastery.score) == (3, 0.5)
    assert XPEvent.objects.filter(student=student, source=f"practice:{item.pk}").exists()


def test_a_question_without_an_objective_still_pays_xp(student: User) -> None:
    (item,) = _single_choice_items(student, None, 1)
    _answer(student, item, "Wrong")
    assert not Mastery.objects.filter(student=student).exists()
    assert StudentStats.objects.get(student=student).total_xp == XP_PER_PRACTICE_ANSWER
