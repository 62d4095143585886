"""Answer feedback suggestions, the job selectors and their query budgets, and the schedule."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    EducatorFactory,
    EnrollmentFactory,
    GenerationJobFactory,
)
from toolbox.accounts.models import School, User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.selectors import generation_job_detail, generation_job_progress, generation_jobs_for_educator
from toolbox.ai.services import answer_feedback_request
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.models import Answer, Attempt

pytestmark = pytest.mark.django_db


def short_answer(educator: User, text: str, points: str = "2.00") -> Answer:
    classroom = ClassroomFactory(school=educator.school, owner=educator)
    enrollment = EnrollmentFactory(classroom=classroom)
    assignment = AssignmentFactory(classroom=classroom)
    snapshot = {
        "quiz_id": assignment.quiz_id,
        "title": "Plants",
        "pass_mark_percent": 70,
        "answer_visibility": "immediately",
        "questions": [
            {"id": 41, "kind": "short_answer", "position": 0, "prompt": "How do plants make food?",
             "explanation": "", "hint": "", "points": points, "objective_id": None,
             "accepted_answers": ["photosynthesis"], "numeric_answer": None, "numeric_tolerance": "0", "choices": []},
        ],
    }  # fmt: skip
    attempt = Attempt.objects.create(
        assignment=assignment, student=enrollment.student, number=1, started_at=timezone.now(), snapshot=snapshot
    )
    return Answer.objects.create(attempt=attempt, question_key=41, response={"text": text}, is_correct=False)


@pytest.mark.usefixtures("offline", "eager_celery")
def test_an_answer_feedback_job_fills_the_suggestion_for_the_educator_to_confirm(
    educator: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    answer = short_answer(educator, "fotosynthesis")

    with django_capture_on_commit_callbacks(execute=True):
        job = answer_feedback_request(actor=educator, answer=answer)

    job.refresh_from_db()
    answer.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.kind == JobKind.ANSWER_FEEDBACK
    assert answer.ai_suggested_points == Decimal("2.00")
    assert "photosynthesis" in answer.ai_suggested_feedback
    assert answer.ai_suggestion_confidence is not None
    assert 0 <= answer.ai_suggestion_confidence <= 1
    assert answer.points_awarded is None  # nothing counts until the educator confirms it


@pytest.mark.usefixtures("offline")
def test_answer_feedback_is_only_for_the_class_teacher_and_for_non_blank_answers(school: School) -> None:
    teacher = EducatorFactory(school=school)
    answer = short_answer(teacher, "   ")
    with pytest.raises(NotFoundError):
        answer_feedback_request(actor=EducatorFactory(school=school), answer=answer)
    with pytest.raises(InvalidInputError, match="blank"):
        answer_feedback_request(actor=teacher, answer=answer)


@pytest.mark.parametrize("job_count", [10, 200])
def test_the_educators_job_list_takes_a_fixed_number_of_queries(
    job_count: int, educator: User, school: School, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    GenerationJobFactory.create_batch(job_count, school=school, created_by=educator)
    GenerationJobFactory(school=school)  # another educator's job

    with django_assert_max_num_queries(3):
        page = generation_jobs_for_educator(user=educator, page=1)
        rows = [(job.pk, job.status, job.lesson, job.quiz, job.created_by) for job in page]

    assert len(rows) == min(job_count, 20)
    assert page.paginator.count == job_count


def test_job_detail_and_progress_are_only_for_the_educator_who_asked(educator: User, school: School) -> None:
    job = GenerationJobFactory(school=school, created_by=educator, progress_percent=40, stage_message="Writing")
    progress = generation_job_progress(user=educator, job_id=job.pk)
    assert (progress.percent, progress.stage, progress.is_finished) == (40, "Writing", False)
    assert (progress.dispatched_at, progress.attempts, progress.reached_task_queue) == (None, 0, False)
    sent_at = timezone.now()
    GenerationJob.objects.filter(pk=job.pk).update(dispatched_at=sent_at, attempts=1)
    progress = generation_job_progress(user=educator, job_id=job.pk)
    assert (progress.dispatched_at, progress.attempts, progress.reached_task_queue) == (sent_at, 1, True)
    assert generation_job_detail(user=educator, job_id=job.pk).pk == job.pk
    with pytest.raises(NotFoundError):
        generation_job_progress(user=EducatorFactory(school=school), job_id=job.pk)


def test_registering_schedules_twice_leaves_one_sweeper() -> None:
    call_command("register_schedules")
    call_command("register_schedules")
    sweeper = PeriodicTask.objects.get(task="ai.sweep_generation_jobs")
    assert sweeper.crontab is not None
    assert sweeper.crontab.minute == "*"
    assert PeriodicTask.objects.filter(task="ai.sweep_generation_jobs").count() == 1
