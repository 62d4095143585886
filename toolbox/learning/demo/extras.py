"""The rarer corners of the demo: a grade override with its audit row, an AI feedback
suggestion awaiting an educator, a parent invite, a co-teacher and a roster import."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.utils import timezone

from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.classroom.models import Classroom, Enrollment, ParentInvite, RosterImport, SetPasswordLink
from toolbox.learning.demo.content import AI_MODEL, AI_PROVIDER
from toolbox.learning.demo.work import percent
from toolbox.learning.models import Answer, Attempt, GradedBy, GradeOverride

PARENT_INVITE_CODE = "PRYSHAH26"
ROSTER_FILE = b"first_name,last_name,email,username,grade\n"
FEEDBACK_PROMPT_VERSION = "answer-feedback-v1"


def _latest_wrong_answer(
    graded: list[tuple[Attempt, list[Answer]]], *, short_only: bool
) -> tuple[Attempt, Answer] | None:
    """The latest wrong answer, a short answer if there is one (and only those if `short_only`)."""
    wrong = [
        (attempt, answer)
        for attempt, answers in sorted(
            graded, key=lambda pair: pair[0].submitted_at or pair[0].started_at, reverse=True
        )
        for answer in answers
        if answer.is_correct is False
    ]
    short = [(attempt, answer) for attempt, answer in wrong if "text" in (answer.response or {})]
    return (short or ([] if short_only else wrong) or [None])[0]


def seed_grade_override(*, graded: list[tuple[Attempt, list[Answer]]], educator: User, school: School) -> bool:
    """Half credit for an answer that was nearly right, as the teacher would give it."""
    found = _latest_wrong_answer(graded, short_only=False)
    if found is None:
        return False
    attempt, answer = found
    old = attempt.final_score
    credit = Decimal("0.50")
    answer.points_awarded = credit
    answer.graded_by = GradedBy.EDUCATOR
    answer.feedback = "Nearly: the idea is right but the term is not. Half credit."
    answer.save(update_fields=["points_awarded", "graded_by", "feedback"])
    assert attempt.raw_score is not None
    assert attempt.max_score is not None
    attempt.raw_score += credit
    attempt.final_score = (attempt.raw_score * (100 - attempt.late_penalty_percent) / 100).quantize(Decimal("0.01"))
    attempt.final_percent = percent(attempt.final_score, attempt.max_score)
    attempt.save(update_fields=["raw_score", "final_score", "final_percent"])
    reason = "The answer shows the right idea with the wrong term; half credit as agreed in class."
    GradeOverride.objects.create(
        attempt=attempt,
        answer=answer,
        changed_by=educator,
        old_score=old,
        new_score=attempt.final_score,
        reason=reason,
    )
    audit_record(
        actor=educator,
        action="grade_override",
        target=answer,
        school=school,
        before={"points": "0.00", "final_score": str(old)},
        after={"points": str(credit), "final_score": str(attempt.final_score), "reason": reason},
    )
    return True


def seed_ai_feedback_suggestion(
    *, graded: list[tuple[Attempt, list[Answer]]], educator: User, school: School
) -> Answer | None:
    """A short answer that matched nothing, with the offline provider's suggestion awaiting review."""
    found = _latest_wrong_answer(graded, short_only=True)
    if found is None:
        return None
    attempt, answer = found
    finished = (attempt.submitted_at or timezone.now()) + dt.timedelta(minutes=2)
    GenerationJob.objects.create(
        school=school,
        created_by=educator,
        kind=JobKind.ANSWER_FEEDBACK,
        parameters={"answer_id": answer.pk},
        request_fingerprint=hashlib.sha256(f"demo-feedback-{answer.pk}".encode()).hexdigest(),
        status=JobStatus.SUCCEEDED,
        progress_percent=100,
        stage_message="Suggestion ready for the teacher",
        attempts=1,
        provider=AI_PROVIDER,
        model_name=AI_MODEL,
        prompt_version=FEEDBACK_PROMPT_VERSION,
        tokens_in=180,
        tokens_out=64,
        output={"points": "0.00", "feedback": "The answer names a related idea but not the one asked for."},
        answer=answer,
        dispatched_at=finished - dt.timedelta(seconds=3),
        started_at=finished - dt.timedelta(seconds=2),
        heartbeat_at=finished,
        finished_at=finished,
    )
    answer.needs_review = True
    answer.ai_suggested_points = Decimal("0.00")
    answer.ai_suggested_feedback = (
        "The answer names a related idea but not the one asked for. Look again at the key words in the lesson."
    )
    answer.ai_suggestion_confidence = 0.72
    answer.save(
        update_fields=["needs_review", "ai_suggested_points", "ai_suggested_feedback", "ai_suggestion_confidence"]
    )
    return answer


def seed_school_admin_records(*, school: School, logins: dict[str, User], classroom: Classroom) -> None:
    """A co-teacher, an unredeemed parent invite, and a past roster import with a set-password link."""
    classroom.co_teachers.add(logins["teacher2"])
    now = timezone.now()
    ParentInvite.objects.get_or_create(
        code=PARENT_INVITE_CODE,
        defaults={
            "student": logins["student2"],
            "created_by": logins["teacher"],
            "expires_at": now + dt.timedelta(days=10),
        },
    )
    students = list(
        Enrollment.objects.filter(classroom=classroom).order_by("student_id").values_list("student_id", flat=True)[:3]
    )
    rows = ROSTER_FILE + b"".join(f"Demo,Student,,demo{sid},7\n".encode() for sid in students)
    _, created = RosterImport.objects.get_or_create(
        classroom=classroom,
        file_sha256=hashlib.sha256(rows).hexdigest(),
        defaults={
            "imported_by": logins["teacher"],
            "rows": len(students),
            "created_students": 0,
            "enrolled_existing": len(students),
        },
    )
    if created and students:
        SetPasswordLink.objects.get_or_create(
            token=hashlib.sha256(f"{school.slug}-set-password-{students[-1]}".encode()).hexdigest(),
            defaults={"user_id": students[-1], "expires_at": now + dt.timedelta(days=7)},
        )
