"""The gradebook CSV gives due times in the school's time zone, as the gradebook page does,
whatever time zone is active when the streamed response is finally written."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import ClassroomFactory, EnrollmentFactory, SchoolFactory
from tests.factories.learning import AssignmentFactory
from toolbox.classroom.models import Classroom
from toolbox.learning.selectors import classrooms_gradebook_csv_rows, gradebook_csv_rows

pytestmark = pytest.mark.django_db

DUE = dt.datetime(2026, 3, 2, 22, 30, tzinfo=dt.UTC)  # 09:30 the next morning in Sydney


@pytest.fixture
def sydney_class() -> Classroom:
    classroom = ClassroomFactory(school=SchoolFactory(time_zone="Australia/Sydney"))
    EnrollmentFactory(classroom=classroom, student__school=classroom.school)
    AssignmentFactory(
        classroom=classroom, quiz__title="Fractions", due_at=DUE, available_from=DUE - dt.timedelta(days=7)
    )
    return classroom


def test_the_class_export_gives_due_times_in_the_schools_time_zone(sydney_class: Classroom) -> None:
    header = next(gradebook_csv_rows(classroom=sydney_class))

    assert "Fractions (due 2026-03-03 09:30)" in header


def test_the_long_export_gives_due_times_in_each_schools_time_zone(sydney_class: Classroom) -> None:
    rows = list(classrooms_gradebook_csv_rows(classrooms=Classroom.objects.filter(pk=sydney_class.pk)))

    due_column = rows[0].index("Due")
    assert rows[1][due_column] == "2026-03-03 09:30"
