"""Due-date reminders, daily at 07:00 school time: for work due in the next 24 hours and not
yet done, an in-site notification and, when the student has an address, an e-mail. The
notification's dedupe key ("due:<assignment>:<local date>") makes a rerun send nothing twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from toolbox.accounts.models import ROLE_HOME_URLS, Role, School, User
from toolbox.classroom.models import Enrollment, EnrollmentStatus
from toolbox.learning.models import Assignment, Attempt, AttemptStatus, LessonProgress
from toolbox.learning.scheduling import RunSummary
from toolbox.learning.services import notification_create

logger = structlog.get_logger(__name__)

REMINDER_HOUR = 7
REMINDER_WINDOW = dt.timedelta(hours=24)
DONE_STATUSES = (AttemptStatus.SUBMITTED, AttemptStatus.GRADED)


def _due_soon(school: School, now: dt.datetime) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            classroom__school=school,
            classroom__is_archived=False,
            available_from__lte=now,
            due_at__gt=now,
            due_at__lte=now + REMINDER_WINDOW,
        )
        .select_related("quiz", "lesson", "classroom")
        .order_by("due_at", "id")
    )


def _students_by_classroom(assignments: list[Assignment]) -> dict[int, list[User]]:
    enrollments = Enrollment.objects.filter(
        classroom_id__in={assignment.classroom_id for assignment in assignments},
        status=EnrollmentStatus.ACTIVE,
        student__is_active=True,
        student__role=Role.STUDENT,
    ).select_related("student")
    by_classroom: dict[int, list[User]] = defaultdict(list)
    for enrollment in enrollments:
        by_classroom[enrollment.classroom_id].append(enrollment.student)
    return by_classroom


def _done(assignments: list[Assignment]) -> set[tuple[int, int]]:
    """(assignment id, student id) pairs already done: a quiz submitted, a lesson completed."""
    done = set(
        Attempt.objects.filter(assignment__in=assignments, status__in=DONE_STATUSES).values_list(
            "assignment_id", "student_id"
        )
    )
    lesson_assignments: dict[int, list[int]] = defaultdict(list)
    for assignment in assignments:
        if assignment.lesson_id is not None:
            lesson_assignments[assignment.lesson_id].append(assignment.pk)
    completed = LessonProgress.objects.filter(lesson_id__in=lesson_assignments, completed_at__isnull=False).values_list(
        "lesson_id", "student_id"
    )
    for lesson_id, student_id in completed:
        for assignment_id in lesson_assignments[lesson_id]:
            done.add((assignment_id, student_id))
    return done


def _remind(*, student: User, assignment: Assignment, local_date: dt.date, tz: dt.tzinfo) -> bool:
    due_local = assignment.due_at.astimezone(tz)
    due_text = due_local.strftime("%A %-d %B at %H:%M")
    with transaction.atomic():
        notification = notification_create(
            user=student,
            kind="due_soon",
            message=f"“{assignment.title}” for {assignment.classroom.name} is due {due_text}.",
            link=ROLE_HOME_URLS[Role.STUDENT],
            dedupe_key=f"due:{assignment.pk}:{local_date.isoformat()}",
        )
        if notification is None:
            return False
        if student.email:
            context = {
                "student": student,
                "assignment": assignment,
                "due_text": due_text,
                "url": settings.SITE_URL + ROLE_HOME_URLS[Role.STUDENT],
            }
            send_mail(
                subject=f"Due soon: {assignment.title}",
                message=render_to_string("emails/due_reminder.txt", context),
                from_email=None,
                recipient_list=[student.email],
            )
    return True


def due_reminders_send(*, school: School, now: dt.datetime | None = None) -> RunSummary:
    """Remind this school's students of work due in the next 24 hours that they have not done."""
    now = now or timezone.now()
    summary = RunSummary(schedule="due_reminders")
    tz = school.tzinfo
    local_date = now.astimezone(tz).date()
    assignments = _due_soon(school, now)
    students = _students_by_classroom(assignments)
    done = _done(assignments)
    for assignment in assignments:
        for student in students.get(assignment.classroom_id, []):
            if (assignment.pk, student.pk) in done:
                summary.skipped += 1
                summary.count("already_done")
                continue
            try:
                sent = _remind(student=student, assignment=assignment, local_date=local_date, tz=tz)
            except Exception:  # one failed reminder must not stop the others.
                logger.exception("due_reminder_failed", student_id=student.pk, assignment_id=assignment.pk)
                summary.failed += 1
                continue
            if sent:
                summary.handled += 1
            else:
                summary.skipped += 1
    return summary
