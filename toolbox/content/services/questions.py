"""Writing a quiz's questions and their choices, with each kind's rules.

Choices are always given as a whole list and replace the question's previous set:
`[{"text": str, "is_correct": bool, "feedback": str (optional)}, ...]`. For ordering
questions the list is the items in their correct order (`is_correct` is not used). A
true/false question takes exactly the two choices "True" and "False" with one correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max

from toolbox.accounts.models import User
from toolbox.content.models import Choice, LearningObjective, Question, QuestionKind, Quiz
from toolbox.content.services._common import (
    apply_validated_changes,
    lock_status,
    refuse_unknown_fields,
    require_editable,
)
from toolbox.errors import InvalidInputError

QUESTION_EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "prompt",
        "points",
        "explanation",
        "hint",
        "objective",
        "choices",
        "accepted_answers",
        "numeric_answer",
        "numeric_tolerance",
    }
)

_CHOICE_KEYS = frozenset({"text", "is_correct", "feedback"})
_CHOICE_TEXT_MAX = 500
_MAX_POINTS = Decimal(1000)
_MAX_NUMERIC = Decimal(10) ** 12
_CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE})
_ITEM_KINDS = _CHOICE_KINDS | {QuestionKind.ORDERING}


@dataclass(frozen=True)
class _ChoiceSpec:
    text: str
    is_correct: bool
    feedback: str


def _decimal(value: object, *, field: str, label: str, places: int, maximum: Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidInputError(f"{label} must be a number.", field=field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInputError(f"{label} must be a number, not “{value}”.", field=field) from None
    if not number.is_finite():
        raise InvalidInputError(f"{label} must be a finite number.", field=field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInputError(f"{label} can have at most {places} decimal places.", field=field)
    if abs(number) >= maximum:
        raise InvalidInputError(f"{label} is too large.", field=field)
    return number


def _choice_specs(kind: str, choices: object) -> list[_ChoiceSpec]:
    if not isinstance(choices, list | tuple):
        raise InvalidInputError("Choices must be a list of {text, is_correct, feedback} objects.", field="choices")
    specs: list[_ChoiceSpec] = []
    for number, raw in enumerate(choices, start=1):
        if not isinstance(raw, dict):
            raise InvalidInputError(f"Choice {number} must be an object with a text.", field="choices")
        unknown = sorted(set(raw) - _CHOICE_KEYS)
        if unknown:
            raise InvalidInputError(f"Choice {number} has unknown keys: {', '.join(unknown)}.", field="choices")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInputError(f"Choice {number} needs a text.", field="choices")
        if len(text.strip()) > _CHOICE_TEXT_MAX:
            raise InvalidInputError(f"Choice {number} is longer than {_CHOICE_TEXT_MAX} characters.", field="choices")
        is_correct = raw.get("is_correct", False)
        if not isinstance(is_correct, bool):
            raise InvalidInputError(f"Choice {number}: is_correct must be true or false.", field="choices")
        feedback = raw.get("feedback", "")
        if not isinstance(feedback, str) or len(feedback) > _CHOICE_TEXT_MAX:
            raise InvalidInputError(
                f"Choice {number}: feedback must be text of at most {_CHOICE_TEXT_MAX} characters.", field="choices"
            )
        specs.append(
            _ChoiceSpec(
                text=text.strip(), is_correct=is_correct and kind != QuestionKind.ORDERING, feedback=feedback.strip()
            )
        )
    texts = [spec.text.casefold() for spec in specs]
    if len(set(texts)) != len(texts):
        raise InvalidInputError("Two choices have the same text; each choice must be different.", field="choices")
    return specs


def _check_choice_rules(kind: str, specs: list[_ChoiceSpec]) -> list[_ChoiceSpec]:
    correct = sum(spec.is_correct for spec in specs)
    if kind == QuestionKind.TRUE_FALSE:
        if sorted(spec.text.casefold() for spec in specs) != ["false", "true"]:
            raise InvalidInputError(
                "A true/false question has exactly two choices, “True” and “False”.", field="choices"
            )
        if correct != 1:
            raise InvalidInputError("Mark exactly one of “True” and “False” as correct.", field="choices")
        by_text = {spec.text.casefold(): spec for spec in specs}
        return [
            _ChoiceSpec(text="True", is_correct=by_text["true"].is_correct, feedback=by_text["true"].feedback),
            _ChoiceSpec(text="False", is_correct=by_text["false"].is_correct, feedback=by_text["false"].feedback),
        ]
    if len(specs) < 2:
        noun = "items to put in order" if kind == QuestionKind.ORDERING else "choices"
        raise InvalidInputError(f"This question needs at least two {noun}.", field="choices")
    if kind == QuestionKind.SINGLE_CHOICE and correct != 1:
        raise InvalidInputError("A single-choice question needs exactly one correct choice.", field="choices")
    if kind == QuestionKind.MULTIPLE_CHOICE and correct < 1:
        raise InvalidInputError("A multiple-choice question needs at least one correct choice.", field="choices")
    return specs


def _accepted_answers(value: object) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(answer, str) for answer in value):
        raise InvalidInputError("Accepted answers must be a list of texts.", field="accepted_answers")
    answers: list[str] = []
    for answer in value:
        cleaned = " ".join(answer.split())
        if cleaned and cleaned.casefold() not in {known.casefold() for known in answers}:
            answers.append(cleaned)
    if not answers:
        raise InvalidInputError("A short-answer question needs at least one accepted answer.", field="accepted_answers")
    return answers


@dataclass(frozen=True)
class _ValidQuestion:
    fields: dict[str, Any]
    choices: list[_ChoiceSpec] | None  # None: keep the current choices


def _validate(
    *,
    kind: object,
    points: object,
    objective: LearningObjective | None,
    choices: object,
    accepted_answers: object,
    numeric_answer: object,
    numeric_tolerance: object,
) -> _ValidQuestion:
    """Check one question's kind rules. `choices` is the full list the question will have."""
    if kind not in QuestionKind.values:
        raise InvalidInputError(
            f"Unknown question kind “{kind}”: use one of {', '.join(QuestionKind.values)}.", field="kind"
        )
    fields: dict[str, Any] = {
        "kind": kind,
        "points": _decimal(points, field="points", label="Points", places=2, maximum=_MAX_POINTS + 1),
        "objective": objective,
        "accepted_answers": [],
        "numeric_answer": None,
        "numeric_tolerance": Decimal(0),
    }
    if fields["points"] < 0 or fields["points"] > _MAX_POINTS:
        raise InvalidInputError(f"Points must be between 0 and {_MAX_POINTS}.", field="points")
    if objective is not None and not isinstance(objective, LearningObjective):
        raise InvalidInputError("The objective must be a learning objective.", field="objective")
    specs: list[_ChoiceSpec] = []
    if kind in _ITEM_KINDS:
        specs = _check_choice_rules(str(kind), _choice_specs(str(kind), choices if choices is not None else []))
    elif choices:
        raise InvalidInputError(f"A {QuestionKind(kind).label.lower()} question has no choices.", field="choices")
    if kind == QuestionKind.SHORT_ANSWER:
        fields["accepted_answers"] = _accepted_answers(accepted_answers if accepted_answers is not None else [])
    if kind == QuestionKind.NUMERIC:
        if numeric_answer is None:
            raise InvalidInputError("A numeric question needs the correct value.", field="numeric_answer")
        fields["numeric_answer"] = _decimal(
            numeric_answer, field="numeric_answer", label="The answer", places=6, maximum=_MAX_NUMERIC
        )
        tolerance = _decimal(
            numeric_tolerance, field="numeric_tolerance", label="The tolerance", places=6, maximum=_MAX_NUMERIC
        )
        if tolerance < 0:
            raise InvalidInputError("The tolerance cannot be negative.", field="numeric_tolerance")
        fields["numeric_tolerance"] = tolerance
    return _ValidQuestion(fields=fields, choices=specs)


