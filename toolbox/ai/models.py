"""Generation jobs: one educator's request for AI-drafted content, and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from toolbox.accounts.models import School


class JobKind(models.TextChoices):
    LESSON = "lesson", "Lesson"
    QUIZ = "quiz", "Quiz"
    LESSON_AND_QUIZ = "lesson_quiz", "Lesson and quiz"
    PRACTICE_ITEMS = "practice_items", "Practice items"
    ANSWER_FEEDBACK = "answer_feedback", "Answer feedback"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


class GenerationJob(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="generation_jobs")
    school_id: int
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="generation_jobs"
    )
    created_by_id: int | None
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    parameters = models.JSONField(default=dict)
    # A hash of the normalised inputs, model and prompt version: an identical request
    # reuses the earlier output instead of calling the provider again.
    request_fingerprint = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    stage_message = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_message = models.TextField(blank=True)
    provider = models.CharField(max_length=40)
    model_name = models.CharField(max_length=120, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    estimated_cost_usd = models.DecimalField(max_digits=10, decimal_places=6, default=0)
    output = models.JSONField(null=True, blank=True, help_text="The validated generator output.")
    warnings = models.JSONField(default=list, blank=True)
    lesson = models.ForeignKey("content.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lesson_id: int | None
    quiz = models.ForeignKey("content.Quiz", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    quiz_id: int | None
    answer = models.ForeignKey("learning.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answer_id: int | None
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "created_at"]), models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{JobKind(self.kind).label} job #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES
