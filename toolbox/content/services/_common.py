"""Helpers the content services share: loading under a lock, validation, permission checks,
and the steps that creating and changing a lesson or a quiz have in common."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.content.models import ContentStatus, LearningObjective, Lesson, Quiz
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

EDITABLE_STATUSES = frozenset({ContentStatus.DRAFT, ContentStatus.IN_REVIEW})

# Foreign keys are checked by the services themselves (same school, allowed user), so the
# model validation skips them rather than spend a query on each.
_FOREIGN_KEYS_CHECKED_BY_SERVICES = ["school", "author", "generation_job", "reviewed_by", "lesson", "quiz", "objective"]

ModelT = TypeVar("ModelT", bound=models.Model)
ContentT = TypeVar("ContentT", Lesson, Quiz)


def content_noun(content: Lesson | Quiz) -> str:
    return "lesson" if isinstance(content, Lesson) else "quiz"


def validate_instance(instance: models.Model) -> None:
    """Run the model's field validation and turn it into one InvalidInputError."""
    try:
        instance.full_clean(
            exclude=_FOREIGN_KEYS_CHECKED_BY_SERVICES, validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors: list[dict[str, object]] = []
        for field, messages in exc.message_dict.items():
            label = field
            if field != "__all__":
                label = str(getattr(instance._meta.get_field(field), "verbose_name", field)).capitalize()
            errors.extend({"field": field, "message": f"{label}: {message}"} for message in messages)
        first = errors[0]
        raise InvalidInputError(str(first["message"]), field=str(first["field"]), errors=errors) from exc


def apply_validated_changes(instance: ModelT, changes: dict[str, Any]) -> ModelT:
    """Validate the changes on a copy first, so that a refused change leaves the caller's
    object exactly as it was; then apply them to the caller's object (not yet saved)."""
    candidate = copy.copy(instance)
    for name, value in changes.items():
        setattr(candidate, name, value)
    validate_instance(candidate)
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance


def refuse_unknown_fields(fields: dict[str, Any], allowed: Iterable[str], noun: str) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInputError(f"These {noun} fields cannot be changed here: {', '.join(unknown)}.", field=unknown[0])


def lock_status(content: Lesson | Quiz) -> None:
    """Lock the row for the rest of the transaction and read its current status, so two
    reviewers acting at once cannot both move it (PostgreSQL; SQLite serialises writes)."""
    model = type(content)
    content.status = model.objects.select_for_update().filter(pk=content.pk).values_list("status", flat=True).get()


def require_visible(actor: User, content: Lesson | Quiz) -> None:
    if not permissions.can_view_content(actor, content):
        raise NotFoundError(f"No such {content_noun(content)}.")


def require_editable(actor: User, content: Lesson | Quiz) -> None:
    """The caller may see it, it is still a draft or in review, and the caller may edit it."""
    require_visible(actor, content)
    if content.status not in EDITABLE_STATUSES:
        raise ConflictError(
            f"This {content_noun(content)} is {ContentStatus(content.status).label.lower()}, so it can no longer be "
            "changed: students may already be using it. Archive it and make a new version instead."
        )
    if not permissions.can_edit_content(actor, content):
        raise ForbiddenError(f"You may not edit this {content_noun(content)}.")


def objective_ids(objectives: Iterable[LearningObjective | int]) -> list[int]:
    """Accept objectives or their ids; every one must exist."""
    try:
        ids = sorted(
            {objective.pk if isinstance(objective, LearningObjective) else int(objective) for objective in objectives}
        )
    except (TypeError, ValueError):
        raise InvalidInputError("Objectives must be learning objectives or their ids.", field="objectives") from None
    if ids:
        found = set(LearningObjective.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise InvalidInputError(
                f"Unknown learning objective id(s): {', '.join(map(str, missing))}.", field="objectives"
            )
    return ids


def _stripped(text: object) -> Any:
    return text.strip() if isinstance(text, str) else text


def require_author(author: User, *, plural_noun: str) -> None:
    if not permissions.can_author_content(author):
        raise ForbiddenError(f"Only educators and admins of a school can write {plural_noun}.")


def save_new_draft(content: ContentT, *, author: User, objectives: Iterable[LearningObjective | int]) -> ContentT:
    """Save a new lesson or quiz as a draft of its author's school (whatever its source: AI
    drafts wait for an educator), its title and subject trimmed, with its objectives."""
    assert author.school_id is not None, "call require_author first: only people of a school write content"
    with transaction.atomic():
        content.school_id = author.school_id
        content.author = author
        content.status = ContentStatus.DRAFT
        content.title = _stripped(content.title)
        content.subject = _stripped(content.subject)
        validate_instance(content)
        ids = objective_ids(objectives)
        content.save()
        content.objectives.set(ids)
    return content


def save_changes(
    *,
    actor: User,
    content: ContentT,
    fields: dict[str, Any],
    editable: Iterable[str],
    prepare: Callable[[dict[str, Any]], None],
) -> ContentT:
    """Change a draft or in-review lesson or quiz; published ones are frozen. `prepare` applies
    the kind's own rules to the changes once the row is locked and the actor may edit it, and
    may add the fields that follow from them."""
    refuse_unknown_fields(fields, editable, content_noun(content))
    with transaction.atomic():
        lock_status(content)
        require_editable(actor, content)
        objectives = fields.pop("objectives", None)
        ids = objective_ids(objectives) if objectives is not None else None
        prepare(fields)
        for name in ("title", "subject"):
            if name in fields:
                fields[name] = _stripped(fields[name])
        apply_validated_changes(content, fields)
        content.save(update_fields=[*fields, "updated_at"])
        if ids is not None:
            content.objectives.set(ids)
    return content
