"""The audit trail records who did what, when, with the state before and after, for content
approvals, grade overrides, role changes, roster imports and parent links, and the admin
shows it read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.classroom.roster_files import ADA, ALAN, roster_csv
from tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    ParentFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.learning.conftest import quiz_with_every_kind, wrong_response
from toolbox.accounts.models import AuditEvent, ParentLink, Role, User
from toolbox.accounts.services import user_change_role
from toolbox.classroom.models import RosterImport
from toolbox.classroom.services import parent_invite_create, parent_invite_redeem, roster_import_commit
from toolbox.content.models import ContentStatus, QuestionKind
from toolbox.content.services import content_approve, content_submit_for_review
from toolbox.learning.models import Answer
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit, grade_override

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _only_event(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [event.action for event in AuditEvent.objects.all()]
    return events[0]


def test_a_content_approval_records_the_reviewer_the_time_and_the_status_change() -> None:
    school = SchoolFactory()
    author = EducatorFactory(school=school)
    reviewer = AdminFactory(school=school)
    quiz = quiz_with_every_kind(school, author=author, status=ContentStatus.DRAFT)
    content_submit_for_review(actor=author, content=quiz)

    with time_machine.travel(MOMENT, tick=False):
        content_approve(actor=reviewer, content=quiz, notes="Clear and correct.")

    event = _only_event("content.approved")
    assert event.actor == reviewer
    assert event.created_at == MOMENT
    assert (event.target_type, event.target_id, event.school) == ("content.quiz", str(quiz.pk), school)
    assert event.before == {"status": ContentStatus.IN_REVIEW}
    assert event.after == {"status": ContentStatus.PUBLISHED, "notes": "Clear and correct."}


def test_a_grade_override_records_the_old_and_new_points_and_the_reason() -> None:
    school = SchoolFactory()
    educator = EducatorFactory(school=school)
    classroom = ClassroomFactory(school=school, owner=educator)
    student = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz_with_every_kind(school))
    attempt = attempt_start(student=student, assignment=assignment)
    short = next(q for q in attempt.snapshot["questions"] if q["kind"] == QuestionKind.SHORT_ANSWER)
    attempt_save_answer(student=student, attempt=attempt, question_id=short["id"], response=wrong_response(short))
    attempt_submit(student=student, attempt=attempt)
    answer = Answer.objects.get(attempt=attempt, question_key=short["id"])

    with time_machine.travel(MOMENT, tick=False):
        grade_override(actor=educator, answer=answer, points=Decimal("1"), reason="Spelling slip; the idea is right.")

    event = _only_event("grade.override")
    assert event.actor == educator
    assert event.created_at == MOMENT
    assert (event.target_type, event.target_id) == ("learning.answer", str(answer.pk))
    assert event.before is not None
    assert event.after is not None
    assert event.before["points"] == "0.00"
    assert event.after["points"] == "1.00"
    assert event.after["reason"] == "Spelling slip; the idea is right."


def test_a_role_change_records_the_old_and_new_role() -> None:
    school = SchoolFactory()
    admin = AdminFactory(school=school)
    user = StudentFactory(school=school)

    with time_machine.travel(MOMENT, tick=False):
        user_change_role(actor=admin, user=user, role=Role.EDUCATOR)

    event = _only_event("user.role_changed")
    assert (event.actor, event.created_at, event.target_id) == (admin, MOMENT, str(user.pk))
    assert (event.before, event.after) == ({"role": "student"}, {"role": "educator"})


def test_a_role_change_in_the_django_admin_is_recorded_too(client: Client) -> None:
    school = SchoolFactory()
    admin = AdminFactory(school=school)
    user = StudentFactory(school=school)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"role": Role.PARENT, "school": school.pk, "date_joined_0": "2026-01-01", "date_joined_1": "10:00"})
    data.pop("date_joined", None)
    data.pop("last_login", None)

    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = _only_event("user.role_changed")
    assert (event.actor, event.before, event.after) == (admin, {"role": "student"}, {"role": "parent"})


def test_a_roster_import_records_who_imported_what_into_which_class() -> None:
    school = SchoolFactory()
    educator = EducatorFactory(school=school)
    classroom = ClassroomFactory(school=school, owner=educator)

    with time_machine.travel(MOMENT, tick=False):
        roster_import_commit(actor=educator, classroom=classroom, file_bytes=roster_csv([ADA, ALAN]))

    event = _only_event("roster_import.committed")
    roster_import = RosterImport.objects.get()
    assert (event.actor, event.created_at, event.school) == (educator, MOMENT, school)
    assert (event.target_type, event.target_id) == ("classroom.rosterimport", str(roster_import.pk))
    assert event.before is None
    assert event.after is not None
    assert event.after["classroom"] == classroom.pk
    assert event.after["created_students"] == 2
    assert event.after["parent_invites"] == 1
    assert len(event.after["file_sha256"]) == 64


def test_a_parent_link_records_the_invite_and_the_link_with_who_made_each() -> None:
    school = SchoolFactory()
    educator = EducatorFactory(school=school)
    classroom = ClassroomFactory(school=school, owner=educator)
    student = EnrollmentFactory(classroom=classroom, student=StudentFactory(school=school)).student
    parent = ParentFactory(school=school)

    invite = parent_invite_create(actor=educator, student=student)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        link = parent_invite_redeem(parent=parent, code=invite.code)

    created = _only_event("parent_invite.created")
    assert (created.actor, created.target_id) == (educator, str(invite.pk))
    assert created.after is not None
    assert created.after["student"] == student.pk
    linked = _only_event("parent_link.created")
    assert (linked.actor, linked.target_type, linked.target_id) == (parent, "accounts.parentlink", str(link.pk))
    assert linked.after == {"parent": parent.pk, "student": student.pk, "can_view_grades": True}
    assert linked.created_at > created.created_at


def test_parent_links_made_or_removed_in_the_django_admin_are_recorded(client: Client) -> None:
    school = SchoolFactory()
    admin = AdminFactory(school=school)
    parent = ParentFactory(school=school)
    student = StudentFactory(school=school)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(
        "/admin/accounts/parentlink/add/", {"parent": parent.pk, "student": student.pk, "can_view_grades": "on"}
    )
    assert response.status_code == 302
    link = ParentLink.objects.get()
    created = _only_event("parent_link.created")
    assert (created.actor, created.target_id) == (admin, str(link.pk))

    response = client.post(f"/admin/accounts/parentlink/{link.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    removed = _only_event("parent_link.deleted")
    assert removed.actor == admin
    assert removed.before == {"parent": parent.pk, "student": student.pk, "can_view_grades": True}
    assert removed.after is None


def test_the_audit_trail_is_read_only_in_the_admin(client: Client) -> None:
    school = SchoolFactory()
    admin = AdminFactory(school=school)
    user_change_role(actor=admin, user=StudentFactory(school=school), role=Role.PARENT)
    event = AuditEvent.objects.get()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/admin/accounts/auditevent/").status_code == 200
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    detail = client.get(f"/admin/accounts/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "forged"}).status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "user.role_changed"
    assert User.objects.filter(pk=admin.pk).exists()
