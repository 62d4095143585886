from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import (
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    LearningObjectiveFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.learning import (
    AnswerRowFactory,
    AssignmentFactory,
    AttemptRowFactory,
    LessonProgressFactory,
    MasteryFactory,
    snapshot_of,
)
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.content.models import ContentSource, ContentStatus
from toolbox.learning.models import Mastery
from toolbox.learning.selectors import class_insights, educator_home


def test_class_insights_build_a_students_by_objectives_matrix(db: None) -> None:
    classroom = ClassroomFactory()
    cells, energy, unrelated = (
        LearningObjectiveFactory(code=code) for code in ("SCI.7.CELLS", "SCI.7.ENERGY", "SCI.7.ROCKS")
    )
    quiz = QuizFactory(school=classroom.school)
    quiz.objectives.add(cells)  # pyright: ignore[reportAttributeAccessIssue]
    question = QuestionFactory(quiz=quiz, objective=energy, prompt="Where does energy come from?")
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    ann, bob = (EnrollmentFactory(classroom=classroom, student__last_name=last).student for last in ("Able", "Brown"))
    removed = EnrollmentFactory(classroom=classroom, status=EnrollmentStatus.REMOVED).student
    MasteryFactory(student=ann, objective=cells, score=0.9, answers_counted=6, mastered_at=timezone.now())
    MasteryFactory(student=bob, objective=cells, score=0.5, answers_counted=4)
    MasteryFactory(student=ann, objective=energy, score=0.2, answers_counted=5)
    MasteryFactory(student=ann, objective=unrelated, score=1.0, answers_counted=9)
    MasteryFactory(student=removed, objective=cells, score=0.1, answers_counted=9)
    attempt = AttemptRowFactory(assignment=assignment, student=bob, snapshot=snapshot_of(quiz))
    AnswerRowFactory(
        attempt=attempt, question=question, question_key=question.pk, response={"text": "Moon"}, is_correct=False
    )

    insights = class_insights(classroom=classroom)

    assert [o.code for o in insights.objectives] == ["SCI.7.CELLS", "SCI.7.ENERGY"]
    assert [row.student.id for row in insights.rows] == [ann.pk, bob.pk]
    ann_row, bob_row = insights.rows
    assert [(c.percent, c.mastered) if c else None for c in ann_row.cells] == [(90, True), (20, False)]
    assert [(c.percent, c.mastered) if c else None for c in bob_row.cells] == [(50, False), None]
    cells_summary, energy_summary = insights.objective_summaries
    assert (cells_summary.average_percent, cells_summary.mastered_count, cells_summary.students_with_data) == (
        Decimal("70.00"), 1, 2,
    )  # fmt: skip
    assert energy_summary.students_with_data == 1
    assert [m.stats.prompt for m in insights.most_missed] == ["Where does energy come from?"]
    assert insights.most_missed[0].stats.most_common_wrong_answer == "Moon"


@pytest.mark.parametrize("students", [10, 200])
def test_class_insights_query_count_is_fixed(db: None, django_assert_max_num_queries, students: int) -> None:
    classroom = ClassroomFactory()
    objectives = [LearningObjectiveFactory() for _ in range(6)]
    lesson = LessonFactory(school=classroom.school)
    lesson.objectives.add(*objectives)  # pyright: ignore[reportAttributeAccessIssue]
    AssignmentFactory(classroom=classroom, quiz=None, lesson=lesson)
    users = User.objects.bulk_create(
        User(username=f"{classroom.join_code}-{i}", role=Role.STUDENT, school=classroom.school) for i in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=user) for user in users)
    Mastery.objects.bulk_create(
        Mastery(student=user, objective=objective, score=0.5, answers_counted=3)
        for user in users
        for objective in objectives
    )

    with django_assert_max_num_queries(4):
        insights = class_insights(classroom=classroom)

    assert len(insights.rows) == students
    assert all(summary.students_with_data == students for summary in insights.objective_summaries)


def _classroom_for(educator: User, **fields: object) -> Classroom:
    return ClassroomFactory(school=educator.school, owner=educator, **fields)


