"""The weekly parent digest, Sunday 18:00 school time: one e-mail per parent who opted in,
covering each linked child's week (lessons done, quiz scores where the link allows grades,
missing and upcoming work, streak, objectives newly mastered), in plain text and HTML, with
an unsubscribe link that works without signing in. A DigestLog row per parent and week
makes a rerun send nothing twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import structlog
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from toolbox.accounts.models import ParentLink, Role, School, User
from toolbox.classroom.models import Enrollment, EnrollmentStatus
from toolbox.learning.models import Assignment, Attempt, AttemptStatus, LessonProgress, Mastery, StudentStats
from toolbox.learning.schedule_models import DigestLog
from toolbox.learning.scheduling import RunSummary, zone_of

logger = structlog.get_logger(__name__)

DIGEST_HOUR = 18
DIGEST_WEEKDAY = 6  # Sunday
MISSING_LOOKBACK = dt.timedelta(days=28)
UPCOMING_WINDOW = dt.timedelta(days=7)
CHILD_PLACEHOLDER = "[CHILD]"
SUMMARY_MAX_LENGTH = 800
SUMMARY_INSTRUCTIONS = (
    "You write one short, warm paragraph for a parent about their child's week at school, "
    "using only the facts given. Refer to the child only as {placeholder}, exactly so. "
    "Do not invent facts, names or numbers. At most four sentences, no greeting."
)
UNSUBSCRIBE_SALT = "toolbox.learning.digest.unsubscribe"
DONE_STATUSES = (AttemptStatus.SUBMITTED, AttemptStatus.GRADED)


@dataclass(frozen=True)
class ScoreLine:
    title: str
    percent: Decimal


@dataclass(frozen=True)
class WorkLine:
    title: str
    classroom: str
    due_at: dt.datetime


@dataclass(frozen=True)
class ChildWeek:
    name: str
    can_view_grades: bool
    lessons_done: tuple[str, ...]
    quiz_scores: tuple[ScoreLine, ...]
    missing: tuple[WorkLine, ...]
    upcoming: tuple[WorkLine, ...]
    streak: int
    newly_mastered: tuple[str, ...]
    # A paragraph the model wrote, when one is configured; otherwise the summary is
    # written from the numbers.
    written_summary: str = ""

    @property
    def summary(self) -> str:
        return self.written_summary or digest_summary_template(self).replace(CHILD_PLACEHOLDER, self.name)


@dataclass(frozen=True)
class ParentDigest:
    parent: User
    week_starting: dt.date
    week_ending: dt.date
    children: tuple[ChildWeek, ...]
    # The school's zone: dates and times in the e-mail are shown in it.
    time_zone: dt.tzinfo


def _plural(count: int, noun: str, plural: str = "") -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def _work_sentence(count: int, state: str) -> str:
    return f"{_plural(count, 'piece')} of work {'is' if count == 1 else 'are'} {state}."


def digest_summary_template(child: ChildWeek) -> str:
    """A paragraph written from the numbers alone, with CHILD_PLACEHOLDER where the child's
    name goes: the name is filled in locally, and this text is all a model is ever shown."""
    lessons = len(child.lessons_done)
    parts = [f"{CHILD_PLACEHOLDER} finished {_plural(lessons, 'lesson') if lessons else 'no lessons'}"]
    if child.can_view_grades and child.quiz_scores:
        average = sum(score.percent for score in child.quiz_scores) / len(child.quiz_scores)
        parts.append(f"took {_plural(len(child.quiz_scores), 'quiz', 'quizzes')} (average {average:.0f}%)")
    if child.newly_mastered:
        parts.append(f"mastered {_plural(len(child.newly_mastered), 'new objective')}")
    sentences = [
        ", ".join(parts[:-1]) + " and " + parts[-1] + " this week." if len(parts) > 1 else parts[0] + " this week."
    ]
    if child.streak:
        sentences.append(f"{CHILD_PLACEHOLDER} is on a {child.streak}-day streak.")
    if child.missing:
        sentences.append(_work_sentence(len(child.missing), "overdue"))
    if child.upcoming:
        sentences.append(_work_sentence(len(child.upcoming), "due in the coming week"))
    return " ".join(sentences)


def _model_summary(child: ChildWeek) -> str:
    """A warmer paragraph by the configured model, from the numbers-only paragraph; the
    child's name never leaves the server. Empty when the model fails or drops the placeholder."""
    chat = ChatOpenAI(
        api_key=SecretStr(settings.OPENAI_API_KEY),
        base_url=settings.OPENAI_BASE_URL or None,
        model=settings.AI_MODEL,
        timeout=settings.AI_REQUEST_TIMEOUT_SECONDS,
        max_retries=0,
        temperature=0.3,
    )
    messages = [
        SystemMessage(content=SUMMARY_INSTRUCTIONS.format(placeholder=CHILD_PLACEHOLDER)),
        HumanMessage(content=digest_summary_template(child)),
    ]
    try:
        text = " ".join(str(chat.invoke(messages).content).split())
    except Exception:  # The numbers-only paragraph is always there to fall back on.
        logger.warning("digest_summary_model_failed", exc_info=True)
        return ""
    if CHILD_PLACEHOLDER not in text or len(text) > SUMMARY_MAX_LENGTH:
        logger.info("digest_summary_model_unusable", length=len(text))
        return ""
    return text.replace(CHILD_PLACEHOLDER, child.name)


