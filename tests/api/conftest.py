"""A small school for API tests: one class with its teacher, a student, their parents, a
teacher of another class, an admin; published, in-review and draft content; an assignment
with an attempt in progress; a queued generation job; and helpers that call the API as any
of them, by session or by Clerk bearer token."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from tests.factories import (
    AdminFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    GenerationJobFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolFactory,
    StudentFactory,
)
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob
from toolbox.classroom.models import Classroom
from toolbox.content import services as content_services
from toolbox.content.models import Lesson, Question, Quiz
from toolbox.learning import services as learning_services
from toolbox.learning.models import Assignment, Attempt, Notification

API = "/api/v1"
ROLES = ("student", "educator", "other_educator", "parent", "other_parent", "admin", "anonymous")

SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    SIGNING_KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def clerk_token(user: User) -> str:
    """A Clerk session token for the user, signed with the test key (no network involved)."""
    if not user.clerk_user_id:
        user.clerk_user_id = f"user_test_{user.pk}"
        user.save(update_fields=["clerk_user_id"])
    now = int(time.time())
    claims = {"sub": user.clerk_user_id, "sid": f"sess_{user.pk}", "iat": now, "nbf": now, "exp": now + 600}
    return jwt.encode(claims, SIGNING_KEY, algorithm="RS256", headers={"kid": "ins_test"})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Record how many requests the schemathesis run generated, per role."""
    fuzz = sys.modules.get("tests.api.test_schemathesis")
    generated: dict[str, int] = getattr(fuzz, "GENERATED", {})
    if generated:
        per_role = ", ".join(f"{role}: {count}" for role, count in sorted(generated.items()))
        terminalreporter.write_line(f"schemathesis: {sum(generated.values())} generated requests ({per_role})")


@pytest.fixture
def clerk(settings: Settings) -> None:
    settings.CLERK_JWT_KEY = PUBLIC_PEM
    settings.CLERK_SECRET_KEY = ""
    settings.CLERK_AUTHORIZED_PARTIES = []
    settings.CLERK_ENABLED = True


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {clerk_token(user)}"}


def make_quiz(author: User, *, title: str, status: str = "published", questions: int = 1) -> Quiz:
    """A quiz built through the content services, so it is valid by their rules."""
    quiz = content_services.quiz_create(author=author, title=title, subject="Science", grade_level="7")
    for number in range(questions):
        content_services.question_create(
            actor=author,
            quiz=quiz,
            kind="single_choice",
            prompt=f"Which organelle releases energy? ({number + 1})",
            choices=[{"text": "Mitochondria", "is_correct": True}, {"text": "Nucleus", "is_correct": False}],
        )
    _move_to(author, quiz, status)
    return Quiz.objects.get(pk=quiz.pk)


def make_lesson(author: User, *, title: str, status: str = "published") -> Lesson:
    lesson = content_services.lesson_create(
        author=author, title=title, subject="Science", grade_level="7", body_markdown="# Cells\n\nCells are small."
    )
    _move_to(author, lesson, status)
    return Lesson.objects.get(pk=lesson.pk)


def _move_to(actor: User, content: Lesson | Quiz, status: str) -> None:
    if status == "in_review":
        content_services.content_submit_for_review(actor=actor, content=content)
    elif status in ("published", "archived"):
        content_services.content_publish(actor=actor, content=content)
        if status == "archived":
            content_services.content_archive(actor=actor, content=content)


@dataclass
class World:
    school: School
    other_school: School
    student: User
    educator: User
    other_educator: User
    parent: User
    other_parent: User
    admin: User
    newcomer: User
    classroom: Classroom
    other_classroom: Classroom
    lesson: Lesson
    draft_lesson: Lesson
    review_lesson: Lesson
    quiz: Quiz
    draft_quiz: Quiz
    review_quiz: Quiz
    question: Question
    assignment: Assignment
    lesson_assignment: Assignment
    attempt: Attempt
    job: GenerationJob
    notification: Notification

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db: None) -> World:
    school = SchoolFactory()
    educator = EducatorFactory(school=school)
    student = StudentFactory(school=school)
    classroom = ClassroomFactory(school=school, owner=educator, name="Science 7B")
    EnrollmentFactory(classroom=classroom, student=student)
    other_educator = EducatorFactory(school=school)
    other_classroom = ClassroomFactory(school=school, owner=other_educator, name="Maths 7A")
    parent = ParentFactory(school=school)
    ParentLinkFactory(parent=parent, student=student, can_view_grades=True)
    quiz = make_quiz(educator, title="Cells check-up")
    lesson = make_lesson(educator, title="Cells")
    draft_quiz = make_quiz(educator, title="Draft quiz", status="draft", questions=2)
    now = timezone.now()
    assignment = learning_services.assignment_create(
        actor=educator,
        classroom=classroom,
        quiz=quiz,
        available_from=now - dt.timedelta(days=1),
        due_at=now + dt.timedelta(days=6),
    )
    lesson_assignment = learning_services.assignment_create(
        actor=educator,
        classroom=classroom,
        lesson=lesson,
        available_from=now - dt.timedelta(days=1),
        due_at=now + dt.timedelta(days=6),
    )
    attempt = learning_services.attempt_start(student=student, assignment=assignment)
    notification = learning_services.notification_create(
        user=student, kind="due_soon", message="Cells check-up is due soon.", dedupe_key="test:due"
    )
    assert notification is not None
    return World(
        school=school,
        other_school=SchoolFactory(),
        student=student,
        educator=educator,
        other_educator=other_educator,
        parent=parent,
        other_parent=ParentFactory(school=school),
        admin=AdminFactory(school=school),
        newcomer=StudentFactory(school=school),
        classroom=classroom,
        other_classroom=other_classroom,
        lesson=lesson,
        draft_lesson=make_lesson(educator, title="Draft lesson", status="draft"),
        review_lesson=make_lesson(educator, title="Lesson in review", status="in_review"),
        quiz=quiz,
        draft_quiz=draft_quiz,
        review_quiz=make_quiz(educator, title="Quiz in review", status="in_review"),
        question=draft_quiz.questions.order_by("position").first(),  # type: ignore[arg-type]
        assignment=assignment,
        lesson_assignment=lesson_assignment,
        attempt=attempt,
        job=GenerationJobFactory(school=school, created_by=educator),
        notification=notification,
    )


class Api:
    """Calls the API as one user through the Django test client: JSON in and out."""

    def __init__(self, client: Client, user: User | None, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.user = user
        self.headers = headers or {}
        if user is not None and not headers:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": {**self.headers, **extra.pop("headers", {})}, **extra}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(self.client, method.lower())(API + path, **kwargs)

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self.call("POST", path, {} if body is None else body, **extra)

    def patch(self, path: str, body: Any, **extra: Any) -> Any:
        return self.call("PATCH", path, body, **extra)

    def put(self, path: str, body: Any, **extra: Any) -> Any:
        return self.call("PUT", path, body, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.call("DELETE", path, **extra)


@pytest.fixture
def api_as() -> Callable[[User | None], Api]:
    """`api_as(user).get("/classes")`: a fresh client signed in by session (None: anonymous)."""

    def make(user: User | None) -> Api:
        return Api(Client(), user)

    return make


@pytest.fixture
def rolled_back() -> Callable[[], Any]:
    """A block whose writes are undone, so one test can try an operation as every role."""

    class RolledBack:
        def __enter__(self) -> None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc: object) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    return RolledBack


@pytest.fixture
def no_throttle(settings: Settings) -> None:
    settings.API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min"}
