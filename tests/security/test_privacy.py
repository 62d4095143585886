"""Student data rights: an admin exports everything held on a student as JSON, and erases
a student — their personal data goes, their class's statistics stay, anonymous."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.learning import LessonProgressFactory, NotificationFactory
from tests.learning.conftest import quiz_with_every_kind, right_response
from toolbox.accounts.models import AuditEvent, ParentLink, User
from toolbox.accounts.privacy import ERASED_NAME, student_data_export, student_erase
from toolbox.accounts.services import parent_link_create
from toolbox.classroom.models import ParentInvite
from toolbox.classroom.services import parent_invite_create
from toolbox.content.models import QuestionKind
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.models import Answer, Attempt, Mastery, Notification, StudentStats
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Grandma Rosa says the nucleus"


@pytest.fixture
def held() -> dict[str, Any]:
    """A student with something in every section of the export, and a classmate."""
    school = SchoolFactory()
    educator = EducatorFactory(school=school)
    classroom = ClassroomFactory(school=school, owner=educator)
    student = StudentFactory(
        school=school,
        first_name="Rosa",
        last_name="Parkes",
        email="rosa.parkes@example.test",
        clerk_user_id="user_rosa",
        username="rosa.p",
    )
    EnrollmentFactory(classroom=classroom, student=student)
    classmate = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    parent = ParentFactory(school=school, email="rosa.mum@example.test")
    parent_link_create(parent=parent, student=student)
    parent_invite_create(actor=educator, student=student)
    NotificationFactory(user=student, message="Rosa, your quiz is due tomorrow.")
    LessonProgressFactory(student=student)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    for who in (student, classmate):
        _take_quiz(who, assignment)
    return {
        "school": school,
        "admin": AdminFactory(school=school),
        "educator": educator,
        "student": student,
        "classmate": classmate,
        "assignment": assignment,
    }


def _take_quiz(student: User, assignment: Any) -> Attempt:
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        response = right_response(question)
        if question["kind"] == QuestionKind.SHORT_ANSWER:
            response = {"text": SECRET_WORDS}
        attempt_save_answer(student=student, attempt=attempt, question_id=question["id"], response=response)
    return attempt_submit(student=student, attempt=attempt)


def test_the_export_holds_everything_about_the_student(held: dict[str, Any]) -> None:
    student = held["student"]

    export = student_data_export(actor=held["admin"], student=student)

    assert export["account"]["username"] == "rosa.p"
    assert export["account"]["email"] == "rosa.parkes@example.test"
    assert export["account"]["clerk_user_id"] == "user_rosa"
    assert [e["classroom_id"] for e in export["enrolments"]] == [held["assignment"].classroom_id]
    (attempt,) = export["attempts"]
    assert attempt["status"] == "submitted"  # the short answer awaits a teacher
    assert attempt["quiz_title"] == held["assignment"].quiz.title
    assert len(attempt["answers"]) == 6
    assert {"text": SECRET_WORDS} in [answer["response"] for answer in attempt["answers"]]
    assert len(export["lesson_progress"]) == 1
    assert export["mastery"]
    assert export["mastery"][0]["answers_counted"] >= 1
    assert export["xp"]["stats"]["total_xp"] > 0
    assert export["xp"]["events"]
    assert export["notifications"][0]["message"] == "Rosa, your quiz is due tomorrow."
    assert export["parent_links"][0]["parent__email"] == "rosa.mum@example.test"
    assert len(export["parent_invites"]) == 1
    assert "parent_link.created" in {row["action"] for row in export["audit"]}
    json.dumps(export)  # plain JSON all the way down


def test_the_export_never_includes_a_classmate(held: dict[str, Any]) -> None:
    export = json.dumps(student_data_export(actor=held["admin"], student=held["student"]))

    assert held["classmate"].username not in export


def test_taking_an_export_is_audited(held: dict[str, Any]) -> None:
    student_data_export(actor=held["admin"], student=held["student"])

    event = AuditEvent.objects.get(action="student.data_exported")
    assert (event.actor, event.target_id) == (held["admin"], str(held["student"].pk))


def test_the_export_reads_a_fixed_number_of_queries(held: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    student, admin = held["student"], held["admin"]
    with django_assert_max_num_queries(16):
        student_data_export(actor=admin, student=student)
    for _ in range(8):
        assignment = AssignmentFactory(classroom=held["assignment"].classroom, quiz=held["assignment"].quiz)
        _take_quiz(student, assignment)
        NotificationFactory(user=student)

    with django_assert_max_num_queries(16):
        export = student_data_export(actor=admin, student=student)
    assert len(export["attempts"]) == 9


@pytest.mark.parametrize("who", ["educator", "other school's admin", "the student"])
def test_only_an_admin_of_the_students_school_may_export_or_erase(held: dict[str, Any], who: str) -> None:
    actor = {
        "educator": held["educator"],
        "other school's admin": AdminFactory(school=SchoolFactory()),
        "the student": held["student"],
    }[who]

    with pytest.raises(NotFoundError):
        student_data_export(actor=actor, student=held["student"])
    with pytest.raises(NotFoundError):
        student_erase(actor=actor, student=held["student"])
    assert User.objects.get(pk=held["student"].pk).username == "rosa.p"


def test_only_students_are_exported_or_erased(held: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError, match="not a student"):
        student_erase(actor=held["admin"], student=held["educator"])


def test_erasing_removes_the_person_and_keeps_the_scores_anonymous(held: dict[str, Any]) -> None:
    student = held["student"]
    attempt = Attempt.objects.get(student=student)
    scores = (attempt.raw_score, attempt.final_percent)
    mastery_rows = Mastery.objects.filter(student=student).count()

    student_erase(actor=held["admin"], student=student)

    erased = User.objects.get(pk=student.pk)
    assert erased.username.startswith("erased-")
    assert "rosa" not in erased.username
    assert (erased.first_name, erased.last_name, erased.email, erased.clerk_user_id) == ("", "", "", None)
    assert erased.name == ERASED_NAME
    assert erased.is_active is False
    assert not erased.has_usable_password()
    assert not ParentLink.objects.filter(student=student).exists()
    assert not ParentInvite.objects.filter(student=student).exists()
    assert not Notification.objects.filter(user=student).exists()
    texts = [a.response for a in Answer.objects.filter(attempt__student=student) if "text" in (a.response or {})]
    assert texts == [{"text": ""}]
    attempt.refresh_from_db()
    assert (attempt.raw_score, attempt.final_percent) == scores
    assert Mastery.objects.filter(student=student).count() == mastery_rows
    assert StudentStats.objects.filter(student=student).exists()
    assert Attempt.objects.filter(assignment=held["assignment"]).count() == 2
    event = AuditEvent.objects.get(action="student.erased")
    assert (event.actor, event.target_id) == (held["admin"], str(student.pk))
    assert "Rosa" not in json.dumps([event.before, event.after])


def test_an_erased_student_cannot_sign_in(held: dict[str, Any], client: Client) -> None:
    student_erase(actor=held["admin"], student=held["student"])

    response = client.post("/accounts/login/", {"username": "rosa.p", "password": TEST_PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_the_admin_downloads_a_students_export_as_json(held: dict[str, Any], client: Client) -> None:
    client.force_login(held["admin"], backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        "/admin/accounts/user/", {"action": "export_student_data", "_selected_action": [held["student"].pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="student-{held["student"].pk}-data.json"'
    assert json.loads(response.content)["account"]["username"] == "rosa.p"


def test_the_admin_erase_action_asks_first_then_erases(held: dict[str, Any], client: Client) -> None:
    client.force_login(held["admin"], backend="django.contrib.auth.backends.ModelBackend")
    selected = {"action": "erase_students", "_selected_action": [held["student"].pk]}

    asked = client.post("/admin/accounts/user/", selected)

    assert asked.status_code == 200
    assert b"cannot be undone" in asked.content
    assert User.objects.get(pk=held["student"].pk).username == "rosa.p"

    done = client.post("/admin/accounts/user/", {**selected, "confirm": "yes"})

    assert done.status_code == 302
    assert User.objects.get(pk=held["student"].pk).username.startswith("erased-")
    assert Decimal(Attempt.objects.get(student=held["student"]).raw_score or 0) > 0
