"""The parent overview's data is cached per family (toolbox/freshness.py): a child's new
work or score, a new link and a change to what a link shares appear on the very next
request, and so does work that becomes missing as time passes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EnrollmentFactory,
    ParentLinkFactory,
    StudentFactory,
)
from tests.factories.content import LearningObjectiveFactory
from tests.factories.learning import AttemptRowFactory
from toolbox.accounts.models import ParentLink, User
from toolbox.classroom.models import Classroom
from toolbox.learning.models import Answer
from toolbox.learning.services.progress import mastery_update

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def overview(client: Client) -> str:
    response = client.get(reverse("parents:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def child(parent: User) -> User:
    child = StudentFactory(school=parent.school, first_name="Amara", last_name="Okafor", display_name="")
    ParentLinkFactory(parent=parent, student=child)
    return child


@pytest.fixture
def classroom(child: User) -> Classroom:
    classroom = ClassroomFactory(school=child.school, name="7B Science")
    EnrollmentFactory(classroom=classroom, student=child)
    return classroom


def test_a_childs_new_work_and_score_show_at_once(
    login: Login, parent: User, child: User, classroom: Classroom
) -> None:
    client = login(parent)
    assert "No quiz scores yet." in overview(client)

    quiz = AssignmentFactory(classroom=classroom, quiz__title="Cells check")
    assert "Cells check" in overview(client)

    AttemptRowFactory(assignment=quiz, student=child, final_percent=Decimal("87"))
    assert "87%" in overview(client)


def test_a_new_link_and_a_link_that_stops_sharing_grades_show_at_once(
    login: Login, parent: User, child: User, classroom: Classroom
) -> None:
    AttemptRowFactory(assignment=AssignmentFactory(classroom=classroom), student=child, final_percent=Decimal("87"))
    client = login(parent)
    assert "87%" in overview(client)

    ParentLink.objects.filter(parent=parent, student=child).get().delete()
    ParentLinkFactory(parent=parent, student=child, can_view_grades=False)
    sibling = StudentFactory(school=parent.school, first_name="Kofi", last_name="Okafor", display_name="")
    ParentLinkFactory(parent=parent, student=sibling)

    body = overview(client)
    assert "87%" not in body
    assert "The school has not shared grades through this link." in body
    assert "Kofi Okafor" in body


def test_mastery_recorded_in_bulk_shows_at_once(login: Login, parent: User, child: User) -> None:
    """Mastery rows are written in bulk (no signal): the family's data must still be rebuilt."""
    objective = LearningObjectiveFactory()
    client = login(parent)
    assert '0<span class="small muted"> / 0</span>' in overview(client)

    mastery_update(
        student=child,
        questions=[{"id": 1, "objective_id": objective.pk}],
        answers=[Answer(question_key=1, is_correct=True, needs_review=False)],
    )

    assert '0<span class="small muted"> / 1</span>' in overview(client)


def test_work_becomes_missing_as_time_passes(login: Login, parent: User, classroom: Classroom) -> None:
    now = timezone.now()
    AssignmentFactory(classroom=classroom, quiz__title="Energy quiz", due_at=now + dt.timedelta(days=1))
    client = login(parent)
    assert "Missing (" not in overview(client)

    with time_machine.travel(now + dt.timedelta(days=2), tick=False):
        assert "Missing (1)" in overview(client)
