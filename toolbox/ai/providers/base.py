"""What every provider offers, and the failures the job runner tells apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from toolbox.ai.schemas import AnswerFeedbackDraft, GenerationRequest, LessonDraft, QuizDraft

DraftT = TypeVar("DraftT")


@dataclass
class Generated(Generic[DraftT]):
    """A provider's validated output and what it cost."""

    draft: DraftT
    tokens_in: int = 0
    tokens_out: int = 0
    warnings: list[str] = field(default_factory=list)


class GenerationError(Exception):
    """The job cannot succeed as asked; the message is for the educator. Tokens spent on
    the way are still counted against the school's budget."""

    def __init__(self, message: str, tokens_in: int = 0, tokens_out: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.tokens_in = tokens_in
        self.tokens_out = tokens_out


class ProviderUnavailableError(Exception):
    """A passing failure of the provider (rate limit, server error, timeout, network):
    worth retrying later."""


class Provider(Protocol):
    name: str
    model_name: str

    def generate_lesson(self, *, request: GenerationRequest, source_text: str) -> Generated[LessonDraft]: ...

    def generate_quiz(
        self, *, request: GenerationRequest, source_text: str, lesson: LessonDraft | None
    ) -> Generated[QuizDraft]: ...

    def revise_reading_level(
        self, *, request: GenerationRequest, lesson: LessonDraft, measured_grade: float
    ) -> Generated[LessonDraft] | None:
        """A rewrite at the target reading level, or None when the provider cannot revise."""
        ...

    def suggest_feedback(
        self, *, prompt: str, accepted_answers: list[str], response_text: str
    ) -> Generated[AnswerFeedbackDraft]: ...

    def flag_unsafe(self, *, text: str) -> list[str]:
        """The safety categories the text falls into (empty when it looks fine)."""
        ...
