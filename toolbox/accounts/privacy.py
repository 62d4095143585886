"""Student data rights: export everything held on a student, and erase a student.

Erasing removes the person, not the class's history: the account stays as an anonymous,
deactivated row, so that attempts, scores, mastery and XP still count in class statistics
and item analysis, but nothing left says who the student was or what they wrote.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from toolbox.accounts import permissions
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import AuditEvent, ParentLink, Role, User
from toolbox.errors import InvalidInputError, NotFoundError

EXPORT_FORMAT_VERSION = 1
ERASED_NAME = "Erased student"

_ACCOUNT_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "display_name",
    "email",
    "role",
    "school_id",
    "grade_level",
    "clerk_user_id",
    "is_active",
    "date_joined",
    "last_login",
)


def _require_student_admin(actor: User, student: User) -> None:
    if not permissions.can_manage_school(actor, student.school_id):
        raise NotFoundError("This student does not exist, or is not in a school you run.")
    if student.role != Role.STUDENT:
        raise InvalidInputError(f"{student.name} is not a student account; only students' data is handled here.")


def _plain(data: Any) -> Any:
    """Dates, decimals and ids as JSON gives them back, so the export is what a download holds."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def student_data_export(*, actor: User, student: User) -> dict[str, Any]:
    """Everything held on `student`, as JSON-ready data, in a fixed number of queries. Taking
    an export is itself recorded in the audit trail."""
    from toolbox.classroom.models import Enrollment, ParentInvite
    from toolbox.learning.models import (
        Answer,
        Attempt,
        LessonProgress,
        Mastery,
        Notification,
        StudentBadge,
        StudentStats,
        XPEvent,
    )

    _require_student_admin(actor, student)
    account = User.objects.filter(pk=student.pk).values(*_ACCOUNT_FIELDS).get()
    attempts = list(
        Attempt.objects.filter(student=student)
        .order_by("started_at", "pk")
        .values(
            "id",
            "assignment_id",
            "assignment__classroom_id",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "raw_score",
            "max_score",
            "late_penalty_percent",
            "final_score",
            "final_percent",
            "snapshot__title",
        )
    )
    answers_by_attempt: dict[int, list[dict[str, Any]]] = {}
    for answer in (
        Answer.objects.filter(attempt__student=student)
        .order_by("attempt_id", "question_key")
        .values(
            "id",
            "attempt_id",
            "question_key",
            "response",
            "is_correct",
            "points_awarded",
            "feedback",
            "graded_by",
            "saved_at",
        )
    ):
        answers_by_attempt.setdefault(answer["attempt_id"], []).append(answer)
    for attempt in attempts:
        attempt["quiz_title"] = attempt.pop("snapshot__title")
        attempt["classroom_id"] = attempt.pop("assignment__classroom_id")
        attempt["answers"] = answers_by_attempt.get(attempt["id"], [])
    links = list(
        ParentLink.objects.filter(student=student).values(
            "id", "parent_id", "parent__username", "parent__email", "can_view_grades", "created_at"
        )
    )
    related_targets = Q(target_type="accounts.user", target_id=str(student.pk))
    related_targets |= Q(target_type="accounts.parentlink", target_id__in=[str(link["id"]) for link in links])
    related_targets |= Q(target_type="learning.attempt", target_id__in=[str(attempt["id"]) for attempt in attempts])
    related_targets |= Q(
        target_type="learning.answer",
        target_id__in=[str(answer["id"]) for answers in answers_by_attempt.values() for answer in answers],
    )
    export = {
        "format_version": EXPORT_FORMAT_VERSION,
        "account": account,
        "enrolments": list(
            Enrollment.objects.filter(student=student)
            .order_by("joined_at")
            .values("classroom_id", "classroom__name", "status", "joined_at", "removed_at")
        ),
        "attempts": attempts,
        "lesson_progress": list(
            LessonProgress.objects.filter(student=student)
            .order_by("lesson_id")
            .values("lesson_id", "lesson__title", "percent", "time_spent_seconds", "completed_at")
        ),
        "mastery": list(
            Mastery.objects.filter(student=student)
            .order_by("objective_id")
            .values("objective_id", "objective__code", "objective__description", "score", "answers_counted")
        ),
        "xp": {
            "stats": StudentStats.objects.filter(student=student)
            .values("total_xp", "current_streak", "longest_streak", "last_active_on")
            .first(),
            "events": list(
                XPEvent.objects.filter(student=student)
                .order_by("created_at")
                .values("source", "amount", "description", "created_at")
            ),
        },
        "badges": list(
            StudentBadge.objects.filter(student=student)
            .order_by("awarded_at")
            .values("badge__code", "badge__name", "awarded_at")
        ),
        "notifications": list(
            Notification.objects.filter(user=student)
            .order_by("created_at")
            .values("kind", "message", "link", "created_at", "read_at")
        ),
        "parent_links": links,
        "parent_invites": list(
            ParentInvite.objects.filter(student=student)
            .order_by("created_at")
            .values("created_at", "expires_at", "redeemed_at", "redeemed_by_id", "sent_to_email")
        ),
        "audit": list(
            AuditEvent.objects.filter(related_targets)
            .order_by("created_at", "pk")
            .values("created_at", "action", "actor_id", "target_type", "target_id", "before", "after")
        ),
    }
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="student.data_exported",
            target=student,
            school=student.school,
            after={"sections": sorted(key for key in export if key != "format_version")},
        )
    return _plain(export)


def _blank_text_response(response: Any) -> Any:
    if isinstance(response, dict) and "text" in response:
        return {**response, "text": ""}
    return response


def student_erase(*, actor: User, student: User) -> User:
    """Remove the student's personal data; keep their attempts and scores as anonymous rows."""
    from toolbox.ai.models import GenerationJob
    from toolbox.classroom.models import ParentInvite, SetPasswordLink
    from toolbox.learning.models import Answer, Notification, PracticeItem

    _require_student_admin(actor, student)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=student.pk)
        before = {"had_email": bool(locked.email), "had_clerk_account": bool(locked.clerk_user_id)}
        parent_links = ParentLink.objects.filter(student=locked).delete()[0]
        ParentInvite.objects.filter(student=locked).delete()
        SetPasswordLink.objects.filter(user=locked).delete()
        Notification.objects.filter(user=locked).delete()
        answers = list(Answer.objects.filter(attempt__student=locked).only("pk", "response"))
        for answer in answers:
            answer.response = _blank_text_response(answer.response)
            answer.feedback = ""
            answer.ai_suggested_feedback = ""
        Answer.objects.bulk_update(answers, ["response", "feedback", "ai_suggested_feedback"], batch_size=500)
        practice_items = list(PracticeItem.objects.filter(practice_set__student=locked).only("pk", "response"))
        for item in practice_items:
            item.response = _blank_text_response(item.response)
        PracticeItem.objects.bulk_update(practice_items, ["response"], batch_size=500)
        # An AI feedback job keeps the suggestion it wrote about the student's words.
        GenerationJob.objects.filter(answer__attempt__student=locked).update(output=None)
        locked.username = f"erased-{secrets.token_hex(12)}"
        locked.first_name = locked.last_name = ""
        locked.display_name = ERASED_NAME
        locked.email = ""
        locked.clerk_user_id = None
        locked.is_active = False
        locked.set_unusable_password()
        locked.save()
        audit_record(
            actor=actor,
            action="student.erased",
            target=locked,
            school=locked.school,
            before=before,
            after={"parent_links_removed": parent_links, "answers_blanked": len(answers)},
        )
    return locked
