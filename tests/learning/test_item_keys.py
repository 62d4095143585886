"""The keys ordering items go by: stable within an attempt, different across attempts, in no
order, and translated back to the choice ids that grading reads."""

from __future__ import annotations

import pytest

from toolbox.errors import InvalidInputError
from toolbox.learning.item_keys import attempt_scope, item_key, order_as_keys, order_from_keys, practice_scope

CHOICE_IDS = [101, 102, 103, 104, 105, 106]
ORDERING = {"id": 9, "kind": "ordering", "prompt": "Smallest first.", "choices": [{"id": pk} for pk in CHOICE_IDS]}


def _keys(scope: str) -> list[int]:
    return [item_key(scope=scope, choice_id=pk) for pk in CHOICE_IDS]


def test_a_key_holds_for_its_attempt_and_differs_in_another() -> None:
    assert _keys(attempt_scope(1)) == _keys(attempt_scope(1))
    assert not set(_keys(attempt_scope(1))) & set(_keys(attempt_scope(2)))
    assert not set(_keys(attempt_scope(1))) & set(_keys(practice_scope(1)))


def test_the_keys_carry_no_order() -> None:
    """Sorted by their keys, six items fall in a different order in nearly every attempt."""
    orders = set()
    for attempt_id in range(50):
        key_of = dict(zip(CHOICE_IDS, _keys(attempt_scope(attempt_id)), strict=True))
        orders.add(tuple(sorted(CHOICE_IDS, key=key_of.__getitem__)))
    assert len(orders) > 25


def test_an_answer_in_keys_comes_back_in_choice_ids_and_goes_out_in_keys_again() -> None:
    scope = attempt_scope(7)
    right = {"order": CHOICE_IDS}
    in_keys = order_as_keys(scope=scope, response=right)
    assert in_keys == {"order": _keys(scope)}
    assert isinstance(in_keys, dict)
    assert order_from_keys(scope=scope, question=ORDERING, response=in_keys) == right


def test_a_number_that_is_no_key_of_this_attempt_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="not one of its items"):
        order_from_keys(scope=attempt_scope(7), question=ORDERING, response={"order": CHOICE_IDS})
    with pytest.raises(InvalidInputError, match="not one of its items"):
        order_from_keys(scope=attempt_scope(7), question=ORDERING, response={"order": _keys(attempt_scope(8))})


def test_other_answers_pass_as_they_are() -> None:
    scope = attempt_scope(7)
    assert order_as_keys(scope=scope, response={"choice_id": 101}) == {"choice_id": 101}
    assert order_as_keys(scope=scope, response=None) is None
    single = {**ORDERING, "kind": "single_choice"}
    assert order_from_keys(scope=scope, question=single, response={"choice_id": 101}) == {"choice_id": 101}
    not_numbers = {"order": ["a", True]}
    assert order_from_keys(scope=scope, question=ORDERING, response=not_numbers) == not_numbers
