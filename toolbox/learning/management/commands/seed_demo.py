"""`python manage.py seed_demo [--students N] [--assignments-per-class N]`: the demo school."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from toolbox.learning.demo.people import DEMO_LOGINS
from toolbox.learning.demo.seed import DEFAULT_ASSIGNMENTS_PER_CLASS, seed_demo_school

COUNTED_APPS = ("accounts", "classroom", "content", "learning", "ai")


class Command(BaseCommand):
    help = (
        "Create the demo school: logins for every role, classes of 25 students, Science 7, Mathematics 7 "
        "and History 8 lessons and quizzes (every question kind), a review queue, and about eight weeks "
        "of history: assignments due in the past and future, graded attempts with every answer, late "
        "penalties, missing work, quizzes in progress, lesson progress, practice sets, mastery, XP, "
        "streaks, badges and notifications. Scores are computed from each quiz's snapshot and the "
        "generated responses with bulk inserts (no per-row services), so --students 10000 "
        "--assignments-per-class 60 seeds in a few minutes on PostgreSQL. Running it again changes "
        "nothing: a class that already has assignments keeps its history, so raising "
        "--assignments-per-class later only affects new classes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--students", type=int, default=48, help="Generated students besides the demo logins (default 48)."
        )
        parser.add_argument(
            "--assignments-per-class",
            type=int,
            default=DEFAULT_ASSIGNMENTS_PER_CLASS,
            help=f"Assignments in each new class, due from eight weeks ago to two weeks ahead "
            f"(default {DEFAULT_ASSIGNMENTS_PER_CLASS}; the benchmark uses 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        students: int = options["students"]
        per_class: int = options["assignments_per_class"]
        if students < 0:
            raise CommandError("--students must be zero or more.")
        if not 1 <= per_class <= 500:
            raise CommandError("--assignments-per-class must be between 1 and 500.")
        started = time.monotonic()
        with transaction.atomic():
            summary = seed_demo_school(students=students, assignments_per_class=per_class)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"New history for {summary.classrooms_with_new_history} classes: {summary.assignments} assignments, "
            f"{summary.attempts} attempts, {summary.answers} answers, {summary.lesson_progress} lesson progress "
            f"rows, {summary.practice_sets} practice sets."
        )
        self.stdout.write("Rows in the database:")
        for config in (apps.get_app_config(label) for label in COUNTED_APPS):
            for model in config.get_models():
                self.stdout.write(f"  {model._meta.label:<28} {model._default_manager.count():>10}")
        self.stdout.write(self.style.SUCCESS(f"Demo school ready in {elapsed:.1f}s. Demo logins:"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<9} {login.username:<10} {login.password}")