def _text(value: object, *, field: str, label: str, required: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{label} must be text.", field=field)
    if required and not value.strip():
        raise InvalidInputError(f"{label} cannot be empty.", field=field)
    return value.strip()


def _replace_choices(question: Question, specs: list[_ChoiceSpec]) -> None:
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, text=spec.text, is_correct=spec.is_correct, position=position, feedback=spec.feedback)
        for position, spec in enumerate(specs)
    )


def question_create(
    *,
    actor: User,
    quiz: Quiz,
    kind: str,
    prompt: str,
    points: Decimal = Decimal("1"),
    explanation: str = "",
    hint: str = "",
    objective: LearningObjective | None = None,
    choices: list[dict[str, Any]] | None = None,
    accepted_answers: list[str] | None = None,
    numeric_answer: Decimal | None = None,
    numeric_tolerance: Decimal = Decimal("0"),
) -> Question:
    """Add a question at the end of an editable quiz."""
    with transaction.atomic():
        lock_status(quiz)
        require_editable(actor, quiz)
        valid = _validate(
            kind=kind,
            points=points,
            objective=objective,
            choices=choices,
            accepted_answers=accepted_answers,
            numeric_answer=numeric_answer,
            numeric_tolerance=numeric_tolerance,
        )
        last = Question.objects.filter(quiz=quiz).aggregate(last=Max("position"))["last"]
        question = Question(
            quiz=quiz,
            position=0 if last is None else last + 1,
            prompt=_text(prompt, field="prompt", label="The prompt", required=True),
            explanation=_text(explanation, field="explanation", label="The explanation", required=False),
            hint=_text(hint, field="hint", label="The hint", required=False),
            **valid.fields,
        )
        question.save()
        if valid.choices:
            _replace_choices(question, valid.choices)
    return question


