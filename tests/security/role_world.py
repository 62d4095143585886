"""The people and objects of the role matrix: two schools, and in school A two classes.

Roles: anonymous; student A; student B (another class of the same school); the educator of
A's class; an educator of another class; a parent linked to A; a parent of nobody; the
school's admin. Objects are taken from one of two sides: "own" (A's, or A's class's, or A's
teacher's) and "foreign" (another school's); the Django admin's pages also meet rows that
no school owns ("shared").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    GenerationJobFactory,
    LearningObjectiveFactory,
    LessonAssignmentFactory,
    LessonFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.classroom import ParentInviteFactory, SetPasswordLinkFactory
from tests.factories.learning import (
    BadgeFactory,
    LessonProgressFactory,
    MasteryFactory,
    NotificationFactory,
    PracticeSetFactory,
    StudentBadgeFactory,
)
from tests.learning.conftest import quiz_with_every_kind, right_response
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import User
from toolbox.accounts.services import parent_link_create
from toolbox.classroom.models import RosterImport
from toolbox.content.models import Choice, ContentSource, ContentStatus, QuestionKind
from toolbox.learning.models import Answer, Attempt, GradeOverride, PracticeItem, StudentStats, XPEvent
from toolbox.learning.services import attempt_save_answer, attempt_start, attempt_submit

ROLES = (
    "anonymous",
    "student_a",
    "student_b",
    "educator_a",
    "educator_other",
    "parent_a",
    "parent_none",
    "admin",
)


@dataclass
class Side:
    """The objects a URL can point at, from one side."""

    classroom: int
    student: int
    lesson: int
    draft_quiz: int
    question: int
    review_lesson: int
    lesson_assignment: int
    quiz_assignment: int
    attempt_in_progress: int
    attempt_graded: int
    answer: int
    notification: int
    practice_set: int
    practice_item: int
    job: int
    # For the API's writes: a student of the school in no class, content in each state a
    # review step starts from, and what a save or a reorder names.
    newcomer: int
    lesson_in_review: int
    quiz_in_review: int
    published_lesson: int
    published_quiz: int
    attempt_question: int
    draft_quiz_questions: tuple[int, ...]
    join_code: str
    # For the Django admin's per-object pages: one row of each school-owned model, by
    # "app_label/model_name" as in the admin's URLs.
    admin_objects: dict[str, int]


def _graded_attempt(student: User, assignment: Any) -> Attempt:
    attempt = attempt_start(student=student, assignment=assignment)
    for question in attempt.snapshot["questions"]:
        attempt_save_answer(
            student=student, attempt=attempt, question_id=question["id"], response=right_response(question)
        )
    return attempt_submit(student=student, attempt=attempt)


def _side(*, school: Any, educator: User, student: User) -> Side:
    classroom = ClassroomFactory(school=school, owner=educator)
    enrollment = EnrollmentFactory(classroom=classroom, student=student)
    graded_quiz = quiz_with_every_kind(school, author=educator, max_attempts=5)
    quiz_assignment = AssignmentFactory(classroom=classroom, quiz=graded_quiz)
    graded = _graded_attempt(student, quiz_assignment)
    in_progress = attempt_start(student=student, assignment=quiz_assignment)
    draft_quiz = quiz_with_every_kind(school, author=educator, status=ContentStatus.DRAFT)
    lesson = LessonFactory(school=school, author=educator, status=ContentStatus.DRAFT)
    review_lesson = LessonFactory(school=school, author=educator, status=ContentStatus.DRAFT, source=ContentSource.AI)
    published_lesson = LessonFactory(school=school, author=educator)
    answer = Answer.objects.filter(attempt=graded).order_by("question_key").first()
    assert answer is not None
    practice_set = PracticeSetFactory(student=student)
    practice_item = PracticeItem.objects.create(
        practice_set=practice_set, question=graded_quiz.questions.order_by("position").first(), position=0
    )
    question = draft_quiz.questions.get(kind=QuestionKind.SHORT_ANSWER)
    notification = NotificationFactory(user=student)
    job = GenerationJobFactory(school=school, created_by=educator, created_at=timezone.now() - dt.timedelta(minutes=5))
    # Never signed in during the matrix: a sign-in resets the throttle's records of that user.
    newcomer = StudentFactory(school=school)
    return Side(
        classroom=classroom.pk,
        student=student.pk,
        lesson=lesson.pk,
        draft_quiz=draft_quiz.pk,
        question=question.pk,
        review_lesson=review_lesson.pk,
        lesson_assignment=LessonAssignmentFactory(classroom=classroom, lesson=published_lesson).pk,
        quiz_assignment=quiz_assignment.pk,
        attempt_in_progress=in_progress.pk,
        attempt_graded=graded.pk,
        answer=answer.pk,
        notification=notification.pk,
        practice_set=practice_set.pk,
        practice_item=practice_item.pk,
        job=job.pk,
        newcomer=newcomer.pk,
        lesson_in_review=LessonFactory(
            school=school, author=educator, status=ContentStatus.IN_REVIEW, source=ContentSource.AI
        ).pk,
        quiz_in_review=quiz_with_every_kind(
            school, author=educator, status=ContentStatus.IN_REVIEW, source=ContentSource.AI
        ).pk,
        published_lesson=published_lesson.pk,
        published_quiz=graded_quiz.pk,
        attempt_question=next(q["id"] for q in in_progress.snapshot["questions"] if q["kind"] == "short_answer"),
        draft_quiz_questions=tuple(draft_quiz.questions.order_by("position").values_list("pk", flat=True)),
        join_code=classroom.join_code,
        admin_objects={
            "accounts/auditevent": audit_record(
                actor=educator, action="role_matrix.checked", target=classroom, school=school
            ).pk,
            "accounts/parentlink": ParentLinkFactory(parent=ParentFactory(school=school), student=student).pk,
            "accounts/school": school.pk,
            "accounts/user": student.pk,
            "ai/generationjob": job.pk,
            **_sign_in_records(newcomer.username),
            "classroom/classroom": classroom.pk,
            "classroom/enrollment": enrollment.pk,
            "classroom/parentinvite": ParentInviteFactory(student=student, created_by=educator).pk,
            "classroom/rosterimport": RosterImport.objects.create(
                classroom=classroom,
                imported_by=educator,
                file_sha256="0" * 64,
                rows=1,
                created_students=1,
                enrolled_existing=0,
            ).pk,
            "classroom/setpasswordlink": SetPasswordLinkFactory(user=student).pk,
            "content/choice": Choice.objects.filter(question__quiz=draft_quiz)
            .order_by("pk")
            .values_list("pk", flat=True)[0],
            "content/lesson": lesson.pk,
            "content/question": question.pk,
            "content/quiz": draft_quiz.pk,
            "learning/answer": answer.pk,
            "learning/assignment": quiz_assignment.pk,
            "learning/attempt": graded.pk,
            "learning/gradeoverride": GradeOverride.objects.create(
                attempt=graded, answer=answer, changed_by=educator, old_score=1, new_score=1, reason="Checked."
            ).pk,
            "learning/lessonprogress": LessonProgressFactory(student=student, lesson=published_lesson).pk,
            "learning/mastery": MasteryFactory(student=student).pk,
            "learning/notification": notification.pk,
            "learning/practiceitem": practice_item.pk,
            "learning/practiceset": practice_set.pk,
            "learning/studentbadge": StudentBadgeFactory(student=student).pk,
            "learning/studentstats": StudentStats.objects.get(student=student).pk,
            "learning/xpevent": XPEvent.objects.filter(student=student).values_list("pk", flat=True)[0],
        },
    )


def _sign_in_records(username: str) -> dict[str, int]:
    """The login throttle's records of one person's sign-ins, as django-axes writes them."""
    request = {
        "username": username,
        "ip_address": "192.0.2.10",
        "user_agent": "Matrix",
        "path_info": "/accounts/login/",
        "http_accept": "text/html",
    }
    return {
        "axes/accessattempt": AccessAttempt.objects.create(
            **request, get_data="", post_data="", failures_since_start=1
        ).pk,
        "axes/accessfailurelog": AccessFailureLog.objects.create(**request).pk,
        "axes/accesslog": AccessLog.objects.create(**request).pk,
    }


def _shared_admin_objects() -> dict[str, int]:
    """One row of each model that no school owns: the shared catalogues and the site's schedules."""
    crontab = CrontabSchedule.objects.create(minute="5", hour="2")
    return {
        "auth/group": Group.objects.create(name="Role matrix").pk,
        "content/learningobjective": LearningObjectiveFactory().pk,
        "learning/badge": BadgeFactory().pk,
        "django_celery_beat/clockedschedule": ClockedSchedule.objects.create(clocked_time=timezone.now()).pk,
        "django_celery_beat/crontabschedule": crontab.pk,
        "django_celery_beat/intervalschedule": IntervalSchedule.objects.create(every=10, period="minutes").pk,
        "django_celery_beat/solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=51.5, longitude=-0.1
        ).pk,
        "django_celery_beat/periodictask": PeriodicTask.objects.create(
            name="Role matrix", task="toolbox.ping", crontab=crontab
        ).pk,
    }


