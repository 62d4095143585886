"""Quiz submits under stress, shared by the fault and concurrency tests: an attempt with every
answer saved, a signed-in client, a submit through the API, and work started at one instant
on many threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from tests.factories import AssignmentFactory, ClassroomFactory, EnrollmentFactory, SchoolFactory, StudentFactory
from tests.learning.conftest import quiz_with_every_kind, right_response
from toolbox.accounts.models import User
from toolbox.learning.models import Attempt
from toolbox.learning.services import attempt_save_answer, attempt_start


def attempt_ready_to_submit() -> tuple[User, Attempt]:
    """A student's attempt at a six-question quiz, every answer saved and right."""
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school)
    student = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(
            student=student, attempt=attempt, question_id=question["id"], response=right_response(question)
        )
    return student, attempt


class ServerLikeClient(Client):
    """Gives its thread's database connection back to the pool after each request, as the
    server does. Django's test client keeps it for the next request, so a hundred threads
    making several requests each would hold the ten-connection pool for their whole run and
    wait out its timeout. For tests whose transactions commit (transaction=True) only."""

    def request(self, **request: Any) -> Any:
        try:
            return super().request(**request)
        finally:
            connection.close()


def signed_in(user: User, *, client_class: type[Client] = Client) -> Client:
    client = client_class()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def api_submit(client: Client, attempt_id: int, *, key: str) -> Any:
    return client.post(f"/api/v1/attempts/{attempt_id}/submit", headers={"Idempotency-Key": key})


def at_once(work: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run each task on its own thread, all released together; their results and errors."""
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
