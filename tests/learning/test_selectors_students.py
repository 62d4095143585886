from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import (
    ClassroomFactory,
    EnrollmentFactory,
    LearningObjectiveFactory,
    LessonFactory,
    QuestionFactory,
    SchoolFactory,
    StudentFactory,
)
from tests.factories.learning import (
    AssignmentFactory,
    AttemptRowFactory,
    BadgeFactory,
    LessonProgressFactory,
    MasteryFactory,
    NotificationFactory,
    PracticeSetFactory,
    StudentBadgeFactory,
    StudentStatsFactory,
)
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom, EnrollmentStatus
from toolbox.learning.models import Assignment, AttemptStatus, PracticeItem
from toolbox.learning.selectors import notifications_for_user, student_home, student_progress, student_todo

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
OPENED = NOW - dt.timedelta(days=30)


@pytest.fixture
def pupil(db: None) -> User:
    return StudentFactory(school=SchoolFactory(time_zone="Pacific/Auckland"), first_name="Pia", last_name="Ngata")


def _class_of(student: User, **fields: object) -> Classroom:
    classroom = ClassroomFactory(school=student.school, **fields)
    EnrollmentFactory(classroom=classroom, student=student)
    return classroom


def _assign(classroom: Classroom, *, due_in_days: float, **fields: object) -> Assignment:
    fields.setdefault("available_from", OPENED)
    return AssignmentFactory(classroom=classroom, due_at=NOW + dt.timedelta(days=due_in_days), **fields)


def test_todo_sorts_work_into_due_soon_later_overdue_missing_and_done(pupil: User) -> None:
    science = _class_of(pupil, name="Science")
    soon = _assign(science, due_in_days=3)
    later = _assign(science, due_in_days=10)
    overdue = _assign(science, due_in_days=-2)
    refused_late = _assign(science, due_in_days=-2, accept_late=False)
    closed = _assign(science, due_in_days=-3, close_at=NOW - dt.timedelta(days=1))
    under_way = _assign(science, due_in_days=-1, accept_late=False)
    AttemptRowFactory(
        assignment=under_way, student=pupil, status=AttemptStatus.IN_PROGRESS, submitted_at=None, final_percent=None
    )
    done_quiz = _assign(science, due_in_days=-1)
    AttemptRowFactory(
        assignment=done_quiz,
        student=pupil,
        number=1,
        final_percent=Decimal("60"),
        submitted_at=NOW - dt.timedelta(days=2),
    )
    AttemptRowFactory(
        assignment=done_quiz,
        student=pupil,
        number=2,
        final_percent=Decimal("85"),
        submitted_at=NOW - dt.timedelta(days=1, hours=1),
    )
    lesson = LessonFactory(school=pupil.school)
    done_lesson = _assign(science, due_in_days=1, quiz=None, lesson=lesson)
    LessonProgressFactory(student=pupil, lesson=lesson, completed_at=NOW - dt.timedelta(hours=2))
    old_lesson = LessonFactory(school=pupil.school)
    _assign(science, due_in_days=-40, quiz=None, lesson=old_lesson, available_from=NOW - dt.timedelta(days=50))
    LessonProgressFactory(student=pupil, lesson=old_lesson, completed_at=NOW - dt.timedelta(days=41))
    _assign(science, due_in_days=9, available_from=NOW + dt.timedelta(days=1))  # not open yet
    _assign(_class_of(pupil, is_archived=True), due_in_days=2)
    gone = _class_of(pupil)
    gone.enrollments.update(status=EnrollmentStatus.REMOVED)  # pyright: ignore[reportAttributeAccessIssue]
    _assign(gone, due_in_days=2)
    _assign(ClassroomFactory(school=pupil.school), due_in_days=2)  # someone else's class

    todo = student_todo(student=pupil, now=NOW)

    assert [i.assignment_id for i in todo.due_soon] == [soon.pk]
    assert [i.assignment_id for i in todo.later] == [later.pk]
    assert [i.assignment_id for i in todo.overdue] == [overdue.pk, under_way.pk]
    assert {i.assignment_id for i in todo.missing} == {overdue.pk, refused_late.pk, closed.pk, under_way.pk}
    assert [i.assignment_id for i in todo.done] == [done_lesson.pk, done_quiz.pk]
    quiz_item = todo.done[1]
    assert (quiz_item.kind, quiz_item.classroom_name, quiz_item.best_percent) == ("quiz", "Science", Decimal("85"))
    assert (quiz_item.attempts_used, quiz_item.attempts_allowed, quiz_item.attempts_left) == (2, 3, 1)
    assert todo.done[0].kind == "lesson"
    assert todo.done[0].attempts_allowed is None
    assert todo.due_soon[0].title == soon.title


