"""Every read of the content app that a page or endpoint needs, each in a fixed number of
queries whatever the size of the library."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.classroom.models import GradeLevel
from toolbox.content.models import ContentSource, ContentStatus, LearningObjective, Lesson, Question, Quiz
from toolbox.errors import InvalidInputError, NotFoundError

ContentT = TypeVar("ContentT", Lesson, Quiz)

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

# What waits for a reviewer: anything submitted, and AI drafts nobody has looked at yet (a
# rejected AI draft is back with its author until it is submitted again).
_AWAITING_REVIEW = Q(status=ContentStatus.IN_REVIEW) | Q(
    status=ContentStatus.DRAFT, source=ContentSource.AI, reviewed_at__isnull=True
)


def _check_choice(value: str | None, allowed: list[str], field: str) -> None:
    if value is not None and value not in allowed:
        raise InvalidInputError(f"Unknown {field.replace('_', ' ')} “{value}”.", field=field)


def _library_page(
    queryset: QuerySet[ContentT],
    *,
    user: User,
    subject: str | None,
    grade_level: str | None,
    status: str | None,
    source: str | None,
    page: int | str,
    per_page: int,
) -> Page[ContentT]:
    _check_choice(grade_level, GradeLevel.values, "grade_level")
    _check_choice(status, ContentStatus.values, "status")
    _check_choice(source, ContentSource.values, "source")
    queryset = permissions.content_library_queryset(user, queryset)
    if subject:
        queryset = queryset.filter(subject__iexact=subject.strip())
    if grade_level:
        queryset = queryset.filter(grade_level=grade_level)
    if status:
        queryset = queryset.filter(status=status)
    if source:
        queryset = queryset.filter(source=source)
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    return Paginator(queryset.order_by("-created_at", "-id"), per_page).get_page(page)


def lesson_library(
    *,
    user: User,
    subject: str | None = None,
    grade_level: str | None = None,
    status: str | None = None,
    source: str | None = None,
    page: int | str = 1,
    per_page: int = DEFAULT_PAGE_SIZE,
) -> Page[Lesson]:
    """The school's lessons, newest first, with author and objectives (3 queries)."""
    lessons = Lesson.objects.select_related("author").prefetch_related("objectives")
    return _library_page(
        lessons,
        user=user,
        subject=subject,
        grade_level=grade_level,
        status=status,
        source=source,
        page=page,
        per_page=per_page,
    )


def quiz_library(
    *,
    user: User,
    subject: str | None = None,
    grade_level: str | None = None,
    status: str | None = None,
    source: str | None = None,
    page: int | str = 1,
    per_page: int = DEFAULT_PAGE_SIZE,
) -> Page[Quiz]:
    """The school's quizzes, newest first, each with `question_count`, its author, lesson
    and objectives (3 queries)."""
    quizzes = (
        Quiz.objects.select_related("author", "lesson")
        .prefetch_related("objectives")
        .annotate(question_count=Count("questions"))
    )
    return _library_page(
        quizzes,
        user=user,
        subject=subject,
        grade_level=grade_level,
        status=status,
        source=source,
        page=page,
        per_page=per_page,
    )


@dataclass(frozen=True)
class ReviewItem:
    """One lesson or quiz in the review queue (a quiz carries `question_count`)."""

    kind: str  # "lesson" or "quiz"
    content: Lesson | Quiz


@dataclass(frozen=True)
class ReviewQueue:
    """One page of the lessons and quizzes waiting for a reviewer, longest-waiting first,
    with the counts of the whole queue."""

    page: Page[ReviewItem]
    lessons_in_review: int
    lesson_ai_drafts: int
    quizzes_in_review: int
    quiz_ai_drafts: int

    @property
    def total(self) -> int:
        return self.lessons_in_review + self.lesson_ai_drafts + self.quizzes_in_review + self.quiz_ai_drafts


def _queue_counts(queryset: QuerySet[ContentT]) -> tuple[int, int]:
    counts = queryset.filter(_AWAITING_REVIEW).aggregate(
        in_review=Count("id", filter=Q(status=ContentStatus.IN_REVIEW)),
        ai_drafts=Count("id", filter=Q(status=ContentStatus.DRAFT)),
    )
    return counts["in_review"], counts["ai_drafts"]


def _queue_entries(queryset: QuerySet[ContentT], kind: str) -> QuerySet[Any, tuple[Any, str, int]]:
    waiting = queryset.filter(_AWAITING_REVIEW).annotate(kind=Value(kind, output_field=CharField()))
    return waiting.order_by().values_list("updated_at", "kind", "id")


