"""Schemas of assignments, attempts and progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from toolbox.api.schemas import Id, PageOut, PersonOut

ScorePolicyName = Literal["best", "last"]


class AssignmentOut(Schema):
    id: int = Field(examples=[9])
    class_id: int = Field(examples=[7])
    class_name: str = Field(examples=["Science 7B"])
    kind: str = Field(examples=["quiz"], description="quiz or lesson")
    title: str = Field(examples=["Cells check-up"])
    lesson_id: int | None = Field(examples=[None])
    quiz_id: int | None = Field(examples=[12])
    assigned_by: PersonOut
    available_from: dt.datetime
    due_at: dt.datetime
    close_at: dt.datetime | None
    accept_late: bool = Field(examples=[True])
    late_penalty_percent_per_day: Decimal = Field(examples=["10.00"])
    max_late_penalty_percent: Decimal = Field(examples=["50.00"])
    score_policy: str = Field(examples=["best"], description="best or last attempt counts")
    created_at: dt.datetime


class AssignmentPageOut(PageOut):
    items: list[AssignmentOut]


class AssignmentCreateIn(Schema):
    lesson_id: Id | None = Field(None, description="A published lesson; give this or quiz_id.", examples=[None])
    quiz_id: Id | None = Field(None, description="A published quiz; give this or lesson_id.", examples=[12])
    available_from: dt.datetime = Field(examples=["2026-03-02T08:00:00Z"])
    due_at: dt.datetime = Field(examples=["2026-03-09T17:00:00Z"])
    close_at: dt.datetime | None = Field(None, description="No work accepted after this.", examples=[None])
    accept_late: bool = Field(True, examples=[True])
    late_penalty_percent_per_day: Decimal = Field(
        Decimal("10"), ge=0, le=100, max_digits=5, decimal_places=2, examples=["10"]
    )
    max_late_penalty_percent: Decimal = Field(
        Decimal("50"), ge=0, le=100, max_digits=5, decimal_places=2, examples=["50"]
    )
    score_policy: ScorePolicyName = Field("best", examples=["best"])


class AssignmentUpdateIn(Schema):
    available_from: dt.datetime | None = Field(None, examples=["2026-03-02T08:00:00Z"])
    due_at: dt.datetime | None = Field(None, examples=["2026-03-10T17:00:00Z"])
    close_at: dt.datetime | None = Field(None, description="Send null to remove the hard stop.", examples=[None])
    accept_late: bool | None = Field(None, examples=[False])
    late_penalty_percent_per_day: Decimal | None = Field(
        None, ge=0, le=100, max_digits=5, decimal_places=2, examples=["5"]
    )
    max_late_penalty_percent: Decimal | None = Field(
        None, ge=0, le=100, max_digits=5, decimal_places=2, examples=["30"]
    )
    score_policy: ScorePolicyName | None = Field(None, examples=["last"])


class AttemptChoiceOut(Schema):
    id: int = Field(
        description=(
            "The choice to send back. An ordering item's id is its key in this attempt only: ids carry no order."
        ),
        examples=[31],
    )
    text: str = Field(examples=["Mitochondria"])


class AttemptQuestionOut(Schema):
    id: int = Field(description="Send this as question_id when saving an answer.", examples=[21])
    kind: str = Field(examples=["single_choice"])
    position: int = Field(examples=[0])
    prompt: str = Field(examples=["Which part of the cell releases energy?"])
    hint: str = Field(examples=["Think of the powerhouse."])
    points: Decimal = Field(examples=["1.00"])
    choices: list[AttemptChoiceOut] = Field(description="Options, or the items to put in order (shuffled).")


class SavedAnswerOut(Schema):
    question_id: int = Field(examples=[21])
    response: dict[str, Any] | None = Field(examples=[{"choice_id": 31}])
    saved_at: dt.datetime


class AnswerResultOut(Schema):
    position: int = Field(examples=[0])
    prompt: str = Field(examples=["Which part of the cell releases energy?"])
    kind: str = Field(examples=["single_choice"])
    response_text: str = Field(examples=["Mitochondria"])
    points_possible: Decimal = Field(examples=["1.00"])
    is_correct: bool | None = Field(description="Hidden (null) unless answers are shown.", examples=[True])
    points_awarded: Decimal | None = Field(examples=["1.00"])
    correct_answer_text: str | None = Field(examples=["Mitochondria"])
    explanation: str | None = Field(examples=["Respiration happens in the mitochondria."])
    feedback: str = Field(examples=[""])


class AttemptOut(Schema):
    id: int = Field(examples=[301])
    assignment_id: int = Field(examples=[9])
    student: PersonOut
    title: str = Field(examples=["Cells check-up"])
    number: int = Field(examples=[1])
    status: str = Field(examples=["graded"], description="in_progress, submitted (awaiting a grade) or graded")
    started_at: dt.datetime
    deadline: dt.datetime | None = Field(description="When a timed attempt is submitted by the server.")
    submitted_at: dt.datetime | None
    is_late: bool = Field(examples=[False])
    late_penalty_percent: Decimal = Field(examples=["0.00"])
    raw_score: Decimal | None = Field(examples=["8.00"])
    max_score: Decimal | None = Field(examples=["10.00"])
    final_percent: Decimal | None = Field(examples=["80.00"])
    pass_mark_percent: int = Field(examples=[70])
    answer_visibility: str = Field(examples=["immediately"])
    answers_shown: bool = Field(
        description="Whether right answers and explanations are shown to this caller.", examples=[True]
    )
    questions: list[AttemptQuestionOut] = Field(description="While in progress, for its student: what to answer.")
    saved_answers: list[SavedAnswerOut] = Field(description="While in progress, for its student: what is saved.")
    answers: list[AnswerResultOut] = Field(description="Once submitted: each answer as the visibility rule allows.")


class AnswerIn(Schema):
    response: dict[str, Any] = Field(
        description=(
            'single_choice, true_false: {"choice_id": int}; multiple_choice: {"choice_ids": [int]}; '
            'short_answer: {"text": str}; numeric: {"value": "3.14"}; '
            'ordering: {"order": [the items\' ids as this attempt lists them, first to last]}'
        ),
        examples=[{"choice_id": 31}],
    )


class LevelOut(Schema):
    xp: int = Field(examples=[1250])
    level: int = Field(examples=[4])
    level_starts_at: int = Field(examples=[1000])
    next_level_at: int = Field(examples=[1500])


class StreakOut(Schema):
    current: int = Field(examples=[3])
    longest: int = Field(examples=[9])
    last_active_on: dt.date | None


class BadgeOut(Schema):
    code: str = Field(examples=["first-quiz"])
    name: str = Field(examples=["First quiz"])
    description: str = Field(examples=["Finished a first quiz."])
    icon: str = Field(examples=["★"])
    awarded_at: dt.datetime


class MasteryOut(Schema):
    objective_id: int = Field(examples=[3])
    code: str = Field(examples=["SCI.7.2"])
    description: str = Field(examples=["Explain how cells make energy"])
    subject: str = Field(examples=["Science"])
    score: float = Field(ge=0, le=1, examples=[0.82])
    answers_counted: int = Field(examples=[14])
    mastered_at: dt.datetime | None


class AttemptSummaryOut(Schema):
    attempt_id: int = Field(examples=[301])
    assignment_id: int = Field(examples=[9])
    title: str = Field(examples=["Cells check-up"])
    classroom_name: str = Field(examples=["Science 7B"])
    number: int = Field(examples=[1])
    status: str = Field(examples=["graded"])
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    due_at: dt.datetime
    final_percent: Decimal | None = Field(description="Null when the caller may not see grades.", examples=["80.00"])


class ProgressOut(Schema):
    student: PersonOut
    can_view_grades: bool = Field(description="False for a parent whose link hides grades.", examples=[True])
    level: LevelOut
    streak: StreakOut
    badges: list[BadgeOut]
    mastery: list[MasteryOut]
    attempts: list[AttemptSummaryOut] = Field(description="Newest first; empty when grades are hidden.")
    has_more_attempts: bool


class GradebookColumnOut(Schema):
    assignment_id: int = Field(examples=[9])
    kind: str = Field(examples=["quiz"])
    title: str = Field(examples=["Cells check-up"])
    due_at: dt.datetime
    average_percent: Decimal | None = Field(examples=["76.50"])
    submitted_count: int = Field(examples=[24])
    missing_count: int = Field(examples=[2])
    late_count: int = Field(examples=[1])


class GradebookCellOut(Schema):
    assignment_id: int = Field(examples=[9])
    score_percent: Decimal | None = Field(examples=["80.00"])
    counted_attempt_id: int | None = Field(examples=[301])
    attempts_used: int = Field(examples=[1])
    is_done: bool
    is_late: bool
    is_missing: bool
    is_in_progress: bool
    is_awaiting_grade: bool
    done_at: dt.datetime | None


class GradebookRowOut(Schema):
    student: PersonOut
    cells: list[GradebookCellOut]
    average_percent: Decimal | None = Field(examples=["81.25"])
    missing_count: int = Field(examples=[0])


class GradebookOut(Schema):
    class_id: int = Field(examples=[7])
    class_name: str = Field(examples=["Science 7B"])
    columns: list[GradebookColumnOut]
    rows: list[GradebookRowOut]
    class_average_percent: Decimal | None = Field(examples=["77.10"])
    generated_at: dt.datetime
