"""Nightly practice sets: who gets one, which questions, when (02:00 in each school's own
time zone), the thin-bank AI requests, and answering an item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import AdminFactory, AssignmentFactory, LessonFactory, QuestionFactory, QuizFactory
from tests.factories.content import SingleChoiceQuestionFactory
from tests.schedules.conftest import Learner
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob, JobKind
from toolbox.content.models import ContentStatus, Question
from toolbox.errors import ConflictError, NotFoundError
from toolbox.learning.models import Answer, Attempt, AttemptStatus, Mastery, PracticeItem, PracticeSet
from toolbox.learning.schedule_models import PracticeBankRequest
from toolbox.learning.schedule_tasks import practice_sets_nightly
from toolbox.learning.services.practice import (
    practice_bank_requests_create,
    practice_item_answer,
    practice_pick,
    practice_sets_create,
)

NIGHT = dt.date(2026, 1, 12)
MakeLearner = Callable[..., Learner]
MakeBank = Callable[..., list[Question]]


def _answer(student: User, question: Question, *, correct: bool) -> None:
    assignment = AssignmentFactory(quiz=question.quiz, classroom__school=question.quiz.school)
    attempt = Attempt.objects.create(
        assignment=assignment,
        student=student,
        number=1,
        status=AttemptStatus.GRADED,
        started_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    Answer.objects.create(attempt=attempt, question=question, question_key=question.pk, is_correct=correct)


def _set_question_ids(student: User) -> list[int]:
    return list(PracticeItem.objects.filter(practice_set__student=student).values_list("question_id", flat=True))


def test_pick_puts_missed_first_then_unseen_then_seen_and_is_deterministic() -> None:
    missed, seen = {3, 7}, {3, 7, 1, 2, 4, 5, 6}
    picked = practice_pick(student_id=1, for_date=NIGHT, candidate_ids=range(1, 21), missed_ids=missed, seen_ids=seen)
    assert len(picked) == 10
    assert set(picked[:2]) == missed
    assert set(picked[2:10]) <= set(range(8, 21))  # thirteen unseen questions fill the rest
    assert picked == practice_pick(
        student_id=1, for_date=NIGHT, candidate_ids=range(1, 21), missed_ids=missed, seen_ids=seen
    )
    other_night = practice_pick(
        student_id=1,
        for_date=NIGHT + dt.timedelta(days=1),
        candidate_ids=range(1, 21),
        missed_ids=set(),
        seen_ids=set(),
    )
    assert other_night != practice_pick(
        student_id=1, for_date=NIGHT, candidate_ids=range(1, 21), missed_ids=set(), seen_ids=set()
    )


def test_pick_needs_at_least_five_and_gives_at_most_ten() -> None:
    assert (
        practice_pick(student_id=1, for_date=NIGHT, candidate_ids=[1, 2, 3, 4], missed_ids=set(), seen_ids=set()) == []
    )
    assert (
        len(practice_pick(student_id=1, for_date=NIGHT, candidate_ids=range(5), missed_ids=set(), seen_ids=set())) == 5
    )
    assert (
        len(practice_pick(student_id=1, for_date=NIGHT, candidate_ids=range(40), missed_ids=set(), seen_ids=set()))
        == 10
    )


def test_set_uses_published_questions_on_unmastered_objectives_missed_first(
    chicago: School, make_learner: MakeLearner, make_bank: MakeBank
) -> None:
    learner = make_learner(chicago)
    published = make_bank(chicago, learner.objective, 12)
    drafts = make_bank(chicago, learner.objective, 5, status=ContentStatus.DRAFT)
    mastered = make_learner(chicago, classroom=learner.classroom).objective
    Mastery.objects.create(
        student=learner.student, objective=mastered, score=0.95, answers_counted=9, mastered_at=dt.datetime.now(dt.UTC)
    )
    on_mastered = make_bank(chicago, mastered, 6)
    elsewhere = make_bank(QuizFactory().school, learner.objective, 6)
    _answer(learner.student, published[4], correct=False)
    _answer(learner.student, published[5], correct=True)

    summary = practice_sets_create(student_ids=[learner.student.pk], for_date=NIGHT)

    assert summary.handled == 1
    practice_set = PracticeSet.objects.get(student=learner.student, for_date=NIGHT)
    ids = _set_question_ids(learner.student)
    assert len(ids) == 10
    assert ids[0] == published[4].pk  # the missed question comes first
    assert published[5].pk not in ids  # a question answered right comes after ten unseen ones
    assert set(ids) <= {question.pk for question in published}
    assert not set(ids) & {question.pk for question in drafts + on_mastered + elsewhere}
    assert list(practice_set.objectives.values_list("id", flat=True)) == [learner.objective.pk]


def test_tonights_set_shows_on_the_students_home_page_at_once(
    chicago: School, make_learner: MakeLearner, make_bank: MakeBank, client: Client
) -> None:
    """The sets are written in bulk, which sends no signal: the student's cached home page
    data must still be rebuilt (toolbox/freshness.py)."""
    learner = make_learner(chicago)
    make_bank(chicago, learner.objective, 6)
    client.force_login(learner.student, backend="django.contrib.auth.backends.ModelBackend")
    assert "Today’s practice" not in client.get(reverse("students:home")).content.decode()

    today = timezone.now().astimezone(chicago.tzinfo).date()
    assert practice_sets_create(student_ids=[learner.student.pk], for_date=today).handled == 1

    assert "Today’s practice" in client.get(reverse("students:home")).content.decode()


def test_too_few_questions_means_no_set_and_a_rerun_makes_nothing_twice(
    chicago: School, make_learner: MakeLearner, make_bank: MakeBank
) -> None:
    thin = make_learner(chicago)
    make_bank(chicago, thin.objective, 4)
    rich = make_learner(chicago, classroom=thin.classroom)
    make_bank(chicago, rich.objective, 6)
    ids = [thin.student.pk, rich.student.pk]

    first = practice_sets_create(student_ids=ids, for_date=NIGHT)
    second = practice_sets_create(student_ids=ids, for_date=NIGHT)

    assert (first.handled, first.skipped, first.details) == (1, 1, {"too_few_questions": 1})
    assert (second.handled, second.skipped) == (0, 2)
    assert PracticeSet.objects.filter(student=rich.student).count() == 1
    assert PracticeItem.objects.filter(practice_set__student=rich.student).count() == 6
    assert not PracticeSet.objects.filter(student=thin.student).exists()


def test_one_failing_student_does_not_stop_the_others(
    chicago: School, make_learner: MakeLearner, make_bank: MakeBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolbox.learning.services import practice

    learners = [make_learner(chicago) for _ in range(3)]
    for learner in learners:
        make_bank(chicago, learner.objective, 5)
    real = practice._create_set

    def flaky(*, student_id: int, **kwargs: object) -> bool:
        if student_id == learners[1].student.pk:
            raise RuntimeError("disk full")
        return real(student_id=student_id, **kwargs)  # type: ignore[arg-type]

    def bulk_fails(**kwargs: object) -> int:
        raise RuntimeError("one row is bad")

    monkeypatch.setattr(practice, "_create_sets_in_bulk", bulk_fails)
    monkeypatch.setattr(practice, "_create_set", flaky)
    summary = practice_sets_create(student_ids=[learner.student.pk for learner in learners], for_date=NIGHT)
    assert (summary.handled, summary.failed) == (2, 1)
    assert not PracticeSet.objects.filter(student=learners[1].student).exists()


def test_hourly_run_serves_each_school_at_its_own_two_oclock(
    chicago: School, tokyo: School, make_learner: MakeLearner, make_bank: MakeBank, eager_celery: None
) -> None:
    in_chicago, in_tokyo = make_learner(chicago), make_learner(tokyo)
    make_bank(chicago, in_chicago.objective, 6)
    make_bank(tokyo, in_tokyo.objective, 6)

    with time_machine.travel(dt.datetime(2026, 1, 12, 7, 0, tzinfo=dt.UTC), tick=False):  # 01:00 Chicago
        assert practice_sets_nightly() == 0
    with time_machine.travel(dt.datetime(2026, 1, 12, 8, 0, tzinfo=dt.UTC), tick=False):  # 02:00 Chicago, 17:00 Tokyo
        assert practice_sets_nightly() == 1
        assert practice_sets_nightly() == 1  # beat firing twice in the hour changes nothing
    assert list(PracticeSet.objects.values_list("student_id", "for_date")) == [(in_chicago.student.pk, NIGHT)]
    with time_machine.travel(dt.datetime(2026, 1, 12, 17, 30, tzinfo=dt.UTC), tick=False):  # 02:30 Tokyo, 13 Jan
        practice_sets_nightly()
    assert PracticeSet.objects.get(student=in_tokyo.student).for_date == dt.date(2026, 1, 13)
    assert PracticeSet.objects.count() == 2


def test_command_runs_the_night_by_hand(chicago: School, make_learner: MakeLearner, make_bank: MakeBank) -> None:
    learner = make_learner(chicago)
    make_bank(chicago, learner.objective, 7)
    call_command("run_schedule", "practice", "--date", "2026-01-12")
    call_command("run_schedule", "practice", "--date", "2026-01-12")
    assert list(PracticeSet.objects.values_list("for_date", flat=True)) == [NIGHT]
    assert PracticeItem.objects.count() == 7


@override_settings(PRACTICE_BANK_MIN_QUESTIONS=5)
def test_thin_bank_asks_for_one_generation_job_per_objective_and_night(
    chicago: School, make_learner: MakeLearner, make_bank: MakeBank
) -> None:
    thin = make_learner(chicago)
    make_learner(chicago, objective=thin.objective, classroom=thin.classroom)
    make_bank(chicago, thin.objective, 3)
    lesson = LessonFactory(school=chicago, body_markdown="# Cells\n\nA cell is the smallest unit of life. " * 5)
    lesson.objectives.add(thin.objective)
    rich = make_learner(chicago, classroom=thin.classroom)
    make_bank(chicago, rich.objective, 5)
    no_lesson = make_learner(chicago, classroom=thin.classroom)

    first = practice_bank_requests_create(school=chicago, for_date=NIGHT)
    second = practice_bank_requests_create(school=chicago, for_date=NIGHT)

    job = GenerationJob.objects.get()
    assert job.kind == JobKind.PRACTICE_ITEMS
    assert job.created_by == lesson.author
    assert job.parameters["objective_ids"] == [thin.objective.pk]
    assert job.parameters["grade"] == thin.objective.grade_level
    assert "smallest unit of life" in job.parameters["source_text"]
    assert PracticeBankRequest.objects.get().objective == thin.objective
    assert (first.handled, first.details) == (1, {"no_source_lesson": 1})
    assert (second.handled, second.details) == (0, {"already_requested": 1, "no_source_lesson": 1})
    assert not PracticeBankRequest.objects.filter(objective=no_lesson.objective).exists()
    # The next night may ask again.
    practice_bank_requests_create(school=chicago, for_date=NIGHT + dt.timedelta(days=1))
    assert GenerationJob.objects.count() == 2


@override_settings(PRACTICE_BANK_MIN_QUESTIONS=5)
def test_thin_bank_falls_back_to_an_admin_when_the_author_cannot_ask(
    chicago: School, make_learner: MakeLearner
) -> None:
    learner = make_learner(chicago)
    lesson = LessonFactory(school=chicago, author__is_active=False, body_markdown="Plants make food from light. " * 5)
    lesson.objectives.add(learner.objective)
    admin = AdminFactory(school=chicago)
    practice_bank_requests_create(school=chicago, for_date=NIGHT)
    assert GenerationJob.objects.get().created_by == admin


def test_answering_a_practice_item_grades_it_and_completes_the_set(chicago: School, make_learner: MakeLearner) -> None:
    learner = make_learner(chicago)
    quiz = QuizFactory(school=chicago)
    choice_question = SingleChoiceQuestionFactory(quiz=quiz, objective=learner.objective)
    text_question = QuestionFactory(quiz=quiz, objective=learner.objective, accepted_answers=["Mitochondria"])
    practice_set = PracticeSet.objects.create(student=learner.student, for_date=NIGHT)
    first = PracticeItem.objects.create(practice_set=practice_set, question=choice_question, position=0)
    second = PracticeItem.objects.create(practice_set=practice_set, question=text_question, position=1)
    wrong_choice = choice_question.choices.get(is_correct=False)

    graded = practice_item_answer(student=learner.student, item=first, response={"choice_id": wrong_choice.pk})
    assert graded.is_correct is False
    practice_set.refresh_from_db()
    assert practice_set.completed_at is None
    with pytest.raises(ConflictError):
        practice_item_answer(student=learner.student, item=first, response={"choice_id": wrong_choice.pk})

    graded = practice_item_answer(student=learner.student, item=second, response={"text": "  mitochondria "})
    assert graded.is_correct is True
    practice_set.refresh_from_db()
    assert practice_set.completed_at is not None

    stranger = make_learner(chicago).student
    with pytest.raises(NotFoundError):
        practice_item_answer(student=stranger, item=second, response={"text": "x"})
