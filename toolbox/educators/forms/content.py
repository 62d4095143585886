"""Forms of the educator's content pages: they parse what was typed into the keyword
arguments of the content and AI services, which decide what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property

from toolbox.ai.models import GenerationJob, JobKind
from toolbox.ai.schemas import ALL_QUESTION_KINDS
from toolbox.classroom.models import GradeLevel
from toolbox.content.models import (
    AnswerVisibility,
    ContentSource,
    ContentStatus,
    Difficulty,
    LearningObjective,
    Lesson,
    QuestionKind,
)
from toolbox.errors import DomainError

GRADE_CHOICES = [("", "Choose a grade"), *GradeLevel.choices]
CHOICE_SLOTS = 6
GENERATION_KINDS = [
    (JobKind.LESSON_AND_QUIZ.value, "A lesson and a quiz"),
    (JobKind.LESSON.value, "A lesson"),
    (JobKind.QUIZ.value, "A quiz"),
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _autosubmit_select() -> forms.Select:
    return forms.Select(attrs={"data-autosubmit": ""})


class LibraryFilterForm(forms.Form):
    """The library's GET filters; an empty value means "any"."""

    kind = forms.ChoiceField(
        label="Show", choices=[("lessons", "Lessons"), ("quizzes", "Quizzes")], required=False, initial="lessons"
    )
    subject = forms.CharField(label="Subject", max_length=80, required=False)
    grade_level = forms.ChoiceField(
        label="Grade", choices=[("", "Any grade"), *GradeLevel.choices], required=False, widget=_autosubmit_select()
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *ContentStatus.choices],
        required=False,
        widget=_autosubmit_select(),
    )
    source = forms.ChoiceField(
        label="Source",
        choices=[("", "Any source"), *ContentSource.choices],
        required=False,
        widget=_autosubmit_select(),
    )

    def filters(self) -> dict[str, str | None]:
        """The selector's keyword arguments (invalid values are ignored, not an error page)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) or None for name in ("subject", "grade_level", "status", "source")}

    def showing_quizzes(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("kind") == "quizzes"


class ObjectivesMixin:
    """The objectives picker is left out of a page when no objectives exist yet."""

    fields: dict[str, forms.Field]

    @cached_property
    def has_objectives(self) -> bool:
        return LearningObjective.objects.exists()


class ObjectivesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.description}"


def _objectives_field() -> ObjectivesField:
    return ObjectivesField(
        queryset=LearningObjective.objects.order_by("subject", "code"),
        required=False,
        label="Learning objectives",
        help_text="Hold Ctrl (or ⌘) to choose several.",
    )


class LessonForm(ObjectivesMixin, forms.Form):
    title = forms.CharField(max_length=200)
    subject = forms.CharField(max_length=80)
    grade_level = forms.ChoiceField(label="Grade", choices=GRADE_CHOICES)
    objectives = _objectives_field()
    estimated_minutes = forms.IntegerField(label="Estimated minutes", min_value=1, max_value=240, initial=15)
    difficulty = forms.ChoiceField(choices=Difficulty.choices, initial=Difficulty.STANDARD)
    body_markdown = forms.CharField(
        label="Lesson text",
        widget=forms.Textarea(attrs={"rows": 18, "class": "code"}),
        help_text="Markdown: # headings, **bold**, *italics*, - lists, [links](https://…), tables.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The live preview: htmx posts the text a moment after typing stops (the form's
        # other fields and CSRF token go along); the page's Preview button does the same
        # without JavaScript.
        self.fields["body_markdown"].widget.attrs.update(
            {
                "hx-post": reverse("educators:lesson_preview"),
                "hx-trigger": "keyup changed delay:400ms, change",
                "hx-target": "#preview",
                "hx-swap": "outerHTML",
            }
        )

    @classmethod
    def initial_from(cls, lesson: Lesson) -> dict[str, Any]:
        return {
            "title": lesson.title,
            "subject": lesson.subject,
            "grade_level": lesson.grade_level,
            "objectives": list(lesson.objectives.all()),
            "estimated_minutes": lesson.estimated_minutes,
            "difficulty": lesson.difficulty,
            "body_markdown": lesson.body_markdown,
        }


class LessonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class QuizSettingsForm(ObjectivesMixin, forms.Form):
    title = forms.CharField(max_length=200)
    subject = forms.CharField(max_length=80)
    grade_level = forms.ChoiceField(label="Grade", choices=GRADE_CHOICES)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lesson = LessonChoiceField(
        queryset=Lesson.objects.none(), required=False, label="Follows the lesson", empty_label="No lesson"
    )
    objectives = _objectives_field()
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)", min_value=1, max_value=600, required=False, help_text="Leave empty for no limit."
    )
    pass_mark_percent = forms.IntegerField(label="Pass mark (%)", min_value=0, max_value=100, initial=70)
    max_attempts = forms.IntegerField(label="Attempts allowed", min_value=1, max_value=100, initial=3)
    shuffle_questions = forms.BooleanField(label="Shuffle the questions for each student", required=False)
    answer_visibility = forms.ChoiceField(
        label="Show the correct answers", choices=AnswerVisibility.choices, initial=AnswerVisibility.IMMEDIATELY
    )

    def __init__(self, *args: Any, lessons: QuerySet[Lesson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = lessons  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, quiz: Any) -> dict[str, Any]:
        return {
            "title": quiz.title,
            "subject": quiz.subject,
            "grade_level": quiz.grade_level,
            "description": quiz.description,
            "lesson": quiz.lesson_id,
            "objectives": list(quiz.objectives.all()),
            "time_limit_minutes": quiz.time_limit_minutes,
            "pass_mark_percent": quiz.pass_mark_percent,
            "max_attempts": quiz.max_attempts,
            "shuffle_questions": quiz.shuffle_questions,
            "answer_visibility": quiz.answer_visibility,
        }


TRUE_FALSE_CHOICES = [("true", "True"), ("false", "False")]


class QuestionForm(forms.Form):
    """One question of one kind. Only the fields of its kind are present: choice questions
    get numbered choice rows (text and a "correct" box), ordering questions numbered items
    in their right order, true/false a True/False pick, short answers a list of accepted
    answers, numeric questions a value and a tolerance. `service_arguments()` is what
    `question_create` and `question_update` take."""

    prompt = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}))
    points = forms.DecimalField(min_value=0, max_value=1000, decimal_places=2, initial=Decimal("1"))
    hint = forms.CharField(required=False, max_length=500, help_text="Shown to students who ask for a hint.")
    explanation = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Shown with the correct answer."
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.kind_label = QuestionKind(kind).label
        # Errors of the choices as a whole ("needs exactly one correct choice"), shown in
        # the choices' fieldset rather than on one row.
        self.choice_errors: list[str] = []
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            for slot in range(1, CHOICE_SLOTS + 1):
                self.fields[f"choice_{slot}"] = forms.CharField(label=f"Choice {slot}", max_length=500, required=False)
                self.fields[f"correct_{slot}"] = forms.BooleanField(label=f"Choice {slot} is correct", required=False)
        elif kind == QuestionKind.ORDERING:
            for slot in range(1, CHOICE_SLOTS + 1):
                self.fields[f"choice_{slot}"] = forms.CharField(label=f"Item {slot}", max_length=500, required=False)
        elif kind == QuestionKind.TRUE_FALSE:
            self.fields["true_or_false"] = forms.ChoiceField(
                label="The statement is", choices=TRUE_FALSE_CHOICES, widget=forms.RadioSelect
            )
        elif kind == QuestionKind.SHORT_ANSWER:
            self.fields["accepted_answers"] = forms.CharField(
                label="Accepted answers",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="One per line. Matching ignores capitals and extra spaces.",
                required=False,
            )
        elif kind == QuestionKind.NUMERIC:
            self.fields["numeric_answer"] = forms.DecimalField(label="Correct value", decimal_places=6)
            self.fields["numeric_tolerance"] = forms.DecimalField(
                label="Tolerance",
                min_value=0,
                decimal_places=6,
                initial=Decimal("0"),
                help_text="Answers within this distance of the value are correct.",
            )
        order = ["prompt", *[name for name in self.fields if name not in self._common], *self._common[1:]]
        self.order_fields(order)

    _common = ("prompt", "points", "hint", "explanation")

    @property
    def has_choice_rows(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.ORDERING)

    def choice_rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        if not self.has_choice_rows:
            return []
        marks = self.kind != QuestionKind.ORDERING
        return [
            (self[f"choice_{slot}"], self[f"correct_{slot}"] if marks else None) for slot in range(1, CHOICE_SLOTS + 1)
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "prompt" and not name.startswith(("choice_", "correct_"))]

    @classmethod
    def initial_from(cls, question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "prompt": question.prompt,
            "points": question.points,
            "hint": question.hint,
            "explanation": question.explanation,
        }
        choices = list(question.choices.all())
        if question.kind == QuestionKind.TRUE_FALSE:
            correct = next((choice for choice in choices if choice.is_correct), None)
            initial["true_or_false"] = "true" if correct is not None and correct.text == "True" else "false"
        for slot, choice in enumerate(choices[:CHOICE_SLOTS], start=1):
            initial[f"choice_{slot}"] = choice.text
            initial[f"correct_{slot}"] = choice.is_correct
        if question.kind == QuestionKind.SHORT_ANSWER:
            initial["accepted_answers"] = "\n".join(question.accepted_answers or [])
        if question.kind == QuestionKind.NUMERIC:
            initial["numeric_answer"] = question.numeric_answer
            initial["numeric_tolerance"] = question.numeric_tolerance
        return initial

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "prompt": data["prompt"],
            "points": data["points"],
            "hint": data.get("hint", ""),
            "explanation": data.get("explanation", ""),
        }
        if self.kind == QuestionKind.TRUE_FALSE:
            answer = data["true_or_false"]
            arguments["choices"] = [
                {"text": "True", "is_correct": answer == "true"},
                {"text": "False", "is_correct": answer == "false"},
            ]
        elif self.has_choice_rows:
            arguments["choices"] = [
                {"text": data[f"choice_{slot}"].strip(), "is_correct": bool(data.get(f"correct_{slot}"))}
                for slot in range(1, CHOICE_SLOTS + 1)
                if data.get(f"choice_{slot}", "").strip()
            ]
        elif self.kind == QuestionKind.SHORT_ANSWER:
            arguments["accepted_answers"] = _lines(data.get("accepted_answers", ""))
        elif self.kind == QuestionKind.NUMERIC:
            arguments["numeric_answer"] = data["numeric_answer"]
            arguments["numeric_tolerance"] = data["numeric_tolerance"]
        return arguments

    def add_domain_error(self, error: DomainError) -> None:
        """Put a service's message beside what it is about: the choices' fieldset, a field,
        or the top of the form."""
        if error.field == "choices" and self.has_choice_rows:
            self.choice_errors.append(error.message)
            self.add_error(None, "Please correct the choices marked below.")
        elif error.field == "choices" and "true_or_false" in self.fields:
            self.add_error("true_or_false", error.message)
        elif error.field in self.fields:
            self.add_error(error.field, error.message)
        else:
            self.add_error(None, error.message)


class RejectForm(forms.Form):
    notes = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The author sees these notes on the draft.",
    )


class ApproveForm(forms.Form):
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class GenerateForm(forms.Form):
    """What to ask the generator for; the names are `GenerationRequest`'s, so the service's
    validation errors land on the right fields."""

    kind = forms.ChoiceField(
        label="What to make", choices=GENERATION_KINDS, initial=JobKind.LESSON_AND_QUIZ, widget=forms.RadioSelect
    )
    subject = forms.CharField(max_length=80)
    grade = forms.ChoiceField(label="Grade", choices=GRADE_CHOICES)
    topic = forms.CharField(max_length=200, help_text="For example “Photosynthesis” or “Fractions on a number line”.")
    objectives = forms.CharField(
        label="Objectives",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, one per line, e.g. “Explain how plants make food”.",
    )
    source_text = forms.CharField(
        label="Source text",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paste the text to build from. Without a configured AI model, a source text or a lesson is needed.",
    )
    source_lesson_id = LessonChoiceField(
        queryset=Lesson.objects.none(),
        required=False,
        label="Or build from one of your lessons",
        empty_label="No lesson",
    )
    question_count = forms.IntegerField(label="Number of questions", min_value=1, max_value=30, initial=8)
    question_kinds = forms.MultipleChoiceField(
        label="Kinds of questions",
        choices=[(kind, QuestionKind(kind).label) for kind in ALL_QUESTION_KINDS],
        initial=list(ALL_QUESTION_KINDS),
        widget=forms.CheckboxSelectMultiple,
    )
    reading_level = forms.IntegerField(
        label="Reading level (grade)",
        min_value=0,
        max_value=16,
        required=False,
        help_text="Optional: the grade the text should read at. Leave empty to use the class grade.",
    )

    def __init__(self, *args: Any, lessons: QuerySet[Lesson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_lesson_id"].queryset = lessons  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, job: GenerationJob) -> dict[str, object]:
        parameters = job.parameters or {}
        known = ("subject", "grade", "topic", "source_text", "question_count", "question_kinds", "reading_level")
        initial: dict[str, object] = {name: parameters[name] for name in known if name in parameters}
        initial["kind"] = job.kind
        initial["objectives"] = "\n".join(parameters.get("objectives") or [])
        initial["source_lesson_id"] = parameters.get("source_lesson_id")
        return initial

    def job_request(self) -> tuple[str, dict[str, Any]]:
        """The service's `kind` and `parameters`."""
        data = self.cleaned_data
        lesson = data.get("source_lesson_id")
        parameters: dict[str, Any] = {
            "subject": data["subject"],
            "grade": data["grade"],
            "topic": data["topic"],
            "objectives": _lines(data.get("objectives", "")),
            "source_text": data.get("source_text", ""),
            "source_lesson_id": lesson.pk if lesson is not None else None,
            "question_count": data["question_count"],
            "question_kinds": data["question_kinds"],
            "reading_level": data.get("reading_level"),
        }
        return data["kind"], parameters
