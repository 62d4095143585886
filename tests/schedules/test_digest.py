"""The weekly parent digest: its content in text and HTML, grades only where the link
allows them, Sunday 18:00 in each school's zone, once per week, and the unsubscribe link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from tests.ai.fake_openai import FakeOpenAI, FakeOpenAIServer, Reply
from tests.factories import (
    AssignmentFactory,
    LearningObjectiveFactory,
    LessonAssignmentFactory,
    LessonFactory,
    ParentFactory,
    ParentLinkFactory,
)
from tests.schedules.conftest import Learner
from toolbox.accounts.models import School, User
from toolbox.learning.digests import digest_unsubscribe_url, parent_digest_preview, parent_digests_send
from toolbox.learning.models import Attempt, AttemptStatus, LessonProgress, Mastery, StudentStats
from toolbox.learning.schedule_models import DigestLog
from toolbox.learning.schedule_tasks import parent_digests_weekly

MakeLearner = Callable[..., Learner]


def _bodies(message: mail.EmailMessage) -> tuple[str, str]:
    """The plain-text body and the HTML alternative of a digest."""
    assert isinstance(message, mail.EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(message.body), str(html)


# Sunday 18 January 2026, 18:00 in Chicago (UTC−6).
SUNDAY_EVENING_CHICAGO = dt.datetime(2026, 1, 19, 0, 0, tzinfo=dt.UTC)
MIDWEEK = dt.datetime(2026, 1, 14, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def week(chicago: School, make_learner: MakeLearner) -> tuple[User, User, Learner]:
    """A parent linked to a child who had a full week in Chicago."""
    learner = make_learner(chicago)
    child = learner.student
    child.first_name, child.last_name, child.display_name = "Maya", "Lopez", ""
    child.save()
    parent = ParentFactory(school=chicago, email="parent@example.test")
    ParentLinkFactory(parent=parent, student=child, can_view_grades=True)

    lesson = LessonFactory(school=chicago, title="Cells and tissues")
    LessonProgress.objects.create(student=child, lesson=lesson, percent=100, completed_at=MIDWEEK)
    quiz_work = AssignmentFactory(
        classroom=learner.classroom,
        quiz__title="Cell quiz",
        available_from=MIDWEEK - dt.timedelta(days=2),
        due_at=MIDWEEK,
    )
    Attempt.objects.create(
        assignment=quiz_work,
        student=child,
        number=1,
        status=AttemptStatus.GRADED,
        started_at=MIDWEEK,
        submitted_at=MIDWEEK,
        final_percent=Decimal("87.50"),
    )
    LessonAssignmentFactory(
        classroom=learner.classroom,
        lesson__title="Photosynthesis",
        available_from=MIDWEEK - dt.timedelta(days=2),
        due_at=MIDWEEK,
    )
    AssignmentFactory(
        classroom=learner.classroom,
        quiz__title="Plant quiz",
        available_from=MIDWEEK,
        due_at=SUNDAY_EVENING_CHICAGO + dt.timedelta(days=2),
    )
    mastered = LearningObjectiveFactory(description="Explain what a cell membrane does")
    Mastery.objects.create(student=child, objective=mastered, score=0.9, answers_counted=6, mastered_at=MIDWEEK)
    StudentStats.objects.create(student=child, current_streak=4, last_active_on=dt.date(2026, 1, 18))
    return parent, child, learner


def test_digest_covers_the_childs_week_in_text_and_html(week: tuple[User, User, Learner], chicago: School) -> None:
    parent, _, _ = week
    summary = parent_digests_send(school=chicago, now=SUNDAY_EVENING_CHICAGO)

    assert (summary.handled, summary.failed) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["parent@example.test"]
    text, html = _bodies(message)
    for body in (text, html):
        assert "Maya Lopez" in body
        assert "Cells and tissues" in body
        assert "Cell quiz" in body
        assert "88%" in body
        assert "Photosynthesis" in body  # missing: due midweek, not done
        assert "Plant quiz" in body  # upcoming
        assert "due Tue 20 Jan 18:00" in body  # in Chicago's time, not UTC
        assert "Explain what a cell membrane does" in body
        assert "4 day" in body
        assert "/accounts/digest/unsubscribe/" in body
    assert "Maya Lopez finished 1 lesson, took 1 quiz (average 88%) and mastered 1 new objective this week." in text
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert DigestLog.objects.get(parent=parent).week_starting == dt.date(2026, 1, 12)


def test_grades_are_left_out_when_the_link_hides_them(week: tuple[User, User, Learner], chicago: School) -> None:
    parent, child, _ = week
    parent.child_links.update(can_view_grades=False)  # pyright: ignore[reportAttributeAccessIssue]
    parent_digests_send(school=chicago, now=SUNDAY_EVENING_CHICAGO)
    [message] = mail.outbox
    for body in _bodies(message):
        assert "Cell quiz" not in body
        assert "88%" not in body
        assert "Quiz scores" not in body
        assert "Cells and tissues" in body
    assert child.name in message.body


def test_one_digest_per_parent_and_week_and_only_to_those_who_opted_in(
    week: tuple[User, User, Learner], chicago: School
) -> None:
    _, child, _ = week
    opted_out = ParentFactory(school=chicago, digest_opt_in=False)
    ParentLinkFactory(parent=opted_out, student=child)
    ParentFactory(school=chicago)  # opted in, but no children

    first = parent_digests_send(school=chicago, now=SUNDAY_EVENING_CHICAGO)
    second = parent_digests_send(school=chicago, now=SUNDAY_EVENING_CHICAGO + dt.timedelta(minutes=20))

    assert len(mail.outbox) == 1
    assert (first.handled, first.details) == (1, {"no_children": 1})
    assert (second.handled, second.skipped) == (0, 2)
    assert DigestLog.objects.count() == 1


def test_hourly_run_sends_at_sunday_six_pm_school_time(
    week: tuple[User, User, Learner], chicago: School, tokyo: School, make_learner: MakeLearner
) -> None:
    tokyo_child = make_learner(tokyo).student
    tokyo_parent = ParentFactory(school=tokyo)
    ParentLinkFactory(parent=tokyo_parent, student=tokyo_child)

    with time_machine.travel(dt.datetime(2026, 1, 18, 9, 0, tzinfo=dt.UTC), tick=False):  # Sunday 18:00 Tokyo
        parent_digests_weekly()
    assert [message.to for message in mail.outbox] == [[tokyo_parent.email]]
    with time_machine.travel(dt.datetime(2026, 1, 18, 23, 0, tzinfo=dt.UTC), tick=False):  # 17:00 Chicago
        parent_digests_weekly()
    assert len(mail.outbox) == 1
    with time_machine.travel(SUNDAY_EVENING_CHICAGO, tick=False):
        parent_digests_weekly()
        parent_digests_weekly()
    assert [message.to for message in mail.outbox] == [[tokyo_parent.email], ["parent@example.test"]]


def test_preview_selector_and_command_send_nothing(
    week: tuple[User, User, Learner], chicago: School, capsys: pytest.CaptureFixture[str]
) -> None:
    parent, _, _ = week
    digest = parent_digest_preview(parent=parent, now=SUNDAY_EVENING_CHICAGO)
    assert [child.name for child in digest.children] == ["Maya Lopez"]
    assert digest.children[0].lessons_done == ("Cells and tissues",)

    call_command("run_schedule", "digest", "--preview", "--school", "chicago", "--date", "2026-01-18")
    printed = capsys.readouterr().out
    assert "To: parent@example.test" in printed
    assert "Cells and tissues" in printed
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_command_sends_the_week_by_hand(week: tuple[User, User, Learner]) -> None:
    call_command("run_schedule", "digest", "--date", "2026-01-18")
    call_command("run_schedule", "digest", "--date", "2026-01-18")
    assert len(mail.outbox) == 1


def test_unsubscribe_link_works_signed_out(week: tuple[User, User, Learner], client: Client) -> None:
    parent, _, _ = week
    path = digest_unsubscribe_url(parent).removeprefix("http://localhost:8009")

    confirm = client.get(path)
    assert confirm.status_code == 200
    parent.refresh_from_db()
    assert parent.digest_opt_in is True  # opening the link changes nothing by itself

    done = client.post(path)
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    parent.refresh_from_db()
    assert parent.digest_opt_in is False


def test_tampered_unsubscribe_token_is_refused(week: tuple[User, User, Learner], client: Client) -> None:
    parent, child, _ = week
    path = digest_unsubscribe_url(parent).removeprefix("http://localhost:8009")
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token.replace(token[-1], "A" if token[-1] != "A" else "B")
    assert client.post(f"/accounts/digest/unsubscribe/{forged}/").status_code == 404
    assert client.post(path.replace(token, str(parent.pk))).status_code == 404
    signed_for_something_else = signing.dumps({"parent": parent.pk})
    assert client.post(path.replace(token, signed_for_something_else)).status_code == 404
    child_token = digest_unsubscribe_url(child).rstrip("/").rsplit("/", 1)[1]
    assert client.post(path.replace(token, child_token)).status_code == 404
    parent.refresh_from_db()
    assert parent.digest_opt_in is True


@pytest.fixture
def fake_model(settings: Settings) -> Iterator[FakeOpenAI]:
    with FakeOpenAIServer() as fake:
        settings.OPENAI_API_KEY = "sk-test-not-a-real-key"
        settings.OPENAI_BASE_URL = fake.base_url
        settings.AI_REQUEST_TIMEOUT_SECONDS = 5.0
        yield fake


def test_model_writes_the_summary_without_ever_seeing_the_childs_name(
    week: tuple[User, User, Learner], chicago: School, fake_model: FakeOpenAI
) -> None:
    fake_model.queue(Reply(arguments="What a week for [CHILD]: a lesson done and a new objective mastered."))
    parent_digests_send(school=chicago, now=SUNDAY_EVENING_CHICAGO)

    text, html = _bodies(mail.outbox[0])
    assert "What a week for Maya Lopez: a lesson done and a new objective mastered." in text
    assert "What a week for Maya Lopez" in html
    sent = fake_model.all_request_text()
    assert "[CHILD] finished 1 lesson" in sent
    assert "Maya" not in sent
    assert "Lopez" not in sent


@pytest.mark.parametrize(
    "reply",
    [Reply(arguments="Maya had a lovely week."), Reply(status=500)],
    ids=["placeholder dropped", "server error"],
)
def test_summary_falls_back_to_the_numbers_when_the_model_fails(
    week: tuple[User, User, Learner], chicago: School, fake_model: FakeOpenAI, reply: Reply
) -> None:
    fake_model.queue(reply)
    summary = parent_digests_send(school=chicago, now=SUNDAY_EVENING_CHICAGO)
    assert summary.handled == 1
    text, _ = _bodies(mail.outbox[0])
    assert "Maya Lopez finished 1 lesson, took 1 quiz (average 88%)" in text
    assert "lovely" not in text
