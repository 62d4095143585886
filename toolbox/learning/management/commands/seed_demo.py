"""`python manage.py seed_demo [--students N]`: the demo school, idempotently."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from toolbox.learning.demo.people import DEMO_LOGINS, seed_classes_and_students, seed_logins, seed_school


class Command(BaseCommand):
    help = "Create the demo school with logins for every role. Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--students", type=int, default=48, help="Generated students besides the demo logins (default 48)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        students: int = options["students"]
        if students < 0:
            self.stderr.write("--students must be zero or more.")
            raise SystemExit(2)
        started = time.monotonic()
        with transaction.atomic():
            school = seed_school()
            logins = seed_logins(school=school)
            seed_classes_and_students(school=school, logins=logins, students=students)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo school ready in {elapsed:.1f}s. Demo logins:"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<9} {login.username:<10} {login.password}")
