"""Run one schedule by hand, for a given date, without a worker or beat:

    manage.py run_schedule practice --date 2026-03-02          # 02:00 that night in every school
    manage.py run_schedule reminders --date 2026-03-02 --school riverside
    manage.py run_schedule digest --date 2026-03-01            # the week ending that Sunday, 18:00
    manage.py run_schedule digest --preview [--parent USERNAME] # print a digest, send nothing
    manage.py run_schedule housekeeping --date 2026-03-02

Reruns are safe: every schedule is idempotent for its period."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from toolbox.accounts.models import Role, School, User
from toolbox.learning.demo.people import DEMO_SCHOOL_SLUG
from toolbox.learning.digests import (
    DIGEST_HOUR,
    digest_message,
    parent_digest_preview,
    parent_digests_send,
)
from toolbox.learning.housekeeping import housekeeping_run
from toolbox.learning.reminders import REMINDER_HOUR, due_reminders_send
from toolbox.learning.schedule_tasks import practice_nightly_prepare
from toolbox.learning.scheduling import RunSummary, local_moment
from toolbox.learning.services.practice import practice_sets_create

HOUSEKEEPING_TIME = dt.time(3, 30)
SCHEDULES = ("practice", "reminders", "digest", "housekeeping")


class Command(BaseCommand):
    help = "Run a scheduled job by hand for a date (practice, reminders, digest, housekeeping)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("schedule", choices=SCHEDULES)
        parser.add_argument("--date", help="YYYY-MM-DD: the night, day or week to run for (default: today).")
        parser.add_argument("--school", help="Only this school (its slug); default: every school.")
        parser.add_argument("--preview", action="store_true", help="digest only: print a digest, send nothing.")
        parser.add_argument("--parent", help="digest --preview: the parent's username (default: the demo school's).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = self._date(options["date"])
        schools = self._schools(options["school"])
        schedule = options["schedule"]
        if schedule == "digest" and options["preview"]:
            self._preview(options["parent"], schools, day if options["date"] else None)
            return
        if schedule == "practice":
            summary = self._practice(schools, day)
        elif schedule == "reminders":
            summary = RunSummary(schedule="due_reminders")
            for school in schools:
                summary.add(due_reminders_send(school=school, now=local_moment(school, day, REMINDER_HOUR)))
        elif schedule == "digest":
            summary = RunSummary(schedule="parent_digests")
            targets: list[School | None] = [*schools, None] if not options["school"] else list(schools)
            for school in targets:
                summary.add(parent_digests_send(school=school, now=local_moment(school, day, DIGEST_HOUR)))
        else:
            summary = housekeeping_run(now=dt.datetime.combine(day, HOUSEKEEPING_TIME, tzinfo=dt.UTC))
        summary.log(date=day.isoformat(), by_hand=True)
        self.stdout.write(f"{schedule} for {day.isoformat()}: {json.dumps(summary.as_dict(), sort_keys=True)}")

    def _date(self, value: str | None) -> dt.date:
        if not value:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"“{value}” is not a date; give it as YYYY-MM-DD, e.g. 2026-03-02.") from None

    def _schools(self, slug: str | None) -> list[School]:
        if slug is None:
            return list(School.objects.order_by("id"))
        school = School.objects.filter(slug=slug).first()
        if school is None:
            raise CommandError(f"There is no school with the slug “{slug}”.")
        return [school]

    def _practice(self, schools: list[School], day: dt.date) -> RunSummary:
        requests, chunks = practice_nightly_prepare(school_dates=[(school, day) for school in schools])
        summary = RunSummary(schedule="practice_sets")
        for chunk in chunks:
            summary.add(practice_sets_create(student_ids=chunk.student_ids, for_date=chunk.for_date))
        summary.count("chunks", len(chunks))
        summary.count("bank_jobs_requested", requests.handled)
        summary.count("bank_requests_failed", requests.failed)
        return summary

    def _preview(self, username: str | None, schools: list[School], day: dt.date | None) -> None:
        parents = User.objects.filter(role=Role.PARENT)
        if username:
            parent = parents.filter(username=username).first()
        else:
            slug = schools[0].slug if len(schools) == 1 else DEMO_SCHOOL_SLUG
            parent = (
                parents.filter(school__slug=slug, digest_opt_in=True, child_links__isnull=False).order_by("id").first()
            )
        if parent is None:
            raise CommandError("No parent to preview: name one with --parent, or seed the demo school first.")
        school = School.objects.filter(pk=parent.school_id).first()
        # A given date previews that week as sent on its Sunday evening; otherwise the week so far.
        now = local_moment(school, day, DIGEST_HOUR) if day else timezone.now()
        digest = parent_digest_preview(parent=parent, now=now)
        message = digest_message(digest)
        self.stdout.write(f"To: {parent.email or parent.username}\nSubject: {message.subject}\n")
        self.stdout.write(str(message.body))
