"""Where a scenario's time goes under load: CPU per request by process, and what the web workers
spend it on (a py-spy profile of every gunicorn worker, summarised).

The throughput targets are set by CPU on a 2-core machine: at c = 50 a closed loop answers
p95 < 200 ms only if it serves about 250 requests/s, i.e. the web worker, PostgreSQL, Redis and
the load tool together spend under ~8 ms of CPU per request. These figures say where a page
stands against that and which code its share goes to.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")

# The process kinds of a benchmark run, by the command name the kernel keeps for each.
PROCESS_KINDS = {
    "gunicorn": "web",
    "postgres": "postgresql",
    "redis-server": "redis",
    "wrk": "wrk",
    "py-spy": "profiler",
}

# A frame's file decides what a sample's time is spent on: walking from the innermost frame
# out, the first frame that belongs to one of these wins (stdlib frames such as re or json
# are charged to whichever library called them).
FRAME_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("psycopg", "database driver (psycopg)"),
    ("django/db/", "ORM (queries and rows)"),
    ("django/template/", "templates"),
    ("django/templatetags/", "templates"),
    ("django/contrib/sessions/", "sessions and auth"),
    ("django/contrib/auth/", "sessions and auth"),
    ("django/core/cache/", "cache (Redis)"),
    ("redis/", "cache (Redis)"),
    ("ninja/", "API framework (ninja, pydantic)"),
    ("pydantic", "API framework (ninja, pydantic)"),
    ("toolbox/", "ToolBox code"),
    ("structlog/", "logging"),
    ("logging/", "logging"),
    ("django/", "Django request handling and middleware"),
    ("gunicorn/", "gunicorn"),
)
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]+):(?P<line>\d+)\)$")


def cpu_ticks() -> Counter[str]:
    """CPU ticks (user + system) used so far by each kind of process on the machine."""
    ticks: Counter[str] = Counter()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; the fields follow it.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        kind = PROCESS_KINDS.get(name, "other")
        ticks[kind] += int(fields[11]) + int(fields[12])
    return ticks


def cpu_per_request(before: Counter[str], after: Counter[str], *, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request by process kind. Processes that ended in between are not
    counted (the run's own processes live for the whole run)."""
    if not requests:
        return {}
    return {
        kind: (after[kind] - before[kind]) / TICKS_PER_SECOND * 1000 / requests
        for kind in sorted(set(after) | set(before))
        if after[kind] > before[kind]
    }


def _frames(stack: str) -> list[tuple[str, str]]:
    frames = []
    for part in stack.split(";"):
        match = FRAME.match(part)
        if match:
            frames.append((match["function"], match["file"]))
    return frames


def category_of(frames: list[tuple[str, str]]) -> str:
    for _function, file in reversed(frames):
        for marker, category in FRAME_CATEGORIES:
            if marker in file:
                return category
    return "other"


def summarize_profile(raw: Path, *, top: int = 10) -> dict[str, Any]:
    """Shares of the workers' samples by category, and the ToolBox functions with the largest
    inclusive share (time in them and in everything they call)."""
    categories: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = _frames(stack)
        total += count
        categories[category_of(frames)] += count
        # Middleware (`__call__`) and imports (`<module>`) wrap whole requests and say nothing.
        ours = {
            f"{function} ({file})"
            for function, file in frames
            if file.startswith("toolbox/") and not function.endswith("__call__") and function != "<module>"
        }
        for name in ours:
            functions[name] += count
    if not total:
        return {"samples": 0}
    return {
        "samples": total,
        "categories": {name: count / total for name, count in categories.most_common()},
        "functions": [(name, count / total) for name, count in functions.most_common(top)],
    }
