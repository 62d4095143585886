"""The schedules read in a fixed number of queries whatever the number of rows: a chunk of
practice sets, and the digests of a school's parents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import AssignmentFactory, ParentFactory, ParentLinkFactory
from tests.schedules.conftest import Learner
from toolbox.accounts.models import School
from toolbox.content.models import Question
from toolbox.learning.digests import parent_digests_build
from toolbox.learning.models import PracticeSet
from toolbox.learning.services.practice import practice_sets_create

MakeLearner = Callable[..., Learner]
MakeBank = Callable[..., list[Question]]
NOW = dt.datetime(2026, 1, 18, 23, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("students", [10, 200])
def test_a_chunk_of_practice_sets_takes_a_fixed_number_of_queries(
    students: int,
    chicago: School,
    make_learner: MakeLearner,
    make_bank: MakeBank,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    first = make_learner(chicago)
    make_bank(chicago, first.objective, 6)
    ids = [first.student.pk] + [
        make_learner(chicago, objective=first.objective, classroom=first.classroom).student.pk
        for _ in range(students - 1)
    ]
    # Eight reads and one transaction; SQLite splits the bulk inserts into a few batches.
    with django_assert_max_num_queries(20):
        summary = practice_sets_create(student_ids=ids, for_date=NOW.date())
    assert summary.handled == students
    assert PracticeSet.objects.count() == students


@pytest.mark.parametrize("parents", [10, 200])
def test_digests_of_a_school_take_a_fixed_number_of_queries(
    parents: int, chicago: School, make_learner: MakeLearner, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    learner = make_learner(chicago)
    AssignmentFactory(
        classroom=learner.classroom, available_from=NOW - dt.timedelta(days=3), due_at=NOW - dt.timedelta(hours=1)
    )
    people = []
    for _ in range(parents):
        parent = ParentFactory(school=chicago)
        child = make_learner(chicago, objective=learner.objective, classroom=learner.classroom).student
        ParentLinkFactory(parent=parent, student=child)
        people.append(parent)
    with django_assert_max_num_queries(12):
        digests = parent_digests_build(parents=people, now=NOW, school=chicago)
    assert len(digests) == parents
    assert all(len(digest.children[0].missing) == 1 for digest in digests)