def review_queue(*, user: User, page: int | str = 1, per_page: int = DEFAULT_PAGE_SIZE) -> ReviewQueue:
    """One page of what this reviewer's school has waiting for review, lessons and quizzes
    in one list (at most 5 queries: the counts of each kind, the page, its lessons, its
    quizzes)."""
    lessons = permissions.content_library_queryset(user, Lesson.objects.all())
    quizzes = permissions.content_library_queryset(user, Quiz.objects.all())
    lessons_in_review, lesson_ai_drafts = _queue_counts(lessons)
    quizzes_in_review, quiz_ai_drafts = _queue_counts(quizzes)
    total = lessons_in_review + lesson_ai_drafts + quizzes_in_review + quiz_ai_drafts

    entries = _queue_entries(lessons, "lesson").union(_queue_entries(quizzes, "quiz"), all=True)
    paginator: Paginator[Any] = Paginator(
        entries.order_by("updated_at", "kind", "id"), max(1, min(per_page, MAX_PAGE_SIZE))
    )
    paginator.count = total  # already counted above: no COUNT over the union
    entry_page = paginator.get_page(page)
    keys = [(kind, pk) for _, kind, pk in entry_page.object_list] if total else []
    lesson_ids = [pk for kind, pk in keys if kind == "lesson"]
    quiz_ids = [pk for kind, pk in keys if kind == "quiz"]
    found: dict[tuple[str, int], Lesson | Quiz] = {}
    if lesson_ids:
        found.update(
            (("lesson", lesson.pk), lesson) for lesson in lessons.select_related("author").filter(pk__in=lesson_ids)
        )
    if quiz_ids:
        annotated = quizzes.select_related("author").annotate(question_count=Count("questions"))
        found.update((("quiz", quiz.pk), quiz) for quiz in annotated.filter(pk__in=quiz_ids))
    items = [ReviewItem(kind=kind, content=found[kind, pk]) for kind, pk in keys if (kind, pk) in found]
    return ReviewQueue(
        page=Page(items, entry_page.number, paginator),
        lessons_in_review=lessons_in_review,
        lesson_ai_drafts=lesson_ai_drafts,
        quizzes_in_review=quizzes_in_review,
        quiz_ai_drafts=quiz_ai_drafts,
    )


# The waiting count sits in the cache under a per-school generation that every saved or
# deleted lesson or quiz replaces (toolbox/content/signals.py), so a count is never served
# after the change that made it wrong has committed; the timeout only bounds what a bulk
# `QuerySet.update()`, which sends no signal, could leave behind.
WAITING_COUNT_TIMEOUT = 600


def review_queue_generation_key(school_id: int) -> str:
    return f"content:review-queue:{school_id}:generation"


def review_queue_waiting_count(*, school_id: int | None) -> int:
    """How many lessons and quizzes wait for review in one school: the queue's `total`
    (no query while cached, one when not)."""
    if school_id is None:
        return 0
    generation_key = review_queue_generation_key(school_id)
    generation = cache.get(generation_key)
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, timeout=None)
        generation = cache.get(generation_key)
    count_key = f"content:review-queue:{school_id}:{generation}:count"
    count = cache.get(count_key)
    if count is None:
        lessons = Lesson.objects.filter(_AWAITING_REVIEW, school_id=school_id).order_by().values("id")
        quizzes = Quiz.objects.filter(_AWAITING_REVIEW, school_id=school_id).order_by().values("id")
        count = lessons.union(quizzes, all=True).count()
        cache.set(count_key, count, timeout=WAITING_COUNT_TIMEOUT)
    return count


def lesson_detail(*, user: User, lesson_id: int) -> Lesson:
    """One lesson with its author and objectives, if the user may see it."""
    lesson = (
        Lesson.objects.select_related("author", "reviewed_by")
        .prefetch_related("objectives")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not permissions.can_view_content(user, lesson):
        raise NotFoundError("No such lesson.")
    return lesson


def quiz_detail(*, user: User, quiz_id: int) -> Quiz:
    """One quiz with its questions in order, each with its choices and objective, if the
    user may see it (5 queries for an educator, whatever the number of questions)."""
    questions = Question.objects.select_related("objective").prefetch_related("choices").order_by("position", "id")
    quiz = (
        Quiz.objects.select_related("author", "lesson", "reviewed_by")
        .prefetch_related("objectives", Prefetch("questions", queryset=questions))
        .filter(pk=quiz_id)
        .first()
    )
    if quiz is None or not permissions.can_view_content(user, quiz):
        raise NotFoundError("No such quiz.")
    return quiz


def objectives_for(*, subject: str | None = None, grade_level: str | None = None) -> QuerySet[LearningObjective]:
    """Learning objectives, optionally for one subject and grade, ordered by code."""
    _check_choice(grade_level, GradeLevel.values, "grade_level")
    objectives = LearningObjective.objects.all()
    if subject:
        objectives = objectives.filter(subject__iexact=subject.strip())
    if grade_level:
        objectives = objectives.filter(grade_level=grade_level)
    return objectives.order_by("subject", "code")
