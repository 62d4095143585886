"""In-process timing of the gradebook page for a class of 200 students × 60 assignments.

Not collected with the suite (the file name does not start with `test_`) and asserts no
time: run it by hand and read the figures it prints, e.g.
`DATABASE_URL=postgres://… venv/bin/python -m pytest tests/educators/bench_gradebook.py -s -q`.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssignmentFactory, ClassroomFactory, LessonAssignmentFactory, StudentFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Enrollment, EnrollmentStatus
from toolbox.learning.models import Attempt, AttemptStatus
from toolbox.learning.selectors import gradebook_for_classroom

pytestmark = pytest.mark.django_db

STUDENTS = 200
QUIZZES = 50
LESSONS = 10
REQUESTS = 10


def test_time_the_gradebook_of_a_large_class(educator: User) -> None:
    now = timezone.now()
    classroom = ClassroomFactory(school=educator.school, owner=educator, name="Large class")
    students = StudentFactory.create_batch(STUDENTS, school=educator.school)
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classroom, student=student, status=EnrollmentStatus.ACTIVE) for student in students
    )
    quizzes = [
        AssignmentFactory(
            classroom=classroom,
            available_from=now - dt.timedelta(days=90 - day),
            due_at=now + dt.timedelta(days=day - 40),
        )
        for day in range(QUIZZES)
    ]
    for day in range(LESSONS):
        LessonAssignmentFactory(
            classroom=classroom, available_from=now - dt.timedelta(days=30), due_at=now + dt.timedelta(days=day - 5)
        )
    attempts = []
    for s, student in enumerate(students):
        for q, assignment in enumerate(quizzes):
            kind = (s + q) % 7
            if kind == 0:
                continue
            graded = kind > 2
            attempts.append(
                Attempt(
                    assignment=assignment,
                    student=student,
                    number=1,
                    status=AttemptStatus.GRADED if graded else AttemptStatus.SUBMITTED,
                    started_at=now - dt.timedelta(days=1),
                    submitted_at=assignment.due_at + dt.timedelta(hours=1 if kind == 3 else -1),
                    final_percent=Decimal(40 + (s * q) % 61) if graded else None,
                )
            )
    Attempt.objects.bulk_create(attempts)
    client = Client()
    client.force_login(educator)
    url = reverse("educators:gradebook", args=[classroom.pk])
    response = client.get(url)

    def timed(action: Callable[[], object], *, before: Callable[[], object] = lambda: None) -> str:
        timings = []
        for _ in range(REQUESTS):
            before()
            started = time.perf_counter()
            action()
            timings.append(time.perf_counter() - started)
        return (
            f"median {statistics.median(timings) * 1000:.0f} ms, min {min(timings) * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms"
        )

    # The class's totals and the page's rows are cached until something in the class
    # changes (warm), and built again on the first request after a change (cold).
    warm = timed(lambda: client.get(url))
    cold = timed(lambda: client.get(url), before=cache.clear)
    selector = timed(lambda: gradebook_for_classroom(classroom=classroom))
    print(
        f"\ngradebook {STUDENTS}×{QUIZZES + LESSONS}, page 1, {len(response.content) // 1024} KB, "
        f"{REQUESTS} requests each:\n  page, cached: {warm}\n  page, first request after a change: {cold}"
        f"\n  every row (gradebook_for_classroom, as the API): {selector}"
    )
