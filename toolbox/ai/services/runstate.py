"""One run of a job: its claim, its stages, what it has spent, and how it ends.

The run holds the attempt number it claimed the job with. Every write it makes is
conditional on the job still being running under that attempt, so a run that the sweeper
gave up on (and another worker took over) can never write over the newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import F
from django.utils import timezone

from toolbox.ai.models import GenerationJob, JobStatus
from toolbox.ai.providers.base import Generated

DraftT = TypeVar("DraftT")

# US dollars per million tokens (input, output), for the estimate shown on a job. A model
# not listed here (a local one, say) costs nothing we can know, and is estimated at 0.
PRICES_PER_MILLION_TOKENS: dict[str, tuple[Decimal, Decimal]] = {
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    "gpt-4.1": (Decimal("2.00"), Decimal("8.00")),
}


class JobCancelledError(Exception):
    """The educator cancelled the job; it stops at the stage it reached."""


class JobSupersededError(Exception):
    """The job is no longer this run's: the sweeper queued it again and another run took it."""


class RetryableFailureError(Exception):
    """The provider failed in a passing way; the task decides whether to try again."""

    def __init__(self, message: str, *, attempt: int) -> None:
        super().__init__(message)
        self.message = message
        self.attempt = attempt


def estimated_cost(model_name: str, tokens_in: int, tokens_out: int) -> Decimal:
    price_in, price_out = PRICES_PER_MILLION_TOKENS.get(model_name, (Decimal(0), Decimal(0)))
    return ((price_in * tokens_in + price_out * tokens_out) / Decimal(1_000_000)).quantize(Decimal("0.000001"))


def job_claim(*, job_id: int) -> GenerationJob | None:
    """queued → running, in one conditional UPDATE: of two deliveries of the same task,
    exactly one gets the job; the other gets None and does nothing."""
    now = timezone.now()
    claimed = GenerationJob.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        progress_percent=0,
        stage_message="Starting",
        updated_at=now,
    )
    if not claimed:
        return None
    return GenerationJob.objects.select_related("school", "created_by").get(pk=job_id)


@dataclass
class JobRun:
    job: GenerationJob
    tokens_in: int = 0
    tokens_out: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def attempt(self) -> int:
        return self.job.attempts

    def owned(self) -> Any:
        return GenerationJob.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING, attempts=self.attempt)

    def add(self, generated: Generated[DraftT]) -> DraftT:
        self.tokens_in += generated.tokens_in
        self.tokens_out += generated.tokens_out
        self.warnings.extend(w for w in generated.warnings if w not in self.warnings)
        return generated.draft

    def spent(self) -> dict[str, Any]:
        return {
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "estimated_cost_usd": estimated_cost(self.job.model_name, self.tokens_in, self.tokens_out),
        }

    def stage(self, percent: int, message: str) -> None:
        """Between stages: stop if cancelled, then record progress, spend and a heartbeat."""
        state = GenerationJob.objects.filter(pk=self.job.pk).values("status", "attempts", "cancel_requested").first()
        if state is None or state["status"] != JobStatus.RUNNING or state["attempts"] != self.attempt:
            raise JobSupersededError
        if state["cancel_requested"]:
            raise JobCancelledError
        now = timezone.now()
        self.owned().update(
            progress_percent=percent, stage_message=message, heartbeat_at=now, updated_at=now, **self.spent()
        )

    def end(self, status: str, *, stage: str, error: str = "", **fields: Any) -> bool:
        now = timezone.now()
        return bool(
            self.owned().update(
                status=status,
                stage_message=stage,
                error_message=error[:2000],
                finished_at=now,
                heartbeat_at=now,
                updated_at=now,
                warnings=self.warnings,
                **self.spent(),
                **fields,
            )
        )
