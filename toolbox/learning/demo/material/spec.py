"""The shapes of the demo teaching material, and short constructors for writing it.

The material itself lives beside this module: one module per subject (objectives, lessons,
quizzes, practice items) and the lesson texts as Markdown files under lessons/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

LESSON_DIR = Path(__file__).parent / "lessons"
# A choice or an ordering item that is marked with this prefix is a correct one.
CORRECT = "*"


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    description: str


@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    is_correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    objective: str
    prompt: str
    explanation: str
    hint: str
    choices: tuple[ChoiceSpec, ...] = ()
    accepted_answers: tuple[str, ...] = ()
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = Decimal("0")
    points: Decimal = Decimal("1")
    # What a student who gets it wrong typically writes (short answer and numeric only).
    typical_wrong: str = ""


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    title: str
    objectives: tuple[str, ...]
    estimated_minutes: int = 20
    difficulty: str = "standard"

    @property
    def body_markdown(self) -> str:
        return (LESSON_DIR / f"{self.slug}.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class QuizSpec:
    title: str
    description: str
    questions: tuple[QuestionSpec, ...]
    lesson_slug: str | None = None
    time_limit_minutes: int | None = None
    pass_mark_percent: int = 70
    max_attempts: int = 3
    answer_visibility: str = "immediately"
    shuffle_questions: bool = False


@dataclass(frozen=True)
class SubjectSpec:
    subject: str
    grade_level: str
    objectives: tuple[ObjectiveSpec, ...]
    lessons: tuple[LessonSpec, ...]
    quizzes: tuple[QuizSpec, ...]
    practice: tuple[QuestionSpec, ...] = field(default=())

    @property
    def practice_bank_title(self) -> str:
        return f"{self.subject} {self.grade_level}: practice bank"


def _choices(options: list[str], feedback: dict[str, str] | None = None) -> tuple[ChoiceSpec, ...]:
    feedback = feedback or {}
    specs = []
    for option in options:
        text = option.removeprefix(CORRECT)
        specs.append(ChoiceSpec(text=text, is_correct=option.startswith(CORRECT), feedback=feedback.get(text, "")))
    return tuple(specs)


def single(
    objective: str,
    prompt: str,
    options: list[str],
    explanation: str,
    hint: str,
    feedback: dict[str, str] | None = None,
) -> QuestionSpec:
    """One right option, marked with a leading `*`."""
    return QuestionSpec("single_choice", objective, prompt, explanation, hint, choices=_choices(options, feedback))


def multiple(objective: str, prompt: str, options: list[str], explanation: str, hint: str) -> QuestionSpec:
    """Select all that apply; every right option is marked with a leading `*`."""
    return QuestionSpec(
        "multiple_choice", objective, prompt, explanation, hint, choices=_choices(options), points=Decimal("2")
    )


def true_false(objective: str, statement: str, truth: bool, explanation: str, hint: str) -> QuestionSpec:
    options = ["*True", "False"] if truth else ["True", "*False"]
    return QuestionSpec("true_false", objective, statement, explanation, hint, choices=_choices(options))


def short(
    objective: str, prompt: str, accepted: list[str], explanation: str, hint: str, typical_wrong: str
) -> QuestionSpec:
    return QuestionSpec(
        "short_answer",
        objective,
        prompt,
        explanation,
        hint,
        accepted_answers=tuple(accepted),
        typical_wrong=typical_wrong,
    )


def numeric(
    objective: str,
    prompt: str,
    answer: str,
    explanation: str,
    hint: str,
    typical_wrong: str,
    tolerance: str = "0",
) -> QuestionSpec:
    if abs(Decimal(typical_wrong) - Decimal(answer)) <= Decimal(tolerance):
        raise ValueError(f"The typical wrong answer to “{prompt}” would be marked right.")
    return QuestionSpec(
        "numeric",
        objective,
        prompt,
        explanation,
        hint,
        numeric_answer=Decimal(answer),
        numeric_tolerance=Decimal(tolerance),
        typical_wrong=typical_wrong,
        points=Decimal("2"),
    )


def ordering(objective: str, prompt: str, items_in_order: list[str], explanation: str, hint: str) -> QuestionSpec:
    choices = tuple(ChoiceSpec(text=item, is_correct=False) for item in items_in_order)
    return QuestionSpec("ordering", objective, prompt, explanation, hint, choices=choices, points=Decimal("2"))
