"""Every periodic task ToolBox runs, declared once. `manage.py register_schedules` writes
them into django-celery-beat's tables (idempotently), where admins can change them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CrontabSpec:
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    task: str
    crontab: CrontabSpec
    description: str
    kwargs: dict[str, object] = field(default_factory=dict)


SCHEDULES: tuple[ScheduleSpec, ...] = (
    ScheduleSpec(
        name="AI: sweep lost and stuck generation jobs",
        task="ai.sweep_generation_jobs",
        crontab=CrontabSpec(minute="*"),
        description=(
            "Every minute: sends again the generation jobs left queued (the broker was down, or a message "
            "was lost) and queues again the jobs whose worker stopped, so that no request is lost."
        ),
    ),
    ScheduleSpec(
        name="Housekeeping: clear expired sessions",
        task="accounts.clear_expired_sessions",
        crontab=CrontabSpec(minute="15", hour="3"),
        description="Deletes sign-in sessions that have expired.",
    ),
)