def _busy_student(classes: int, assignments: int) -> User:
    student = StudentFactory()
    for _ in range(classes):
        classroom = _class_of(student)
        lesson = LessonFactory(school=student.school)
        _assign(classroom, due_in_days=-1, quiz=None, lesson=lesson)
        LessonProgressFactory(student=student, lesson=lesson)
        for index in range(assignments):
            assignment = _assign(classroom, due_in_days=index - 2)
            AttemptRowFactory(assignment=assignment, student=student, submitted_at=NOW - dt.timedelta(days=1))
    return student


@pytest.mark.parametrize(("classes", "assignments"), [(1, 2), (4, 8)])
def test_todo_and_home_have_fixed_query_counts(
    db: None, django_assert_max_num_queries, classes: int, assignments: int
) -> None:
    student = _busy_student(classes, assignments)
    for _ in range(assignments):
        StudentBadgeFactory(student=student)
        NotificationFactory(user=student)
    StudentStatsFactory(student=student, total_xp=40)
    PracticeSetFactory(student=student, for_date=NOW.date())
    student = User.objects.get(pk=student.pk)

    with django_assert_max_num_queries(3):
        todo = student_todo(student=student, now=NOW)
    # Its newest notifications and their unread count included (two of the queries).
    with django_assert_max_num_queries(10):
        home = student_home(student=student, now=NOW)
    # Again with nothing changed: the student's facts are cached.
    with django_assert_max_num_queries(0):
        again = student_home(student=student, now=NOW)

    assert len(todo.done) == classes * (assignments + 1)
    assert len(home.badges) == assignments
    assert home.practice_today is not None
    assert len(home.notifications.items) == min(assignments, 8)
    assert again == home


