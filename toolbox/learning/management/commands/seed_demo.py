"""`python manage.py seed_demo [--students N] [--assignments-per-class N]`: the demo school."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from toolbox.accounts.models import School
from toolbox.classroom.models import Classroom
from toolbox.freshness import everyone_changed
from toolbox.learning.demo.people import DEMO_LOGINS, DEMO_SCHOOL_SLUG, LECTURE_CLASS_NAME
from toolbox.learning.demo.seed import DEFAULT_ASSIGNMENTS_PER_CLASS, seed_demo_school
from toolbox.learning.levels import level_for_xp
from toolbox.learning.models import Assignment, StudentStats

COUNTED_APPS = ("accounts", "classroom", "content", "learning", "ai")


class Command(BaseCommand):
    help = (
        "Create the demo school: logins for every role, classes of 25 students, Science 7, Mathematics 7 "
        "and History 8 lessons and quizzes (every question kind), a review queue, and about eight weeks "
        "of history: assignments due in the past and future, graded attempts with every answer, late "
        "penalties, missing work, quizzes in progress, lesson progress, practice sets, mastery, XP, "
        "streaks, badges and notifications. Every grade, penalty, score, XP award, streak, mastery score "
        "and badge comes from the learning domain's own rules (grading, attempts, progress, gamification), "
        "applied in memory and written with bulk inserts instead of one service call per row, so --students 10000 "
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
        parser.add_argument(
            "--large-class-size",
            type=int,
            default=0,
            help=f"Also make “{LECTURE_CLASS_NAME}”, a class of this many of the generated students with the "
            "same assignments and history (default 0: none; the benchmark's gradebook of 200 uses 200). Give it "
            "on the first run: its work counts in its students' XP, streaks and mastery.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        students: int = options["students"]
        per_class: int = options["assignments_per_class"]
        if students < 0:
            raise CommandError("--students must be zero or more.")
        if not 1 <= per_class <= 500:
            raise CommandError("--assignments-per-class must be between 1 and 500.")
        large: int = options["large_class_size"]
        if not 0 <= large <= students:
            raise CommandError(f"--large-class-size must be between 0 and --students ({students}).")
        school = School.objects.filter(slug=DEMO_SCHOOL_SLUG).first()
        if (
            large
            and school is not None
            and not Classroom.objects.filter(school=school, name=LECTURE_CLASS_NAME).exists()
            and Assignment.objects.filter(classroom__school=school).exists()
        ):
            raise CommandError(
                "--large-class-size must be given on the first run, when the school has no history yet: its "
                "students' XP, streaks and mastery are computed with the rest of their work. Drop the database "
                "and seed again."
            )
        started = time.monotonic()
        with transaction.atomic():
            summary = seed_demo_school(students=students, assignments_per_class=per_class, large_class_size=large)
            # The seed writes in bulk, which sends no signals: no page data cached before it stays.
            everyone_changed()
        if summary.attempts and connection.vendor == "postgresql":
            # A bulk load leaves PostgreSQL's planner without statistics until autovacuum gets to
            # the tables (never, where it is off): it then plans joins over millions of rows as if
            # the tables were empty. Gathering them takes seconds even for 10,000 students.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
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
        xp = dict(
            StudentStats.objects.filter(student__username__in=[login.username for login in DEMO_LOGINS]).values_list(
                "student__username", "total_xp"
            )
        )
        for login in DEMO_LOGINS:
            standing = (
                f"  ({xp[login.username]} XP, level {level_for_xp(xp[login.username])})" if login.username in xp else ""
            )
            self.stdout.write(f"  {login.role:<9} {login.username:<10} {login.password}{standing}")
