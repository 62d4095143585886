"""What an educator sees: the home page and a class's insights."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.content.models import LearningObjective, Lesson, Question, Quiz
from toolbox.content.selectors import review_queue_waiting_count
from toolbox.learning.models import Answer, Assignment, Attempt, LessonProgress, Mastery
from toolbox.learning.selectors._common import StudentRef, mean_percent, student_ref_of
from toolbox.learning.selectors.gradebook import active_student_refs
from toolbox.learning.selectors.items import MissedQuestion, most_missed_questions_for_classroom

# --- Class insights ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ObjectiveRef:
    id: int
    code: str
    description: str


@dataclass(frozen=True, slots=True)
class MasteryCell:
    score: float
    answers_counted: int
    mastered_at: dt.datetime | None

    @property
    def mastered(self) -> bool:
        return self.mastered_at is not None

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True, slots=True)
class MasteryRow:
    student: StudentRef
    # One per objective, in the order of ClassInsights.objectives; None where the student
    # has answered nothing on that objective yet.
    cells: tuple[MasteryCell | None, ...]


@dataclass(frozen=True, slots=True)
class ObjectiveSummary:
    objective: ObjectiveRef
    average_percent: Decimal | None
    mastered_count: int
    students_with_data: int


@dataclass(frozen=True, slots=True)
class ClassInsights:
    classroom_id: int
    objectives: tuple[ObjectiveRef, ...]
    rows: tuple[MasteryRow, ...]
    objective_summaries: tuple[ObjectiveSummary, ...]
    most_missed: tuple[MissedQuestion, ...]


def objectives_of_classroom(classroom: Classroom) -> QuerySet[LearningObjective]:
    """Objectives that the class's assigned work covers: those of its quizzes and lessons
    and those of the quizzes' questions."""
    assigned_quizzes = Assignment.objects.filter(classroom=classroom, quiz__isnull=False).values("quiz_id")
    assigned_lessons = Assignment.objects.filter(classroom=classroom, lesson__isnull=False).values("lesson_id")
    return LearningObjective.objects.filter(
        Q(id__in=Quiz.objectives.through.objects.filter(quiz_id__in=assigned_quizzes).values("learningobjective_id"))
        | Q(
            id__in=Lesson.objectives.through.objects.filter(lesson_id__in=assigned_lessons).values(
                "learningobjective_id"
            )
        )
        | Q(id__in=Question.objects.filter(quiz_id__in=assigned_quizzes).values("objective_id"))
    ).order_by("code")


def class_insights(*, classroom: Classroom, most_missed_limit: int = 5) -> ClassInsights:
    """Mastery per objective as a students × objectives matrix for a heat map, a summary per
    objective, and the most-missed questions (a fixed number of queries)."""
    students = active_student_refs(classroom=classroom)
    objective_rows = objectives_of_classroom(classroom)
    objectives = tuple(ObjectiveRef(*row) for row in objective_rows.values_list("id", "code", "description"))
    cells: dict[tuple[int, int], MasteryCell] = {}
    if objectives:
        active = Enrollment.objects.filter(classroom=classroom, status=EnrollmentStatus.ACTIVE).values("student_id")
        for student_id, objective_id, score, answers, mastered_at in Mastery.objects.filter(
            student_id__in=active, objective_id__in=[o.id for o in objectives]
        ).values_list("student_id", "objective_id", "score", "answers_counted", "mastered_at"):
            cells[(student_id, objective_id)] = MasteryCell(
                score=score, answers_counted=answers, mastered_at=mastered_at
            )
    rows = tuple(
        MasteryRow(student=student, cells=tuple(cells.get((student.id, o.id)) for o in objectives))
        for student in students
    )
    summaries = []
    for index, objective in enumerate(objectives):
        column = [cell for row in rows if (cell := row.cells[index]) is not None]
        summaries.append(
            ObjectiveSummary(
                objective=objective,
                average_percent=mean_percent(Decimal(cell.score * 100) for cell in column),
                mastered_count=sum(1 for cell in column if cell.mastered),
                students_with_data=len(column),
            )
        )
    return ClassInsights(
        classroom_id=classroom.pk,
        objectives=objectives,
        rows=rows,
        objective_summaries=tuple(summaries),
        most_missed=tuple(most_missed_questions_for_classroom(classroom=classroom, limit=most_missed_limit)),
    )


# --- Educator home -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassCard:
    id: int
    name: str
    subject: str
    grade_level: str
    student_count: int
    is_owner: bool
    join_code: str


@dataclass(frozen=True, slots=True)
class DueAssignment:
    assignment_id: int
    title: str
    kind: str
    classroom_id: int
    classroom_name: str
    due_at: dt.datetime
    handed_in: int
    students: int