def with_model_summaries(digest: ParentDigest) -> ParentDigest:
    """The digest with each child's paragraph written by the model, when one is configured."""
    if not settings.OPENAI_API_KEY:
        return digest
    children = tuple(dataclasses.replace(child, written_summary=_model_summary(child)) for child in digest.children)
    return dataclasses.replace(digest, children=children)


def digest_week(school: School | None, now: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """The Monday that starts the local week containing `now`, and that Monday's midnight."""
    local = now.astimezone(zone_of(school))
    monday = local.date() - dt.timedelta(days=local.weekday())
    return monday, dt.datetime.combine(monday, dt.time(0), tzinfo=zone_of(school))


def _work_lines(
    child_ids: list[int], now: dt.datetime, tz: dt.tzinfo
) -> tuple[dict[int, list[WorkLine]], dict[int, list[WorkLine]]]:
    """Per child: work past due and not done (within four weeks), and work due in the next week."""
    classrooms: dict[int, list[int]] = defaultdict(list)
    for classroom_id, student_id in Enrollment.objects.filter(
        student_id__in=child_ids, status=EnrollmentStatus.ACTIVE, classroom__is_archived=False
    ).values_list("classroom_id", "student_id"):
        classrooms[classroom_id].append(student_id)
    assignments = list(
        Assignment.objects.filter(
            classroom_id__in=classrooms, due_at__gte=now - MISSING_LOOKBACK, due_at__lt=now + UPCOMING_WINDOW
        )
        .select_related("quiz", "lesson", "classroom")
        .order_by("due_at", "id")
    )
    done = set(
        Attempt.objects.filter(
            assignment__in=assignments, student_id__in=child_ids, status__in=DONE_STATUSES
        ).values_list("assignment_id", "student_id")
    )
    completed_lessons = set(
        LessonProgress.objects.filter(
            student_id__in=child_ids,
            lesson_id__in={assignment.lesson_id for assignment in assignments if assignment.lesson_id},
            completed_at__isnull=False,
        ).values_list("lesson_id", "student_id")
    )
    missing: dict[int, list[WorkLine]] = defaultdict(list)
    upcoming: dict[int, list[WorkLine]] = defaultdict(list)
    for assignment in assignments:
        for student_id in classrooms[assignment.classroom_id]:
            if (assignment.pk, student_id) in done or (assignment.lesson_id, student_id) in completed_lessons:
                continue
            line = WorkLine(assignment.title, assignment.classroom.name, assignment.due_at.astimezone(tz))
            (missing if assignment.due_at < now else upcoming)[student_id].append(line)
    return missing, upcoming


def parent_digests_build(*, parents: list[User], now: dt.datetime, school: School | None) -> list[ParentDigest]:
    """The digests of these parents (all of one school's time zone) for the week up to `now`,
    in a fixed number of queries however many parents and children."""
    tz = zone_of(school)
    week_starting, start = digest_week(school, now)
    links = list(
        ParentLink.objects.filter(parent__in=parents, student__is_active=True)
        .select_related("student")
        .order_by("parent_id", "created_at", "id")
    )
    child_ids = sorted({link.student_id for link in links})
    graded_ids = sorted({link.student_id for link in links if link.can_view_grades})
    lessons: dict[int, list[str]] = defaultdict(list)
    for student_id, title in (
        LessonProgress.objects.filter(student_id__in=child_ids, completed_at__gte=start, completed_at__lt=now)
        .order_by("completed_at")
        .values_list("student_id", "lesson__title")
    ):
        lessons[student_id].append(title)
    scores: dict[int, list[ScoreLine]] = defaultdict(list)
    for student_id, title, percent in (
        Attempt.objects.filter(
            student_id__in=graded_ids,
            status=AttemptStatus.GRADED,
            submitted_at__gte=start,
            submitted_at__lt=now,
            final_percent__isnull=False,
        )
        .order_by("submitted_at")
        .values_list("student_id", "assignment__quiz__title", "final_percent")
    ):
        scores[student_id].append(ScoreLine(title, percent))
    mastered: dict[int, list[str]] = defaultdict(list)
    for student_id, description in (
        Mastery.objects.filter(student_id__in=child_ids, mastered_at__gte=start, mastered_at__lt=now)
        .order_by("mastered_at")
        .values_list("student_id", "objective__description")
    ):
        mastered[student_id].append(description)
    today = now.astimezone(tz).date()
    streaks = {
        stats.student_id: stats.current_streak
        for stats in StudentStats.objects.filter(student_id__in=child_ids)
        if stats.last_active_on is not None and stats.last_active_on >= today - dt.timedelta(days=1)
    }
    missing, upcoming = _work_lines(child_ids, now, tz)
    children: dict[int, list[ChildWeek]] = defaultdict(list)
    for link in links:
        child_id = link.student_id
        children[link.parent_id].append(
            ChildWeek(
                name=link.student.name,
                can_view_grades=link.can_view_grades,
                lessons_done=tuple(lessons[child_id]),
                quiz_scores=tuple(scores[child_id]) if link.can_view_grades else (),
                missing=tuple(missing[child_id]),
                upcoming=tuple(upcoming[child_id]),
                streak=streaks.get(child_id, 0),
                newly_mastered=tuple(mastered[child_id]),
            )
        )
    return [
        ParentDigest(
            parent=parent,
            week_starting=week_starting,
            week_ending=week_starting + dt.timedelta(days=6),
            children=tuple(children[parent.pk]),
            time_zone=tz,
        )
        for parent in parents
    ]


def digest_unsubscribe_token(parent: User) -> str:
    return signing.dumps({"parent": parent.pk}, salt=UNSUBSCRIBE_SALT)


def parent_for_unsubscribe_token(token: str) -> User | None:
    """The parent a genuine token names; None for a tampered or unknown token."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    parent_id = payload.get("parent") if isinstance(payload, dict) else None
    return User.objects.filter(pk=parent_id, role=Role.PARENT).first() if isinstance(parent_id, int) else None


def digest_unsubscribe_url(parent: User) -> str:
    return settings.SITE_URL + reverse("accounts:digest_unsubscribe", args=[digest_unsubscribe_token(parent)])


def digest_message(digest: ParentDigest) -> EmailMultiAlternatives:
    unsubscribe_url = digest_unsubscribe_url(digest.parent)
    context = {"digest": digest, "unsubscribe_url": unsubscribe_url, "site_url": settings.SITE_URL}
    with timezone.override(digest.time_zone):
        text = render_to_string("emails/parent_digest.txt", context)
        html = render_to_string("emails/parent_digest.html", context)
    message = EmailMultiAlternatives(
        subject=f"Your ToolBox weekly digest: week of {digest.week_starting:%-d %B}",
        body=text,
        to=[digest.parent.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _send(digest: ParentDigest) -> bool:
    with transaction.atomic():
        _, created = DigestLog.objects.get_or_create(
            parent=digest.parent,
            week_starting=digest.week_starting,
            defaults={"children_count": len(digest.children)},
        )
        if not created:
            return False
        digest_message(digest).send()
    return True


def _recipients(school: School | None) -> list[User]:
    return list(
        User.objects.filter(role=Role.PARENT, is_active=True, digest_opt_in=True, school=school)
        .exclude(email="")
        .order_by("id")
    )


def parent_digests_send(*, school: School | None, now: dt.datetime | None = None) -> RunSummary:
    """Send this week's digest to every opted-in parent of the school (parents with no
    school use UTC) who has not had it yet."""
    now = now or timezone.now()
    summary = RunSummary(schedule="parent_digests")
    parents = _recipients(school)
    week_starting, _ = digest_week(school, now)
    already = set(
        DigestLog.objects.filter(parent__in=parents, week_starting=week_starting).values_list("parent_id", flat=True)
    )
    pending = [parent for parent in parents if parent.pk not in already]
    summary.skipped += len(already)
    for digest in parent_digests_build(parents=pending, now=now, school=school):
        if not digest.children:
            summary.skipped += 1
            summary.count("no_children")
            continue
        try:
            sent = _send(with_model_summaries(digest))
        except Exception:  # one failed digest must not stop the others.
            logger.exception("parent_digest_failed", parent_id=digest.parent.pk)
            summary.failed += 1
            continue
        if sent:
            summary.handled += 1
        else:
            summary.skipped += 1
    return summary


def parent_digest_preview(*, parent: User, now: dt.datetime | None = None) -> ParentDigest:
    """This week's digest so far, as the parent would receive it (for the settings page
    and the `--preview` command); nothing is sent or recorded."""
    school = School.objects.filter(pk=parent.school_id).first() if parent.school_id else None
    return parent_digests_build(parents=[parent], now=now or timezone.now(), school=school)[0]
