from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from bench import report


@pytest.mark.django_db
def test_ping_answers_text_without_touching_the_database(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.get("/ping")
    assert response.status_code == 200
    assert response.content == b"pong"


def _figures(requests: int, p95_ms: float, rps: float) -> dict[str, Any]:
    return {
        "requests": requests,
        "rps": rps,
        "p50_us": p95_ms * 500,
        "p95_us": p95_ms * 1000,
        "p99_us": p95_ms * 1000,
        "errors": 0,
        "flows_per_s": 0.0,
        "first_unexpected": "",
    }


def _results(home: dict[str, Any], gradebook: dict[str, Any]) -> dict[str, Any]:
    return {
        "args": {"concurrency": "10,50"},
        "load": {
            "ping": {"title": "Bare", "kind": "requests", "by_c": {"50": _figures(5000, 20, 500.0)}},
            "student_home": {"title": "Student home", "kind": "requests", "by_c": {"50": home}},
            "gradebook_200": {"title": "Gradebook 200", "kind": "requests", "by_c": {"10": gradebook}},
            "parent_overview": {"title": "Parent overview", "missing": "page missing"},
        },
    }


def test_a_fast_page_meets_its_targets_and_a_missing_page_is_named() -> None:
    results = _results(_figures(2000, 150, 200.0), _figures(50, 400, 5.0))
    targets = "\n".join(report.target_lines(results))
    assert (
        "Student home: p95 < 200 ms at 50, 0 errors, ≥ 25% of bare | p95 150.0 ms, 0 errors, 40% of bare | yes"
        in targets
    )
    assert "p95 400.0 ms | yes" in targets
    assert "| Parent overview | | not measured: page missing |" in "\n".join(report.load_table(results))


def test_a_run_in_which_no_request_finished_is_a_miss_not_zero_milliseconds() -> None:
    results = _results(_figures(0, 0, 0.0), _figures(0, 0, 0.0))
    targets = report.target_lines(results)
    assert any("no request finished in the run | **no**" in line for line in targets)
    assert any(line.startswith("| Student home:") and line.endswith("| **no** |") for line in targets)
    assert any("0: no request finished within the run" in line for line in report.load_table(results))


WORKER = 'process 10:"gunicorn";process 11:"gunicorn";Middleware.__call__ (toolbox/middleware.py:9)'
VIEW = "get_response (django/core/handlers/base.py:140);home (toolbox/students/views.py:40)"
RAW_PROFILE = "\n".join(
    [
        f"{WORKER};{VIEW};student_home (toolbox/learning/selectors/progress.py:88);execute (psycopg/cursor.py:723);"
        "sub (re/__init__.py:185) 30",
        f"{WORKER};{VIEW};render (django/template/base.py:170);escape (html/__init__.py:19) 50",
        f"{WORKER};process_request (django/contrib/sessions/middleware.py:20) 20",
    ]
)


def test_a_profile_is_charged_to_the_innermost_library_and_names_our_heaviest_functions(tmp_path: Any) -> None:
    from bench.profile import summarize_profile

    raw = tmp_path / "profile.txt"
    raw.write_text(RAW_PROFILE)
    summary = summarize_profile(raw)
    assert summary["samples"] == 100
    # The stdlib frames (re, html) go to the library that called them; middleware that wraps
    # every request is not named among our functions.
    assert summary["categories"] == {
        "templates": 0.5,
        "database driver (psycopg)": 0.3,
        "sessions and auth": 0.2,
    }
    assert summary["functions"][0] == ("home (toolbox/students/views.py)", 0.8)
    assert ("student_home (toolbox/learning/selectors/progress.py)", 0.3) in summary["functions"]
    assert not any("__call__" in name for name, _share in summary["functions"])


def test_cpu_per_request_divides_each_kind_of_process_by_the_requests_answered() -> None:
    from collections import Counter

    from bench.profile import TICKS_PER_SECOND, cpu_per_request

    before = Counter({"web": 0, "postgresql": 100})
    after = Counter({"web": TICKS_PER_SECOND * 2, "postgresql": 100 + TICKS_PER_SECOND // 2, "wrk": 0})
    assert cpu_per_request(before, after, requests=500) == {"web": 4.0, "postgresql": 1.0}
    assert cpu_per_request(before, after, requests=0) == {}


def test_the_report_turns_cpu_per_request_into_the_ceiling_it_sets() -> None:
    results = {
        "profiles": {
            "student_home": {
                "title": "Student home",
                "concurrency": 50,
                "rps": 70.0,
                "requests": 700,
                "cpu_ms": {"web": 20.0, "postgresql": 4.0, "redis": 0.5, "wrk": 0.5, "profiler": 3.0},
                "profile": {"samples": 10, "categories": {"templates": 0.6, "other": 0.004}, "functions": []},
            }
        }
    }
    text = "\n".join(report.profile_lines(results))
    # 25 ms of CPU per request (the profiler's own CPU left out) caps two cores at 80 requests/s.
    assert "| Student home (c = 50) | 70 | 20.0 | 4.0 | 0.50 | 0.50 | 25.0 | 80 |" in text
    assert "templates 60%" in text
    assert "other 0%" not in text


def test_gunicorn_runs_what_the_benchmark_measured_and_web_concurrency_overrides_the_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Procfile's gunicorn and bench/run both read gunicorn.conf.py (see its docstring)."""
    conf = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 2)

    default = runpy.run_path(str(conf))
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    overridden = runpy.run_path(str(conf))

    assert (default["worker_class"], default["workers"], default["accesslog"]) == ("sync", 4, "-")
    assert overridden["workers"] == 7
    assert "--workers" not in (conf.parent / "Procfile").read_text()
