"""`celery beat` with the DatabaseScheduler reads the periodic tasks from the database and
sends them when due: a real beat process, against the test database, for a few seconds."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.subprocesses import REPO, clean_env

BEAT_SECONDS = 30


def _sent_messages(folder: Path) -> str:
    return "".join(path.read_text(errors="replace") for path in folder.glob("*") if path.is_file())


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_beat_with_the_database_scheduler_sends_a_due_task(tmp_path: Path) -> None:
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="Beat test", task="learning.housekeeping_daily", interval=every_second)
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    url = f"postgres://{credentials}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    # No REDIS_URL: the filesystem broker under VAR_DIR receives what beat sends.
    env = clean_env({"DATABASE_URL": url, "VAR_DIR": str(tmp_path), "TOOLBOX_TESTING": "1", "LOG_JSON": "0"})
    inbox = tmp_path / "celery" / "in"
    beat = subprocess.Popen(
        [
            str(REPO / "venv/bin/celery"),
            "-A",
            "toolbox",
            "beat",
            "--loglevel",
            "INFO",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--pidfile=",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + BEAT_SECONDS
        while time.monotonic() < deadline and "learning.housekeeping_daily" not in _sent_messages(inbox):
            if beat.poll() is not None:
                break
            time.sleep(0.5)
        sent = _sent_messages(inbox)
    finally:
        beat.terminate()
        try:
            output, _ = beat.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            beat.kill()
            output, _ = beat.communicate()
    assert "learning.housekeeping_daily" in sent, output