@dataclass
class RoleWorld:
    users: dict[str, User | None]
    own: Side
    foreign: Side
    shared_admin_objects: dict[str, int]

    def admin_object(self, model: str, variant: str) -> int:
        """The row of `model` ("app_label/model_name") on one side, or the shared one."""
        objects = self.shared_admin_objects if variant == "shared" else getattr(self, variant).admin_objects
        if model not in objects:
            raise LookupError(f"The role world has no {variant} row of {model} for the admin's pages.")
        return objects[model]


def role_world() -> RoleWorld:
    school = SchoolFactory()
    student_a = StudentFactory(school=school)
    educator_a = EducatorFactory(school=school)
    own = _side(school=school, educator=educator_a, student=student_a)
    student_b = StudentFactory(school=school)
    educator_other = EducatorFactory(school=school)
    EnrollmentFactory(classroom=ClassroomFactory(school=school, owner=educator_other), student=student_b)
    parent_a = ParentFactory(school=school)
    parent_link_create(parent=parent_a, student=student_a)
    other_school = SchoolFactory()
    foreign = _side(
        school=other_school, educator=EducatorFactory(school=other_school), student=StudentFactory(school=other_school)
    )
    assert Decimal(Attempt.objects.get(pk=own.attempt_graded).raw_score or 0) > 0
    return RoleWorld(
        users={
            "anonymous": None,
            "student_a": student_a,
            "student_b": student_b,
            "educator_a": educator_a,
            "educator_other": educator_other,
            "parent_a": parent_a,
            "parent_none": ParentFactory(school=school),
            "admin": AdminFactory(school=school),
        },
        own=own,
        foreign=foreign,
        shared_admin_objects=_shared_admin_objects(),
    )


