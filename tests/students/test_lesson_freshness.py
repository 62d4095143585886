"""The lesson page's data is cached per student and lesson (toolbox/freshness.py): progress,
the lesson itself and who may read it change on the very next request, and so does whether
the lesson has opened yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import LessonAssignmentFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.classroom.services import classroom_archive, enrollment_remove
from toolbox.content.services import content_archive
from toolbox.learning.models import Assignment
from toolbox.learning.services import lesson_progress_record

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def lesson_page(client: Client, assignment: Assignment) -> tuple[int, str]:
    response = client.get(reverse("students:lesson", args=[assignment.pk]))
    return response.status_code, response.content.decode()


def test_reading_progress_shows_at_once(login: Login, student: User, lesson_assignment: Assignment) -> None:
    client = login(student)
    assert 'data-start-percent="0"' in lesson_page(client, lesson_assignment)[1]

    lesson_progress_record(student=student, lesson=lesson_assignment.lesson, percent=60)

    assert 'data-start-percent="60"' in lesson_page(client, lesson_assignment)[1]


def test_a_new_due_date_shows_at_once(login: Login, student: User, lesson_assignment: Assignment) -> None:
    client = login(student)
    lesson_page(client, lesson_assignment)

    lesson_assignment.due_at = dt.datetime(2031, 5, 6, 17, 0, tzinfo=dt.UTC)
    lesson_assignment.save()

    assert "due Tue 6 May, 17:00" in lesson_page(client, lesson_assignment)[1]


@pytest.mark.parametrize("change", ["removed from the class", "class archived", "lesson archived"])
def test_a_lesson_the_student_may_no_longer_read_is_not_found_at_once(
    change: str, login: Login, student: User, classroom: Classroom, lesson_assignment: Assignment
) -> None:
    client = login(student)
    assert lesson_page(client, lesson_assignment)[0] == 200

    if change == "removed from the class":
        enrollment_remove(actor=classroom.owner, classroom=classroom, student=student)
    elif change == "class archived":
        classroom_archive(actor=classroom.owner, classroom=classroom)
    else:
        content_archive(actor=classroom.owner, content=lesson_assignment.lesson)

    assert lesson_page(client, lesson_assignment)[0] == 404


def test_a_lesson_opens_when_its_time_comes(login: Login, student: User, classroom: Classroom) -> None:
    now = timezone.now()
    later = LessonAssignmentFactory(
        classroom=classroom, available_from=now + dt.timedelta(days=1), due_at=now + dt.timedelta(days=3)
    )
    client = login(student)
    assert lesson_page(client, later)[0] == 404

    with time_machine.travel(now + dt.timedelta(days=2), tick=False):
        assert lesson_page(client, later)[0] == 200
