"""The rarer corners of the demo: a grade override with its audit row, an AI feedback
suggestion awaiting an educator, a parent invite, a co-teacher, a roster import, and the
scheduled jobs' records."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.utils import timezone

from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.classroom.models import Classroom, Enrollment, ParentInvite, RosterImport, SetPasswordLink
from toolbox.content.models import LearningObjective
from toolbox.learning.demo.content import AI_MODEL, AI_PROVIDER
from toolbox.learning.demo.work import attempt_scores_of
from toolbox.learning.digests import digest_week
from toolbox.learning.models import Answer, Attempt, GradedBy, GradeOverride
from toolbox.learning.schedule_models import DigestLog, PracticeBankRequest
from toolbox.learning.services.attempts import attempt_scores_compute

PARENT_INVITE_CODE = "PRYSHAH26"
ROSTER_FILE = b"first_name,last_name,email,username,grade\n"
FEEDBACK_PROMPT_VERSION = "answer-feedback-v1"


def _latest(graded: list[tuple[Attempt, list[Answer]]], *, waiting: bool) -> tuple[Attempt, Answer] | None:
    """The latest wrong answer that the app graded on its own, or (`waiting`) the latest
    short answer awaiting the teacher's review."""
    for attempt, answers in sorted(graded, key=lambda pair: pair[0].submitted_at or pair[0].started_at, reverse=True):
        for answer in answers:
            if waiting and answer.needs_review:
                return attempt, answer
            if not waiting and answer.is_correct is False and answer.graded_by == GradedBy.AUTO:
                return attempt, answer
    return None


def seed_grade_override(*, graded: list[tuple[Attempt, list[Answer]]], educator: User, school: School) -> bool:
    """Half credit for an answer that was nearly right, as `grade_override` records it."""
    found = _latest(graded, waiting=False)
    if found is None:
        return False
    attempt, answer = found
    answers = next(answers for candidate, answers in graded if candidate is attempt)
    before = attempt_scores_of(attempt)
    credit = Decimal("0.50")
    reason = "The answer shows the right idea with the wrong term; half credit as agreed in class."
    GradeOverride.objects.create(
        attempt=attempt,
        answer=answer,
        changed_by=educator,
        old_score=answer.points_awarded,
        new_score=credit,
        reason=reason,
    )
    answer.points_awarded = credit
    answer.is_correct = False
    answer.graded_by = GradedBy.EDUCATOR
    answer.feedback = "Nearly: the idea is right but the term is not. Half credit."
    answer.save(update_fields=["points_awarded", "is_correct", "graded_by", "feedback"])
    attempt_scores_compute(attempt=attempt, answers=answers)
    attempt.save(update_fields=["raw_score", "max_score", "final_score", "final_percent", "status"])
    audit_record(
        actor=educator,
        action="grade.override",
        target=answer,
        school=school,
        before={"points": "0.00", **before},
        after={"points": str(credit), "reason": reason, **attempt_scores_of(attempt)},
    )
    return True


def seed_ai_feedback_suggestion(
    *, graded: list[tuple[Attempt, list[Answer]]], educator: User, school: School
) -> Answer | None:
    """A short answer awaiting review, with the offline provider's suggestion for the teacher."""
    found = _latest(graded, waiting=True)
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
    answer.ai_suggested_points = Decimal("0.00")
    answer.ai_suggested_feedback = (
        "The answer names a related idea but not the one asked for. Look again at the key words in the lesson."
    )
    answer.ai_suggestion_confidence = 0.72
    answer.save(update_fields=["ai_suggested_points", "ai_suggested_feedback", "ai_suggestion_confidence"])
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


def seed_schedule_records(*, school: School, parent: User, teacher: User, objective: LearningObjective) -> None:
    """What the scheduled jobs leave behind: last week's digest to the demo parent, and last
    night's request for more practice items on an objective whose bank ran thin."""
    now = timezone.now()
    this_week, _ = digest_week(school, now)
    DigestLog.objects.get_or_create(
        parent=parent, week_starting=this_week - dt.timedelta(days=7), defaults={"children_count": 1}
    )
    last_night = now.astimezone(school.tzinfo).date() - dt.timedelta(days=1)
    if PracticeBankRequest.objects.filter(school=school, objective=objective, for_date=last_night).exists():
        return
    finished = now - dt.timedelta(hours=8)
    job = GenerationJob.objects.create(
        school=school,
        created_by=teacher,
        kind=JobKind.PRACTICE_ITEMS,
        parameters={"objective_ids": [objective.pk], "objectives": [objective.description], "question_count": 6},
        request_fingerprint=hashlib.sha256(f"demo-bank-{objective.pk}-{last_night}".encode()).hexdigest(),
        status=JobStatus.SUCCEEDED,
        progress_percent=100,
        stage_message="Practice items ready for review",
        attempts=1,
        provider=AI_PROVIDER,
        model_name=AI_MODEL,
        prompt_version="practice-items-v1",
        dispatched_at=finished - dt.timedelta(seconds=20),
        started_at=finished - dt.timedelta(seconds=18),
        heartbeat_at=finished,
        finished_at=finished,
    )
    PracticeBankRequest.objects.create(school=school, objective=objective, for_date=last_night, generation_job=job)
