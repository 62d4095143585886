"""Writing lessons. The HTML is rendered from the Markdown here, on every write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.content.markdown import markdown_render
from toolbox.content.models import ContentStatus, LearningObjective, Lesson
from toolbox.content.services._common import (
    apply_validated_changes,
    lock_status,
    objective_ids,
    refuse_unknown_fields,
    require_editable,
    validate_instance,
)
from toolbox.content.services.provenance import provenance_fields
from toolbox.errors import ForbiddenError, InvalidInputError

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
    if not permissions.can_author_content(author):
        raise ForbiddenError("Only educators and admins of a school can write lessons.")
    with transaction.atomic():
        lesson = Lesson(
            school_id=author.school_id,
            author=author,
            title=title.strip() if isinstance(title, str) else title,
            subject=subject.strip() if isinstance(subject, str) else subject,
            grade_level=grade_level,
            body_markdown=_require_body(body_markdown),
            body_html=markdown_render(text=body_markdown),
            estimated_minutes=estimated_minutes,
            difficulty=difficulty,
            status=ContentStatus.DRAFT,
            **provenance_fields(author=author, source=source, generation_job=generation_job, provenance=provenance),
        )
        validate_instance(lesson)
        ids = objective_ids(objectives)
        lesson.save()
        lesson.objectives.set(ids)
    return lesson


def lesson_update(*, actor: User, lesson: Lesson, **fields: Any) -> Lesson:
    """Change a draft or in-review lesson; published lessons are frozen."""
    refuse_unknown_fields(fields, LESSON_EDITABLE_FIELDS, "lesson")
    with transaction.atomic():
        lock_status(lesson)
        require_editable(actor, lesson)
        objectives = fields.pop("objectives", None)
        ids = objective_ids(objectives) if objectives is not None else None
        for name in ("title", "subject"):
            if isinstance(fields.get(name), str):
                fields[name] = fields[name].strip()
        if "body_markdown" in fields:
            fields["body_html"] = markdown_render(text=_require_body(fields["body_markdown"]))
        apply_validated_changes(lesson, fields)
        lesson.save(update_fields=[*fields, "updated_at"])
        if ids is not None:
            lesson.objectives.set(ids)
    return lesson
