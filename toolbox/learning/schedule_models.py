"""Records that make the scheduled jobs idempotent for their period: a parent's weekly
digest is sent once per week, and a thin practice bank asks for new items once per night."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DigestLog(models.Model):
    """One weekly digest sent to one parent; the unique key stops a second send that week."""

    parent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_logs")
    parent_id: int
    week_starting = models.DateField(help_text="The Monday that starts the week the digest covers.")
    children_count = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "learning"
        constraints = [models.UniqueConstraint(fields=["parent", "week_starting"], name="unique_digest_per_week")]
        ordering = ["-week_starting"]

    def __str__(self) -> str:
        return f"Digest for {self.parent} for the week of {self.week_starting}"


class PracticeBankRequest(models.Model):
    """The nightly request for new practice items on one objective of one school, made when
    its reviewed bank was too thin; the unique key keeps it to one generation job a night."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    school_id: int
    objective = models.ForeignKey("content.LearningObjective", on_delete=models.CASCADE, related_name="+")
    objective_id: int
    for_date = models.DateField()
    generation_job = models.ForeignKey("ai.GenerationJob", on_delete=models.SET_NULL, null=True, related_name="+")
    generation_job_id: int | None
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "learning"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "objective", "for_date"], name="unique_practice_bank_request_per_night"
            )
        ]
        ordering = ["-for_date"]

    def __str__(self) -> str:
        return f"Practice items for objective {self.objective_id} on {self.for_date}"
