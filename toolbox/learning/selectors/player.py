"""Reads for the student pages: one assignment to open (its
lesson or its quiz), the quiz player's view of an attempt, and a practice set to answer.

The quiz player's questions come from the attempt's snapshot with the answer key left out:
`PlayerQuestion` carries no correctness, accepted answers, numeric answer or item positions,
so a template cannot render them by mistake. Ordering items are shown under their per-attempt
keys (`toolbox.learning.item_keys`), never their ids, which sort into the right order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.content.models import Lesson, Question, QuestionKind, Quiz
from toolbox.errors import NotFoundError
from toolbox.freshness import cached_for_users
from toolbox.learning.item_keys import attempt_scope, item_key, practice_scope
from toolbox.learning.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptStatus,
    LessonProgress,
    PracticeItem,
    PracticeSet,
)
from toolbox.learning.selectors._snapshot import question_from_model
from toolbox.learning.services import attempt_expires_at

ASSIGNMENT_NOT_FOUND = "That assignment does not exist."


def _open_assignment(
    *,
    student: User,
    assignment_id: int,
    allowed: Callable[[User, Assignment], bool] = permissions.can_view_assignment,
) -> Assignment:
    """An assignment of one of the student's classes that is open to them now and that
    `allowed` lets them at; anything else is not found, so ids leak nothing."""
    assignment = Assignment.objects.select_related("classroom", "lesson", "quiz").filter(pk=assignment_id).first()
    if assignment is None or assignment.available_from > timezone.now() or not allowed(student, assignment):
        raise NotFoundError(ASSIGNMENT_NOT_FOUND)
    return assignment


@dataclass(frozen=True, slots=True)
class LessonReader:
    assignment: Assignment
    lesson: Lesson
    percent: int
    completed_at: dt.datetime | None


def lesson_for_reader(*, student: User, assignment_id: int) -> LessonReader:
    """A lesson the student may read now. Cached until the student's data changes (their
    classes, the assignment, the lesson, their progress: toolbox/freshness.py); whether the
    assignment has opened yet is decided on every request."""
    reader = cached_for_users(
        key=f"lesson-reader:{student.pk}:{assignment_id}",
        user_ids=[student.pk],
        build=lambda: _lesson_reader(student=student, assignment_id=assignment_id),
    )
    if reader.assignment.available_from > timezone.now():
        raise NotFoundError(ASSIGNMENT_NOT_FOUND)
    return reader


def _lesson_reader(*, student: User, assignment_id: int) -> LessonReader:
    assignment = Assignment.objects.select_related("classroom", "lesson", "quiz").filter(pk=assignment_id).first()
    if assignment is None or not permissions.can_view_assignment(student, assignment):
        raise NotFoundError(ASSIGNMENT_NOT_FOUND)
    lesson = assignment.lesson
    if lesson is None or not permissions.can_view_content(student, lesson):
        raise NotFoundError(ASSIGNMENT_NOT_FOUND)
    progress = LessonProgress.objects.filter(student_id=student.pk, lesson_id=lesson.pk).first()
    return LessonReader(
        assignment=assignment,
        lesson=lesson,
        percent=progress.percent if progress else 0,
        completed_at=progress.completed_at if progress else None,
    )


@dataclass(frozen=True, slots=True)
class PastAttempt:
    id: int
    number: int
    status: str
    submitted_at: dt.datetime | None
    final_percent: Decimal | None


@dataclass(frozen=True, slots=True)
class QuizIntro:
    assignment: Assignment
    quiz: Quiz
    question_count: int
    attempts: tuple[PastAttempt, ...]
    in_progress_id: int | None

    @property
    def attempts_left(self) -> int:
        return max(self.quiz.max_attempts - len(self.attempts), 0)

    @property
    def can_start(self) -> bool:
        return self.in_progress_id is not None or self.attempts_left > 0


def quiz_to_start(*, student: User, assignment_id: int) -> Assignment:
    """A quiz assignment open to the student to attempt (two queries)."""
    assignment = _open_assignment(student=student, assignment_id=assignment_id, allowed=permissions.can_attempt)
    if assignment.quiz is None:
        raise NotFoundError(ASSIGNMENT_NOT_FOUND)
    return assignment


def quiz_intro(*, student: User, assignment_id: int) -> QuizIntro:
    """The page before a quiz: what it is, the rules, and this student's attempts so far."""
    assignment = quiz_to_start(student=student, assignment_id=assignment_id)
    quiz = assignment.quiz
    assert quiz is not None
    attempts = tuple(
        PastAttempt(*row)
        for row in Attempt.objects.filter(assignment_id=assignment.pk, student_id=student.pk)
        .order_by("number")
        .values_list("id", "number", "status", "submitted_at", "final_percent")
    )
    return QuizIntro(
        assignment=assignment,
        quiz=quiz,
        question_count=quiz.questions.count(),  # pyright: ignore[reportAttributeAccessIssue]
        attempts=attempts,
        in_progress_id=next((a.id for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None),
    )


@dataclass(frozen=True, slots=True)
class PlayerChoice:
    """A choice as the form offers it: the choice kinds send `id` back; an ordering item is
    named by `key` instead (see `toolbox.learning.item_keys`), and `rank` is its saved place."""

    id: int
    text: str
    selected: bool = False
    rank: int | None = None
    key: int = 0


@dataclass(frozen=True, slots=True)
class PlayerQuestion:
    """One question as the player shows it: prompt, hint, points and the choices' texts in
    the order the snapshot gives (ordering items arrive shuffled), plus what is saved."""

    id: int
    number: int
    kind: str
    prompt: str
    hint: str
    points: Decimal
    choices: tuple[PlayerChoice, ...]
    saved_text: str
    is_answered: bool

    @property
    def positions(self) -> range:
        return range(1, len(self.choices) + 1)


@dataclass(frozen=True, slots=True)
class PlayerAttempt:
    attempt: Attempt
    title: str
    questions: tuple[PlayerQuestion, ...]
    expires_at: dt.datetime | None

    @property
    def answered_count(self) -> int:
        return sum(1 for question in self.questions if question.is_answered)

    @property
    def unanswered_count(self) -> int:
        return len(self.questions) - self.answered_count

    def is_expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def question(self, question_id: int) -> PlayerQuestion | None:
        return next((question for question in self.questions if question.id == question_id), None)


def _player_question(number: int, data: dict[str, object], response: object, *, scope: str) -> PlayerQuestion:
    kind = str(data.get("kind", ""))
    saved = response if isinstance(response, dict) else {}
    chosen: set[object] = set()
    if "choice_id" in saved:
        chosen = {saved["choice_id"]}
    elif "choice_ids" in saved and isinstance(saved["choice_ids"], list):
        chosen = set(saved["choice_ids"])
    order = saved.get("order") if isinstance(saved.get("order"), list) else []
    ranks = {choice_id: index + 1 for index, choice_id in enumerate(order)}  # pyright: ignore[reportArgumentType]
    raw_choices = data.get("choices") or []
    choices = tuple(
        PlayerChoice(
            id=int(choice["id"]),
            text=str(choice.get("text", "")),
            selected=choice["id"] in chosen,
            rank=ranks.get(choice["id"]),
            key=item_key(scope=scope, choice_id=choice["id"]) if kind == QuestionKind.ORDERING else 0,
        )
        for choice in raw_choices  # pyright: ignore[reportGeneralTypeIssues]
    )
    saved_text = ""
    if kind == QuestionKind.SHORT_ANSWER:
        saved_text = str(saved.get("text", ""))
    elif kind == QuestionKind.NUMERIC and saved.get("value") is not None:
        saved_text = str(saved["value"])
    return PlayerQuestion(
        id=int(data["id"]),  # pyright: ignore[reportArgumentType]
        number=number,
        kind=kind,
        prompt=str(data.get("prompt", "")),
        hint=str(data.get("hint", "")),
        points=Decimal(str(data.get("points", "0"))),
        choices=choices,
        saved_text=saved_text,
        is_answered=bool(saved),
    )


def attempt_for_player(*, student: User, attempt_id: int, with_saved_answers: bool = True) -> PlayerAttempt:
    """The student's own attempt with its questions and saved answers (two queries; one
    without the saved answers, for a request that only writes). Another student's attempt
    is not found."""
    attempt = Attempt.objects.select_related("assignment__classroom", "assignment__quiz").filter(pk=attempt_id).first()
    if attempt is None or not permissions.is_student(student) or not permissions.can_view_attempt(student, attempt):
        raise NotFoundError("That attempt does not exist.")
    saved = (
        dict(Answer.objects.filter(attempt_id=attempt.pk).values_list("question_key", "response"))
        if with_saved_answers
        else {}
    )
    snapshot = attempt.snapshot if isinstance(attempt.snapshot, dict) else {}
    # The snapshot's list order is the order this attempt was given (shuffled when the quiz
    # shuffles), so it is kept as is.
    questions_data = list(snapshot.get("questions", []))
    return PlayerAttempt(
        attempt=attempt,
        title=str(snapshot.get("title") or attempt.assignment.title),
        questions=tuple(
            _player_question(number, data, saved.get(data["id"]), scope=attempt_scope(attempt.pk))
            for number, data in enumerate(questions_data, start=1)
        ),
        expires_at=attempt_expires_at(attempt, attempt.assignment),
    )


def student_attempt(*, student: User, attempt_id: int) -> Attempt:
    """One of the student's own attempts (for the result page)."""
    attempt = Attempt.objects.select_related("assignment__classroom").filter(pk=attempt_id).defer("snapshot").first()
    if attempt is None or not permissions.is_student(student) or not permissions.can_view_attempt(student, attempt):
        raise NotFoundError("That attempt does not exist.")
    return attempt


@dataclass(frozen=True, slots=True)
class PracticeResult:
    """What a student sees once they have answered a practice question: practice is for
    learning, so the right answer and the explanation come with the verdict."""

    is_correct: bool
    your_answer: str
    correct_answer: str
    explanation: str
    feedback: str


@dataclass(frozen=True, slots=True)
class PracticeSheetItem:
    """One practice question: the controls to answer it (a `PlayerQuestion`, which holds no
    answer key) and, only once it is answered, its result."""

    id: int
    question: PlayerQuestion
    result: PracticeResult | None

    @property
    def is_answered(self) -> bool:
        return self.result is not None


@dataclass(frozen=True, slots=True)
class PracticeSheet:
    id: int
    for_date: dt.date
    completed_at: dt.datetime | None
    items: tuple[PracticeSheetItem, ...]

    @property
    def answered_count(self) -> int:
        return sum(1 for item in self.items if item.is_answered)

    @property
    def correct_count(self) -> int:
        return sum(1 for item in self.items if item.result is not None and item.result.is_correct)

    @property
    def is_complete(self) -> bool:
        return bool(self.items) and self.answered_count == len(self.items)

    def item(self, item_id: int) -> PracticeSheetItem | None:
        return next((item for item in self.items if item.id == item_id), None)


def _practice_question(number: int, question: Question, *, scope: str) -> PlayerQuestion:
    choices = tuple(
        PlayerChoice(
            id=choice.pk,
            text=choice.text,
            key=item_key(scope=scope, choice_id=choice.pk) if question.kind == QuestionKind.ORDERING else 0,
        )
        for choice in question.choices.all()  # pyright: ignore[reportAttributeAccessIssue]
    )
    if question.kind == QuestionKind.ORDERING:
        # Ordering items are stored in their right order, and in alphabetical order dates and
        # numbered steps fall into it too: their keys give a shuffle that holds for the item.
        choices = tuple(sorted(choices, key=lambda choice: choice.key))
    return PlayerQuestion(
        id=question.pk,
        number=number,
        kind=question.kind,
        prompt=question.prompt,
        hint=question.hint,
        points=question.points,
        choices=choices,
        saved_text="",
        is_answered=False,
    )


def _practice_result(item: PracticeItem) -> PracticeResult | None:
    if item.answered_at is None:
        return None
    question = question_from_model(item.question)
    response = item.response if isinstance(item.response, dict) else {}
    chosen = response.get("choice_id")
    feedback = next((choice.feedback for choice in question.choices if choice.id == chosen), "")
    return PracticeResult(
        is_correct=bool(item.is_correct),
        your_answer=question.describe(response),
        correct_answer=question.correct_answer_text,
        explanation=question.explanation,
        feedback=feedback,
    )


def practice_sheet(*, student: User, practice_set_id: int) -> PracticeSheet:
    """The student's own practice set, item by item (three queries). Unanswered items carry
    no answer key; answered ones carry their result. Another student's set is not found."""
    practice = (
        PracticeSet.objects.filter(pk=practice_set_id, student_id=student.pk)
        .prefetch_related(
            Prefetch("items", queryset=PracticeItem.objects.select_related("question").order_by("position", "id")),
            "items__question__choices",
        )
        .first()
    )
    if practice is None:
        raise NotFoundError("That practice set does not exist.")
    items: list[PracticeItem] = list(practice.items.all())  # pyright: ignore[reportAttributeAccessIssue]
    return PracticeSheet(
        id=practice.pk,
        for_date=practice.for_date,
        completed_at=practice.completed_at,
        items=tuple(
            PracticeSheetItem(
                id=item.pk,
                question=_practice_question(number, item.question, scope=practice_scope(item.pk)),
                result=_practice_result(item),
            )
            for number, item in enumerate(items, start=1)
        ),
    )
