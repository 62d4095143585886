"""Schemas of the content router: lessons, quizzes, questions and choices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from toolbox.api.schemas import GradeLevelName, Id, PageOut, PageQuery, PersonOut

StatusName = Literal["draft", "in_review", "published", "archived"]
SourceName = Literal["manual", "ai"]
DifficultyName = Literal["introductory", "standard", "challenging"]
VisibilityName = Literal["immediately", "after_due", "never"]
QuestionKindName = Literal["single_choice", "multiple_choice", "true_false", "short_answer", "numeric", "ordering"]


class LibraryQuery(PageQuery):
    subject: str | None = Field(
        None, max_length=80, description="Exact subject, any case.", json_schema_extra={"example": "Science"}
    )
    grade_level: GradeLevelName | None = Field(None, json_schema_extra={"example": "7"})
    status: StatusName | None = Field(None, json_schema_extra={"example": "draft"})
    source: SourceName | None = Field(None, json_schema_extra={"example": "ai"})


class ObjectiveOut(Schema):
    id: int = Field(examples=[3])
    code: str = Field(examples=["SCI.7.2"])
    description: str = Field(examples=["Explain how cells make energy"])


class ReviewFields(Schema):
    id: int = Field(examples=[11])
    title: str = Field(examples=["Cells, the units of life"])
    subject: str = Field(examples=["Science"])
    grade_level: str = Field(examples=["7"])
    status: str = Field(examples=["draft"], description="draft, in_review, published or archived")
    source: str = Field(examples=["manual"], description="manual or ai")
    author: PersonOut
    objectives: list[ObjectiveOut]
    review_notes: str = Field(examples=[""])
    generation_job_id: int | None = Field(examples=[None])
    published_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class LessonOut(ReviewFields):
    body_markdown: str = Field(examples=["# Cells\n\nA **cell** is the smallest unit of life."])
    body_html: str = Field(
        description="The Markdown rendered and sanitised.",
        examples=["<h1>Cells</h1>\n<p>A <strong>cell</strong> is the smallest unit of life.</p>"],
    )
    estimated_minutes: int = Field(examples=[15])
    difficulty: str = Field(examples=["standard"])


class LessonSummaryOut(ReviewFields):
    estimated_minutes: int = Field(examples=[15])
    difficulty: str = Field(examples=["standard"])


class LessonPageOut(PageOut):
    items: list[LessonSummaryOut]


class LessonCreateIn(Schema):
    title: str = Field(min_length=1, max_length=200, examples=["Cells, the units of life"])
    subject: str = Field(min_length=1, max_length=80, examples=["Science"])
    grade_level: GradeLevelName = Field(examples=["7"])
    body_markdown: str = Field(min_length=1, max_length=200_000, examples=["# Cells\n\nA **cell** is ..."])
    objective_ids: list[Id] = Field(default_factory=list, max_length=50, examples=[[3]])
    estimated_minutes: int = Field(15, ge=1, le=600, examples=[20])
    difficulty: DifficultyName = Field("standard", examples=["standard"])


class LessonUpdateIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=200, examples=["Cells and their parts"])
    subject: str | None = Field(None, min_length=1, max_length=80, examples=["Science"])
    grade_level: GradeLevelName | None = Field(None, examples=["7"])
    body_markdown: str | None = Field(None, min_length=1, max_length=200_000, examples=["# Cells\n\nUpdated."])
    objective_ids: list[Id] | None = Field(None, max_length=50, examples=[[3, 4]])
    estimated_minutes: int | None = Field(None, ge=1, le=600, examples=[25])
    difficulty: DifficultyName | None = Field(None, examples=["challenging"])


class ChoiceOut(Schema):
    id: int = Field(examples=[31])
    text: str = Field(examples=["Mitochondria"])
    is_correct: bool = Field(examples=[True])
    position: int = Field(examples=[0])
    feedback: str = Field(examples=["Yes: the powerhouse of the cell."])


class QuestionOut(Schema):
    id: int = Field(examples=[21])
    quiz_id: int = Field(examples=[12])
    kind: str = Field(examples=["single_choice"])
    position: int = Field(examples=[0])
    prompt: str = Field(examples=["Which part of the cell releases energy?"])
    explanation: str = Field(examples=["Respiration happens in the mitochondria."])
    hint: str = Field(examples=["Think of the powerhouse."])
    points: Decimal = Field(examples=["1.00"])
    objective_id: int | None = Field(examples=[3])
    accepted_answers: list[str] = Field(examples=[[]])
    numeric_answer: Decimal | None = Field(examples=[None])
    numeric_tolerance: Decimal = Field(examples=["0"])
    choices: list[ChoiceOut]


class QuizSummaryOut(ReviewFields):
    lesson_id: int | None = Field(examples=[11])
    description: str = Field(examples=["Ten questions on cells."])
    time_limit_minutes: int | None = Field(examples=[20])
    pass_mark_percent: int = Field(examples=[70])
    max_attempts: int = Field(examples=[3])
    shuffle_questions: bool = Field(examples=[False])
    answer_visibility: str = Field(examples=["immediately"])
    is_practice_bank: bool = Field(examples=[False])
    question_count: int = Field(examples=[10])


class QuizOut(QuizSummaryOut):
    questions: list[QuestionOut] = Field(
        description="With their answer keys, for those who may review the quiz; empty for students."
    )


class QuizPageOut(PageOut):
    items: list[QuizSummaryOut]


class QuizCreateIn(Schema):
    title: str = Field(min_length=1, max_length=200, examples=["Cells check-up"])
    subject: str = Field(min_length=1, max_length=80, examples=["Science"])
    grade_level: GradeLevelName = Field(examples=["7"])
    lesson_id: Id | None = Field(None, examples=[11])
    objective_ids: list[Id] = Field(default_factory=list, max_length=50, examples=[[3]])
    description: str = Field("", max_length=5000, examples=["Ten questions on cells."])
    time_limit_minutes: int | None = Field(None, ge=1, le=600, examples=[20])
    pass_mark_percent: int = Field(70, ge=0, le=100, examples=[70])
    max_attempts: int = Field(3, ge=1, le=100, examples=[3])
    shuffle_questions: bool = Field(False, examples=[False])
    answer_visibility: VisibilityName = Field("immediately", examples=["after_due"])
    is_practice_bank: bool = Field(False, examples=[False])


class QuizUpdateIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=200, examples=["Cells check-up (v2)"])
    subject: str | None = Field(None, min_length=1, max_length=80, examples=["Science"])
    grade_level: GradeLevelName | None = Field(None, examples=["7"])
    lesson_id: Id | None = Field(None, description="Send null to unlink the lesson.", examples=[11])
    objective_ids: list[Id] | None = Field(None, max_length=50, examples=[[3]])
    description: str | None = Field(None, max_length=5000, examples=["Twelve questions."])
    time_limit_minutes: int | None = Field(None, ge=1, le=600, description="Send null for no limit.", examples=[30])
    pass_mark_percent: int | None = Field(None, ge=0, le=100, examples=[60])
    max_attempts: int | None = Field(None, ge=1, le=100, examples=[2])
    shuffle_questions: bool | None = Field(None, examples=[True])
    answer_visibility: VisibilityName | None = Field(None, examples=["never"])
    is_practice_bank: bool | None = Field(None, examples=[False])


class ChoiceIn(Schema):
    text: str = Field(min_length=1, max_length=500, examples=["Mitochondria"])
    is_correct: bool = Field(False, examples=[True])
    feedback: str = Field("", max_length=500, examples=["Yes: the powerhouse of the cell."])


class QuestionCreateIn(Schema):
    kind: QuestionKindName = Field(examples=["single_choice"])
    prompt: str = Field(min_length=1, max_length=5000, examples=["Which part of the cell releases energy?"])
    points: Decimal = Field(Decimal("1"), gt=0, le=1000, max_digits=6, decimal_places=2, examples=["1"])
    explanation: str = Field("", max_length=5000, examples=["Respiration happens in the mitochondria."])
    hint: str = Field("", max_length=1000, examples=["Think of the powerhouse."])
    objective_id: Id | None = Field(None, examples=[3])
    choices: list[ChoiceIn] | None = Field(
        None,
        max_length=20,
        description="Choice kinds: the options. Ordering: the items in the correct order. True/false: True, False.",
        examples=[[{"text": "Mitochondria", "is_correct": True}, {"text": "Nucleus", "is_correct": False}]],
    )
    accepted_answers: list[str] | None = Field(None, max_length=20, examples=[["mitochondria"]])
    numeric_answer: Decimal | None = Field(None, ge=-(10**12), le=10**12, decimal_places=6, examples=[None])
    numeric_tolerance: Decimal = Field(Decimal("0"), ge=0, le=10**12, decimal_places=6, examples=["0"])


class QuestionUpdateIn(Schema):
    kind: QuestionKindName | None = Field(None, examples=["multiple_choice"])
    prompt: str | None = Field(None, min_length=1, max_length=5000, examples=["Which parts release energy?"])
    points: Decimal | None = Field(None, gt=0, le=1000, max_digits=6, decimal_places=2, examples=["2"])
    explanation: str | None = Field(None, max_length=5000, examples=[""])
    hint: str | None = Field(None, max_length=1000, examples=[""])
    objective_id: Id | None = Field(None, description="Send null to clear.", examples=[3])
    choices: list[ChoiceIn] | None = Field(None, max_length=20, description="Replaces every choice.")
    accepted_answers: list[str] | None = Field(None, max_length=20, examples=[["mitochondria", "mitochondrion"]])
    numeric_answer: Decimal | None = Field(None, ge=-(10**12), le=10**12, decimal_places=6, examples=["3.14"])
    numeric_tolerance: Decimal | None = Field(None, ge=0, le=10**12, decimal_places=6, examples=["0.01"])


class ReorderIn(Schema):
    ordered_ids: list[Id] = Field(
        min_length=1,
        max_length=500,
        description="Every question id of the quiz, once, in the new order.",
        examples=[[23, 21, 22]],
    )


class RejectIn(Schema):
    notes: str = Field(
        min_length=1, max_length=5000, description="What to fix.", examples=["Question 3 has two right answers."]
    )
