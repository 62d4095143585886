"""Answer feedback: a suggested score and comment for a short answer that matched none of
the accepted answers. The suggestion fills the answer's ai_suggested_* fields and counts
for nothing until an educator confirms it (`toolbox.learning.services.grade_override`)."""

from __future__ import annotations

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from toolbox.accounts import permissions
from toolbox.accounts.models import User
from toolbox.ai.models import GenerationJob, JobKind, JobStatus
from toolbox.ai.prompts import PROMPT_VERSIONS
from toolbox.ai.providers import current_model_name, current_provider_name
from toolbox.ai.providers.base import GenerationError, Provider
from toolbox.ai.scrub import Scrubber
from toolbox.ai.selectors import school_daily_token_budget, school_tokens_used_today
from toolbox.ai.services.jobs import generation_job_dispatch
from toolbox.ai.services.runstate import JobRun, JobSupersededError
from toolbox.errors import ConflictError, InvalidInputError, NotFoundError, RateLimitError
from toolbox.learning.models import Answer

CENTS = Decimal("0.01")


def _snapshot_question(answer: Answer) -> dict[str, Any] | None:
    questions = answer.attempt.snapshot.get("questions", []) if isinstance(answer.attempt.snapshot, dict) else []
    return next((q for q in questions if q.get("id") == answer.question_key), None)


def _response_text(answer: Answer) -> str:
    response = answer.response if isinstance(answer.response, dict) else {}
    text = response.get("text")
    return text.strip() if isinstance(text, str) else ""


def answer_feedback_request(*, actor: User, answer: Answer) -> GenerationJob:
    """Ask for a suggested score and comment on a student's short answer."""
    answer = Answer.objects.select_related("attempt__assignment__classroom", "attempt__student").get(pk=answer.pk)
    if not permissions.can_grade_attempt(actor, answer.attempt):
        raise NotFoundError("That answer does not exist.")
    question = _snapshot_question(answer)
    if question is None or question.get("kind") != "short_answer":
        raise InvalidInputError("AI feedback is for short answers only.")
    if not _response_text(answer):
        raise InvalidInputError("The student left this answer blank: there is nothing to give feedback on.")
    if answer.is_correct:
        raise ConflictError("This answer already matches an accepted answer.")
    school_id = answer.attempt.assignment.classroom.school_id
    provider, model = current_provider_name(), current_model_name()
    if provider != "offline":
        used, budget = school_tokens_used_today(school_id=school_id), school_daily_token_budget(school_id=school_id)
        if used >= budget:
            raise RateLimitError(
                f"Your school has used its AI allowance for today ({used:,} of {budget:,} tokens). Mark this "
                "answer by hand, or ask again tomorrow."
            )
    inputs = {"answer_id": answer.pk, "prompt": question.get("prompt"), "response": _response_text(answer)}
    fingerprint = hashlib.sha256(
        json.dumps({"kind": JobKind.ANSWER_FEEDBACK, "inputs": inputs, "model": model}, sort_keys=True).encode()
    ).hexdigest()
    with transaction.atomic():
        job = GenerationJob.objects.create(
            school_id=school_id,
            created_by=actor,
            kind=JobKind.ANSWER_FEEDBACK,
            parameters={"answer_id": answer.pk},
            request_fingerprint=fingerprint,
            provider=provider,
            model_name=model,
            prompt_version=PROMPT_VERSIONS[JobKind.ANSWER_FEEDBACK],
            answer=answer,
            status=JobStatus.QUEUED,
            stage_message="Waiting for a worker",
        )
        transaction.on_commit(lambda: generation_job_dispatch(job_id=job.pk))
    return job


def run_answer_feedback(run: JobRun, *, provider: Provider) -> None:
    job = run.job
    run.stage(10, "Reading the answer")
    answer = (
        Answer.objects.select_related("attempt").filter(pk=job.answer_id).first() if job.answer_id is not None else None
    )
    question = _snapshot_question(answer) if answer is not None else None
    if answer is None or question is None:
        raise GenerationError("The answer this job was for no longer exists.")
    scrubber = Scrubber.for_school(job.school_id)
    run.stage(40, "Comparing with the accepted answers")
    suggestion = run.add(
        provider.suggest_feedback(
            prompt=scrubber.scrub(str(question.get("prompt", ""))),
            accepted_answers=[scrubber.scrub(str(a)) for a in question.get("accepted_answers", [])],
            response_text=scrubber.scrub(_response_text(answer)),
        )
    )
    feedback = scrubber.restore(suggestion.feedback)
    points = (Decimal(str(question.get("points", "1"))) * Decimal(str(suggestion.score_fraction))).quantize(
        CENTS, rounding=ROUND_HALF_UP
    )
    run.stage(90, "Saving the suggestion")
    with transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(
            ai_suggested_points=points, ai_suggested_feedback=feedback, ai_suggestion_confidence=suggestion.confidence
        )
        ended = run.end(
            JobStatus.SUCCEEDED,
            stage="Done: the suggestion is waiting for the educator",
            progress_percent=100,
            output={**suggestion.model_dump(), "feedback": feedback, "suggested_points": str(points)},
        )
        if not ended:
            raise JobSupersededError
