"""The Celery app's configuration, and a real worker on the filesystem broker (no Redis)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.subprocesses import PYTHON, REPO, clean_env, run_python
from toolbox.celery import app


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_tasks_and_results_travel_as_json_only() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert list(app.conf.accept_content) == ["json"]


def test_beat_reads_its_schedule_from_the_database() -> None:
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_tasks_of_every_app_are_discovered() -> None:
    app.loader.import_default_modules()

    assert "accounts.clear_expired_sessions" in app.tasks


WORKER_OPTIONS = ["--pool", "solo", "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel", "INFO"]


@pytest.fixture
def local_state(tmp_path: Path) -> dict[str, str]:
    """A fresh var/ with nothing configured: SQLite and the filesystem broker."""
    return {"DEBUG": "1", "VAR_DIR": str(tmp_path)}


@pytest.fixture
def worker(local_state: dict[str, str], tmp_path: Path) -> Iterator[Path]:
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "toolbox", "worker", *WORKER_OPTIONS],
            cwd=REPO,
            env=clean_env(local_state),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.slow
def test_a_real_worker_runs_a_task_on_the_filesystem_broker(
    local_state: dict[str, str], tmp_path: Path, worker: Path
) -> None:
    migrated = run_python(["manage.py", "migrate", "sessions", "--noinput"], local_state)
    assert migrated.returncode == 0, migrated.stderr
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)",
            ("expired-session-key", "e30=", "2000-01-01 00:00:00"),
        )

    send_task = (
        "import django; django.setup(); from toolbox.accounts.tasks import clear_expired_sessions as task; "
        "print(task.delay().id)"
    )
    sent = run_python(["-c", send_task], local_state)
    assert sent.returncode == 0, sent.stderr
    task_id = sent.stdout.strip().splitlines()[-1]

    deadline = time.monotonic() + 90
    remaining = 1
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            remaining = connection.execute("SELECT COUNT(*) FROM django_session").fetchone()[0]
        if remaining == 0 and f"{task_id}] succeeded" in worker.read_text():
            break
        time.sleep(0.5)

    assert remaining == 0, worker.read_text()
    assert f"{task_id}] succeeded" in worker.read_text()
    assert list((tmp_path / "celery" / "in").iterdir()) == []
    assert (tmp_path / "celery" / "control" / "celery.exchange").exists()
    assert not (REPO / "control").exists(), "the broker must keep its state under VAR_DIR"