def test_progress_shows_level_streak_badges_mastery_history_and_practice(pupil: User) -> None:
    StudentStatsFactory(
        student=pupil, total_xp=350, current_streak=4, longest_streak=9, last_active_on=dt.date(2026, 3, 10)
    )
    StudentBadgeFactory(student=pupil, badge=BadgeFactory(code="first_quiz", name="First quiz"))
    objective = LearningObjectiveFactory(code="SCI.7.CELLS", description="Describe a cell")
    MasteryFactory(student=pupil, objective=objective, score=0.9, answers_counted=6, mastered_at=NOW)
    MasteryFactory(student=pupil, score=0.4, answers_counted=2)
    classroom = _class_of(pupil, name="Biology")
    for index in range(25):
        assignment = _assign(classroom, due_in_days=-index)
        AttemptRowFactory(
            assignment=assignment,
            student=pupil,
            started_at=NOW - dt.timedelta(days=index, hours=1),
            submitted_at=NOW - dt.timedelta(days=index),
            final_percent=Decimal(index),
        )
    # In Auckland it is already 11 March: that is today's set.
    today_set = PracticeSetFactory(student=pupil, for_date=dt.date(2026, 3, 11))
    PracticeSetFactory(student=pupil, for_date=dt.date(2026, 3, 12))  # made ahead, not shown yet
    PracticeSetFactory(student=pupil, for_date=dt.date(2026, 3, 9))
    questions = [QuestionFactory() for _ in range(3)]
    PracticeItem.objects.create(
        practice_set=today_set, question=questions[0], position=0, answered_at=NOW, is_correct=True
    )
    PracticeItem.objects.create(
        practice_set=today_set, question=questions[1], position=1, answered_at=NOW, is_correct=False
    )
    PracticeItem.objects.create(practice_set=today_set, question=questions[2], position=2)

    progress = student_progress(student=pupil, now=NOW)

    assert (progress.level.level, progress.level.xp, progress.level.next_level_at) == (3, 350, 600)
    assert progress.level.percent_to_next == 16
    assert (progress.streak.current, progress.streak.longest) == (4, 9)
    assert [b.name for b in progress.badges] == ["First quiz"]
    mastery = {m.code: (m.mastered, m.percent, m.description) for m in progress.mastery}
    assert mastery["SCI.7.CELLS"] == (True, 90, "Describe a cell")
    assert len(mastery) == 2
    assert progress.mastered_count == 1
    assert [r.final_percent for r in progress.recent_results] == [Decimal(i) for i in range(5)]
    assert progress.recent_results[0].classroom_name == "Biology"
    assert len(progress.attempts) == 20
    assert progress.has_more_attempts
    first, *_ = progress.practice_sets
    assert (first.for_date, first.is_today, first.item_count, first.answered_count, first.correct_count) == (
        dt.date(2026, 3, 11), True, 3, 2, 1,
    )  # fmt: skip
    assert [s.for_date for s in progress.practice_sets] == [dt.date(2026, 3, 11), dt.date(2026, 3, 9)]

    rest = student_progress(student=pupil, now=NOW, attempts_offset=20)
    assert len(rest.attempts) == 5
    assert not rest.has_more_attempts


def test_a_streak_not_kept_up_yesterday_shows_as_broken(pupil: User) -> None:
    StudentStatsFactory(student=pupil, current_streak=6, longest_streak=6, last_active_on=dt.date(2026, 3, 9))

    # 12:00 UTC on 10 March is 11 March in Auckland: the 9th was two days ago there.
    assert student_progress(student=pupil, now=NOW).streak.current == 0
    assert student_progress(student=pupil, now=NOW - dt.timedelta(hours=12)).streak.current == 6


@pytest.mark.parametrize("attempts", [3, 40])
def test_progress_has_a_fixed_query_count(db: None, django_assert_max_num_queries, attempts: int) -> None:
    student = StudentFactory()
    classroom = _class_of(student)
    for _ in range(attempts):
        AttemptRowFactory(assignment=_assign(classroom, due_in_days=1), student=student)
        MasteryFactory(student=student)
        StudentBadgeFactory(student=student)
    student = User.objects.get(pk=student.pk)

    with django_assert_max_num_queries(7):
        progress = student_progress(student=student, now=NOW)

    assert len(progress.mastery) == attempts


def test_home_shows_todays_practice_set_only(pupil: User) -> None:
    PracticeSetFactory(student=pupil, for_date=dt.date(2026, 3, 10))

    home = student_home(student=pupil, now=NOW)

    assert home.practice_today is None
    assert home.level.level == 1


def test_notifications_newest_first_with_the_unread_count(db: None, student: User) -> None:
    old = NotificationFactory(user=student, message="Old")
    NotificationFactory(user=student, message="Read", read_at=NOW)
    NotificationFactory(user=StudentFactory(), message="Someone else's")
    new = NotificationFactory(user=student, message="New")

    everything = notifications_for_user(user=student)
    unread = notifications_for_user(user=student, unread_only=True)

    assert [n.message for n in everything.items] == ["New", "Read", "Old"]
    assert [n.id for n in unread.items] == [new.pk, old.pk]
    assert everything.unread_count == unread.unread_count == 2
