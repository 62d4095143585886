from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.factories import LearningObjectiveFactory, LessonFactory, QuestionFactory, QuizFactory, SchoolFactory
from tests.factories.content import SingleChoiceQuestionFactory
from toolbox.accounts.models import School, User
from toolbox.content.models import Lesson, Quiz
from toolbox.content.selectors import (
    lesson_detail,
    lesson_library,
    objectives_for,
    quiz_detail,
    quiz_library,
    review_queue,
    review_queue_waiting_count,
)
from toolbox.content.services import content_approve
from toolbox.errors import InvalidInputError, NotFoundError


def _library(school: School, author: User, size: int) -> None:
    objectives = LearningObjectiveFactory.create_batch(3)
    for number in range(size):
        lesson = LessonFactory(school=school, author=author, subject="Science" if number % 2 else "Maths")
        lesson.objectives.set(objectives[: number % 3 + 1])
        quiz = QuizFactory(school=school, author=author, lesson=lesson, ai_draft=number % 3 == 0)
        quiz.objectives.set(objectives[:1])
        SingleChoiceQuestionFactory.create_batch(2, quiz=quiz)


@pytest.mark.parametrize("size", [10, 60])
def test_library_pages_use_a_fixed_number_of_queries(
    educator: User, school: School, size: int, django_assert_max_num_queries: Any
) -> None:
    _library(school, educator, size)

    with django_assert_max_num_queries(3):
        lessons = lesson_library(user=educator, per_page=100)
        rows = [(lesson.author.name, [o.code for o in lesson.objectives.all()]) for lesson in lessons]
    with django_assert_max_num_queries(3):
        quizzes = quiz_library(user=educator, per_page=100)
        quiz_rows = [
            (q.author.name, q.lesson.title if q.lesson else "", q.question_count, len(q.objectives.all()))  # type: ignore[attr-defined]
            for q in quizzes
        ]

    assert len(rows) == size
    assert lessons.paginator.count == size
    assert {row[2] for row in quiz_rows} == {2}


def test_library_is_newest_first_and_filtered(educator: User, school: School) -> None:
    old = LessonFactory(school=school, author=educator, subject="Science", grade_level="7")
    new_draft = LessonFactory(school=school, author=educator, subject="science", grade_level="7", draft=True)
    ai = LessonFactory(school=school, author=educator, subject="Maths", grade_level="8", ai_draft=True)
    LessonFactory(school=SchoolFactory())  # another school's lesson never shows

    assert list(lesson_library(user=educator)) == [ai, new_draft, old]
    assert list(lesson_library(user=educator, subject="Science")) == [new_draft, old]
    assert list(lesson_library(user=educator, grade_level="8")) == [ai]
    assert list(lesson_library(user=educator, status="draft")) == [ai, new_draft]
    assert list(lesson_library(user=educator, source="ai")) == [ai]
    assert list(lesson_library(user=educator, per_page=2, page=2)) == [old]
    assert list(lesson_library(user=educator, per_page=2, page="nonsense")) == [ai, new_draft]


@pytest.mark.parametrize(("field", "value"), [("status", "gone"), ("source", "robot"), ("grade_level", "13")])
def test_library_refuses_unknown_filters(educator: User, field: str, value: str) -> None:
    with pytest.raises(InvalidInputError):
        lesson_library(user=educator, **{field: value})  # type: ignore[arg-type]


def test_library_is_empty_for_students_and_parents(student: User, parent: User, educator: User, school: School) -> None:
    LessonFactory(school=school, author=educator)
    QuizFactory(school=school, author=educator)

    for user in (student, parent):
        assert list(lesson_library(user=user)) == []
        assert list(quiz_library(user=user)) == []


def test_a_schools_admin_sees_the_school_library(admin_user: User, educator: User, school: School) -> None:
    mine = QuizFactory(school=school, author=educator)
    QuizFactory(school=SchoolFactory())

    assert list(quiz_library(user=admin_user)) == [mine]


