"""Write the periodic tasks of `toolbox.ai.schedules` into django-celery-beat, idempotently.

A schedule that already exists keeps any change an admin made to its timing in the Django
admin; only new schedules are created, and the task name and arguments are kept current.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from toolbox.ai.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Register ToolBox's periodic tasks with Celery beat (safe to run on every release)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = 0
        with transaction.atomic():
            for spec in SCHEDULES:
                task = PeriodicTask.objects.filter(name=spec.name).first()
                if task is None:
                    crontab, _ = CrontabSchedule.objects.get_or_create(
                        minute=spec.crontab.minute,
                        hour=spec.crontab.hour,
                        day_of_week=spec.crontab.day_of_week,
                        day_of_month=spec.crontab.day_of_month,
                        month_of_year=spec.crontab.month_of_year,
                        timezone="UTC",
                    )
                    PeriodicTask.objects.create(
                        name=spec.name,
                        task=spec.task,
                        crontab=crontab,
                        kwargs=json.dumps(spec.kwargs),
                        description=spec.description,
                    )
                    created += 1
                else:
                    task.task = spec.task
                    task.kwargs = json.dumps(spec.kwargs)
                    task.description = spec.description
                    task.save(update_fields=["task", "kwargs", "description"])
        self.stdout.write(f"Schedules: {created} created, {len(SCHEDULES) - created} already registered.")
