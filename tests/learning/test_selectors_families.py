from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ClassroomFactory, EnrollmentFactory, LessonFactory, ParentFactory, ParentLinkFactory
from tests.factories.learning import (
    AssignmentFactory,
    AttemptRowFactory,
    LessonProgressFactory,
    MasteryFactory,
    StudentStatsFactory,
)
from toolbox.accounts.models import User
from toolbox.classroom.models import Classroom
from toolbox.errors import NotFoundError
from toolbox.learning.models import Assignment
from toolbox.learning.selectors import child_detail, parent_overview

NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)  # a Wednesday


def _assign(classroom: Classroom, due_in_days: float, **fields: object) -> Assignment:
    return AssignmentFactory(
        classroom=classroom,
        available_from=NOW - dt.timedelta(days=40),
        due_at=NOW + dt.timedelta(days=due_in_days),
        **fields,
    )


def _child_with_history(parent: User, *, can_view_grades: bool, name: str) -> User:
    link = ParentLinkFactory(parent=parent, can_view_grades=can_view_grades, student__first_name=name)
    child = link.student
    classroom = ClassroomFactory(school=child.school, name=f"{name}'s maths")
    EnrollmentFactory(classroom=classroom, student=child)
    for days_ago, percent in ((15, "40"), (9, "60"), (8, "80"), (2, "90"), (1.5, "70"), (1, "50")):
        assignment = _assign(classroom, -days_ago)
        AttemptRowFactory(
            assignment=assignment,
            student=child,
            submitted_at=NOW - dt.timedelta(days=days_ago, hours=1),
            final_percent=Decimal(percent),
        )
    _assign(classroom, 3)
    _assign(classroom, -4)  # missing
    lesson = LessonFactory(school=child.school)
    _assign(classroom, 5, quiz=None, lesson=lesson)
    LessonProgressFactory(student=child, lesson=lesson, percent=30, completed_at=None)
    StudentStatsFactory(student=child, total_xp=120, current_streak=3, last_active_on=NOW.date())
    MasteryFactory(student=child, mastered_at=NOW)
    MasteryFactory(student=child)
    MasteryFactory(student=child)
    return child


def test_overview_shows_each_child_and_hides_scores_where_the_link_does_not_allow_them(db: None) -> None:
    parent = ParentFactory()
    open_book = _child_with_history(parent, can_view_grades=True, name="Ana")
    private = _child_with_history(parent, can_view_grades=False, name="Ben")
    _child_with_history(ParentFactory(), can_view_grades=True, name="Not mine")

    overview = parent_overview(parent=parent, now=NOW)

    ana, ben = overview
    assert (ana.student.id, ben.student.id) == (open_book.pk, private.pk)
    assert [s.final_percent for s in ana.recent_scores] == [Decimal(p) for p in ("50", "70", "90", "80", "60")]
    assert ana.recent_scores[0].classroom_name == "Ana's maths"
    assert ben.recent_scores == ()
    assert not ben.can_view_grades
    for child in (ana, ben):
        assert [item.kind for item in child.upcoming] == ["quiz", "lesson"]
        assert len(child.missing) == 1
        assert all(item.best_percent is None and item.cell.score_percent is None for item in child.missing)
        assert (child.streak.current, child.level.level) == (3, 2)
        assert (child.mastered_count, child.objectives_count) == (1, 3)


@pytest.mark.parametrize("children", [1, 5])
def test_overview_query_count_does_not_grow_with_children(
    db: None, django_assert_max_num_queries, children: int
) -> None:
    parent = ParentFactory()
    for index in range(children):
        _child_with_history(parent, can_view_grades=index % 2 == 0, name=f"Child{index}")

    with django_assert_max_num_queries(7):
        overview = parent_overview(parent=parent, now=NOW)
    # Again with nothing changed: the family's facts are cached.
    with django_assert_max_num_queries(0):
        again = parent_overview(parent=parent, now=NOW)

    assert len(overview) == children
    assert again == overview


def test_child_detail_gives_grades_per_class_and_weekly_averages(db: None) -> None:
    parent = ParentFactory()
    child = _child_with_history(parent, can_view_grades=True, name="Ana")

    detail = child_detail(parent=parent, student=child, now=NOW)

    (maths,) = detail.classes
    assert maths.classroom_name == "Ana's maths"
    # Six graded quizzes and one missing (0); the quiz and lesson not yet due stay out.
    assert maths.average_percent == Decimal("55.71")
    assert len(maths.items) == 9
    weeks = [(w.week_starting, w.average_percent, w.attempts) for w in detail.weekly_scores]
    assert weeks == [
        (dt.date(2026, 2, 23), Decimal("40.00"), 1),
        (dt.date(2026, 3, 2), Decimal("70.00"), 2),
        (dt.date(2026, 3, 9), Decimal("70.00"), 3),
    ]
    assert len(detail.mastery) == 3


def test_child_detail_without_grade_rights_shows_work_but_no_scores(db: None) -> None:
    parent = ParentFactory()
    child = _child_with_history(parent, can_view_grades=False, name="Ben")

    detail = child_detail(parent=parent, student=child, now=NOW)

    assert detail.classes == ()
    assert detail.weekly_scores == ()
    assert len(detail.upcoming) == 2
    assert len(detail.missing) == 1


def test_child_detail_of_a_child_not_linked_is_not_found(db: None) -> None:
    stranger = _child_with_history(ParentFactory(), can_view_grades=True, name="Cy")

    with pytest.raises(NotFoundError):
        child_detail(parent=ParentFactory(), student=stranger, now=NOW)


@pytest.mark.parametrize("extra_classes", [0, 4])
def test_child_detail_query_count_is_fixed(db: None, django_assert_max_num_queries, extra_classes: int) -> None:
    parent = ParentFactory()
    child = _child_with_history(parent, can_view_grades=True, name="Ana")
    for _ in range(extra_classes):
        classroom = ClassroomFactory(school=child.school)
        EnrollmentFactory(classroom=classroom, student=child)
        AttemptRowFactory(assignment=_assign(classroom, -1), student=child, submitted_at=NOW - dt.timedelta(days=2))

    with django_assert_max_num_queries(7):
        detail = child_detail(parent=parent, student=child, now=NOW)

    assert len(detail.classes) == 1 + extra_classes
