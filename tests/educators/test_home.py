"""The educator's home: classes with student counts, the review queue, what is due this
week, recent submissions; empty states; a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.educators.conftest import enrol
from tests.factories import ClassroomFactory, QuizFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.content.models import ContentSource, ContentStatus
from toolbox.learning.models import Assignment, Attempt

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def test_home_shows_classes_review_queue_due_work_and_submissions(
    login: Login,
    educator: User,
    classroom: Classroom,
    assignment: Assignment,
    take_quiz: Callable[..., Attempt],
) -> None:
    student = enrol(classroom, 4)[0]
    take_quiz(student, assignment)
    QuizFactory(school=educator.school, status=ContentStatus.IN_REVIEW)
    QuizFactory(school=educator.school, status=ContentStatus.DRAFT, source=ContentSource.AI)
    ClassroomFactory(school=educator.school, name="Not my class")

    response = login(educator).get(reverse("educators:home"))

    body = response.content.decode()
    home = response.context["home"]
    assert response.status_code == 200
    assert "7B Science" in body
    assert "Not my class" not in body
    assert [card.student_count for card in home.classes] == [4]
    assert home.review_queue_count == 2
    assert "Cells quiz" in body
    assert "1 of 4 handed in" in body
    assert student.name in body
    assert "100%" in body
    attempt = Attempt.objects.get(student=student)
    assert reverse("educators:attempt_open", args=[attempt.pk]) in body


def test_a_new_educator_is_told_what_to_do_first(login: Login, educator: User) -> None:
    body = login(educator).get(reverse("educators:home")).content.decode()
    assert "No classes yet" in body
    assert "Nothing due this week" in body
    assert "No submissions yet" in body
    assert reverse("educators:class_create") in body


@pytest.mark.parametrize("size", [10, 60])
def test_home_runs_a_fixed_number_of_queries(
    login: Login,
    educator: User,
    classroom: Classroom,
    assignment: Assignment,
    take_quiz: Callable[..., Attempt],
    size: int,
    django_assert_max_num_queries,
) -> None:
    for student in enrol(classroom, size)[:3]:
        take_quiz(student, assignment)
    ClassroomFactory(school=educator.school, owner=educator)
    client = login(educator)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("educators:home"))
    assert response.status_code == 200
