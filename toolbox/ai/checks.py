"""The checks a draft passes before it is saved: reading level and content safety.

Schema validity, duplicate questions and multiple-choice answers among their choices are
the schemas' own validators (`toolbox.ai.schemas`), run again on every draft here so that
a provider's output, a reused output and a restored one are all held to them.
"""

from __future__ import annotations

import re

import pyphen
from pydantic import ValidationError
from textstat import textstat as readability

from toolbox.ai.offline.text import markdown_to_plain
from toolbox.ai.providers.base import GenerationError
from toolbox.ai.providers.openai import describe_validation_error
from toolbox.ai.schemas import LessonDraft, QuizDraft

READING_LEVEL_TOLERANCE = 2.0
_HYPHENATOR = pyphen.Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    return max(1, len(_HYPHENATOR.positions(word)) + 1)


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch–Kincaid grade of a text.

    textstat's own English syllable counter downloads NLTK's pronouncing dictionary at run
    time, which ToolBox must never do (it runs without network access), so the syllables
    come from textstat's hyphenation library, pyphen, and the counts of words and sentences
    from textstat; the formula is Flesch–Kincaid's.
    """
    plain = markdown_to_plain(text)
    words = re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)?", plain)
    if not words:
        return 0.0
    sentences = max(1, readability.sentence_count(plain))
    syllables = sum(_syllables(word.lower()) for word in words)
    grade = 0.39 * (len(words) / sentences) + 11.8 * (syllables / len(words)) - 15.59
    return round(max(grade, 0.0), 1)


def reading_level_is_off(measured: float, target: int) -> bool:
    return abs(measured - target) > READING_LEVEL_TOLERANCE


def revalidated(draft: LessonDraft | QuizDraft) -> LessonDraft | QuizDraft:
    """The draft validated afresh (after placeholders were restored, or from stored output)."""
    try:
        return type(draft).model_validate(draft.model_dump())
    except ValidationError as error:
        raise GenerationError(f"The draft did not pass its checks: {describe_validation_error(error)}") from error


def safety_text(lesson: LessonDraft | None, quiz: QuizDraft | None) -> str:
    parts: list[str] = []
    if lesson is not None:
        parts += [lesson.title, lesson.body_markdown, lesson.summary, *lesson.key_ideas]
    if quiz is not None:
        for question in quiz.questions:
            parts += [question.prompt, *question.choices, *question.accepted_answers, question.explanation]
    return "\n".join(parts)
