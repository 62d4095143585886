"""Running ToolBox in a child process with an environment built from scratch, so that a test
sees exactly what a fresh start with those variables would do."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def clean_env(variables: Mapping[str, str] | None = None) -> dict[str, str]:
    """Only what a process needs to run, plus `variables`: none of ToolBox's settings leak in."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "toolbox.settings"
    env.update(variables or {})
    return env


def run_python(
    args: list[str], variables: Mapping[str, str] | None = None, *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *args],
        cwd=REPO,
        env=clean_env(variables),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
