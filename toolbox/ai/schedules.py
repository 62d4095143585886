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
    ScheduleSpec(
        name="Learning: submit attempts whose time ran out",
        task="learning.submit_expired_attempts",
        crontab=CrontabSpec(minute="*"),
        description="Every minute: submits what was saved on timed attempts whose time limit has passed.",
    ),
    ScheduleSpec(
        name="Practice: nightly practice sets (02:00 school time)",
        task="learning.practice_sets_nightly",
        crontab=CrontabSpec(minute="5"),
        description=(
            "Hourly; each run serves the schools where it is 02:xx: a practice set per student from published "
            "questions on objectives not yet mastered, and AI drafts for review where a bank is thin."
        ),
    ),
    ScheduleSpec(
        name="Reminders: work due in the next 24 hours (07:00 school time)",
        task="learning.due_reminders_daily",
        crontab=CrontabSpec(minute="10"),
        description="Hourly; each run serves the schools where it is 07:xx: a notification and an e-mail per student.",
    ),
    ScheduleSpec(
        name="Digest: weekly parent digest (Sunday 18:00 school time)",
        task="learning.parent_digests_weekly",
        crontab=CrontabSpec(minute="0"),
        description="Hourly; each run serves the schools where it is Sunday 18:xx: one e-mail per opted-in parent.",
    ),
    ScheduleSpec(
        name="Housekeeping: expired invites and links, old job outputs",
        task="learning.housekeeping_daily",
        crontab=CrontabSpec(minute="30", hour="3"),
        description=(
            "Daily: deletes parent invite codes and set-password links that expired unused, clears generation-job "
            "outputs past their retention, and clears expired sessions."
        ),
    ),
)
