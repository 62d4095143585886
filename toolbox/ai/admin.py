"""Generation jobs in the Django admin: read-only records, with cancel and re-dispatch; the
schedules that run the AI and learning jobs, which every school shares."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from toolbox.accounts.admin_scoping import SchoolScopedAdmin, SharedRowsAdmin, rescope
from toolbox.ai.models import GenerationJob, JobStatus
from toolbox.ai.services import generation_job_cancel, generation_job_dispatch
from toolbox.errors import DomainError

for schedule_model in (PeriodicTask, CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule):
    rescope(schedule_model, SharedRowsAdmin)


@admin.register(GenerationJob)
class GenerationJobAdmin(SchoolScopedAdmin):
    school_field = "school"
    list_display = [
        "id",
        "kind",
        "status",
        "progress_percent",
        "school",
        "created_by",
        "provider",
        "model_name",
        "tokens_in",
        "tokens_out",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "kind", "provider", "school"]
    search_fields = ["id", "created_by__username", "created_by__email", "error_message", "request_fingerprint"]
    list_select_related = ["school", "created_by"]
    date_hierarchy = "created_at"
    actions = ["cancel_jobs", "dispatch_queued_jobs"]
    readonly_fields = [field.name for field in GenerationJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        # Viewable, never editable: a job's record is what happened.
        return False

    @admin.action(description="Cancel the selected jobs")
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        cancelled = 0
        for job in queryset.exclude(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED]):
            try:
                generation_job_cancel(actor=request.user, job=job)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"Job {job.pk}: {error.message}", messages.WARNING)
            else:
                cancelled += 1
        self.message_user(request, f"{cancelled} job(s) cancelled or asked to stop.")

    @admin.action(description="Send the selected queued jobs to a worker again")
    def dispatch_queued_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        ids = list(queryset.filter(status=JobStatus.QUEUED).values_list("pk", flat=True))
        sent = sum(generation_job_dispatch(job_id=job_id) for job_id in ids)
        self.message_user(request, f"{sent} of {len(ids)} queued job(s) sent to a worker.")
