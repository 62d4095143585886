"""Schemathesis fuzzes the live schema through the WSGI app, signed in as each role in turn
(by Clerk bearer token): no answer may be a 5xx, and every answer must conform to the
schema (status code, content type, headers, body). Path ids point at the test school's real
objects so that the generated bodies reach the services rather than stopping at a 404.
Bounded: a few examples per operation, no shrinking beyond what a failure needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import World, bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 5
# Requests made per role; tests/api/conftest.py prints them in the run's summary.
GENERATED: dict[str, int] = {}


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's test client stops it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_ids(world: World) -> dict[str, int]:
    return {
        "class_id": world.classroom.pk,
        "student_id": world.student.pk,
        "lesson_id": world.draft_lesson.pk,
        "quiz_id": world.draft_quiz.pk,
        "question_id": world.question.pk,
        "assignment_id": world.assignment.pk,
        "attempt_id": world.attempt.pk,
        "job_id": world.job.pk,
        "notification_id": world.notification.pk,
    }


# Loaded when the module is collected (the schema view touches no database): schemathesis'
# lazy `from_fixture` loader does not run under pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
# The schema's own examples, then a few generated cases (valid and invalid) per operation;
# no exhaustive coverage phase and no stateful runs, so the whole run stays within minutes.
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION)


BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=dt.timedelta(seconds=10),
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    derandomize=True,
)


def _call_as(role: str, case: schemathesis.Case, world: World) -> None:
    ids = _real_ids(world)
    if case.path_parameters:
        for name in list(case.path_parameters):
            if name in ids:
                case.path_parameters[name] = ids[name]
        if "question_id" in case.path_parameters and "attempt_id" in case.path_parameters:
            case.path_parameters["question_id"] = world.attempt.snapshot["questions"][0]["id"]
    GENERATED[role] = GENERATED.get(role, 0) + 1
    case.call_and_validate(headers=bearer(world.user(role)), checks=CHECKS)  # type: ignore[arg-type]


@schema.parametrize()
@BOUNDED
def test_fuzz_as_student(
    case: schemathesis.Case, world: World, clerk: None, no_throttle: None, connection_kept_open: None
) -> None:
    _call_as("student", case, world)


@schema.parametrize()
@BOUNDED
def test_fuzz_as_educator(
    case: schemathesis.Case, world: World, clerk: None, no_throttle: None, connection_kept_open: None
) -> None:
    _call_as("educator", case, world)


@schema.parametrize()
@BOUNDED
def test_fuzz_as_parent(
    case: schemathesis.Case, world: World, clerk: None, no_throttle: None, connection_kept_open: None
) -> None:
    _call_as("parent", case, world)


@schema.parametrize()
@BOUNDED
def test_fuzz_as_admin(
    case: schemathesis.Case, world: World, clerk: None, no_throttle: None, connection_kept_open: None
) -> None:
    _call_as("admin", case, world)