@dataclass(frozen=True, slots=True)
class RecentSubmission:
    attempt_id: int
    student: StudentRef
    title: str
    classroom_name: str
    submitted_at: dt.datetime
    status: str
    final_percent: Decimal | None
    is_late: bool


@dataclass(frozen=True, slots=True)
class EducatorHome:
    classes: tuple[ClassCard, ...]
    review_queue_count: int
    answers_to_grade_count: int
    due_this_week: tuple[DueAssignment, ...]
    recent_submissions: tuple[RecentSubmission, ...]


def classrooms_taught(educator: User) -> QuerySet[Classroom]:
    co_taught = Classroom.co_teachers.through.objects.filter(user_id=educator.pk).values("classroom_id")
    return Classroom.objects.filter(Q(owner_id=educator.pk) | Q(id__in=co_taught), is_archived=False)


def educator_home(*, educator: User, now: dt.datetime | None = None, recent_limit: int = 10) -> EducatorHome:
    now = now or timezone.now()
    taught = classrooms_taught(educator)
    classes = tuple(
        ClassCard(
            id=c.pk,
            name=c.name,
            subject=c.subject,
            grade_level=c.grade_level,
            student_count=c.student_count,  # pyright: ignore[reportAttributeAccessIssue]
            is_owner=c.owner_id == educator.pk,
            join_code=c.join_code,
        )
        for c in taught.annotate(
            student_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ACTIVE))
        ).order_by("name", "id")
    )
    student_counts = {card.id: card.student_count for card in classes}

    # Handed in counts, like the class size beside it, only the students enrolled now: work
    # that a removed student handed in stays in their record but not in the class's tally.
    enrolled_now = {
        "student__enrollments__classroom_id": OuterRef("classroom_id"),
        "student__enrollments__status": EnrollmentStatus.ACTIVE,
    }
    quizzes_handed_in = (
        Attempt.objects.filter(assignment_id=OuterRef("pk"), submitted_at__isnull=False, **enrolled_now)
        .order_by()
        .values("assignment_id")
        .annotate(done=Count("student_id", distinct=True))
        .values("done")
    )
    lessons_done = (
        LessonProgress.objects.filter(lesson_id=OuterRef("lesson_id"), completed_at__isnull=False, **enrolled_now)
        .order_by()
        .values("lesson_id")
        .annotate(done=Count("id"))
        .values("done")
    )
    due = (
        Assignment.objects.filter(classroom__in=taught, due_at__gte=now, due_at__lte=now + dt.timedelta(days=7))
        .select_related("classroom", "quiz", "lesson")
        .annotate(
            quiz_handed_in=Coalesce(Subquery(quizzes_handed_in, output_field=IntegerField()), Value(0)),
            lesson_handed_in=Coalesce(Subquery(lessons_done, output_field=IntegerField()), Value(0)),
        )
        .order_by("due_at", "id")
    )
    due_this_week = tuple(
        DueAssignment(
            assignment_id=a.pk,
            title=a.title,
            kind=a.kind,
            classroom_id=a.classroom_id,
            classroom_name=a.classroom.name,
            due_at=a.due_at,
            handed_in=a.quiz_handed_in if a.quiz_id else a.lesson_handed_in,  # pyright: ignore[reportAttributeAccessIssue]
            students=student_counts.get(a.classroom_id, 0),
        )
        for a in due
    )

    recent = (
        Attempt.objects.filter(assignment__classroom__in=taught, submitted_at__isnull=False)
        .select_related("student", "assignment__classroom", "assignment__quiz")
        .defer("snapshot")
        .order_by("-submitted_at", "-id")[:recent_limit]
    )
    recent_submissions = tuple(
        RecentSubmission(
            attempt_id=a.pk,
            student=student_ref_of(a.student),
            title=a.assignment.title,
            classroom_name=a.assignment.classroom.name,
            submitted_at=a.submitted_at,  # pyright: ignore[reportArgumentType]
            status=a.status,
            final_percent=a.final_percent,
            is_late=a.submitted_at is not None and a.submitted_at > a.assignment.due_at,
        )
        for a in recent
    )
    return EducatorHome(
        classes=classes,
        review_queue_count=review_queue_waiting_count(school_id=educator.school_id),
        # Removed students' answers are not waiting: they have left the gradebook, where the
        # educator opens an answer to grade.
        answers_to_grade_count=Answer.objects.filter(
            needs_review=True,
            attempt__assignment__classroom__in=taught,
            attempt__student__enrollments__classroom_id=F("attempt__assignment__classroom_id"),
            attempt__student__enrollments__status=EnrollmentStatus.ACTIVE,
        ).count(),
        due_this_week=due_this_week,
        recent_submissions=recent_submissions,
    )
