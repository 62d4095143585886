"""The student pages' input: the join form, and quiz answers read from the player's fields.

The player names each question's field `q<id>`; an ordering question has one numbered
select per item, `q<id>_<item key>`, holding the item's position (1 = first). An item goes by
its key for this attempt, not its id, since the ids sort into the right order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django import forms
from django.http import QueryDict

from toolbox.content.models import QuestionKind
from toolbox.learning.selectors.player import PlayerChoice, PlayerQuestion

ANSWER_TEXT_MAX_LENGTH = 5000


class JoinClassForm(forms.Form):
    code = forms.CharField(
        label="Class code",
        max_length=20,
        help_text="The code your teacher gave you, such as K7Q-4MZP. Capitals and dashes do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class LessonProgressForm(forms.Form):
    percent = forms.IntegerField(min_value=0, max_value=100)
    seconds = forms.IntegerField(min_value=0, max_value=4 * 60 * 60, required=False)


def field_name(question: PlayerQuestion) -> str:
    return f"q{question.id}"


def _ints(values: Iterable[str]) -> list[int] | None:
    try:
        return [int(value) for value in values]
    except ValueError:
        return None


def answer_from_post(question: PlayerQuestion, data: QueryDict) -> tuple[dict[str, Any] | None, str]:
    """(response, error) for one question: the response in the shared contract's shape, or
    None when the question was left blank; an error a student can act on, or ""."""
    name = field_name(question)
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE):
        value = data.get(name, "")
        if not value:
            return None, ""
        ids = _ints([value])
        return ({"choice_id": ids[0]}, "") if ids else (None, "Pick one of the choices.")
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        values = data.getlist(name)
        if not values:
            return None, ""
        ids = _ints(values)
        return ({"choice_ids": ids}, "") if ids is not None else (None, "Pick from the choices shown.")
    if question.kind == QuestionKind.SHORT_ANSWER:
        text = data.get(name, "")
        if not text.strip():
            return None, ""
        if len(text) > ANSWER_TEXT_MAX_LENGTH:
            return None, f"Keep your answer under {ANSWER_TEXT_MAX_LENGTH} characters."
        return {"text": text}, ""
    if question.kind == QuestionKind.NUMERIC:
        text = data.get(name, "").strip()
        return ({"value": text}, "") if text else (None, "")
    if question.kind == QuestionKind.ORDERING:
        return _ordering_from_post(question, data)
    return None, "This question cannot be answered here."


def _ordering_field_name(question: PlayerQuestion, choice: PlayerChoice) -> str:
    return f"{field_name(question)}_{choice.key}"


def _ordering_from_post(question: PlayerQuestion, data: QueryDict) -> tuple[dict[str, Any] | None, str]:
    ranks: dict[int, int] = {}
    for choice in question.choices:
        value = data.get(_ordering_field_name(question, choice), "")
        if value:
            parsed = _ints([value])
            if parsed is None:
                return None, "Choose a position from the list for each item."
            ranks[choice.id] = parsed[0]
    if not ranks:
        return None, ""
    if len(ranks) < len(question.choices):
        return None, "Give every item a position."
    if sorted(ranks.values()) != list(question.positions):
        return None, f"Use each position from 1 to {len(question.choices)} once."
    return {"order": sorted(ranks, key=lambda choice_id: ranks[choice_id])}, ""


def question_as_posted(question: PlayerQuestion, data: QueryDict) -> PlayerQuestion:
    """The question showing what was just typed or picked, so that a refused answer is
    redisplayed for correcting rather than lost."""
    name = field_name(question)
    if question.kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERIC):
        return replace(question, saved_text=data.get(name, ""))
    if question.kind == QuestionKind.ORDERING:
        ranks = {
            choice.id: _ints([data.get(_ordering_field_name(question, choice), "") or "0"])
            for choice in question.choices
        }
        choices = tuple(replace(choice, rank=(ranks[choice.id] or [0])[0] or None) for choice in question.choices)
        return replace(question, choices=choices)
    picked = set(data.getlist(name))
    return replace(question, choices=tuple(replace(c, selected=str(c.id) in picked) for c in question.choices))
