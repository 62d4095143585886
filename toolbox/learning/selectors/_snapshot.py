"""Questions as an attempt's snapshot recorded them, and answers put into words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Max

from toolbox.content.models import Question, QuestionKind
from toolbox.learning.models import Attempt
from toolbox.learning.selectors._common import FINISHED_STATUSES


@dataclass(frozen=True, slots=True)
class SnapshotChoice:
    id: int
    text: str
    is_correct: bool
    position: int
    feedback: str


@dataclass(frozen=True, slots=True)
class SnapshotQuestion:
    id: int
    kind: str
    position: int
    prompt: str
    explanation: str
    hint: str
    points: Decimal
    objective_id: int | None
    accepted_answers: tuple[str, ...]
    numeric_answer: Decimal | None
    numeric_tolerance: Decimal
    choices: tuple[SnapshotChoice, ...]

    @property
    def correct_answer_text(self) -> str:
        if self.kind == QuestionKind.ORDERING:
            return " → ".join(c.text for c in sorted(self.choices, key=lambda c: c.position))
        if self.kind == QuestionKind.SHORT_ANSWER:
            return " / ".join(self.accepted_answers)
        if self.kind == QuestionKind.NUMERIC:
            if self.numeric_answer is None:
                return ""
            value = _plain(self.numeric_answer)
            return f"{value} ± {_plain(self.numeric_tolerance)}" if self.numeric_tolerance else value
        return ", ".join(c.text for c in self.choices if c.is_correct)

    def describe(self, response: object) -> str:
        """The student's answer as a person would say it: the choice text, the typed
        text, the number, the order."""
        if not isinstance(response, Mapping):
            return ""
        texts = {c.id: c.text for c in self.choices}
        if self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE):
            choice_id = response.get("choice_id")
            return texts.get(choice_id, "") if isinstance(choice_id, int) else ""  # pyright: ignore[reportArgumentType]
        if self.kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = set(_ints(response.get("choice_ids")))
            return ", ".join(c.text for c in self.choices if c.id in chosen)
        if self.kind == QuestionKind.ORDERING:
            return " → ".join(texts.get(choice_id, "?") for choice_id in _ints(response.get("order")))
        if self.kind == QuestionKind.NUMERIC:
            value = response.get("value")
            return _plain_number(value) if value is not None else ""
        text = response.get("text")
        return " ".join(str(text).split()) if text is not None else ""

    def grouping_key(self, response: object) -> str:
        """Answers that grading treats as the same share a key (typed text ignores case
        and spacing; numbers ignore trailing zeros)."""
        described = self.describe(response)
        return described.casefold() if self.kind == QuestionKind.SHORT_ANSWER else described


def _ints(value: object) -> list[int]:
    return [item for item in value if isinstance(item, int)] if isinstance(value, list) else []


def _plain(value: Decimal) -> str:
    normalized = value.normalize()
    return f"{normalized:f}"


def _plain_number(value: object) -> str:
    try:
        return _plain(Decimal(str(value).strip()))
    except InvalidOperation:
        return str(value).strip()


def _decimal_or_none(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def question_from_snapshot(data: Mapping[str, object]) -> SnapshotQuestion:
    choices = data.get("choices") or []
    accepted = data.get("accepted_answers") or []
    return SnapshotQuestion(
        id=int(data["id"]),  # type: ignore[arg-type]
        kind=str(data.get("kind", "")),
        position=int(data.get("position", 0)),  # type: ignore[arg-type]
        prompt=str(data.get("prompt", "")),
        explanation=str(data.get("explanation", "")),
        hint=str(data.get("hint", "")),
        points=Decimal(str(data.get("points", "0"))),
        objective_id=data.get("objective_id"),  # type: ignore[arg-type]
        accepted_answers=tuple(str(text) for text in accepted),  # type: ignore[union-attr]
        numeric_answer=_decimal_or_none(data.get("numeric_answer")),
        numeric_tolerance=_decimal_or_none(data.get("numeric_tolerance")) or Decimal(0),
        choices=tuple(
            SnapshotChoice(
                id=int(choice["id"]),
                text=str(choice.get("text", "")),
                is_correct=bool(choice.get("is_correct")),
                position=int(choice.get("position", 0)),
                feedback=str(choice.get("feedback", "")),
            )
            for choice in choices  # type: ignore[union-attr]
        ),
    )


def questions_of_snapshot(snapshot: object) -> list[SnapshotQuestion]:
    if not isinstance(snapshot, Mapping):
        return []
    questions = snapshot.get("questions") or []
    return sorted(
        (question_from_snapshot(q) for q in questions if isinstance(q, Mapping)),  # type: ignore[union-attr]
        key=lambda q: (q.position, q.id),
    )


def question_from_model(question: Question) -> SnapshotQuestion:
    return SnapshotQuestion(
        id=question.pk,
        kind=question.kind,
        position=question.position,
        prompt=question.prompt,
        explanation=question.explanation,
        hint=question.hint,
        points=question.points,
        objective_id=question.objective_id,
        accepted_answers=tuple(str(text) for text in question.accepted_answers or []),
        numeric_answer=question.numeric_answer,
        numeric_tolerance=question.numeric_tolerance,
        choices=tuple(
            SnapshotChoice(id=c.pk, text=c.text, is_correct=c.is_correct, position=c.position, feedback=c.feedback)
            for c in question.choices.all()  # pyright: ignore[reportAttributeAccessIssue]
        ),
    )


def questions_for_assignments(
    *, assignment_ids: Iterable[int], keys: Iterable[tuple[int, int]] = ()
) -> dict[tuple[int, int], SnapshotQuestion]:
    """The questions of each assignment keyed by (assignment id, question key), read from
    the newest finished attempt's snapshot (one query). Keys in `keys` that this snapshot
    lacks (a question removed since older attempts) come from the question rows (two more
    queries, only when needed)."""
    newest = (
        Attempt.objects.filter(assignment_id__in=list(assignment_ids), status__in=FINISHED_STATUSES)
        .order_by()
        .values("assignment_id")
        .annotate(newest_id=Max("id"))
        .values("newest_id")
    )
    found: dict[tuple[int, int], SnapshotQuestion] = {}
    for assignment_id, snapshot in (
        Attempt.objects.filter(id__in=newest).order_by().values_list("assignment_id", "snapshot")
    ):
        for question in questions_of_snapshot(snapshot):
            found[(assignment_id, question.id)] = question
    missing = [key for key in keys if key not in found]
    if missing:
        rows = Question.objects.filter(id__in={key for _, key in missing}).prefetch_related("choices")
        by_id = {question.pk: question_from_model(question) for question in rows}
        for assignment_id, key in missing:
            if key in by_id:
                found[(assignment_id, key)] = by_id[key]
    return found