# Which object each URL's parameters name, by URL name and parameter. A parameter whose
# meaning is the same everywhere (a class's `pk` in the class pages…) is listed once.
PARAMETERS: dict[str, dict[str, str]] = {
    "educators:class_detail": {"pk": "classroom"},
    "students:notification_read": {"pk": "notification"},
    "students:practice_set": {"pk": "practice_set"},
    "students:practice_answer": {"pk": "practice_set", "item_id": "practice_item"},
    "students:lesson": {"assignment_id": "lesson_assignment"},
    "students:lesson_progress": {"assignment_id": "lesson_assignment"},
    "students:lesson_done": {"assignment_id": "lesson_assignment"},
    "students:quiz_start": {"assignment_id": "quiz_assignment"},
    "students:attempt": {"pk": "attempt_in_progress"},
    "students:attempt_save_answer": {"pk": "attempt_in_progress"},
    "students:attempt_submit": {"pk": "attempt_in_progress"},
    "students:attempt_result": {"pk": "attempt_graded"},
    "parents:child": {"student_id": "student"},
    "educators:attempt_open": {"attempt_id": "attempt_graded"},
    "educators:lesson_detail": {"pk": "lesson"},
    "educators:lesson_edit": {"pk": "lesson"},
    "educators:lesson_submit": {"pk": "lesson"},
    "educators:quiz_edit": {"pk": "draft_quiz"},
    "educators:quiz_submit": {"pk": "draft_quiz"},
    "educators:question_add": {"pk": "draft_quiz"},
    "educators:question_show": {"pk": "draft_quiz", "question_id": "question"},
    "educators:question_edit": {"pk": "draft_quiz", "question_id": "question"},
    "educators:question_delete": {"pk": "draft_quiz", "question_id": "question"},
    "educators:question_move": {"pk": "draft_quiz", "question_id": "question"},
    "educators:review_detail": {"pk": "review_lesson"},
    "educators:review_approve": {"pk": "review_lesson"},
    "educators:review_reject": {"pk": "review_lesson"},
    "educators:generation_job": {"pk": "job"},
    "educators:generation_job_progress": {"pk": "job"},
    "educators:generation_job_cancel": {"pk": "job"},
}
# Within the class pages (educator/classes/<pk>/…), these names mean these objects.
CLASS_PAGE_PARAMETERS = {
    "pk": "classroom",
    "student_id": "student",
    "attempt_id": "attempt_graded",
    "answer_id": "answer",
}
# What a page needs in its query string to be more than a "not found" (the kind of question).
QUERIES = {"educators:question_add": "?kind=short_answer"}
FIXED_VALUES = {"kind": "lesson", "token": "no-such-token", "uidb64": "MQ"}


def url_parameters(name: str, route: str, keys: list[str], side: Side) -> dict[str, object]:
    mapping = PARAMETERS.get(name) or (CLASS_PAGE_PARAMETERS if route.startswith("educator/classes/<int:pk>") else {})
    values: dict[str, object] = {}
    for key in keys:
        if key in FIXED_VALUES:
            values[key] = FIXED_VALUES[key]
        elif key in mapping:
            values[key] = getattr(side, mapping[key])
        else:
            raise LookupError(f"The role matrix does not know what <{key}> of {name} ({route}) points at.")
    return values


