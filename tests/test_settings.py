"""Settings come from the environment only; each is checked in a fresh process."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tests.subprocesses import REPO, run_python

pytestmark = pytest.mark.slow

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DEBUG": "0",
    "ALLOWED_HOSTS": "toolbox.example.org",
    "DATABASE_URL": "postgres://toolbox:secret@127.0.0.1:5432/toolbox",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}

PRINT_SETTINGS = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "engine": database["ENGINE"],
    "name": str(database["NAME"]),
    "pool": database.get("OPTIONS", {}).get("pool"),
    "conn_max_age": database.get("CONN_MAX_AGE"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
}))
"""


def _settings_with(**variables: str) -> dict[str, object]:
    result = run_python(["-c", PRINT_SETTINGS], variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_secret_key_and_debug_off_start_up_stops_with_one_sentence() -> None:
    result = run_python(["manage.py", "check"])

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "ToolBox cannot start: SECRET_KEY is not set; set it to 50 or more random characters "
        "(or set DEBUG=1 for local development)."
    ]


def test_check_deploy_with_production_variables_is_clean() -> None:
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_database_url_turns_on_postgresql_with_the_psycopg_pool() -> None:
    chosen = _settings_with(**PRODUCTION)

    assert chosen["engine"] == "django.db.backends.postgresql"
    assert chosen["name"] == "toolbox"
    assert isinstance(chosen["pool"], dict)
    assert chosen["pool"]["max_size"] >= 1
    assert chosen["conn_max_age"] == 0


def test_redis_url_turns_on_the_redis_cache_and_broker() -> None:
    chosen = _settings_with(**PRODUCTION)

    assert chosen["cache"] == "toolbox.cache.FallbackRedisCache"
    assert chosen["broker"] == PRODUCTION["REDIS_URL"]


def test_with_nothing_set_sqlite_and_the_filesystem_broker_live_under_var() -> None:
    chosen = _settings_with(DEBUG="1")

    assert chosen["engine"] == "django.db.backends.sqlite3"
    assert chosen["name"] == str(REPO / "var" / "db.sqlite3")
    assert chosen["pool"] is None
    assert chosen["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert chosen["broker"] == "filesystem://"
    options = chosen["broker_options"]
    assert isinstance(options, dict)
    assert options["data_folder_in"] == options["data_folder_out"] == str(REPO / "var" / "celery" / "in")


def test_var_dir_moves_local_state(tmp_path: Path) -> None:
    chosen = _settings_with(DEBUG="1", VAR_DIR=str(tmp_path))

    assert chosen["name"] == str(tmp_path / "db.sqlite3")
    assert (tmp_path / "celery" / "in").is_dir()
