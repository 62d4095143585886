"""The nightly fan-out at size: 1,000 students split into chunk tasks, each student given
exactly one set, and a rerun of the same night creating nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from tests.factories import ClassroomFactory, LearningObjectiveFactory, QuestionFactory, QuizFactory, SchoolFactory
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Enrollment
from toolbox.learning.models import Mastery, PracticeItem, PracticeSet
from toolbox.learning.schedule_tasks import practice_sets_nightly

STUDENTS = 1_000
CHUNK_SIZE = 100


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@override_settings(PRACTICE_CHUNK_SIZE=CHUNK_SIZE, PRACTICE_BANK_MIN_QUESTIONS=5)
def test_a_thousand_students_fan_out_in_chunks_and_each_gets_one_set(eager_celery: None) -> None:
    school = SchoolFactory(time_zone="America/Chicago")
    classroom = ClassroomFactory(school=school)
    objectives = [LearningObjectiveFactory() for _ in range(3)]
    quiz = QuizFactory(school=school)
    for objective in objectives:
        for _ in range(6):
            QuestionFactory(quiz=quiz, objective=objective)
    students = User.objects.bulk_create(
        User(username=f"fan{number}", role=Role.STUDENT, school=school, password="!") for number in range(STUDENTS)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=student) for student in students)
    Mastery.objects.bulk_create(
        Mastery(student=student, objective=objectives[number % 3], score=0.2) for number, student in enumerate(students)
    )

    with time_machine.travel(dt.datetime(2026, 1, 12, 8, 0, tzinfo=dt.UTC), tick=False):  # 02:00 in Chicago
        chunks = practice_sets_nightly()
        rerun_chunks = practice_sets_nightly()

    assert chunks == STUDENTS // CHUNK_SIZE
    assert rerun_chunks == chunks
    assert PracticeSet.objects.count() == STUDENTS
    assert PracticeSet.objects.values("student_id").distinct().count() == STUDENTS
    assert set(PracticeSet.objects.values_list("for_date", flat=True)) == {dt.date(2026, 1, 12)}
    assert PracticeItem.objects.count() == STUDENTS * 6
