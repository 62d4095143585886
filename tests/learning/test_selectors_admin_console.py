"""The learning models in the admin console, and its gradebook CSV action."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from tests.factories import (
    AdminFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    QuestionFactory,
    StudentFactory,
)
from tests.factories.learning import (
    AnswerRowFactory,
    AttemptRowFactory,
    BadgeFactory,
    LessonProgressFactory,
    MasteryFactory,
    NotificationFactory,
    PracticeSetFactory,
    StudentBadgeFactory,
    StudentStatsFactory,
)
from toolbox.accounts.models import School, User
from toolbox.classroom.models import Classroom
from toolbox.learning.admin import download_gradebook_csv
from toolbox.learning.models import GradeOverride, PracticeItem, XPEvent

LEARNING_MODELS = [
    "assignment",
    "attempt",
    "answer",
    "gradeoverride",
    "lessonprogress",
    "mastery",
    "xpevent",
    "studentstats",
    "badge",
    "studentbadge",
    "practiceset",
    "practiceitem",
    "notification",
]


@pytest.fixture
def history(school: School) -> dict[str, object]:
    classroom = ClassroomFactory(school=school)
    student = EnrollmentFactory(classroom=classroom, student__username="pupil-one").student
    attempt = AttemptRowFactory(assignment__classroom=classroom, student=student)
    answer = AnswerRowFactory(attempt=attempt, response={"text": "chloroplast"}, feedback="Close, but no.")
    override = GradeOverride.objects.create(
        attempt=attempt, answer=answer, changed_by=classroom.owner, old_score=0, new_score=1, reason="Spelling slip"
    )
    LessonProgressFactory(student=student)
    MasteryFactory(student=student)
    XPEvent.objects.create(student=student, source="attempt:1", amount=10, description="Quiz submitted")
    StudentStatsFactory(student=student, total_xp=10)
    StudentBadgeFactory(student=student, badge=BadgeFactory())
    practice = PracticeSetFactory(student=student)
    PracticeItem.objects.create(practice_set=practice, question=QuestionFactory(), position=0)
    NotificationFactory(user=student)
    return {"classroom": classroom, "attempt": attempt, "override": override}


@pytest.mark.parametrize("model", LEARNING_MODELS)
def test_admin_lists_and_searches_every_learning_model(
    login: Callable[[User], Client], admin_user: User, history: dict[str, object], model: str
) -> None:
    client = login(admin_user)

    listing = client.get(f"/admin/learning/{model}/")
    searched = client.get(f"/admin/learning/{model}/", {"q": "pupil"})

    assert listing.status_code == 200
    assert searched.status_code == 200


def test_attempt_page_shows_its_answers_read_only(
    login: Callable[[User], Client], admin_user: User, history: dict[str, object]
) -> None:
    attempt = history["attempt"]
    assert attempt is not None

    page = login(admin_user).get(f"/admin/learning/attempt/{attempt.pk}/change/")  # type: ignore[attr-defined]

    assert page.status_code == 200
    html = page.content.decode()
    assert "chloroplast" in html
    assert "Spelling slip" in html
    assert 'name="answers-0-feedback"' not in html


def test_grade_overrides_cannot_be_added_changed_or_deleted(
    login: Callable[[User], Client], admin_user: User, history: dict[str, object]
) -> None:
    override = history["override"]
    assert isinstance(override, GradeOverride)
    client = login(admin_user)

    assert client.get("/admin/learning/gradeoverride/add/").status_code == 403
    view = client.get(f"/admin/learning/gradeoverride/{override.pk}/change/")
    assert view.status_code == 200
    assert 'name="reason"' not in view.content.decode()
    assert client.post(f"/admin/learning/gradeoverride/{override.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/learning/gradeoverride/{override.pk}/change/", {"reason": "x"}).status_code == 403
    override.refresh_from_db()
    assert override.reason == "Spelling slip"


@pytest.mark.parametrize("model", ["xpevent", "studentbadge", "studentstats"])
def test_ledgers_have_no_add_page(login: Callable[[User], Client], admin_user: User, model: str) -> None:
    assert login(admin_user).get(f"/admin/learning/{model}/add/").status_code == 403


@pytest.mark.parametrize("factory", [EducatorFactory, StudentFactory, ParentFactory])
def test_other_roles_are_refused_at_the_admin(
    login: Callable[[User], Client], school: School, factory: Callable[..., User]
) -> None:
    response = login(factory(school=school)).get("/admin/learning/attempt/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_gradebook_action_streams_the_selected_classes_of_the_admins_school(history: dict[str, object]) -> None:
    classroom = history["classroom"]
    assert isinstance(classroom, Classroom)
    elsewhere = ClassroomFactory()
    AttemptRowFactory(assignment__classroom=elsewhere, student=EnrollmentFactory(classroom=elsewhere).student)
    request = RequestFactory().get("/admin/classroom/classroom/")
    request.user = AdminFactory(school=classroom.school)

    response = download_gradebook_csv(
        admin.ModelAdmin(Classroom, admin.site),
        request,
        Classroom.objects.filter(pk__in=[classroom.pk, elsewhere.pk]),
    )

    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="gradebook-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[arg-type]
    assert rows[0][:3] == ["Student", "Username", "Class"]
    assert [row[1:3] for row in rows[1:]] == [["pupil-one", classroom.name]]
    assert rows[1][6] == str(Decimal("80.00"))
