"""Many requests at once, through the real pages on PostgreSQL: fifty simultaneous submits
of one attempt grade it once; a hundred students saving and submitting at once lose no
answer and get one attempt each; simultaneous starts never pass the attempt limit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.factories import AssignmentFactory, ClassroomFactory, EnrollmentFactory, SchoolFactory, StudentFactory
from tests.learning.conftest import quiz_with_every_kind, right_response
from toolbox.accounts.models import User
from toolbox.content.models import QuestionKind
from toolbox.learning.models import Answer, Attempt, AttemptStatus, XPEvent
from toolbox.learning.services import attempt_save_answer, attempt_start

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _at_once(work: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(len(work))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(task: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            result = task()
            with lock:
                results.append(result)
        except BaseException as error:  # noqa: BLE001 — collected and asserted on
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(task,)) for task in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def _client_for(student: User) -> Client:
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_fifty_simultaneous_submits_of_one_attempt_grade_it_once() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    student = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(
            student=student, attempt=attempt, question_id=question["id"], response=right_response(question)
        )
    clients = [_client_for(student) for _ in range(50)]
    url = f"/student/attempts/{attempt.pk}/submit/"

    statuses, errors = _at_once(
        [lambda client=client: client.post(url, {"idempotency_key": "double-click"}).status_code for client in clients]
    )

    assert errors == []
    assert sorted(set(statuses)) == [302]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.raw_score == attempt.max_score
    assert Attempt.objects.filter(student=student).count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == 6
    assert XPEvent.objects.filter(student=student, description__startswith="Submitted").count() == 1


def test_a_hundred_students_saving_and_submitting_at_once_lose_nothing() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    students = [
        EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student for _ in range(100)
    ]
    attempts = {student.pk: attempt_start(student=student, assignment=assignment) for student in students}
    short = next(q for q in attempts[students[0].pk].snapshot["questions"] if q["kind"] == QuestionKind.SHORT_ANSWER)
    clients = {student.pk: _client_for(student) for student in students}

    def save_and_submit(student: User) -> tuple[int, int]:
        client, attempt = clients[student.pk], attempts[student.pk]
        saved = client.post(
            f"/student/attempts/{attempt.pk}/save/",
            {"question_id": short["id"], f"q{short['id']}": f"answer of {student.username}"},
        )
        submitted = client.post(f"/student/attempts/{attempt.pk}/submit/", {"idempotency_key": f"k{student.pk}"})
        return saved.status_code, submitted.status_code

    results, errors = _at_once([lambda student=student: save_and_submit(student) for student in students])

    assert errors == []
    assert len(results) == 100
    assert all(saved < 400 and submitted == 302 for saved, submitted in results), results
    assert Attempt.objects.filter(assignment=assignment).count() == 100
    assert not Attempt.objects.filter(assignment=assignment, status=AttemptStatus.IN_PROGRESS).exists()
    texts = dict(
        Answer.objects.filter(attempt__assignment=assignment, question_key=short["id"]).values_list(
            "attempt__student__username", "response__text"
        )
    )
    assert texts == {student.username: f"answer of {student.username}" for student in students}


def test_simultaneous_starts_through_the_page_hold_the_attempt_limit() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    student = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school, max_attempts=1))
    clients = [_client_for(student) for _ in range(20)]

    statuses, errors = _at_once(
        [lambda client=client: client.post(f"/student/quizzes/{assignment.pk}/").status_code for client in clients]
    )

    assert errors == []
    assert set(statuses) == {302}
    assert Attempt.objects.filter(student=student, assignment=assignment).count() == 1