def question_update(*, actor: User, question: Question, **fields: Any) -> Question:
    """Change a question of an editable quiz. Passing `choices` replaces the whole set;
    the kind's rules are checked against the question as it will be after the change."""
    refuse_unknown_fields(fields, QUESTION_EDITABLE_FIELDS, "question")
    with transaction.atomic():
        quiz = question.quiz
        lock_status(quiz)
        require_editable(actor, quiz)
        # From the row, not the caller's object, which a form may already have changed.
        previous_kind = Question.objects.filter(pk=question.pk).values_list("kind", flat=True).get()
        kind = fields.get("kind", previous_kind)
        choices = fields.get("choices")
        if choices is None and kind in _ITEM_KINDS:
            choices = [
                {"text": choice.text, "is_correct": choice.is_correct, "feedback": choice.feedback}
                for choice in question.choices.order_by("position", "id")
            ]
        valid = _validate(
            kind=kind,
            points=fields.get("points", question.points),
            objective=fields.get("objective", question.objective),
            choices=choices,
            accepted_answers=fields.get("accepted_answers", question.accepted_answers),
            numeric_answer=fields.get("numeric_answer", question.numeric_answer),
            numeric_tolerance=fields.get("numeric_tolerance", question.numeric_tolerance),
        )
        changes = dict(valid.fields)
        for name, label, required in (
            ("prompt", "The prompt", True),
            ("explanation", "The explanation", False),
            ("hint", "The hint", False),
        ):
            if name in fields:
                changes[name] = _text(fields[name], field=name, label=label, required=required)
        apply_validated_changes(question, changes)
        question.save()
        if "choices" in fields or kind != previous_kind:
            _replace_choices(question, valid.choices or [])
    return question


def question_delete(*, actor: User, question: Question) -> None:
    """Remove a question from an editable quiz and close the gap in the numbering."""
    with transaction.atomic():
        quiz = question.quiz
        lock_status(quiz)
        require_editable(actor, quiz)
        question.delete()
        remaining = list(Question.objects.filter(quiz=quiz).order_by("position", "id"))
        for position, remaining_question in enumerate(remaining):
            remaining_question.position = position
        Question.objects.bulk_update(remaining, ["position"])


def questions_reorder(*, actor: User, quiz: Quiz, ordered_ids: list[int]) -> None:
    """Put the quiz's questions in the given order; every question must be listed once."""
    with transaction.atomic():
        lock_status(quiz)
        require_editable(actor, quiz)
        questions = {question.pk: question for question in Question.objects.filter(quiz=quiz)}
        if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(questions):
            raise InvalidInputError(
                "List every question of this quiz exactly once to reorder them.", field="ordered_ids"
            )
        for position, pk in enumerate(ordered_ids):
            questions[pk].position = position
        Question.objects.bulk_update(questions.values(), ["position"])
