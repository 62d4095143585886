from __future__ import annotations

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
