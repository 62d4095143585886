"""Simultaneous requests on PostgreSQL: row locks keep joins and imports from doubling."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection

from tests.classroom.roster_files import ADA, ALAN, roster_csv
from tests.factories import ClassroomFactory, EducatorFactory, SchoolFactory, StudentFactory
from toolbox.accounts.models import User
from toolbox.classroom.models import Enrollment, RosterImport
from toolbox.classroom.services import classroom_join, roster_import_commit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

T = TypeVar("T")


def run_together(call: Callable[[], T], times: int) -> list[T | BaseException]:
    barrier = threading.Barrier(times)
    outcomes: list[T | BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        try:
            outcome: T | BaseException = call()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever each thread met
            outcome = error
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_joins_make_one_enrolment() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school, owner=EducatorFactory(school=school))
    student = StudentFactory(school=school)

    outcomes = run_together(lambda: classroom_join(student=student, code=classroom.join_code), 6)

    assert all(isinstance(outcome, Enrollment) for outcome in outcomes), outcomes
    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1


def test_the_same_roster_committed_simultaneously_is_imported_once() -> None:
    school = SchoolFactory()
    classroom = ClassroomFactory(school=school, owner=EducatorFactory(school=school))
    data = roster_csv([ADA, ALAN])

    outcomes = run_together(
        lambda: roster_import_commit(actor=classroom.owner, classroom=classroom, file_bytes=data), 4
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    assert RosterImport.objects.filter(classroom=classroom).count() == 1
    assert User.objects.filter(username__in=["ada.l", "alan.t"]).count() == 2
    assert sum(1 for outcome in outcomes if not getattr(outcome, "repeated", True)) == 1