def test_educator_home_shows_classes_queue_due_work_and_recent_submissions(db: None) -> None:
    now = timezone.now()
    teacher = EducatorFactory()
    mine = _classroom_for(teacher, name="Biology")
    shared = ClassroomFactory(school=teacher.school, name="Chemistry")
    shared.co_teachers.add(teacher)  # pyright: ignore[reportAttributeAccessIssue]
    _classroom_for(teacher, name="Old class", is_archived=True)
    ClassroomFactory(school=teacher.school, name="Not mine")
    ann, bob = (EnrollmentFactory(classroom=mine).student for _ in range(2))
    gone = EnrollmentFactory(classroom=mine, status=EnrollmentStatus.REMOVED).student
    EnrollmentFactory(classroom=shared)

    LessonFactory(school=teacher.school, status=ContentStatus.IN_REVIEW)
    QuizFactory(school=teacher.school, status=ContentStatus.DRAFT, source=ContentSource.AI)
    QuizFactory(school=teacher.school, status=ContentStatus.DRAFT)
    LessonFactory(status=ContentStatus.IN_REVIEW)  # another school

    quiz_due = AssignmentFactory(classroom=mine, due_at=now + dt.timedelta(days=3))
    first = AttemptRowFactory(assignment=quiz_due, student=ann, number=1, submitted_at=now - dt.timedelta(hours=3))
    AttemptRowFactory(assignment=quiz_due, student=ann, number=2, submitted_at=now - dt.timedelta(hours=1))
    latest = AttemptRowFactory(assignment=quiz_due, student=bob, submitted_at=now - dt.timedelta(minutes=5))
    lesson = LessonFactory(school=teacher.school)
    lesson_due = AssignmentFactory(classroom=shared, quiz=None, lesson=lesson, due_at=now + dt.timedelta(days=2))
    LessonProgressFactory(student=shared.enrollments.get().student, lesson=lesson)  # pyright: ignore[reportAttributeAccessIssue]
    LessonProgressFactory(student=ann, lesson=lesson)  # not in that class
    AssignmentFactory(classroom=mine, due_at=now + dt.timedelta(days=10))
    AnswerRowFactory(attempt=first, needs_review=True, is_correct=None)
    # A removed student's answer has left the gradebook: not counted as waiting.
    left_behind = AttemptRowFactory(assignment=quiz_due, student=gone, submitted_at=now - dt.timedelta(days=1))
    AnswerRowFactory(attempt=left_behind, needs_review=True, is_correct=None)

    home = educator_home(educator=teacher, now=now)

    assert [(c.name, c.student_count, c.is_owner) for c in home.classes] == [
        ("Biology", 2, True), ("Chemistry", 1, False),
    ]  # fmt: skip
    assert home.review_queue_count == 2
    assert home.answers_to_grade_count == 1
    assert [(d.assignment_id, d.kind, d.handed_in, d.students) for d in home.due_this_week] == [
        (lesson_due.pk, "lesson", 1, 1),
        (quiz_due.pk, "quiz", 2, 2),
    ]
    assert home.recent_submissions[0].attempt_id == latest.pk
    assert home.recent_submissions[0].student.id == bob.pk
    assert len(home.recent_submissions) == 4


def test_educator_home_counts_only_the_work_of_students_still_in_the_class_as_handed_in(db: None) -> None:
    now = timezone.now()
    teacher = EducatorFactory()
    classroom = _classroom_for(teacher)
    present = EnrollmentFactory(classroom=classroom).student
    removed = EnrollmentFactory(classroom=classroom, status=EnrollmentStatus.REMOVED).student
    quiz_due = AssignmentFactory(classroom=classroom, due_at=now + dt.timedelta(days=2))
    lesson = LessonFactory(school=teacher.school)
    AssignmentFactory(classroom=classroom, quiz=None, lesson=lesson, due_at=now + dt.timedelta(days=3))
    for student in (present, removed):
        AttemptRowFactory(assignment=quiz_due, student=student, submitted_at=now - dt.timedelta(hours=1))
        LessonProgressFactory(student=student, lesson=lesson)

    home = educator_home(educator=teacher, now=now)

    assert [(d.kind, d.handed_in, d.students) for d in home.due_this_week] == [("quiz", 1, 1), ("lesson", 1, 1)]


@pytest.mark.parametrize("classes", [1, 6])
def test_educator_home_query_count_is_fixed(db: None, django_assert_max_num_queries, classes: int) -> None:
    teacher = EducatorFactory()
    for _ in range(classes):
        classroom = _classroom_for(teacher)
        assignment = AssignmentFactory(classroom=classroom)
        for _ in range(3):
            AttemptRowFactory(assignment=assignment, student=EnrollmentFactory(classroom=classroom).student)

    with django_assert_max_num_queries(6):
        home = educator_home(educator=teacher)

    assert len(home.classes) == classes
    assert len(home.due_this_week) == classes
