"""Student pages: who may open them, home, joining a class, lessons, practice, progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    LessonAssignmentFactory,
    ParentFactory,
    QuestionFactory,
    StudentFactory,
)
from tests.factories.content import ChoiceFactory
from tests.factories.learning import (
    AttemptRowFactory,
    BadgeFactory,
    MasteryFactory,
    NotificationFactory,
    PracticeSetFactory,
    StudentBadgeFactory,
    StudentStatsFactory,
)
from tests.students.quizzes import QuizKinds
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, Enrollment
from toolbox.content.models import QuestionKind
from toolbox.learning.item_keys import item_key, practice_scope
from toolbox.learning.models import Assignment, LessonProgress, Notification, PracticeItem

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.mark.parametrize("name", ["students:home", "students:join", "students:progress"])
def test_other_roles_are_refused_and_visitors_sent_to_sign_in(name: str, login: Login, school, client: Client) -> None:
    url = reverse(name)
    assert client.get(url).status_code == 302
    assert login(EducatorFactory(school=school)).get(url).status_code == 403
    assert login(ParentFactory(school=school)).get(url).status_code == 403


def test_home_with_nothing_yet_says_how_to_join(login: Login, student: User) -> None:
    response = login(student).get(reverse("students:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "No work yet" in body
    assert reverse("students:join") in body
    assert "You are all caught up" in body


def test_home_shows_work_level_streak_badges_results_and_practice(
    login: Login, student: User, kinds: QuizKinds, lesson_assignment: Assignment
) -> None:
    StudentStatsFactory(
        student=student, total_xp=350, current_streak=4, longest_streak=6, last_active_on=timezone.now().date()
    )
    StudentBadgeFactory(student=student, badge=BadgeFactory(name="First steps"))
    AttemptRowFactory(assignment=kinds.assignment, student=student, final_percent=80)
    PracticeSetFactory(student=student)
    NotificationFactory(user=student, message="Cells check is due tomorrow")
    overdue = LessonAssignmentFactory(
        classroom=lesson_assignment.classroom,
        available_from=timezone.now() - dt.timedelta(days=5),
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    body = login(student).get(reverse("students:home")).content.decode()
    assert "Level 3" in body  # 350 XP: level 3 starts at 300
    assert "4 days" in body
    assert "First steps" in body
    assert "80%" in body
    assert "Today’s practice" in body
    assert "Cells check is due tomorrow" in body
    assert reverse("students:lesson", args=[lesson_assignment.pk]) in body
    assert "Overdue" in body
    assert overdue.lesson.title in body


def _home_with_data(student: User, classroom: Classroom, count: int) -> None:
    for _ in range(count):
        lesson = LessonAssignmentFactory(classroom=classroom).lesson
        LessonProgress.objects.create(student=student, lesson=lesson, percent=100, completed_at=timezone.now())
        AttemptRowFactory(assignment=AssignmentFactory(classroom=classroom), student=student)
        NotificationFactory(user=student)
        StudentBadgeFactory(student=student)
    PracticeSetFactory(student=student)


@pytest.mark.parametrize("count", [3, 30])
def test_home_answers_in_a_fixed_number_of_queries(
    count: int, login: Login, student: User, classroom: Classroom, django_assert_max_num_queries
) -> None:
    _home_with_data(student, classroom, count)
    client = login(student)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("students:home")).status_code == 200
    # Again with nothing changed: only the signed-in user is read (its data is cached).
    with django_assert_max_num_queries(1):
        assert client.get(reverse("students:home")).status_code == 200


def test_join_with_a_good_code_enrols_the_student(login: Login, student: User) -> None:
    classroom = ClassroomFactory(school=student.school, join_code="K7QA4MZP", name="8C Maths")
    response = login(student).post(reverse("students:join"), {"code": "k7qa-4mzp"}, follow=True)
    assert Enrollment.objects.filter(classroom=classroom, student=student, status="active").exists()
    assert "You joined 8C Maths" in response.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [("NOPE9999", "No class has the code"), ("ARCH1VED", "archived"), ("", "This field is required")],
)
def test_join_errors_sit_next_to_the_field(code: str, message: str, login: Login, student: User) -> None:
    ClassroomFactory(school=student.school, join_code="ARCH1VED", is_archived=True)
    response = login(student).post(reverse("students:join"), {"code": code})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_code_error"' in body
    assert message in body
    assert not Enrollment.objects.filter(student=student).exists()


def test_join_over_htmx_goes_home_as_a_full_page_when_it_works(login: Login, student: User) -> None:
    ClassroomFactory(school=student.school, join_code="K7QA4MZP")
    response = login(student).post(reverse("students:join"), {"code": "K7QA4MZP"}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == reverse("students:home")


def test_join_over_htmx_answers_just_the_form(login: Login, student: User) -> None:
    response = login(student).post(reverse("students:join"), {"code": "NOPE9999"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert b"<html" not in response.content
    assert b"No class has the code" in response.content


def test_lesson_renders_the_sanitised_body_and_records_progress(
    login: Login, student: User, lesson_assignment: Assignment
) -> None:
    client = login(student)
    url = reverse("students:lesson", args=[lesson_assignment.pk])
    body = client.get(url).content.decode()
    assert "<strong>cell</strong>" in body
    assert "Mark as done" in body
    assert "lesson-progress.js" in body
    response = client.post(
        reverse("students:lesson_progress", args=[lesson_assignment.pk]),
        {"percent": "40", "seconds": "30"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"40%" in response.content
    progress = LessonProgress.objects.get(student=student, lesson=lesson_assignment.lesson)
    assert (progress.percent, progress.time_spent_seconds, progress.completed_at) == (40, 30, None)


def test_bad_progress_is_refused_without_a_write(login: Login, student: User, lesson_assignment: Assignment) -> None:
    url = reverse("students:lesson_progress", args=[lesson_assignment.pk])
    assert login(student).post(url, {"percent": "140"}).status_code == 422
    assert not LessonProgress.objects.exists()


def test_mark_as_done_completes_the_lesson_without_javascript(
    login: Login, student: User, lesson_assignment: Assignment
) -> None:
    response = login(student).post(reverse("students:lesson_done", args=[lesson_assignment.pk]), follow=True)
    progress = LessonProgress.objects.get(student=student, lesson=lesson_assignment.lesson)
    assert progress.completed_at is not None
    assert progress.percent == 100
    assert "is done" in response.content.decode()
    assert "Mark as done" not in response.content.decode()


def test_another_class_lesson_is_not_found(login: Login, student: User, school) -> None:
    other = LessonAssignmentFactory(classroom=ClassroomFactory(school=school))
    client = login(student)
    assert client.get(reverse("students:lesson", args=[other.pk])).status_code == 404
    assert client.post(reverse("students:lesson_done", args=[other.pk])).status_code == 404
    assert not LessonProgress.objects.exists()


def test_a_lesson_not_yet_open_is_not_found(login: Login, student: User, classroom: Classroom) -> None:
    later = LessonAssignmentFactory(
        classroom=classroom,
        available_from=timezone.now() + dt.timedelta(days=1),
        due_at=timezone.now() + dt.timedelta(days=3),
    )
    assert login(student).get(reverse("students:lesson", args=[later.pk])).status_code == 404


def test_notifications_are_marked_read_one_by_one_and_all_at_once(login: Login, student: User) -> None:
    first, second = NotificationFactory(user=student), NotificationFactory(user=student)
    someone_elses = NotificationFactory(user=StudentFactory(school=student.school))
    client = login(student)
    response = client.post(reverse("students:notification_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="notifications"' in response.content
    assert b"<html" not in response.content
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert client.post(reverse("students:notification_read", args=[someone_elses.pk])).status_code == 404
    assert client.post(reverse("students:notifications_read_all")).status_code == 302
    assert not Notification.objects.filter(user=student, read_at__isnull=True).exists()
    someone_elses.refresh_from_db()
    assert someone_elses.read_at is None


def test_practice_set_lists_questions_without_giving_the_order_away(login: Login, student: User, school) -> None:
    practice = PracticeSetFactory(student=student)
    ordering = QuestionFactory(kind=QuestionKind.ORDERING, prompt="Order the sizes", accepted_answers=[])
    for position, text in enumerate(["Zebra cell", "Atom", "Molecule"]):
        ChoiceFactory(question=ordering, text=text, position=position, is_correct=False)
    item = PracticeItem.objects.create(practice_set=practice, question=ordering, position=0)
    body = login(student).get(reverse("students:practice_set", args=[practice.pk])).content.decode()
    assert "Order the sizes" in body
    # Listed by the items' keys for this practice item: neither stored nor alphabetical order.
    scope = practice_scope(item.pk)
    listed = sorted(ordering.choices.all(), key=lambda choice: item_key(scope=scope, choice_id=choice.pk))  # pyright: ignore[reportAttributeAccessIssue]
    places = [body.index(f">{choice.text}</label>") for choice in listed]
    assert places == sorted(places)
    other = PracticeSetFactory(student=StudentFactory(school=school))
    assert login(student).get(reverse("students:practice_set", args=[other.pk])).status_code == 404


def test_progress_draws_mastery_as_a_chart_and_a_table(login: Login, student: User) -> None:
    MasteryFactory(
        student=student, objective__code="SCI.7.CELLS", score=0.9, answers_counted=6, mastered_at=timezone.now()
    )
    MasteryFactory(student=student, objective__code="SCI.7.ENERGY", score=0.4)
    body = login(student).get(reverse("students:progress")).content.decode()
    assert "<svg" in body
    assert "<title" in body
    assert "<desc" in body
    assert "SCI.7.CELLS: 90%" in body  # the chart's description reads the numbers out
    assert "<caption>Mastery by objective</caption>" in body
    assert "Mastered" in body


def test_progress_history_is_paginated(login: Login, student: User, kinds: QuizKinds) -> None:
    for number in range(1, 23):
        AttemptRowFactory(assignment=kinds.assignment, student=student, number=number)
    client = login(student)
    first = client.get(reverse("students:progress")).content.decode()
    assert "Older ›" in first
    assert "‹ Newer" not in first
    second = client.get(reverse("students:progress"), {"page": 2}, HTTP_HX_REQUEST="true")
    assert b"<html" not in second.content
    assert "‹ Newer" in second.content.decode()
    assert second.content.decode().count("<tr>") == 1 + 2  # the header row and two attempts
    assert client.get(reverse("students:progress"), {"page": 9}).status_code == 404


@pytest.mark.parametrize("count", [2, 25])
def test_progress_answers_in_a_fixed_number_of_queries(
    count: int, login: Login, student: User, kinds: QuizKinds, django_assert_max_num_queries
) -> None:
    for number in range(1, count + 1):
        AttemptRowFactory(assignment=kinds.assignment, student=student, number=number)
        MasteryFactory(student=student)
        StudentBadgeFactory(student=student)
    client = login(student)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("students:progress")).status_code == 200
