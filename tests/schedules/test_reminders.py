"""Due-date reminders at 07:00 school time: only work due in the next 24 hours and not yet
done, a notification and an e-mail, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import time_machine
from django.core import mail
from django.core.management import call_command

from tests.factories import AssignmentFactory, LessonAssignmentFactory
from tests.schedules.conftest import Learner
from toolbox.accounts.models import School
from toolbox.learning.models import Assignment, Attempt, AttemptStatus, LessonProgress, Notification
from toolbox.learning.reminders import due_reminders_send
from toolbox.learning.schedule_tasks import due_reminders_daily

MakeLearner = Callable[..., Learner]
# 07:00 in Chicago on Monday 12 January 2026.
MORNING_CHICAGO = dt.datetime(2026, 1, 12, 13, 0, tzinfo=dt.UTC)


def _work(learner: Learner, due_in: dt.timedelta, *, lesson: bool = False, title: str = "") -> Assignment:
    factory = LessonAssignmentFactory if lesson else AssignmentFactory
    extra = {"lesson__title": title} if lesson else {"quiz__title": title}
    return factory(
        classroom=learner.classroom,
        available_from=MORNING_CHICAGO - dt.timedelta(days=3),
        due_at=MORNING_CHICAGO + due_in,
        **({key: value for key, value in extra.items() if value}),
    )


def test_only_work_due_within_a_day_and_not_done_is_reminded_once(chicago: School, make_learner: MakeLearner) -> None:
    learner = make_learner(chicago)
    classmate = make_learner(chicago, classroom=learner.classroom)
    classmate.student.email = ""
    classmate.student.save()
    due_soon = _work(learner, dt.timedelta(hours=10), title="Cell quiz")
    submitted = _work(learner, dt.timedelta(hours=5))
    Attempt.objects.create(
        assignment=submitted,
        student=learner.student,
        number=1,
        status=AttemptStatus.SUBMITTED,
        started_at=MORNING_CHICAGO,
    )
    lesson_work = _work(learner, dt.timedelta(hours=20), lesson=True, title="Photosynthesis")
    LessonProgress.objects.create(
        student=learner.student,
        lesson=lesson_work.lesson,
        percent=100,
        completed_at=MORNING_CHICAGO,
    )
    _work(learner, dt.timedelta(hours=30))  # due later than tomorrow morning
    _work(learner, -dt.timedelta(hours=2))  # already past due

    first = due_reminders_send(school=chicago, now=MORNING_CHICAGO)
    second = due_reminders_send(school=chicago, now=MORNING_CHICAGO + dt.timedelta(minutes=30))

    notified = Notification.objects.filter(kind="due_soon")
    assert {(n.user_id, n.dedupe_key) for n in notified} == {
        (learner.student.pk, f"due:{due_soon.pk}:2026-01-12"),
        (classmate.student.pk, f"due:{due_soon.pk}:2026-01-12"),
        (classmate.student.pk, f"due:{submitted.pk}:2026-01-12"),
        (classmate.student.pk, f"due:{lesson_work.pk}:2026-01-12"),
    }
    assert "Cell quiz" in notified.filter(user=learner.student).get().message
    assert [message.to for message in mail.outbox] == [[learner.student.email]]  # the classmate has no address
    assert "Cell quiz" in mail.outbox[0].subject
    assert (first.handled, first.skipped, first.failed) == (4, 2, 0)
    assert (second.handled, second.skipped) == (0, 6)


def test_hourly_run_reminds_at_seven_in_each_school(chicago: School, tokyo: School, make_learner: MakeLearner) -> None:
    in_chicago, in_tokyo = make_learner(chicago), make_learner(tokyo)
    _work(in_chicago, dt.timedelta(hours=12))
    tokyo_morning = dt.datetime(2026, 1, 12, 22, 0, tzinfo=dt.UTC)  # 07:00 Tuesday in Tokyo
    AssignmentFactory(
        classroom=in_tokyo.classroom,
        available_from=tokyo_morning - dt.timedelta(days=1),
        due_at=tokyo_morning + dt.timedelta(hours=6),
    )
    with time_machine.travel(MORNING_CHICAGO - dt.timedelta(hours=1), tick=False):
        due_reminders_daily()
    assert not Notification.objects.exists()
    with time_machine.travel(MORNING_CHICAGO, tick=False):
        due_reminders_daily()
    assert list(Notification.objects.values_list("user_id", flat=True)) == [in_chicago.student.pk]
    with time_machine.travel(tokyo_morning, tick=False):
        due_reminders_daily()
    assert Notification.objects.get(user=in_tokyo.student).dedupe_key.endswith(":2026-01-13")
    assert Notification.objects.count() == 2


def test_command_reminds_for_a_date_once(chicago: School, make_learner: MakeLearner) -> None:
    learner = make_learner(chicago)
    _work(learner, dt.timedelta(hours=3))
    call_command("run_schedule", "reminders", "--date", "2026-01-12", "--school", "chicago")
    call_command("run_schedule", "reminders", "--date", "2026-01-12")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
