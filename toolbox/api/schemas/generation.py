"""Schemas of AI generation jobs and notifications."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from toolbox.ai.schemas import GenerationRequest
from toolbox.api.schemas import Id, PageOut, PageQuery

JobKindName = Literal["lesson", "quiz", "lesson_quiz", "practice_items"]


class GenerationParametersIn(GenerationRequest):
    """The generator's request, with ids bounded at the edge like every id of this API."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"subject": "Science", "grade": "7", "topic": "Cells", "source_lesson_id": 11, "question_count": 5}
            ]
        }
    )

    objective_ids: list[Id] = Field(default_factory=list, max_length=10)
    source_lesson_id: Id | None = None


class GenerationJobIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "lesson_quiz",
                    "parameters": {
                        "subject": "Science",
                        "grade": "7",
                        "topic": "Photosynthesis",
                        "objectives": ["Explain how plants make glucose"],
                        "source_text": "Plants use light energy to turn water and carbon dioxide into glucose.",
                        "question_count": 6,
                        "question_kinds": ["single_choice", "true_false", "short_answer"],
                    },
                }
            ]
        }
    )

    kind: JobKindName = Field(description="What to draft: a lesson, a quiz, both, or practice items.")
    parameters: GenerationParametersIn


class DraftLinksOut(Schema):
    lesson: str | None = Field(description="The drafted lesson in this API.", examples=["/api/v1/lessons/11"])
    quiz: str | None = Field(description="The drafted quiz in this API.", examples=["/api/v1/quizzes/12"])


class GenerationJobOut(Schema):
    id: int = Field(examples=[5])
    kind: str = Field(examples=["lesson_quiz"])
    status: str = Field(examples=["running"], description="queued, running, succeeded, failed or cancelled")
    progress_percent: int = Field(ge=0, le=100, examples=[40])
    stage: str = Field(examples=["Writing the quiz"])
    error: str = Field(description="Why the job failed, in a sentence.", examples=[""])
    is_finished: bool = Field(examples=[False])
    cancel_requested: bool = Field(examples=[False])
    provider: str = Field(examples=["offline"])
    model_name: str = Field(examples=[""])
    warnings: list[str] = Field(examples=[[]])
    lesson_id: int | None = Field(examples=[11])
    quiz_id: int | None = Field(examples=[12])
    links: DraftLinksOut
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class GenerationJobPageOut(PageOut):
    items: list[GenerationJobOut]


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="Only notifications not read yet.")


class NotificationOut(Schema):
    id: int = Field(examples=[77])
    kind: str = Field(examples=["due_soon"])
    message: str = Field(examples=["Cells check-up is due tomorrow."])
    link: str = Field(examples=["/student/assignments/9/"])
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPageOut(PageOut):
    items: list[NotificationOut]
    unread_count: int = Field(examples=[3])


class MarkedReadOut(Schema):
    marked: int = Field(description="How many notifications were marked read.", examples=[3])
