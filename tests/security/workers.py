"""Real Celery worker processes pointed at this test run's database and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("worker_launcher.py")


def database_url_of_this_run() -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    port = params.get("PORT") or 5432
    return f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:{port}/{params['NAME']}"


def start_worker(log: Path, extra: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_this_run(),
        "REDIS_URL": settings.REDIS_URL,
        "OPENAI_API_KEY": "",
        "SECRET_KEY": "worker-under-test",
        "TOOLBOX_TESTING": "1",
        "LOG_JSON": "1",
        "PYTHONPATH": str(ROOT),
        **(extra or {}),
    }
    return subprocess.Popen(
        [sys.executable, str(LAUNCHER)], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