# What each {parameter} of an API path points at, unless the operation says otherwise below.
API_PARAMETERS = {
    "class_id": "classroom",
    "student_id": "student",
    "assignment_id": "quiz_assignment",
    "attempt_id": "attempt_in_progress",
    "lesson_id": "lesson",
    "quiz_id": "draft_quiz",
    "question_id": "question",
    "job_id": "job",
    "notification_id": "notification",
}
# Operations that need their object in another state than the default one: a review step
# starts from content in review, archiving from published content, and an answer is saved
# to a question of the attempt.
API_OPERATION_PARAMETERS: dict[str, dict[str, str]] = {
    "POST /api/v1/lessons/{lesson_id}/approve": {"lesson_id": "lesson_in_review"},
    "POST /api/v1/lessons/{lesson_id}/reject": {"lesson_id": "lesson_in_review"},
    "POST /api/v1/lessons/{lesson_id}/archive": {"lesson_id": "published_lesson"},
    "POST /api/v1/quizzes/{quiz_id}/approve": {"quiz_id": "quiz_in_review"},
    "POST /api/v1/quizzes/{quiz_id}/reject": {"quiz_id": "quiz_in_review"},
    "POST /api/v1/quizzes/{quiz_id}/archive": {"quiz_id": "published_quiz"},
    "PUT /api/v1/attempts/{attempt_id}/answers/{question_id}": {"question_id": "attempt_question"},
}


def api_parameter(operation: str, name: str, side: Side) -> object:
    mapping = {**API_PARAMETERS, **API_OPERATION_PARAMETERS.get(operation, {})}
    if name not in mapping:
        raise LookupError(f"The role matrix does not know what {{{name}}} of {operation} points at.")
    return getattr(side, mapping[name])


@dataclass(frozen=True)
class Upload:
    """A multipart body with one file, for the operations that take an upload."""

    field: str
    name: str
    content: bytes
    fields: dict[str, str]


ROSTER = b"first_name,last_name,email,username,grade,parent_email\r\nGrace,Hopper,,grace.matrix,7,\r\n"

# A valid body for every API operation that takes one, built from the side its path points
# at: so that each signed-in role meets the role rule, not a validation error. Operations
# without a body here are sent none.
API_BODIES: dict[str, Callable[[Side], Any]] = {
    "POST /api/v1/classes": lambda side: {"name": "Biology 8", "subject": "Science", "grade_level": "8"},
    "POST /api/v1/classes/join": lambda side: {"code": side.join_code},
    "PATCH /api/v1/classes/{class_id}": lambda side: {"name": "Science 7C"},
    "POST /api/v1/classes/{class_id}/students": lambda side: {"student_id": side.newcomer},
    "POST /api/v1/classes/{class_id}/roster-import": lambda side: Upload(
        field="file", name="roster.csv", content=ROSTER, fields={"dry_run": "false"}
    ),
    "POST /api/v1/lessons": lambda side: {
        "title": "Atoms",
        "subject": "Science",
        "grade_level": "7",
        "body_markdown": "Atoms are tiny.",
    },
    "PATCH /api/v1/lessons/{lesson_id}": lambda side: {"title": "Cells, revised"},
    "POST /api/v1/lessons/{lesson_id}/approve": lambda side: {"notes": "Clear and correct."},
    "POST /api/v1/lessons/{lesson_id}/reject": lambda side: {"notes": "Too short."},
    "POST /api/v1/quizzes": lambda side: {"title": "Atoms quiz", "subject": "Science", "grade_level": "7"},
    "PATCH /api/v1/quizzes/{quiz_id}": lambda side: {"max_attempts": 2},
    "POST /api/v1/quizzes/{quiz_id}/approve": lambda side: {"notes": ""},
    "POST /api/v1/quizzes/{quiz_id}/reject": lambda side: {"notes": "Fix question 1."},
    "POST /api/v1/quizzes/{quiz_id}/questions": lambda side: {
        "kind": "short_answer",
        "prompt": "Name the unit of life.",
        "accepted_answers": ["cell"],
    },
    "POST /api/v1/quizzes/{quiz_id}/questions/reorder": lambda side: {
        "ordered_ids": list(reversed(side.draft_quiz_questions))
    },
    "PATCH /api/v1/questions/{question_id}": lambda side: {"prompt": "Name the cell's control centre, please."},
    "POST /api/v1/classes/{class_id}/assignments": lambda side: {
        "quiz_id": side.published_quiz,
        "available_from": "2026-01-01T08:00:00Z",
        "due_at": "2030-01-08T08:00:00Z",
    },
    "PATCH /api/v1/assignments/{assignment_id}": lambda side: {"accept_late": False},
    "PUT /api/v1/attempts/{attempt_id}/answers/{question_id}": lambda side: {"response": {"text": "nucleus"}},
    "POST /api/v1/generation-jobs": lambda side: {
        "kind": "quiz",
        "parameters": {"subject": "Science", "grade": "7", "topic": "Cells", "source_text": "Cells are alive."},
    },
}
