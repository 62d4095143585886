# pyright: reportPrivateImportUsage=false, reportIncompatibleVariableOverride=false
# (factory-boy declares neither its public exports nor Meta in a way type checkers follow)
from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tests.factories.accounts import EducatorFactory, SchoolFactory
from toolbox.content.models import (
    Choice,
    ContentSource,
    ContentStatus,
    LearningObjective,
    Lesson,
    Question,
    QuestionKind,
    Quiz,
)


class LearningObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = LearningObjective

    code = factory.Sequence(lambda n: f"SCI.7.{n}")
    description = factory.Sequence(lambda n: f"Explain idea number {n}")
    subject = "Science"
    grade_level = "7"


class LessonFactory(DjangoModelFactory):
    class Meta:
        model = Lesson

    school = factory.SubFactory(SchoolFactory)
    author = factory.SubFactory(EducatorFactory, school=factory.SelfAttribute("..school"))
    title = factory.Sequence(lambda n: f"Lesson {n}")
    subject = "Science"
    grade_level = "7"
    status = ContentStatus.PUBLISHED

    body_markdown = "# Cells\n\nA **cell** is the smallest unit of life."
    body_html = "<h1>Cells</h1>\n<p>A <strong>cell</strong> is the smallest unit of life.</p>"

    class Params:
        # `draft=True`: a hand-written draft; `ai_draft=True`: an AI draft awaiting review.
        draft = factory.Trait(status=ContentStatus.DRAFT)
        ai_draft = factory.Trait(status=ContentStatus.DRAFT, source=ContentSource.AI)


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz

    school = factory.SubFactory(SchoolFactory)
    author = factory.SubFactory(EducatorFactory, school=factory.SelfAttribute("..school"))
    title = factory.Sequence(lambda n: f"Quiz {n}")
    subject = "Science"
    grade_level = "7"
    status = ContentStatus.PUBLISHED

    class Params:
        # `draft=True`: a hand-written draft; `ai_draft=True`: an AI draft awaiting review.
        draft = factory.Trait(status=ContentStatus.DRAFT)
        ai_draft = factory.Trait(status=ContentStatus.DRAFT, source=ContentSource.AI)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    kind = QuestionKind.SHORT_ANSWER
    position = factory.Sequence(lambda n: n)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    points = 1
    accepted_answers = factory.LazyFunction(lambda: ["cell"])


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.SINGLE_CHOICE, accepted_answers=[])
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False
    position = factory.Sequence(lambda n: n)


class SingleChoiceQuestionFactory(QuestionFactory):
    """A single-choice question with its choices: the first correct, the rest wrong."""

    class Meta:
        skip_postgeneration_save = True

    kind = QuestionKind.SINGLE_CHOICE
    accepted_answers = factory.LazyFunction(list)

    @factory.post_generation
    def choices(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        texts = extracted or ["Right", "Wrong"]
        Choice.objects.bulk_create(
            Choice(question=self, text=text, is_correct=position == 0, position=position)  # type: ignore[misc]
            for position, text in enumerate(texts)
        )
