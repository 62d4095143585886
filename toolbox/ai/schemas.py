"""What a generator returns, and what a request asks for.

Both providers (the model and the offline generator) return these Pydantic models, so that
the checks and the saving of drafts never need to know which one wrote them.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

QuestionKindName = Literal["single_choice", "multiple_choice", "true_false", "short_answer", "numeric", "ordering"]
ALL_QUESTION_KINDS: tuple[QuestionKindName, ...] = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "ordering",
)
GradeName = Literal["K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]

# Bloom's taxonomy, lowest level first: an objective starts with one of these verbs so that
# it names something a student can be seen to do.
BLOOM_VERBS: dict[str, tuple[str, ...]] = {
    "remember": ("define", "list", "name", "recall", "identify", "state", "label"),
    "understand": ("explain", "describe", "summarise", "summarize", "classify", "compare", "interpret"),
    "apply": ("apply", "use", "solve", "calculate", "demonstrate", "sequence", "order"),
    "analyse": ("analyse", "analyze", "distinguish", "examine", "contrast", "organise", "organize"),
    "evaluate": ("evaluate", "judge", "justify", "argue", "assess", "critique"),
    "create": ("create", "design", "write", "construct", "plan", "produce"),
}
ALL_BLOOM_VERBS = frozenset(verb for verbs in BLOOM_VERBS.values() for verb in verbs)


def normalise_text(text: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: how duplicates are compared."""
    return re.sub(r"\s+", " ", text).strip().strip(".?!:;,").strip().casefold()


class DraftModel(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class LearningObjectiveDraft(DraftModel):
    verb: str = Field(description="A Bloom's taxonomy verb, e.g. define, explain, compare, apply, evaluate, create.")
    statement: str = Field(min_length=5, max_length=300, description="The whole objective, starting with the verb.")

    @model_validator(mode="after")
    def _starts_with_bloom_verb(self) -> LearningObjectiveDraft:
        verb = self.verb.casefold()
        if verb not in ALL_BLOOM_VERBS:
            raise ValueError(f"“{self.verb}” is not a Bloom's taxonomy verb such as define, explain or compare.")
        if self.statement.split()[0].casefold() != verb:
            raise ValueError(f"The objective “{self.statement}” must start with its verb “{self.verb}”.")
        return self


class VocabularyItem(DraftModel):
    term: str = Field(min_length=1, max_length=80)
    definition: str = Field(min_length=3, max_length=400)


class UnderstandingCheck(DraftModel):
    question: str = Field(min_length=5, max_length=400)
    answer: str = Field(min_length=1, max_length=400)


class LessonDraft(DraftModel):
    """A lesson as a generator writes it."""

    title: str = Field(min_length=3, max_length=200)
    objectives: list[LearningObjectiveDraft] = Field(min_length=1, max_length=8)
    vocabulary: list[VocabularyItem] = Field(default_factory=list, max_length=30)
    key_ideas: list[str] = Field(min_length=1, max_length=12)
    body_markdown: str = Field(min_length=20, description="The lesson text in Markdown.")
    check_for_understanding: list[UnderstandingCheck] = Field(min_length=1, max_length=10)
    summary: str = Field(min_length=10, max_length=2000)
    estimated_minutes: int = Field(default=15, ge=1, le=240)

    @field_validator("vocabulary")
    @classmethod
    def _distinct_terms(cls, vocabulary: list[VocabularyItem]) -> list[VocabularyItem]:
        seen: set[str] = set()
        for item in vocabulary:
            key = normalise_text(item.term)
            if key in seen:
                raise ValueError(f"The vocabulary lists “{item.term}” twice.")
            seen.add(key)
        return vocabulary


class QuestionDraft(DraftModel):
    """One question. Choice questions name their correct choices by text; ordering
    questions give their items in the correct order."""

    kind: QuestionKindName
    prompt: str = Field(min_length=5, max_length=1000)
    choices: list[str] = Field(
        default_factory=list,
        description=(
            "single/multiple choice: the options; true_false: True and False; ordering: the items in the right order."
        ),
    )
    correct_choices: list[str] = Field(
        default_factory=list, description="single/multiple choice and true_false: the texts of the correct choices."
    )
    accepted_answers: list[str] = Field(default_factory=list, description="short_answer: the answers to accept.")
    numeric_answer: float | None = Field(default=None, description="numeric: the right value.")
    numeric_tolerance: float = Field(default=0, ge=0)
    explanation: str = Field(default="", max_length=1000)
    hint: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _rules_of_its_kind(self) -> QuestionDraft:
        kind = self.kind
        if kind == "true_false":
            if not self.choices:
                self.choices = ["True", "False"]
            if sorted(c.casefold() for c in self.choices) != ["false", "true"]:
                raise ValueError("A true/false question has exactly the choices True and False.")
        if kind in ("single_choice", "multiple_choice", "true_false", "ordering"):
            texts = [normalise_text(choice) for choice in self.choices]
            if any(not text for text in texts):
                raise ValueError(f"The question “{self.prompt}” has an empty choice.")
            if len(set(texts)) != len(texts):
                raise ValueError(f"The question “{self.prompt}” repeats a choice.")
            if any(len(choice) > 500 for choice in self.choices):
                raise ValueError(f"A choice of “{self.prompt}” is longer than 500 characters.")
        if kind in ("single_choice", "multiple_choice", "true_false"):
            self._check_correct_choices()
        elif kind == "short_answer":
            if not [answer for answer in self.accepted_answers if answer.strip()]:
                raise ValueError(f"The short-answer question “{self.prompt}” needs at least one accepted answer.")
        elif kind == "numeric":
            if self.numeric_answer is None:
                raise ValueError(f"The numeric question “{self.prompt}” needs its numeric answer.")
        elif kind == "ordering" and not 3 <= len(self.choices) <= 8:
            raise ValueError(f"The ordering question “{self.prompt}” needs 3 to 8 items.")
        return self

    def _check_correct_choices(self) -> None:
        minimum = 3 if self.kind == "multiple_choice" else 2
        if not minimum <= len(self.choices) <= 6:
            raise ValueError(f"The question “{self.prompt}” needs {minimum} to 6 choices.")
        choice_keys = {normalise_text(choice) for choice in self.choices}
        for correct in self.correct_choices:
            if normalise_text(correct) not in choice_keys:
                raise ValueError(f"The answer “{correct}” of “{self.prompt}” is not one of its choices.")
        correct_count = len({normalise_text(correct) for correct in self.correct_choices})
        if self.kind == "multiple_choice":
            if correct_count < 1:
                raise ValueError(f"The question “{self.prompt}” needs at least one correct choice.")
        elif correct_count != 1:
            raise ValueError(f"The question “{self.prompt}” needs exactly one correct choice.")

    def is_correct_choice(self, choice: str) -> bool:
        return normalise_text(choice) in {normalise_text(correct) for correct in self.correct_choices}


class QuizDraft(DraftModel):
    """A quiz as a generator writes it."""

    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=1000)
    questions: list[QuestionDraft] = Field(min_length=1, max_length=30)

    @field_validator("questions")
    @classmethod
    def _no_duplicate_questions(cls, questions: list[QuestionDraft]) -> list[QuestionDraft]:
        seen: set[str] = set()
        for question in questions:
            key = normalise_text(question.prompt)
            if key in seen:
                raise ValueError(f"The question “{question.prompt}” appears twice.")
            seen.add(key)
        return questions


