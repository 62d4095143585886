from __future__ import annotations

import pytest

from tests.factories import LessonAssignmentFactory, LessonFactory
from toolbox.accounts.models import School, User
from toolbox.classroom.models import Classroom
from toolbox.content.models import ContentStatus, Lesson
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.models import LessonProgress, StudentBadge, StudentStats, XPEvent
from toolbox.learning.services import lesson_complete, lesson_progress_record


@pytest.fixture
def lesson(classroom: Classroom) -> Lesson:
    return LessonAssignmentFactory(classroom=classroom).lesson


def test_progress_only_moves_forward_and_time_adds_up(student: User, lesson: Lesson) -> None:
    lesson_progress_record(student=student, lesson=lesson, percent=40, seconds=120)
    progress = lesson_progress_record(student=student, lesson=lesson, percent=20, seconds=30)

    assert (progress.percent, progress.time_spent_seconds, progress.completed_at) == (40, 150, None)
    assert LessonProgress.objects.count() == 1
    assert not XPEvent.objects.exists()


def test_reaching_100_percent_completes_the_lesson_once(student: User, lesson: Lesson) -> None:
    done = lesson_progress_record(student=student, lesson=lesson, percent=100, seconds=60)
    again = lesson_complete(student=student, lesson=lesson)

    assert done.completed_at is not None
    assert again.completed_at == done.completed_at
    assert list(XPEvent.objects.values_list("source", "amount")) == [(f"lesson:{lesson.pk}", 15)]
    stats = StudentStats.objects.get(student=student)
    assert (stats.total_xp, stats.current_streak) == (15, 1)
    assert StudentBadge.objects.filter(student=student, badge__code="first_lesson").count() == 1


def test_completing_a_lesson_directly(student: User, lesson: Lesson) -> None:
    progress = lesson_complete(student=student, lesson=lesson)
    assert (progress.percent, progress.completed_at is not None) == (100, True)


@pytest.mark.parametrize(
    ("percent", "seconds"), [(101, 0), (-1, 0), ("50", 0), (50.5, 0), (True, 0), (50, -5), (50, 10**6), (50, "9")]
)
def test_bad_progress_is_refused_and_nothing_changes(
    student: User, lesson: Lesson, percent: object, seconds: object
) -> None:
    lesson_progress_record(student=student, lesson=lesson, percent=30, seconds=10)
    with pytest.raises(InvalidInputError):
        lesson_progress_record(student=student, lesson=lesson, percent=percent, seconds=seconds)  # type: ignore[arg-type]
    progress = LessonProgress.objects.get()
    assert (progress.percent, progress.time_spent_seconds) == (30, 10)


def test_lessons_not_assigned_to_the_student_are_not_found(
    student: User, school: School, educator: User, lesson: Lesson
) -> None:
    with pytest.raises(NotFoundError):
        lesson_progress_record(student=student, lesson=LessonFactory(school=school), percent=10)
    with pytest.raises(NotFoundError):
        lesson_complete(student=student, lesson=LessonFactory(school=school, status=ContentStatus.DRAFT))
    with pytest.raises(NotFoundError):
        lesson_complete(student=educator, lesson=lesson)
    assert not LessonProgress.objects.exists()
