"""The home page's data is cached per student (toolbox/freshness.py): every change that the
page shows appears on the very next request, and so does what changes with time alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.classroom.roster_files import roster_csv
from tests.factories import (
    ClassroomFactory,
    EnrollmentFactory,
    LessonAssignmentFactory,
    LessonFactory,
    StudentFactory,
)
from tests.factories.learning import BadgeFactory, StudentBadgeFactory
from tests.learning.conftest import right_response
from tests.students.practice_sets import answer_fields, practice_with_every_kind
from tests.students.quizzes import QuizKinds
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.classroom.services import (
    classroom_archive,
    classroom_join,
    classroom_update,
    enrollment_remove,
    roster_import_commit,
)
from toolbox.content.models import Choice
from toolbox.learning.models import Answer, Assignment, Attempt, Notification
from toolbox.learning.services import (
    assignment_create,
    assignment_update,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    badge_award,
    grade_override,
    lesson_complete,
    lesson_progress_record,
    notification_create,
    notification_mark_read,
    notifications_mark_all_read,
    quiz_regrade,
    xp_grant,
)

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
NO_RESULTS = "Your quiz scores appear here once you have taken a quiz."


def home(client: Client) -> str:
    response = client.get(reverse("students:home"))
    assert response.status_code == 200
    return response.content.decode()


def submitted(student: User, assignment: Assignment, respond: Callable[[dict[str, Any]], dict[str, Any]]) -> Attempt:
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=respond(question))
    return attempt_submit(student=student, attempt=attempt)


def right_but_single_choice(question: dict[str, Any]) -> dict[str, Any]:
    if question["kind"] == "single_choice":
        wrong = next(choice for choice in question["choices"] if not choice["is_correct"])
        return {"choice_id": wrong["id"]}
    return right_response(question)


def test_a_submitted_quiz_shows_at_once(login: Login, student: User, kinds: QuizKinds) -> None:
    client = login(student)
    assert NO_RESULTS in home(client)

    attempt = submitted(student, kinds.assignment, right_response)

    body = home(client)
    assert NO_RESULTS not in body
    assert reverse("students:attempt_result", args=[attempt.pk]) in body
    assert "100%" in body


def test_an_overridden_grade_shows_at_once(login: Login, student: User, kinds: QuizKinds) -> None:
    attempt = submitted(student, kinds.assignment, right_but_single_choice)
    client = login(student)
    assert "83%" in home(client)

    answer = Answer.objects.get(attempt=attempt, question_key=kinds.single.pk)
    grade_override(actor=kinds.assignment.classroom.owner, answer=answer, points=Decimal("1"), reason="Fair enough")

    body = home(client)
    assert "100%" in body
    assert "83%" not in body


def test_a_regraded_quiz_shows_at_once(login: Login, student: User, kinds: QuizKinds) -> None:
    submitted(student, kinds.assignment, right_response)
    client = login(student)
    assert "100%" in home(client)

    for choice in Choice.objects.filter(question=kinds.single):
        choice.is_correct = not choice.is_correct
        choice.save()
    assert quiz_regrade(actor=kinds.assignment.classroom.owner, quiz=kinds.quiz) == 1

    body = home(client)
    assert "83%" in body
    assert "100%" not in body


def test_work_set_changed_and_deleted_shows_at_once(login: Login, student: User, classroom: Classroom) -> None:
    client = login(student)
    home(client)
    lesson = LessonFactory(school=classroom.school, title="Osmosis explained")
    now = timezone.now()

    assignment = assignment_create(
        actor=classroom.owner,
        classroom=classroom,
        lesson=lesson,
        available_from=now - dt.timedelta(hours=1),
        due_at=now + dt.timedelta(days=2),
    )
    body = home(client)
    assert "Osmosis explained" in body
    assert "New work in 7B Science: Osmosis explained" in body
    assert "Later" not in body

    assignment_update(actor=classroom.owner, assignment=assignment, due_at=now + dt.timedelta(days=20))
    assert "Later" in home(client)

    assignment.delete()
    assert 'class="todo-title"' not in home(client)


def test_joining_leaving_and_a_roster_import_show_at_once(login: Login, student: User) -> None:
    classroom = ClassroomFactory(school=student.school, join_code="K7QA4MZP", name="8C Maths")
    LessonAssignmentFactory(classroom=classroom, lesson__title="Fractions")
    client = login(student)
    assert "Fractions" not in home(client)

    classroom_join(student=student, code="K7QA4MZP")
    assert "Fractions" in home(client)

    enrollment_remove(actor=classroom.owner, classroom=classroom, student=student)
    assert "Fractions" not in home(client)

    row = (student.first_name, student.last_name, "", student.username, "7", "")
    roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=roster_csv([row]))
    assert "Fractions" in home(client)


def test_a_renamed_then_archived_class_shows_at_once(
    login: Login, student: User, classroom: Classroom, lesson_assignment: Assignment
) -> None:
    client = login(student)
    assert "7B Science" in home(client)

    classroom_update(actor=classroom.owner, classroom=classroom, name="7B Biology")
    body = home(client)
    assert "7B Biology" in body
    assert "7B Science" not in body

    classroom_archive(actor=classroom.owner, classroom=classroom)
    assert lesson_assignment.lesson.title not in home(client)


def test_notifications_sent_and_read_show_at_once(login: Login, student: User) -> None:
    client = login(student)
    assert "You are all caught up" in home(client)

    notification_create(user=student, kind="reminder", message="Cells check is due tomorrow", dedupe_key="due:1")
    body = home(client)
    assert "Cells check is due tomorrow" in body
    assert "1 new" in body

    notification_mark_read(user=student, notification=Notification.objects.get(user=student))
    assert "1 new" not in home(client)

    for number in (2, 3):
        notification_create(user=student, kind="reminder", message=f"Reminder {number}", dedupe_key=f"due:{number}")
    assert "2 new" in home(client)
    notifications_mark_all_read(user=student)
    assert " new</span>" not in home(client)


def test_reading_progress_xp_badges_and_streak_show_at_once(
    login: Login, student: User, lesson_assignment: Assignment
) -> None:
    client = login(student)
    body = home(client)
    assert "In progress" not in body
    assert "0 days" in body

    lesson_progress_record(student=student, lesson=lesson_assignment.lesson, percent=40)
    assert "In progress" in home(client)

    lesson_complete(student=student, lesson=lesson_assignment.lesson)
    body = home(client)
    assert "15 XP" in body
    assert "1 day<" in body
    assert "First lesson" in body
    assert "Done recently" in body

    # XP on its own is a bulk update of the running total, which sends no signal.
    xp_grant(student=student, source="bonus:1", amount=5, description="Helped a classmate")
    assert "20 XP" in home(client)


def test_a_practice_answer_shows_at_once(login: Login, student: User, kinds: QuizKinds) -> None:
    sheet = practice_with_every_kind(student, kinds)
    client = login(student)
    assert "Open today’s practice" in home(client)

    client.post(
        reverse("students:practice_answer", args=[sheet.practice.pk, sheet.items["single"].pk]),
        answer_fields(sheet, "single", right=True),
    )

    assert "1 answered so far" in home(client)


def test_a_badge_awarded_on_its_own_shows_at_once(login: Login, student: User) -> None:
    """Awards and their notices are written in bulk (no signal)."""
    client = login(student)
    assert "First quiz" not in home(client)

    badge_award(student=student, code="first_quiz")

    body = home(client)
    assert "<strong>First quiz</strong>" in body
    assert "You earned the “First quiz” badge" in body


def test_an_edited_title_of_assigned_work_shows_at_once(login: Login, student: User, kinds: QuizKinds) -> None:
    client = login(student)
    assert "Cells check" in home(client)

    kinds.quiz.title = "Cells and organelles check"
    kinds.quiz.save()

    assert "Cells and organelles check" in home(client)


def test_a_renamed_badge_shows_at_once_for_everyone_who_has_it(login: Login, student: User) -> None:
    badge = BadgeFactory(name="First steps")
    classmate = StudentFactory(school=student.school)
    StudentBadgeFactory(student=student, badge=badge)
    StudentBadgeFactory(student=classmate, badge=badge)
    clients = [login(student), Client()]
    clients[1].force_login(classmate, backend="django.contrib.auth.backends.ModelBackend")
    assert all("First steps" in home(client) for client in clients)

    badge.name = "Off the mark"
    badge.save()

    assert all("Off the mark" in home(client) for client in clients)


def test_a_result_moved_to_another_student_leaves_the_first_ones_page(
    login: Login, student: User, classroom: Classroom, kinds: QuizKinds
) -> None:
    """The admin console can move a row to another student: both pages change."""
    attempt = submitted(student, kinds.assignment, right_response)
    classmate = EnrollmentFactory(classroom=classroom).student
    client = login(student)
    result_url = reverse("students:attempt_result", args=[attempt.pk])
    assert result_url in home(client)

    moved = Attempt.objects.get(pk=attempt.pk)
    moved.student = classmate
    moved.save()

    assert result_url not in home(client)


def test_work_moves_along_as_time_passes_without_any_change(login: Login, student: User, classroom: Classroom) -> None:
    now = timezone.now()
    LessonAssignmentFactory(
        classroom=classroom,
        lesson__title="Photosynthesis",
        available_from=now + dt.timedelta(days=1),
        due_at=now + dt.timedelta(days=3),
    )
    client = login(student)
    assert "Photosynthesis" not in home(client)

    with time_machine.travel(now + dt.timedelta(days=2), tick=False):
        body = home(client)
        assert "Photosynthesis" in body
        assert "1 thing due this week" in body

    with time_machine.travel(now + dt.timedelta(days=4), tick=False):
        body = home(client)
        assert "Overdue" in body
        assert "You have 1 overdue piece of work" in body