@pytest.mark.parametrize("size", [5, 60])
def test_review_queue_lists_submissions_and_ai_drafts_with_counts(
    educator: User, school: School, size: int, django_assert_max_num_queries: Any
) -> None:
    for _ in range(size):
        LessonFactory(school=school, author=educator, status="in_review")
        LessonFactory(school=school, author=educator, ai_draft=True)
        LessonFactory(school=school, author=educator, draft=True)  # a hand-written draft is not waiting for anyone
        LessonFactory(school=school, author=educator, ai_draft=True, reviewed_at=timezone.now())  # rejected
        QuizFactory(school=school, author=educator, ai_draft=True)
    LessonFactory(school=SchoolFactory(), status="in_review")

    with django_assert_max_num_queries(5):
        queue = review_queue(user=educator, per_page=50)
        authors = [item.content.author.name for item in queue.page]

    assert (queue.lessons_in_review, queue.lesson_ai_drafts) == (size, size)
    assert (queue.quizzes_in_review, queue.quiz_ai_drafts) == (0, size)
    assert queue.total == 3 * size
    assert queue.page.paginator.count == 3 * size
    assert queue.page.paginator.num_pages == -(-3 * size // 50)
    assert len(authors) == min(3 * size, 50)
    assert all(item.content.status == "in_review" or item.content.source == "ai" for item in queue.page)


@pytest.mark.parametrize("size", [4, 60])
def test_review_queue_pages_hold_every_item_once_longest_waiting_first(
    educator: User, school: School, size: int, django_assert_max_num_queries: Any
) -> None:
    start = timezone.now() - dt.timedelta(days=10)
    expected: list[tuple[str, int]] = []
    for index in range(size):
        with time_machine.travel(start + dt.timedelta(minutes=index), tick=False):
            if index % 3 == 0:
                quiz = QuizFactory(school=school, author=educator, status="in_review")
                QuestionFactory.create_batch(index % 4 + 1, quiz=quiz)
                quiz.save()  # it waits from its last change
                expected.append(("quiz", quiz.pk))
            else:
                expected.append(("lesson", LessonFactory(school=school, author=educator, ai_draft=True).pk))

    seen: list[tuple[str, int]] = []
    per_page = 7
    for number in range(1, -(-size // per_page) + 1):
        with django_assert_max_num_queries(5):
            queue = review_queue(user=educator, page=number, per_page=per_page)
            rows = [(item.kind, item.content.pk, item.content.author.name) for item in queue.page]
        assert queue.page.number == number
        seen.extend((kind, pk) for kind, pk, _ in rows)
        for item in queue.page:
            if isinstance(item.content, Quiz):
                assert item.content.question_count == item.content.questions.count()  # pyright: ignore[reportAttributeAccessIssue]

    assert seen == expected
    assert review_queue(user=educator, page="not a number", per_page=per_page).page.number == 1
    assert review_queue(user=educator, page=999, per_page=per_page).page.number == -(-size // per_page)


def test_an_empty_review_queue_is_one_empty_page(educator: User, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        queue = review_queue(user=educator)
    assert queue.total == 0
    assert list(queue.page) == []
    assert queue.page.paginator.num_pages == 1


@pytest.mark.parametrize("size", [2, 40])
def test_lesson_detail_with_objectives(
    educator: User, school: School, size: int, django_assert_max_num_queries: Any
) -> None:
    lesson = LessonFactory(school=school, author=educator)
    lesson.objectives.set(LearningObjectiveFactory.create_batch(size))

    with django_assert_max_num_queries(2):
        found = lesson_detail(user=educator, lesson_id=lesson.pk)
        codes = [objective.code for objective in found.objectives.all()]

    assert found == lesson
    assert len(codes) == size


def test_details_hide_what_the_user_may_not_see(educator: User, student: User) -> None:
    foreign = LessonFactory(school=SchoolFactory())
    unassigned = QuizFactory(school=educator.school)

    with pytest.raises(NotFoundError):
        lesson_detail(user=educator, lesson_id=foreign.pk)
    with pytest.raises(NotFoundError):
        lesson_detail(user=educator, lesson_id=987654)
    with pytest.raises(NotFoundError):
        quiz_detail(user=student, quiz_id=unassigned.pk)


@pytest.mark.parametrize("size", [3, 80])
def test_quiz_detail_loads_questions_and_choices_in_fixed_queries(
    educator: User, school: School, size: int, django_assert_max_num_queries: Any
) -> None:
    quiz = QuizFactory(school=school, author=educator)
    objective = LearningObjectiveFactory()
    SingleChoiceQuestionFactory.create_batch(size, quiz=quiz, objective=objective, choices=["A", "B", "C"])

    with django_assert_max_num_queries(5):
        found = quiz_detail(user=educator, quiz_id=quiz.pk)
        shown = [
            (q.position, q.objective.code if q.objective else "", [c.text for c in q.choices.all()])
            for q in found.questions.all()
        ]

    assert len(shown) == size
    assert shown[0][2] == ["A", "B", "C"]
    assert [row[0] for row in shown] == sorted(row[0] for row in shown)


def test_objectives_by_subject_and_grade(db: None) -> None:
    maths7 = LearningObjectiveFactory(subject="Maths", grade_level="7", code="M.7.1")
    LearningObjectiveFactory(subject="Maths", grade_level="8", code="M.8.1")
    LearningObjectiveFactory(subject="Science", grade_level="7", code="S.7.1")

    assert list(objectives_for(subject="maths", grade_level="7")) == [maths7]
    assert objectives_for().count() == 3


def test_waiting_count_is_the_queue_total_cached_until_a_lesson_or_quiz_changes(
    educator: User, school: School, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other_school = SchoolFactory()
    LessonFactory(school=school, author=educator, status="in_review")
    LessonFactory(school=school, author=educator, ai_draft=True)
    LessonFactory(school=school, author=educator, ai_draft=True, reviewed_at=timezone.now())  # rejected: not waiting
    LessonFactory(school=school, author=educator, draft=True)
    quiz = QuizFactory(school=school, author=educator, ai_draft=True)
    LessonFactory(school=other_school, status="in_review")

    with django_assert_num_queries(1):
        assert review_queue_waiting_count(school_id=school.pk) == 3
    with django_assert_num_queries(0):
        assert review_queue_waiting_count(school_id=school.pk) == 3
    assert review_queue(user=educator).total == 3
    assert review_queue_waiting_count(school_id=other_school.pk) == 1

    with django_capture_on_commit_callbacks(execute=True):
        QuestionFactory(quiz=quiz)
        content_approve(actor=educator, content=quiz)
    with django_assert_num_queries(1):
        assert review_queue_waiting_count(school_id=school.pk) == 2
    with django_assert_num_queries(0):
        assert review_queue_waiting_count(school_id=other_school.pk) == 1  # its count was not dropped

    with django_capture_on_commit_callbacks(execute=True):
        QuizFactory(school=school, author=educator, status="in_review")
    assert review_queue_waiting_count(school_id=school.pk) == 3

    with django_capture_on_commit_callbacks(execute=True):
        Lesson.objects.filter(school=school, status="in_review").get().delete()
    assert review_queue_waiting_count(school_id=school.pk) == 2
    assert review_queue_waiting_count(school_id=None) == 0
