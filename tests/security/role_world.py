"""The people and objects of the role matrix: two schools, and in school A two classes.

Roles: anonymous; student A; student B (another class of the same school); the educator of
A's class; an educator of another class; a parent linked to A; a parent of nobody; the
school's admin. Objects are taken from one of two sides: "own" (A's, or A's class's, or A's
teacher's) and "foreign" (another school's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    GenerationJobFactory,
    LessonAssignmentFactory,
    LessonFactory,
    ParentFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.learning import NotificationFactory, PracticeSetFactory
from tests.learning.conftest import quiz_with_every_kind, right_response
from toolbox.accounts.models import User
from toolbox.accounts.services import parent_link_create
from toolbox.content.models import ContentSource, ContentStatus, QuestionKind
from toolbox.learning.models import Answer, Attempt, PracticeItem
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit

ROLES = (
    "anonymous",
    "student_a",
    "student_b",
    "educator_a",
    "educator_other",
    "parent_a",
    "parent_none",
    "admin",
)


@dataclass
class Side:
    """The objects a URL can point at, from one side."""

    classroom: int
    student: int
    lesson: int
    draft_quiz: int
    question: int
    review_lesson: int
    lesson_assignment: int
    quiz_assignment: int
    attempt_in_progress: int
    attempt_graded: int
    answer: int
    notification: int
    practice_set: int
    practice_item: int
    job: int


def _graded_attempt(student: User, assignment: Any) -> Attempt:
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(
            student=student, attempt=attempt, question_id=question["id"], response=right_response(question)
        )
    return attempt_submit(student=student, attempt=attempt)


def _side(*, school: Any, educator: User, student: User) -> Side:
    classroom = ClassroomFactory(school=school, owner=educator)
    EnrollmentFactory(classroom=classroom, student=student)
    graded_quiz = quiz_with_every_kind(school, author=educator, max_attempts=5)
    quiz_assignment = AssignmentFactory(classroom=classroom, quiz=graded_quiz)
    graded = _graded_attempt(student, quiz_assignment)
    in_progress = attempt_start(student=student, assignment=quiz_assignment)
    draft_quiz = quiz_with_every_kind(school, author=educator, status=ContentStatus.DRAFT)
    lesson = LessonFactory(school=school, author=educator, status=ContentStatus.DRAFT)
    review_lesson = LessonFactory(school=school, author=educator, status=ContentStatus.DRAFT, source=ContentSource.AI)
    answer = Answer.objects.filter(attempt=graded).order_by("question_key").first()
    assert answer is not None
    practice_set = PracticeSetFactory(student=student)
    practice_item = PracticeItem.objects.create(
        practice_set=practice_set, question=graded_quiz.questions.order_by("position").first(), position=0
    )
    return Side(
        classroom=classroom.pk,
        student=student.pk,
        lesson=lesson.pk,
        draft_quiz=draft_quiz.pk,
        question=draft_quiz.questions.get(kind=QuestionKind.SHORT_ANSWER).pk,
        review_lesson=review_lesson.pk,
        lesson_assignment=LessonAssignmentFactory(classroom=classroom, lesson=LessonFactory(school=school)).pk,
        quiz_assignment=quiz_assignment.pk,
        attempt_in_progress=in_progress.pk,
        attempt_graded=graded.pk,
        answer=answer.pk,
        notification=NotificationFactory(user=student).pk,
        practice_set=practice_set.pk,
        practice_item=practice_item.pk,
        job=GenerationJobFactory(
            school=school, created_by=educator, created_at=timezone.now() - dt.timedelta(minutes=5)
        ).pk,
    )


@dataclass
class RoleWorld:
    users: dict[str, User | None]
    own: Side
    foreign: Side


def role_world() -> RoleWorld:
    school = SchoolFactory()
    student_a = StudentFactory(school=school)
    educator_a = EducatorFactory(school=school)
    own = _side(school=school, educator=educator_a, student=student_a)
    student_b = StudentFactory(school=school)
    educator_other = EducatorFactory(school=school)
    EnrollmentFactory(classroom=ClassroomFactory(school=school, owner=educator_other), student=student_b)
    parent_a = ParentFactory(school=school)
    parent_link_create(parent=parent_a, student=student_a)
    other_school = SchoolFactory()
    foreign = _side(
        school=other_school, educator=EducatorFactory(school=other_school), student=StudentFactory(school=other_school)
    )
    assert Decimal(Attempt.objects.get(pk=own.attempt_graded).raw_score or 0) > 0
    return RoleWorld(
        users={
            "anonymous": None,
            "student_a": student_a,
            "student_b": student_b,
            "educator_a": educator_a,
            "educator_other": educator_other,
            "parent_a": parent_a,
            "parent_none": ParentFactory(school=school),
            "admin": AdminFactory(school=school),
        },
        own=own,
        foreign=foreign,
    )


# Which object each URL's parameters name, by URL name and parameter. A parameter whose
# meaning is the same everywhere (a class's `pk` in the class pages…) is listed once.
PARAMETERS: dict[str, dict[str, str]] = {
    "educators:class_detail": {"pk": "classroom"},
    "students:notification_read": {"pk": "notification"},
    "students:practice_set": {"pk": "practice_set"},
    "students:practice_answer": {"pk": "practice_set", "item_id": "practice_item"},
    "students:lesson": {"assignment_id": "lesson_assignment"},
    "students:lesson_progress": {"assignment_id": "lesson_assignment"},
    "students:lesson_done": {"assignment_id": "lesson_assignment"},
    "students:quiz_start": {"assignment_id": "quiz_assignment"},
    "students:attempt": {"pk": "attempt_in_progress"},
    "students:attempt_save_answer": {"pk": "attempt_in_progress"},
    "students:attempt_submit": {"pk": "attempt_in_progress"},
    "students:attempt_result": {"pk": "attempt_graded"},
    "parents:child": {"student_id": "student"},
    "educators:attempt_open": {"attempt_id": "attempt_graded"},
    "educators:lesson_detail": {"pk": "lesson"},
    "educators:lesson_edit": {"pk": "lesson"},
    "educators:lesson_submit": {"pk": "lesson"},
    "educators:quiz_edit": {"pk": "draft_quiz"},
    "educators:quiz_submit": {"pk": "draft_quiz"},
    "educators:question_add": {"pk": "draft_quiz"},
    "educators:question_show": {"pk": "draft_quiz", "question_id": "question"},
    "educators:question_edit": {"pk": "draft_quiz", "question_id": "question"},
    "educators:question_delete": {"pk": "draft_quiz", "question_id": "question"},
    "educators:question_move": {"pk": "draft_quiz", "question_id": "question"},
    "educators:review_detail": {"pk": "review_lesson"},
    "educators:review_approve": {"pk": "review_lesson"},
    "educators:review_reject": {"pk": "review_lesson"},
    "educators:generation_job": {"pk": "job"},
    "educators:generation_job_progress": {"pk": "job"},
    "educators:generation_job_cancel": {"pk": "job"},
}
# Within the class pages (educator/classes/<pk>/…), these names mean these objects.
CLASS_PAGE_PARAMETERS = {
    "pk": "classroom",
    "student_id": "student",
    "attempt_id": "attempt_graded",
    "answer_id": "answer",
}
# What a page needs in its query string to be more than a "not found" (the kind of question).
QUERIES = {"educators:question_add": "?kind=short_answer"}
FIXED_VALUES = {"kind": "lesson", "token": "no-such-token", "uidb64": "MQ"}


def url_parameters(name: str, route: str, keys: list[str], side: Side) -> dict[str, object]:
    mapping = PARAMETERS.get(name) or (CLASS_PAGE_PARAMETERS if route.startswith("educator/classes/<int:pk>") else {})
    values: dict[str, object] = {}
    for key in keys:
        if key in FIXED_VALUES:
            values[key] = FIXED_VALUES[key]
        elif key in mapping:
            values[key] = getattr(side, mapping[key])
        else:
            raise LookupError(f"The role matrix does not know what <{key}> of {name} ({route}) points at.")
    return values
