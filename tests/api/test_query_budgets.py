"""List endpoints run a fixed number of queries whatever the size of what they list: each
is measured at two sizes with the same budget (a page of up to 100 items is returned)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from tests.api.conftest import Api, World
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EnrollmentFactory,
    GenerationJobFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
)
from toolbox.learning import services as learning_services


def _classes(world: World, size: int) -> str:
    for _ in range(size):
        EnrollmentFactory(classroom=ClassroomFactory(school=world.school, owner=world.educator), student=world.student)
    return "/classes?page_size=100"


def _lessons(world: World, size: int) -> str:
    LessonFactory.create_batch(size, school=world.school, author=world.educator)
    return "/lessons?page_size=100"


def _quizzes(world: World, size: int) -> str:
    for quiz in QuizFactory.create_batch(size, school=world.school, author=world.educator):
        QuestionFactory.create_batch(2, quiz=quiz)
    return "/quizzes?page_size=100"


def _class_assignments(world: World, size: int) -> str:
    AssignmentFactory.create_batch(size, classroom=world.classroom)
    return f"/classes/{world.classroom.pk}/assignments?page_size=100"


def _roster(world: World, size: int) -> str:
    for student in StudentFactory.create_batch(size, school=world.school):
        EnrollmentFactory(classroom=world.classroom, student=student)
    return f"/classes/{world.classroom.pk}/students"


def _jobs(world: World, size: int) -> str:
    GenerationJobFactory.create_batch(size, school=world.school, created_by=world.educator)
    return "/generation-jobs?page_size=100"


def _gradebook(world: World, size: int) -> str:
    for student in StudentFactory.create_batch(size, school=world.school):
        EnrollmentFactory(classroom=world.classroom, student=student)
    AssignmentFactory.create_batch(3, classroom=world.classroom)
    return f"/classes/{world.classroom.pk}/gradebook"


def _my_assignments(world: World, size: int) -> str:
    AssignmentFactory.create_batch(size, classroom=world.classroom)
    return "/me/assignments?page_size=100"


def _notifications(world: World, size: int) -> str:
    for number in range(size):
        learning_services.notification_create(
            user=world.student, kind="due_soon", message=f"Due {number}", dedupe_key=f"budget:{number}"
        )
    return "/notifications?page_size=100"


def _progress(world: World, size: int) -> str:
    now = timezone.now()
    for assignment in AssignmentFactory.create_batch(size, classroom=world.classroom, quiz=world.quiz):
        assignment.available_from = now - dt.timedelta(days=1)
        assignment.save(update_fields=["available_from"])
        learning_services.attempt_start(student=world.student, assignment=assignment)
    return f"/students/{world.student.pk}/progress"


# operation → (who calls it, how to fill it, query budget)
BUDGETS: dict[str, tuple[str, Callable[[World, int], str], int]] = {
    "list_classes": ("educator", _classes, 4),
    "list_lessons": ("educator", _lessons, 5),
    "list_quizzes": ("educator", _quizzes, 5),
    "list_class_assignments": ("educator", _class_assignments, 5),
    "list_class_students": ("educator", _roster, 5),
    "list_generation_jobs": ("educator", _jobs, 4),
    "get_class_gradebook": ("educator", _gradebook, 7),
    "list_my_assignments": ("student", _my_assignments, 4),
    "list_notifications": ("student", _notifications, 5),
    "get_student_progress": ("educator", _progress, 11),
}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("operation_id", sorted(BUDGETS))
def test_list_operations_run_a_fixed_number_of_queries(
    operation_id: str,
    size: int,
    world: World,
    api_as: Callable[..., Api],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    role, fill, budget = BUDGETS[operation_id]
    path = fill(world, size)
    api = api_as(getattr(world, role))
    with django_assert_max_num_queries(budget):  # type: ignore[attr-defined]
        response = api.get(path)
    assert response.status_code == 200, response.content
