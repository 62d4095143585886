"""Queries and in-process CPU time of the quiz flow (start, save an answer, submit), through
the student pages and the API, for a small and a large quiz.

Not collected with the suite (the file name does not start with `test_`) and asserts no
time: run it by hand and read the figures it prints, e.g.
`DATABASE_URL=postgres://… venv/bin/python -m pytest tests/learning/bench_submit.py -s -q`
(`BENCH_SHOW_SQL=1` also prints each query of a submit).
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import ClassroomFactory, EnrollmentFactory, StudentFactory
from tests.learning.quiz_sizes import assignment_of_size, single_choice_response
from toolbox.accounts.models import User
from toolbox.learning.models import Attempt, StudentBadge
from toolbox.learning.services import badge_award

pytestmark = pytest.mark.django_db

SUBMITS = 50
SIZES = {"small": (1, 4), "large": (5, 5)}


def _counted(label: str, client: Client, method: str, url: str, **kwargs: Any) -> Any:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 400, response.content
    print(f"  {label:<28} {len(queries):>3} queries")
    if os.environ.get("BENCH_SHOW_SQL"):
        for query in queries.captured_queries:
            print(f"      {query['sql'][:160]}")
    return response


def _student(classroom: Any, *, seasoned: bool) -> tuple[User, Client]:
    student = StudentFactory(school=classroom.school)
    EnrollmentFactory(classroom=classroom, student=student)
    if seasoned:
        badge_award(student=student, code="first_quiz")
    client = Client()
    client.force_login(student, backend="django.contrib.auth.backends.ModelBackend")
    return student, client


def _through_the_pages(client: Client, student: User, assignment: Any, *, seasoned: bool) -> None:
    _counted("start", client, "post", f"/student/quizzes/{assignment.pk}/")
    attempt = Attempt.objects.get(student=student, assignment=assignment)
    url = f"/student/attempts/{attempt.pk}"
    _counted("player page", client, "get", f"{url}/")
    for number, question in enumerate(attempt.snapshot["questions"]):
        choice = single_choice_response(question, right=not (seasoned and number == 0))["choice_id"]
        data = {"question_id": question["id"], f"q{question['id']}": choice}
        if number == 0:
            _counted("autosave one answer", client, "post", f"{url}/save/", data=data, headers={"HX-Request": "true"})
        else:
            client.post(f"{url}/save/", data, headers={"HX-Request": "true"})
    _counted("submit (confirm page)", client, "get", f"{url}/submit/")
    _counted("submit", client, "post", f"{url}/submit/", data={"idempotency_key": "k"})
    _counted("result page", client, "get", f"{url}/result/")


def _through_the_api(client: Client, assignment: Any, *, seasoned: bool) -> None:
    api = "/api/v1"
    attempt_id = _counted("start", client, "post", f"{api}/assignments/{assignment.pk}/attempts").json()["id"]
    for number, question in enumerate(Attempt.objects.get(pk=attempt_id).snapshot["questions"]):
        url = f"{api}/attempts/{attempt_id}/answers/{question['id']}"
        body = {"response": single_choice_response(question, right=not (seasoned and number == 0))}
        if number == 0:
            _counted("save one answer", client, "put", url, data=body, content_type="application/json")
        else:
            client.put(url, body, content_type="application/json")
    _counted("submit", client, "post", f"{api}/attempts/{attempt_id}/submit")


def test_count_the_queries_of_the_quiz_flow(educator: User) -> None:
    classroom = ClassroomFactory(school=educator.school, owner=educator)
    for size, (objectives, per_objective) in SIZES.items():
        assignment = assignment_of_size(classroom, objectives=objectives, per_objective=per_objective)
        # The small quiz earns no badge (first quiz already had, one answer wrong); the large
        # one earns three (first quiz, perfect score, five objectives mastered).
        seasoned = size == "small"
        for surface in ("pages", "api"):
            student, client = _student(classroom, seasoned=seasoned)
            print(f"{size} quiz ({objectives} objectives x {per_objective} questions), {surface}:")
            if surface == "pages":
                _through_the_pages(client, student, assignment, seasoned=seasoned)
            else:
                _through_the_api(client, assignment, seasoned=seasoned)
            earned = sorted(StudentBadge.objects.filter(student=student).values_list("badge__code", flat=True))
            print(f"  badges now: {earned}")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_time_submits(educator: User, size: str) -> None:
    objectives, per_objective = SIZES[size]
    classroom = ClassroomFactory(school=educator.school, owner=educator)
    assignment = assignment_of_size(
        classroom, objectives=objectives, per_objective=per_objective, max_attempts=SUBMITS + 1
    )
    student, client = _student(classroom, seasoned=False)
    page_cpu: list[float] = []
    api_cpu: list[float] = []
    for number in range(SUBMITS + 1):
        response = client.post(f"/student/quizzes/{assignment.pk}/")
        attempt = Attempt.objects.get(student=student, assignment=assignment, number=number + 1)
        for question in attempt.snapshot["questions"]:
            choice = single_choice_response(question, right=True)["choice_id"]
            client.post(
                f"/student/attempts/{attempt.pk}/save/",
                {"question_id": question["id"], f"q{question['id']}": choice},
                headers={"HX-Request": "true"},
            )
        use_api = number % 2 == 1
        started = time.process_time()
        if use_api:
            response = client.post(f"/api/v1/attempts/{attempt.pk}/submit")
        else:
            response = client.post(f"/student/attempts/{attempt.pk}/submit/", {"idempotency_key": f"k{number}"})
        elapsed = time.process_time() - started
        assert response.status_code < 400
        if number:  # the first submit (first badges, first mastery rows) is not typical
            (api_cpu if use_api else page_cpu).append(elapsed * 1000)
    for label, timings in (("page", page_cpu), ("api", api_cpu)):
        print(
            f"{size} quiz, {label} submit CPU over {len(timings)}: median {statistics.median(timings):.2f} ms, "
            f"mean {statistics.mean(timings):.2f} ms, min {min(timings):.2f} ms, max {max(timings):.2f} ms"
        )
