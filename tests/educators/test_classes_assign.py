"""Setting work: a class, published work, dates in the school's time zone, late and score
policies; errors next to their fields."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ClassroomFactory, LessonFactory, QuizFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.content.models import ContentStatus, Quiz
from toolbox.learning.models import Assignment

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def _data(classroom: Classroom, content: str, **changes: str) -> dict[str, str]:
    data = {
        "classroom": str(classroom.pk),
        "content": content,
        "available_from": "2030-03-02T08:00",
        "due_at": "2030-03-06T17:00",
        "close_at": "",
        "accept_late": "on",
        "late_penalty_percent_per_day": "10",
        "max_late_penalty_percent": "50",
        "score_policy": "best",
    }
    data.update(changes)
    return data


def test_the_form_offers_my_classes_and_published_work_only(
    login: Login, educator: User, classroom: Classroom, quiz: Quiz
) -> None:
    ClassroomFactory(school=educator.school, name="Not mine")
    QuizFactory(school=educator.school, title="Draft quiz", status=ContentStatus.DRAFT)
    lesson = LessonFactory(school=educator.school, title="Cells lesson")

    body = login(educator).get(reverse("educators:assign"), {"classroom": classroom.pk}).content.decode()

    assert f'<option value="{classroom.pk}" selected>7B Science</option>' in body
    assert "Not mine" not in body
    assert "Draft quiz" not in body
    assert f'value="quiz:{quiz.pk}"' in body
    assert f'value="lesson:{lesson.pk}"' in body


def test_assigning_a_quiz_reads_dates_in_the_school_time_zone(
    login: Login, educator: User, classroom: Classroom, quiz: Quiz
) -> None:
    school = educator.school
    assert school is not None
    school.time_zone = "America/Chicago"
    school.save()

    response = login(educator).post(
        reverse("educators:assign"), _data(classroom, f"quiz:{quiz.pk}", score_policy="last", accept_late="")
    )

    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:gradebook", args=[classroom.pk])
    assert assignment.quiz == quiz
    assert assignment.score_policy == "last"
    assert not assignment.accept_late
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    assert assignment.due_at == dt.datetime(2030, 3, 6, 17, 0, tzinfo=chicago)


def test_a_due_date_before_the_opening_is_shown_by_the_due_field(
    login: Login, educator: User, classroom: Classroom, quiz: Quiz
) -> None:
    response = login(educator).post(
        reverse("educators:assign"), _data(classroom, f"quiz:{quiz.pk}", due_at="2030-03-01T08:00")
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_due_at_error"' in body
    assert "The due date must come after" in body
    assert not Assignment.objects.exists()


def test_a_penalty_over_100_is_an_error_by_its_field(
    login: Login, educator: User, classroom: Classroom, quiz: Quiz
) -> None:
    response = login(educator).post(
        reverse("educators:assign"), _data(classroom, f"quiz:{quiz.pk}", late_penalty_percent_per_day="150")
    )
    assert response.status_code == 422
    assert 'id="id_late_penalty_percent_per_day_error"' in response.content.decode()


def test_another_teachers_class_cannot_be_chosen(
    login: Login, educator: User, classroom: Classroom, quiz: Quiz
) -> None:
    theirs = ClassroomFactory(school=educator.school)
    response = login(educator).post(reverse("educators:assign"), _data(theirs, f"quiz:{quiz.pk}"))
    assert response.status_code == 422
    assert 'id="id_classroom_error"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_without_a_class_the_page_says_to_create_one(login: Login, educator: User) -> None:
    body = login(educator).get(reverse("educators:assign")).content.decode()
    assert "Create a class first" in body
