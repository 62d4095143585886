"""Writing lessons. The HTML is rendered from the Markdown here, on every write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from toolbox.accounts.models import User
from toolbox.content.markdown import markdown_render
from toolbox.content.models import LearningObjective, Lesson
from toolbox.content.services._common import require_author, save_changes, save_new_draft
from toolbox.content.services.provenance import provenance_fields
from toolbox.errors import InvalidInputError

if TYPE_CHECKING:
    from toolbox.ai.models import GenerationJob

# In the order the admin's form shows them.
LESSON_EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "subject",
    "grade_level",
    "objectives",
    "estimated_minutes",
    "difficulty",
    "body_markdown",
)


def _require_body(body_markdown: object) -> str:
    if not isinstance(body_markdown, str) or not body_markdown.strip():
        raise InvalidInputError("A lesson needs some text in its body.", field="body_markdown")
    return body_markdown


def lesson_create(
    *,
    author: User,
    title: str,
    subject: str,
    grade_level: str,
    body_markdown: str,
    objectives: Iterable[LearningObjective | int] = (),
    estimated_minutes: int = 15,
    difficulty: str = "standard",
    source: str = "manual",
    generation_job: GenerationJob | None = None,
    provenance: dict[str, Any] | None = None,
) -> Lesson:
    """Create a lesson as a draft (whatever its source: AI drafts wait for an educator)."""
    require_author(author, plural_noun="lessons")
    body_markdown = _require_body(body_markdown)
    lesson = Lesson(
        title=title,
        subject=subject,
        grade_level=grade_level,
        body_markdown=body_markdown,
        body_html=markdown_render(text=body_markdown),
        estimated_minutes=estimated_minutes,
        difficulty=difficulty,
        **provenance_fields(author=author, source=source, generation_job=generation_job, provenance=provenance),
    )
    return save_new_draft(lesson, author=author, objectives=objectives)


def _render_body(changes: dict[str, Any]) -> None:
    if "body_markdown" in changes:
        changes["body_html"] = markdown_render(text=_require_body(changes["body_markdown"]))


def lesson_update(*, actor: User, lesson: Lesson, **fields: Any) -> Lesson:
    """Change a draft or in-review lesson; published lessons are frozen."""
    return save_changes(
        actor=actor, content=lesson, fields=fields, editable=LESSON_EDITABLE_FIELDS, prepare=_render_body
    )
