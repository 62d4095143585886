"""The whole demo school in one call: people, material, a term of work, and what it earned."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from toolbox.accounts.models import AuditEvent, ParentLink, User
from toolbox.classroom.models import Classroom, Enrollment
from toolbox.content.models import ContentStatus, Lesson
from toolbox.learning.demo.bulk import historical_timestamps
from toolbox.learning.demo.content import seed_content
from toolbox.learning.demo.extras import (
    seed_ai_feedback_suggestion,
    seed_grade_override,
    seed_schedule_records,
    seed_school_admin_records,
)
from toolbox.learning.demo.history import seed_history
from toolbox.learning.demo.people import seed_classes_and_students, seed_logins, seed_school
from toolbox.learning.demo.practice import Practiser, seed_practice
from toolbox.learning.demo.progress import Ledger
from toolbox.learning.demo.work import StudentScript
from toolbox.learning.models import (
    Answer,
    Assignment,
    GradeOverride,
    LessonProgress,
    Mastery,
    Notification,
    PracticeSet,
    StudentBadge,
    XPEvent,
)

SEED = 20260901
DEFAULT_ASSIGNMENTS_PER_CLASS = 12

# The demo logins' stories: Sam is strong but forgot one quiz and handed one in late; Priya
# struggles a little more. Indexes count the class's past quiz assignments, oldest first.
SCRIPTS = {
    "student": StudentScript(ability=0.78, past_quizzes={1: "missing", 3: "late"}, busy_now=True),
    "student2": StudentScript(ability=0.64, past_quizzes={0: "late", 2: "missing", 4: "late"}, review_pending=True),
}


@dataclass
class SeedSummary:
    classrooms_with_new_history: int = 0
    assignments: int = 0
    attempts: int = 0
    answers: int = 0
    lesson_progress: int = 0
    practice_sets: int = 0
    practice_items: int = 0
    written: dict[str, int] = field(default_factory=dict)


def seed_demo_school(
    *, students: int, assignments_per_class: int, large_class_size: int = 0, now: dt.datetime | None = None
) -> SeedSummary:
    now = now or timezone.now()
    school = seed_school()
    logins = seed_logins(school=school)
    classrooms = seed_classes_and_students(
        school=school, logins=logins, students=students, large_class_size=large_class_size
    )
    teacher, teacher2 = logins["teacher"], logins["teacher2"]
    catalog = seed_content(
        school=school,
        authors={"Science": teacher, "Mathematics": teacher2, "History": teacher},
        reviewers={"Science": teacher2, "Mathematics": teacher, "History": teacher2},
    )
    parents_of: dict[int, list[int]] = defaultdict(list)
    for parent_id, student_id in ParentLink.objects.filter(student__school=school).values_list(
        "parent_id", "student_id"
    ):
        parents_of[student_id].append(parent_id)
    scripts = {logins[username].pk: script for username, script in SCRIPTS.items()}

    ledger = Ledger(time_zone=school.time_zone, now=now)
    summary = SeedSummary()
    with historical_timestamps(
        Assignment,
        Answer,
        LessonProgress,
        XPEvent,
        Notification,
        StudentBadge,
        Mastery,
        PracticeSet,
        GradeOverride,
        AuditEvent,
    ):
        history = seed_history(
            classrooms=classrooms,
            catalog=catalog,
            assignments_per_class=assignments_per_class,
            now=now,
            ledger=ledger,
            scripts=scripts,
            parents_of=parents_of,
            seed=SEED,
        )
        practisers = _practisers(classrooms=classrooms, new_students=history.student_ids, scripts=scripts)
        summary.practice_sets, summary.practice_items = seed_practice(
            practisers=practisers, catalog=catalog, ledger=ledger, seed=SEED
        )
        ledger.finish(student_ids=sorted(history.student_ids))
    graded = history.graded_by_student
    if logins["student"].pk in graded:
        seed_grade_override(graded=graded[logins["student"].pk], educator=teacher, school=school)
    flagged = None
    if logins["student2"].pk in graded:
        flagged = seed_ai_feedback_suggestion(graded=graded[logins["student2"].pk], educator=teacher2, school=school)
    seed_school_admin_records(school=school, logins=logins, classroom=classrooms[0])
    seed_schedule_records(
        school=school,
        parent=logins["parent"],
        teacher=teacher,
        objective=catalog.objectives[min(catalog.objectives)],
    )
    _seed_educator_notifications(school_id=school.pk, teacher=teacher, teacher2=teacher2, flagged=flagged)

    summary.classrooms_with_new_history = history.classrooms
    summary.assignments = history.assignments
    summary.attempts = history.attempts
    summary.answers = history.answers
    summary.lesson_progress = history.lesson_progress
    summary.written = dict(ledger.written)
    return summary


def _practisers(
    *, classrooms: list[Classroom], new_students: set[int], scripts: dict[int, StudentScript]
) -> list[Practiser]:
    """The demo logins practise every night in all their subjects; their first classmates now and then."""
    subjects_of: dict[int, list[str]] = defaultdict(list)
    for classroom in classrooms[:2]:
        for student_id in Enrollment.objects.filter(classroom=classroom).values_list("student_id", flat=True):
            if student_id in new_students and classroom.subject not in subjects_of[student_id]:
                subjects_of[student_id].append(classroom.subject)
    return [
        Practiser(
            student_id=student_id,
            subjects=tuple(subjects),
            ability=scripts[student_id].ability if student_id in scripts else 0.7,
            every_night=student_id in scripts,
        )
        for student_id, subjects in sorted(subjects_of.items())
    ]


def _seed_educator_notifications(*, school_id: int, teacher: User, teacher2: User, flagged: Answer | None) -> None:
    waiting = Lesson.objects.filter(school_id=school_id, status__in=[ContentStatus.DRAFT, ContentStatus.IN_REVIEW])
    notices = []
    for lesson in waiting:
        reviewer = teacher if lesson.author_id == teacher2.pk or lesson.source == "ai" else teacher2
        what = "An AI draft is ready for your review" if lesson.source == "ai" else "A lesson was submitted for review"
        notices.append(
            Notification(
                user=reviewer,
                kind="review_requested",
                message=f"{what}: “{lesson.title}”.",
                link="/educator/",
                dedupe_key=f"review:lesson:{lesson.pk}",
            )
        )
    if flagged is not None:
        notices.append(
            Notification(
                user_id=flagged.attempt.assignment.classroom.owner_id,
                kind="answer_needs_review",
                message="A short answer has an AI feedback suggestion waiting for you to confirm or change.",
                link="/educator/",
                dedupe_key=f"answer-review:{flagged.pk}",
            )
        )
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