class AnswerFeedbackDraft(DraftModel):
    """A suggested score for a short answer that matched none of the accepted answers."""

    score_fraction: float = Field(ge=0, le=1, description="The share of the question's points to award, 0 to 1.")
    feedback: str = Field(min_length=3, max_length=1000, description="A comment for the student.")
    confidence: float = Field(ge=0, le=1, description="How sure the suggestion is, 0 to 1.")


class GenerationRequest(BaseModel):
    """The parameters of a lesson, quiz or practice-items job, validated at the edge."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    subject: str = Field(min_length=1, max_length=80)
    grade: GradeName
    topic: str = Field(min_length=1, max_length=200)
    objectives: list[str] = Field(default_factory=list, max_length=10)
    objective_ids: list[int] = Field(default_factory=list, max_length=10)
    source_text: str = Field(default="", max_length=50_000)
    source_lesson_id: int | None = None
    question_count: int = Field(default=8, ge=1, le=30)
    question_kinds: list[QuestionKindName] = Field(default_factory=lambda: list(ALL_QUESTION_KINDS), min_length=1)
    reading_level: int | None = Field(default=None, ge=0, le=16, description="Target grade of the text; the grade.")

    @field_validator("objectives")
    @classmethod
    def _no_blank_objectives(cls, objectives: list[str]) -> list[str]:
        return [objective.strip() for objective in objectives if objective.strip()]

    @field_validator("question_kinds")
    @classmethod
    def _distinct_kinds(cls, kinds: list[QuestionKindName]) -> list[QuestionKindName]:
        return sorted(set(kinds), key=ALL_QUESTION_KINDS.index)

    @model_validator(mode="after")
    def _one_source(self) -> GenerationRequest:
        if self.source_text and self.source_lesson_id is not None:
            raise ValueError("Give either source text or a source lesson, not both.")
        return self

    @property
    def target_grade(self) -> int:
        if self.reading_level is not None:
            return self.reading_level
        return 0 if self.grade == "K" else int(self.grade)
