"""What every scheduled job shares: the count it logs, and which schools have reached a
given local hour (beat runs the school-time schedules hourly in UTC; each run picks the
schools whose own clock shows the hour)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

import structlog

from toolbox.accounts.models import School

logger = structlog.get_logger(__name__)


@dataclass
class RunSummary:
    """How many rows a run handled, skipped (already done, or nothing to do) and failed."""

    schedule: str
    handled: int = 0
    skipped: int = 0
    failed: int = 0
    details: dict[str, int] = field(default_factory=dict)

    def add(self, other: RunSummary) -> None:
        self.handled += other.handled
        self.skipped += other.skipped
        self.failed += other.failed
        for key, value in other.details.items():
            self.details[key] = self.details.get(key, 0) + value

    def count(self, key: str, amount: int = 1) -> None:
        self.details[key] = self.details.get(key, 0) + amount

    def log(self, **context: object) -> RunSummary:
        fields = {**self.details, **context}
        logger.info(
            "schedule_run_finished",
            schedule=self.schedule,
            handled=self.handled,
            skipped=self.skipped,
            failed=self.failed,
            **fields,
        )
        return self

    def as_dict(self) -> dict[str, int]:
        return {"handled": self.handled, "skipped": self.skipped, "failed": self.failed, **self.details}


def zone_of(school: School | None) -> zoneinfo.ZoneInfo:
    return school.tzinfo if school is not None else zoneinfo.ZoneInfo("UTC")


def schools_at_local_hour(*, now: dt.datetime, hour: int, weekday: int | None = None) -> list[tuple[School, dt.date]]:
    """The schools whose local time is `hour`:xx now (and, if given, whose local weekday is
    `weekday`, Monday = 0), each with its local date."""
    chosen = []
    for school in School.objects.order_by("id"):
        local = now.astimezone(school.tzinfo)
        if local.hour == hour and (weekday is None or local.weekday() == weekday):
            chosen.append((school, local.date()))
    return chosen


def local_moment(school: School | None, day: dt.date, hour: int) -> dt.datetime:
    """`hour`:00 on `day` in the school's time zone, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone_of(school))
