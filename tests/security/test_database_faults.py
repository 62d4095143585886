"""The database connection drops during a quiz submit, on the page or through the API: the
student is told to try again (a page, or the API's error body with a retry hint), nothing is
half-written, and the retried submit (same idempotency key) grades once.

Two ways to drop it: a statement inside the submit fails as a lost connection does (works
on any database), and — on PostgreSQL — the server really terminates the session from
another connection in the middle of the submit's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection

from tests.security.submits import api_submit, attempt_ready_to_submit, signed_in
from toolbox.learning.models import Answer, Attempt, AttemptStatus, XPEvent
from toolbox.middleware import DATABASE_UNAVAILABLE_DETAIL

KEY = "retry-me-0001"
GRADE_WRITE = 'UPDATE "learning_attempt"'


def _nothing_half_written(attempt: Attempt) -> None:
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.submitted_at is None
    assert attempt.raw_score is None
    assert not Answer.objects.filter(attempt=attempt, points_awarded__isnull=False).exists()
    assert not XPEvent.objects.filter(student=attempt.student).exists()


@contextmanager
def drop_connection_at(statement: str, drop: Callable[[], None]) -> Iterator[list[str]]:
    """Run `drop` just before the first SQL statement containing `statement`, once."""
    dropped: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if statement in sql and not dropped:
            dropped.append(sql)
            drop()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield dropped


def _lost_connection() -> None:
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_a_page_submit_that_loses_the_database_asks_to_try_again_and_the_retry_grades_once() -> None:
    student, attempt = attempt_ready_to_submit()
    client = signed_in(student)
    url = f"/student/attempts/{attempt.pk}/submit/"

    with drop_connection_at(GRADE_WRITE, _lost_connection) as dropped:
        response = client.post(url, {"idempotency_key": KEY})

    assert dropped
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Please try again in a few seconds" in page
    assert "Nothing was half-saved" in page
    _nothing_half_written(attempt)

    retried = client.post(url, {"idempotency_key": KEY})
    again = client.post(url, {"idempotency_key": KEY})

    assert retried.status_code == 302
    assert again.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.raw_score == attempt.max_score
    assert Attempt.objects.filter(student=student).count() == 1
    assert XPEvent.objects.filter(student=student, description__startswith="Submitted").count() == 1
    assert Answer.objects.filter(attempt=attempt, points_awarded__isnull=False).count() == 6


def _terminate_from_another_connection() -> None:
    """Ask the server, over a separate connection, to kill this session's backend."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_terminated_postgresql_session_mid_submit_leaves_nothing_and_the_retry_grades_once() -> None:
    student, attempt = attempt_ready_to_submit()
    client = signed_in(student)
    url = f"/student/attempts/{attempt.pk}/submit/"

    with drop_connection_at(GRADE_WRITE, _terminate_from_another_connection) as dropped:
        response = client.post(url, {"idempotency_key": KEY})

    assert dropped
    assert response.status_code == 503
    assert "Please try again" in response.content.decode()
    _nothing_half_written(attempt)

    retried = client.post(url, {"idempotency_key": KEY})

    assert retried.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert Attempt.objects.filter(student=student).count() == 1


def _asks_to_try_again(response: Any) -> None:
    """The API's one error body, saying that nothing was saved and to try again."""
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": DATABASE_UNAVAILABLE_DETAIL,
        "code": "service_unavailable",
        "errors": [],
        "retry": True,
    }


def _graded_once_with_the_key(attempt: Attempt, *responses: Any) -> None:
    """Every response is the same graded attempt, graded once, under the key the client sent."""
    bodies = [response.json() for response in responses]
    assert [response.status_code for response in responses] == [200] * len(responses)
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["status"] == AttemptStatus.GRADED
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.idempotency_key == KEY
    assert attempt.raw_score == attempt.max_score
    assert Decimal(bodies[0]["raw_score"]) == attempt.raw_score
    assert Attempt.objects.filter(student=attempt.student).count() == 1
    assert XPEvent.objects.filter(student=attempt.student, description__startswith="Submitted").count() == 1
    assert Answer.objects.filter(attempt=attempt, points_awarded__isnull=False).count() == 6


@pytest.mark.django_db
def test_an_api_submit_that_loses_the_database_asks_to_try_again_and_the_retry_with_its_key_grades_once() -> None:
    student, attempt = attempt_ready_to_submit()
    client = signed_in(student)

    with drop_connection_at(GRADE_WRITE, _lost_connection) as dropped:
        response = api_submit(client, attempt.pk, key=KEY)

    assert dropped
    _asks_to_try_again(response)
    _nothing_half_written(attempt)
    assert attempt.idempotency_key == ""

    retried = api_submit(client, attempt.pk, key=KEY)
    again = api_submit(client, attempt.pk, key=KEY)

    _graded_once_with_the_key(attempt, retried, again)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_terminated_postgresql_session_mid_api_submit_leaves_nothing_and_the_retry_grades_once() -> None:
    student, attempt = attempt_ready_to_submit()
    client = signed_in(student)

    with drop_connection_at(GRADE_WRITE, _terminate_from_another_connection) as dropped:
        response = api_submit(client, attempt.pk, key=KEY)

    assert dropped
    _asks_to_try_again(response)
    _nothing_half_written(attempt)

    retried = api_submit(client, attempt.pk, key=KEY)
    again = api_submit(client, attempt.pk, key=KEY)

    _graded_once_with_the_key(attempt, retried, again)


@pytest.mark.django_db
def test_an_api_call_that_loses_the_database_answers_503_with_the_error_body_and_a_retry_hint() -> None:
    student, _attempt = attempt_ready_to_submit()
    client = signed_in(student)

    with drop_connection_at('FROM "accounts_user"', _lost_connection) as dropped:
        response = client.get("/api/v1/me")

    assert dropped
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert body["retry"] is True
    assert body["errors"] == []
    assert "try again" in body["detail"]
    assert client.get("/api/v1/me").status_code == 200
