"""The keys a student knows an ordering question's items by.

An ordering question's items are choices stored in the right order, and their ids, given in
the order an author wrote them, sort into the answer: a form or an API body that named the
items by id would give it away. So wherever a student is given items to put in order, each
goes by a key drawn from the item and the attempt (or practice item) it is shown in: the same
for as long as that attempt lasts, so that a form posts back and a saved answer shows again,
but carrying no order and different in every attempt. Stored answers and grading keep the
choice ids; the student's surfaces translate at their edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.crypto import salted_hmac

from toolbox.content.models import QuestionKind
from toolbox.errors import InvalidInputError
from toolbox.learning.grading import question_label
from toolbox.learning.models import Attempt

_SALT = "toolbox.learning.item_keys"
# 48 bits: a number every JSON client reads exactly, and far too wide for two items of one
# question to draw the same key.
_KEY_BYTES = 6


def attempt_scope(attempt_id: int) -> str:
    return f"attempt:{attempt_id}"


def practice_scope(practice_item_id: int) -> str:
    return f"practice-item:{practice_item_id}"


def item_key(*, scope: str, choice_id: int) -> int:
    digest = salted_hmac(_SALT, f"{scope}:{choice_id}", algorithm="sha256").digest()
    return int.from_bytes(digest[:_KEY_BYTES], "big")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def order_as_keys(*, scope: str, response: object) -> object:
    """A stored ordering answer ({"order": [choice ids]}) as its student gave it, in keys;
    any other answer as it is."""
    if not isinstance(response, Mapping) or not isinstance(order := response.get("order"), list):
        return response
    keys = [item_key(scope=scope, choice_id=value) if _is_int(value) else value for value in order]
    return {**response, "order": keys}


def order_from_keys(*, scope: str, question: Mapping[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """A student's answer to a snapshot question, its ordering items in keys, in choice ids as
    grading reads it; any other answer as it is. A number that is not the key of one of the
    question's items here is refused (what is not a number is left for grading to refuse)."""
    if question.get("kind") != QuestionKind.ORDERING or not isinstance(order := response.get("order"), list):
        return response
    choice_of_key = {item_key(scope=scope, choice_id=choice["id"]): choice["id"] for choice in question["choices"]}
    choice_ids = []
    for value in order:
        if _is_int(value) and value not in choice_of_key:
            raise InvalidInputError(
                f"The answer to {question_label(question)} names an item that is not one of its items.",
                field="response",
            )
        choice_ids.append(choice_of_key.get(value, value))
    return {**response, "order": choice_ids}


def attempt_answer_from_keys(*, attempt: Attempt, question_id: int, response: dict[str, Any]) -> dict[str, Any]:
    """`order_from_keys` for a question of an attempt; an answer to a question the attempt
    does not hold is left as it is, for the service to refuse."""
    questions = attempt.snapshot.get("questions", []) if isinstance(attempt.snapshot, dict) else []
    question = next((question for question in questions if question.get("id") == question_id), None)
    if question is None:
        return response
    return order_from_keys(scope=attempt_scope(attempt.pk), question=question, response=response)
