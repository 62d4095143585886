"""Every write of the AI app. Import from here: `from toolbox.ai.services import …`."""

from toolbox.ai.services.feedback import answer_feedback_request
from toolbox.ai.services.jobs import (
    SweepReport,
    generation_job_cancel,
    generation_job_create,
    generation_job_dispatch,
    generation_jobs_sweep,
)
from toolbox.ai.services.runner import generation_job_fail, generation_job_retry_later, generation_job_run
from toolbox.ai.services.runstate import RetryableFailureError

__all__ = [
    "RetryableFailureError",
    "SweepReport",
    "answer_feedback_request",
    "generation_job_cancel",
    "generation_job_create",
    "generation_job_dispatch",
    "generation_job_fail",
    "generation_job_retry_later",
    "generation_job_run",
    "generation_jobs_sweep",
]
