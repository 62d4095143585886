"""Every operation, tried as every role: the status each one gets.

Each row names an operation (by its operationId), how to call it in the test school, and the
status for the student, the class's educator, an educator of another class, the student's
linked parent, an unlinked parent, the school's admin and an anonymous caller. Each call is
rolled back, so every role meets the same data. An object a caller may not see answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, ROLES, Api, World


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[World], str]
    statuses: dict[str, int]
    body: Callable[[World], Any] | None = None


def expect(
    student: int, educator: int, other_educator: int, parent: int, other_parent: int, admin: int, anonymous: int = 401
) -> dict[str, int]:
    return dict(zip(ROLES, (student, educator, other_educator, parent, other_parent, admin, anonymous), strict=True))


ALL_OK = expect(200, 200, 200, 200, 200, 200)
STUDENT_ONLY = expect(200, 403, 403, 403, 403, 403)
AUTHORS = expect(403, 201, 201, 403, 403, 201)
SCHOOL_CONTENT = expect(404, 200, 200, 404, 404, 200)
STUDENT_OWN = expect(200, 404, 404, 404, 404, 404)

CASES: dict[str, Case] = {
    "get_me": Case("GET", lambda w: "/me", ALL_OK),
    "list_classes": Case("GET", lambda w: "/classes", ALL_OK),
    "create_class": Case(
        "POST", lambda w: "/classes", AUTHORS, lambda w: {"name": "Biology", "subject": "Science", "grade_level": "8"}
    ),
    "get_class": Case("GET", lambda w: f"/classes/{w.classroom.pk}", expect(200, 200, 404, 404, 404, 200)),
    "update_class": Case(
        "PATCH", lambda w: f"/classes/{w.classroom.pk}", expect(403, 200, 404, 404, 404, 200), lambda w: {"name": "B"}
    ),
    "archive_class": Case("POST", lambda w: f"/classes/{w.classroom.pk}/archive", expect(403, 200, 404, 404, 404, 200)),
    "list_class_students": Case(
        "GET", lambda w: f"/classes/{w.classroom.pk}/students", expect(404, 200, 404, 404, 404, 200)
    ),
    "add_class_student": Case(
        "POST",
        lambda w: f"/classes/{w.classroom.pk}/students",
        expect(403, 201, 404, 404, 404, 201),
        lambda w: {"student_id": w.newcomer.pk},
    ),
    "remove_class_student": Case(
        "DELETE", lambda w: f"/classes/{w.classroom.pk}/students/{w.student.pk}", expect(403, 200, 404, 404, 404, 200)
    ),
    "join_class": Case(
        "POST",
        lambda w: "/classes/join",
        expect(201, 403, 403, 403, 403, 403),
        lambda w: {"code": w.other_classroom.join_code},
    ),
    "create_parent_invite": Case(
        "POST", lambda w: f"/students/{w.student.pk}/parent-invites", expect(403, 201, 404, 403, 404, 201)
    ),
    "list_parent_invites": Case(
        "GET", lambda w: f"/students/{w.student.pk}/parent-invites", expect(404, 200, 404, 404, 404, 200)
    ),
    "list_lessons": Case("GET", lambda w: "/lessons", ALL_OK),
    "create_lesson": Case(
        "POST",
        lambda w: "/lessons",
        AUTHORS,
        lambda w: {"title": "Atoms", "subject": "Science", "grade_level": "7", "body_markdown": "Atoms are tiny."},
    ),
    "get_lesson": Case("GET", lambda w: f"/lessons/{w.lesson.pk}", expect(200, 200, 200, 404, 404, 200)),
    "update_lesson": Case("PATCH", lambda w: f"/lessons/{w.draft_lesson.pk}", SCHOOL_CONTENT, lambda w: {"title": "T"}),
    "submit_lesson_for_review": Case(
        "POST", lambda w: f"/lessons/{w.draft_lesson.pk}/submit-for-review", SCHOOL_CONTENT
    ),
    "approve_lesson": Case("POST", lambda w: f"/lessons/{w.review_lesson.pk}/approve", SCHOOL_CONTENT, lambda w: {}),
    "reject_lesson": Case(
        "POST", lambda w: f"/lessons/{w.review_lesson.pk}/reject", SCHOOL_CONTENT, lambda w: {"notes": "Too short."}
    ),
    "publish_lesson": Case("POST", lambda w: f"/lessons/{w.draft_lesson.pk}/publish", SCHOOL_CONTENT),
    "archive_lesson": Case("POST", lambda w: f"/lessons/{w.lesson.pk}/archive", expect(403, 200, 200, 404, 404, 200)),
    "list_quizzes": Case("GET", lambda w: "/quizzes", ALL_OK),
    "create_quiz": Case(
        "POST",
        lambda w: "/quizzes",
        AUTHORS,
        lambda w: {"title": "Atoms quiz", "subject": "Science", "grade_level": "7"},
    ),
    "get_quiz": Case("GET", lambda w: f"/quizzes/{w.quiz.pk}", expect(200, 200, 200, 404, 404, 200)),
    "update_quiz": Case(
        "PATCH", lambda w: f"/quizzes/{w.draft_quiz.pk}", SCHOOL_CONTENT, lambda w: {"max_attempts": 2}
    ),
    "submit_quiz_for_review": Case("POST", lambda w: f"/quizzes/{w.draft_quiz.pk}/submit-for-review", SCHOOL_CONTENT),
    "approve_quiz": Case(
        "POST", lambda w: f"/quizzes/{w.review_quiz.pk}/approve", SCHOOL_CONTENT, lambda w: {"notes": ""}
    ),
    "reject_quiz": Case(
        "POST", lambda w: f"/quizzes/{w.review_quiz.pk}/reject", SCHOOL_CONTENT, lambda w: {"notes": "Fix Q1."}
    ),
    "publish_quiz": Case("POST", lambda w: f"/quizzes/{w.draft_quiz.pk}/publish", SCHOOL_CONTENT),
    "archive_quiz": Case("POST", lambda w: f"/quizzes/{w.quiz.pk}/archive", expect(403, 200, 200, 404, 404, 200)),
    "create_question": Case(
        "POST",
        lambda w: f"/quizzes/{w.draft_quiz.pk}/questions",
        expect(404, 201, 201, 404, 404, 201),
        lambda w: {"kind": "short_answer", "prompt": "Name the unit of life.", "accepted_answers": ["cell"]},
    ),
    "update_question": Case(
        "PATCH", lambda w: f"/questions/{w.question.pk}", SCHOOL_CONTENT, lambda w: {"prompt": "Which one?"}
    ),
    "delete_question": Case("DELETE", lambda w: f"/questions/{w.question.pk}", expect(404, 204, 204, 404, 404, 204)),
    "reorder_questions": Case(
        "POST",
        lambda w: f"/quizzes/{w.draft_quiz.pk}/questions/reorder",
        SCHOOL_CONTENT,
        lambda w: {"ordered_ids": list(w.draft_quiz.questions.order_by("-position").values_list("pk", flat=True))},
    ),
    "list_class_assignments": Case(
        "GET", lambda w: f"/classes/{w.classroom.pk}/assignments", expect(200, 200, 404, 404, 404, 200)
    ),
    "create_assignment": Case(
        "POST",
        lambda w: f"/classes/{w.classroom.pk}/assignments",
        expect(403, 201, 404, 404, 404, 201),
        lambda w: {"quiz_id": w.quiz.pk, "available_from": "2026-01-01T08:00:00Z", "due_at": "2030-01-08T08:00:00Z"},
    ),
    "list_my_assignments": Case("GET", lambda w: "/me/assignments", STUDENT_ONLY),
    "get_assignment": Case("GET", lambda w: f"/assignments/{w.assignment.pk}", expect(200, 200, 404, 404, 404, 200)),
    "update_assignment": Case(
        "PATCH",
        lambda w: f"/assignments/{w.assignment.pk}",
        expect(403, 200, 404, 404, 404, 200),
        lambda w: {"accept_late": False},
    ),
    "start_attempt": Case(
        "POST", lambda w: f"/assignments/{w.assignment.pk}/attempts", expect(201, 404, 404, 404, 404, 404)
    ),
    "get_attempt": Case("GET", lambda w: f"/attempts/{w.attempt.pk}", expect(200, 200, 404, 200, 404, 200)),
    "save_answer": Case(
        "PUT",
        lambda w: f"/attempts/{w.attempt.pk}/answers/{w.attempt.snapshot['questions'][0]['id']}",
        STUDENT_OWN,
        lambda w: {"response": {"choice_id": w.attempt.snapshot["questions"][0]["choices"][0]["id"]}},
    ),
    "submit_attempt": Case("POST", lambda w: f"/attempts/{w.attempt.pk}/submit", STUDENT_OWN),
    "get_my_progress": Case("GET", lambda w: "/me/progress", STUDENT_ONLY),
    "get_student_progress": Case(
        "GET", lambda w: f"/students/{w.student.pk}/progress", expect(200, 200, 404, 200, 404, 200)
    ),
    "get_class_gradebook": Case(
        "GET", lambda w: f"/classes/{w.classroom.pk}/gradebook", expect(403, 200, 404, 404, 404, 200)
    ),
    "export_class_gradebook_csv": Case(
        "GET", lambda w: f"/classes/{w.classroom.pk}/gradebook.csv", expect(403, 200, 404, 404, 404, 200)
    ),
    "create_generation_job": Case(
        "POST",
        lambda w: "/generation-jobs",
        expect(403, 202, 202, 403, 403, 202),
        lambda w: {
            "kind": "quiz",
            "parameters": {"subject": "Science", "grade": "7", "topic": "Cells", "source_text": "Cells are alive."},
        },
    ),
    "list_generation_jobs": Case("GET", lambda w: "/generation-jobs", ALL_OK),
    "get_generation_job": Case("GET", lambda w: f"/generation-jobs/{w.job.pk}", expect(404, 200, 404, 404, 404, 200)),
    "cancel_generation_job": Case(
        "POST", lambda w: f"/generation-jobs/{w.job.pk}/cancel", expect(404, 200, 404, 404, 404, 200)
    ),
    "list_notifications": Case("GET", lambda w: "/notifications", ALL_OK),
    "mark_notification_read": Case("POST", lambda w: f"/notifications/{w.notification.pk}/read", STUDENT_OWN),
    "mark_all_notifications_read": Case("POST", lambda w: "/notifications/read-all", ALL_OK),
}


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_each_role_gets_the_status_its_rules_give(
    operation_id: str, world: World, rolled_back: Callable[[], Any], no_throttle: None
) -> None:
    case = CASES[operation_id]
    got: dict[str, int] = {}
    for role in ROLES:
        with rolled_back():
            api = Api(Client(), world.user(role))
            body = case.body(world) if case.body else None
            if case.method == "POST" and body is None:
                body = {}
            response = api.call(case.method, case.path(world), body)
            got[role] = response.status_code
            if response.status_code >= 400:
                assert set(response.json()) == {"detail", "code", "errors"}, (role, response.content)
    assert got == case.statuses


@pytest.mark.django_db
def test_the_role_table_covers_every_operation_of_the_schema(client: Client) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    operation_ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    anonymous_ones = {"get_health", "get_version"}
    assert operation_ids - anonymous_ones == set(CASES) | {"import_roster"}
