"""The quiz flow's queries do not depend on the quiz: a submit costs the same whatever the
number of questions, objectives and XP awards, plus a fixed two when it earns badges (one
insert for the awards and one for their notices, however many). Starting and saving an
answer have budgets of their own. Counted through the student pages and the API; each
service's transaction counts two (SAVEPOINT and RELEASE here, BEGIN and COMMIT in production)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from tests.factories import ClassroomFactory, EnrollmentFactory, StudentFactory
from tests.factories.learning import StudentBadgeFactory, StudentStatsFactory
from tests.learning.quiz_sizes import assignment_of_size, single_choice_response
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.learning.models import Assignment, Attempt, Badge, Notification, StudentBadge, XPEvent
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db

# A submit through the pages, once the student has been active before (their stats row
# exists) and meets the quiz's objectives for the first time: the user and the attempt (2;
# the session comes from the cache); the service's transaction (2); the attempt locked, its
# answers, their grades written, the attempt updated (4); the mastery rows locked, the
# objectives without a row checked, their rows made and locked, all written (5); the stats
# locked, the XP sources already paid, the new XP, the badges held and the counts they
# need, the stats written (5).
PAGE_SUBMIT = 18
# The API returns the graded attempt: it and its answers are read back (2).
API_SUBMIT = PAGE_SUBMIT + 2
# Earning any number of badges: one insert for the awards, one for their notifications.
BADGES_EARNED = 2
# Meeting the objectives again: their rows exist, so they are neither checked nor made (3).
OBJECTIVES_MET_BEFORE = -3

START_BUDGETS = {"page": 13, "api": 15}
SAVE_BUDGETS = {"page": 7, "api": 7}


@dataclass(frozen=True)
class Submit:
    objectives: int
    per_objective: int
    badges_held: tuple[str, ...]
    all_right: bool
    badges_earned: tuple[str, ...]


SUBMITS = {
    "1 objective, no badge": Submit(1, 2, ("first_quiz",), all_right=False, badges_earned=()),
    "5 objectives, no badge": Submit(
        5, 5, ("first_quiz", "perfect_score", "mastered_5"), all_right=True, badges_earned=()
    ),
    "1 objective, 1 badge": Submit(1, 2, (), all_right=False, badges_earned=("first_quiz",)),
    "5 objectives, 3 badges": Submit(
        5, 5, (), all_right=True, badges_earned=("first_quiz", "mastered_5", "perfect_score")
    ),
}


@pytest.fixture
def classroom(educator: User) -> Classroom:
    return ClassroomFactory(school=educator.school, owner=educator)


def _returning_student(classroom: Classroom, badges_held: tuple[str, ...] = ()) -> tuple[User, Client]:
    student = StudentFactory(school=classroom.school)
    EnrollmentFactory(classroom=classroom, student=student)
    StudentStatsFactory(student=student)
    for code in badges_held:
        StudentBadgeFactory(student=student, badge=Badge.objects.get(code=code))
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    return student, client


def _answered_attempt(student: User, assignment: Assignment, *, all_right: bool) -> Attempt:
    attempt = attempt_start(student=student, assignment=assignment)
    for number, question in enumerate(attempt.snapshot["questions"]):
        response = single_choice_response(question, right=all_right or number > 0)
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=response)
    return attempt


def _submit(surface: str, client: Client, attempt: Attempt) -> Any:
    if surface == "page":
        return client.post(f"/student/attempts/{attempt.pk}/submit/", {"idempotency_key": "once"})
    return client.post(f"/api/v1/attempts/{attempt.pk}/submit")


@pytest.mark.parametrize("surface", ["page", "api"])
@pytest.mark.parametrize("case", list(SUBMITS))
def test_a_submit_costs_the_same_queries_whatever_the_quiz(
    case: str, surface: str, classroom: Classroom, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    submit = SUBMITS[case]
    student, client = _returning_student(classroom, submit.badges_held)
    assignment = assignment_of_size(classroom, objectives=submit.objectives, per_objective=submit.per_objective)
    attempt = _answered_attempt(student, assignment, all_right=submit.all_right)
    expected = (PAGE_SUBMIT if surface == "page" else API_SUBMIT) + (BADGES_EARNED if submit.badges_earned else 0)

    with django_assert_num_queries(expected):
        response = _submit(surface, client, attempt)

    assert response.status_code == (302 if surface == "page" else 200)
    earned = StudentBadge.objects.filter(student=student).exclude(badge__code__in=submit.badges_held)
    assert sorted(earned.values_list("badge__code", flat=True)) == sorted(submit.badges_earned)
    assert Notification.objects.filter(user=student, kind="badge").count() == len(submit.badges_earned)
    mastery_xp = submit.objectives if submit.all_right else 0
    assert XPEvent.objects.filter(student=student).count() == 1 + mastery_xp


def test_a_second_attempt_meets_its_objectives_again_for_fewer_queries(
    classroom: Classroom, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    student, client = _returning_student(classroom, ("first_quiz", "perfect_score", "mastered_5"))
    assignment = assignment_of_size(classroom, objectives=5, per_objective=5, max_attempts=2)
    attempt_submit(student=student, attempt=_answered_attempt(student, assignment, all_right=True))
    again = _answered_attempt(student, assignment, all_right=False)

    with django_assert_num_queries(PAGE_SUBMIT + OBJECTIVES_MET_BEFORE):
        response = _submit("page", client, again)

    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == "graded"


def _start(surface: str, client: Client, assignment: Assignment) -> Any:
    if surface == "page":
        return client.post(f"/student/quizzes/{assignment.pk}/")
    return client.post(f"/api/v1/assignments/{assignment.pk}/attempts")


def _save(surface: str, client: Client, attempt: Attempt, question: dict[str, Any], *, right: bool) -> Any:
    choice_id = single_choice_response(question, right=right)["choice_id"]
    if surface == "page":
        return client.post(
            f"/student/attempts/{attempt.pk}/save/",
            {"question_id": question["id"], f"q{question['id']}": choice_id},
            headers={"HX-Request": "true"},
        )
    return client.put(
        f"/api/v1/attempts/{attempt.pk}/answers/{question['id']}",
        {"response": {"choice_id": choice_id}},
        content_type="application/json",
    )


@pytest.mark.parametrize("surface", ["page", "api"])
@pytest.mark.parametrize("objectives", [1, 5])
def test_starting_and_saving_stay_within_their_budgets_whatever_the_quiz(
    surface: str,
    objectives: int,
    classroom: Classroom,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    student, client = _returning_student(classroom)
    assignment = assignment_of_size(classroom, objectives=objectives, per_objective=5)

    with django_assert_max_num_queries(START_BUDGETS[surface]):
        started = _start(surface, client, assignment)
    with django_assert_max_num_queries(START_BUDGETS[surface]):
        resumed = _start(surface, client, assignment)
    attempt = Attempt.objects.get(student=student, assignment=assignment)
    question = attempt.snapshot["questions"][0]
    with django_assert_max_num_queries(SAVE_BUDGETS[surface]):
        first = _save(surface, client, attempt, question, right=False)
    with django_assert_max_num_queries(SAVE_BUDGETS[surface]):
        again = _save(surface, client, attempt, question, right=True)

    assert started.status_code == resumed.status_code == (302 if surface == "page" else 201)
    assert first.status_code == again.status_code == 200
    saved = attempt.answers.get()  # pyright: ignore[reportAttributeAccessIssue]
    assert saved.response == single_choice_response(question, right=True)
    assert saved.question_id == question["id"]
