"""Where a piece of content came from. Anything a generation job produced is an AI draft."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolbox.accounts.models import User
from toolbox.content.models import ContentSource
from toolbox.errors import InvalidInputError

if TYPE_CHECKING:
    from toolbox.ai.models import GenerationJob


def provenance_fields(
    *, author: User, source: str, generation_job: GenerationJob | None, provenance: dict[str, Any] | None
) -> dict[str, Any]:
    """The source and provenance columns for new content.

    Content tied to a generation job is always `ai`, whatever the caller said: the review
    rule hangs on `source`, so it must not be possible to label a generated draft manual.
    """
    if source not in ContentSource.values:
        raise InvalidInputError(f"Unknown source “{source}”: use manual or ai.", field="source")
    if provenance is not None and not isinstance(provenance, dict):
        raise InvalidInputError("Provenance must be a JSON object.", field="provenance")
    details = dict(provenance or {})
    if generation_job is not None:
        if generation_job.school_id != author.school_id:
            raise InvalidInputError("That generation job belongs to another school.", field="generation_job")
        source = ContentSource.AI
    return {
        "source": source,
        "generation_job": generation_job,
        "provenance": details,
        "ai_provider": str(details.get("provider") or (generation_job.provider if generation_job else ""))[:40],
        "ai_model": str(details.get("model") or (generation_job.model_name if generation_job else ""))[:120],
        "prompt_version": str(
            details.get("prompt_version") or (generation_job.prompt_version if generation_job else "")
        )[:40],
    }
