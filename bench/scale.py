"""Scale measurements run in-process: `python -m bench.scale csv|practice OUT_DIR`.

csv: the whole school's gradebook export (every student, every assignment of their class),
consumed piece by piece as a StreamingHttpResponse would send it, twice. The first pass is
timed (wall and CPU time, first piece, bytes, rows) with resident memory sampled at 10%, 50%
and 100% of the stream; the second traces Python memory (tracemalloc) at the same points,
so that "flat" is visible. They are separate because tracing every allocation made the
export five to seven times slower than it is for a user.

practice: the nightly practice-set run for every student, dispatched to a running Celery
worker (the harness starts one with concurrency 2) exactly as the schedule does, timed from
dispatch until the worker has finished every chunk.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

django.setup()

from django.utils import timezone  # noqa: E402

from toolbox.accounts.models import School  # noqa: E402
from toolbox.classroom.models import Enrollment, EnrollmentStatus  # noqa: E402
from toolbox.learning.models import Assignment  # noqa: E402


def measure_csv(out: Path) -> None:
    school = School.objects.order_by("id").first()
    assert school is not None
    students = Enrollment.objects.filter(classroom__school=school, status=EnrollmentStatus.ACTIVE).count()
    assignments = Assignment.objects.filter(classroom__school=school).count()
    expected_rows = sum(
        Assignment.objects.filter(classroom_id=classroom_id).count() * count
        for classroom_id, count in _class_sizes(school)
    )
    timed = _stream_csv(school, expected_rows, sample=_rss_sample)
    tracemalloc.start()
    traced = _stream_csv(school, expected_rows, sample=_memory_sample)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result: dict[str, Any] = {
        "format": "long (one row per student, class and assignment)",
        "enrolments": students,
        "assignments": assignments,
        "rows": timed["lines"] - 1,
        "expected_rows": expected_rows,
        "megabytes": timed["size"] / 2**20,
        "pieces": timed["pieces"],
        "seconds": timed["seconds"],
        "cpu_seconds": timed["cpu_seconds"],
        "first_piece_seconds": timed["first_piece_seconds"],
        "rss_samples": timed["samples"],
        "traced_seconds": traced["seconds"],
        "tracemalloc_peak_mib": peak / 2**20,
        "samples": traced["samples"],
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_average": list(os.getloadavg()),
    }
    (out / "scale-csv.json").write_text(json.dumps(result, indent=2))


def _stream_csv(school: School, expected_rows: int, *, sample: Callable[[int], dict[str, float]]) -> dict[str, Any]:
    from toolbox.learning.selectors.gradebook_csv import school_gradebook_csv_stream

    started = time.monotonic()
    cpu_started = time.process_time()
    pieces = 0
    size = 0
    lines = 0
    samples: list[dict[str, float]] = []
    first_piece_seconds = None
    thresholds = [0.1, 0.5]
    for piece in school_gradebook_csv_stream(school=school):
        if first_piece_seconds is None:
            first_piece_seconds = time.monotonic() - started
        pieces += 1
        size += len(piece)
        lines += piece.count("\n")
        if thresholds and lines >= thresholds[0] * expected_rows:
            thresholds.pop(0)
            samples.append(sample(lines))
    elapsed = time.monotonic() - started
    cpu_elapsed = time.process_time() - cpu_started
    samples.append(sample(lines))
    return {
        "pieces": pieces,
        "size": size,
        "lines": lines,
        "seconds": elapsed,
        "cpu_seconds": cpu_elapsed,
        "first_piece_seconds": first_piece_seconds,
        "samples": samples,
    }


def _memory_sample(rows: int) -> dict[str, float]:
    current, peak = tracemalloc.get_traced_memory()
    return {"at_rows": rows, "current_mib": current / 2**20, "peak_mib": peak / 2**20}


def _rss_sample(rows: int) -> dict[str, float]:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return {"at_rows": rows, "rss_mib": resident_pages * resource.getpagesize() / 2**20}


def _class_sizes(school: School) -> list[tuple[int, int]]:
    from django.db.models import Count

    return list(
        Enrollment.objects.filter(
            classroom__school=school, status=EnrollmentStatus.ACTIVE, classroom__is_archived=False
        )
        .values("classroom_id")
        .annotate(students=Count("id"))
        .values_list("classroom_id", "students")
    )


def measure_practice(out: Path) -> None:
    # Imported by name: the schedule may not be on every branch the harness runs on.
    schedule_tasks = importlib.import_module("toolbox.learning.schedule_tasks")
    from toolbox.learning.models import PracticeSet

    day = timezone.localdate()
    schools = list(School.objects.order_by("id"))
    summary, chunks = schedule_tasks.practice_nightly_prepare(school_dates=[(school, day) for school in schools])
    students = sum(len(chunk.student_ids) for chunk in chunks)
    before = PracticeSet.objects.count()
    started = time.monotonic()
    for chunk in chunks:
        schedule_tasks.practice_sets_chunk.delay(chunk.student_ids, chunk.for_date.isoformat())
    log = out / "celery-worker.log"
    deadline = started + 1500
    finished = 0
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        finished = len(_finished_chunks(text))
        if finished >= len(chunks):
            break
        time.sleep(1)
    elapsed = time.monotonic() - started
    result = {
        "students": students,
        "chunks": len(chunks),
        "chunks_finished": finished,
        "practice_sets_created": PracticeSet.objects.count() - before,
        "seconds": elapsed,
        "date": day.isoformat(),
        "prepare_summary": summary.as_dict(),
    }
    (out / "scale-practice.json").write_text(json.dumps(result, indent=2))


def _finished_chunks(log_text: str) -> list[str]:
    return [
        line
        for line in log_text.splitlines()
        if "learning.practice_sets_chunk" in line and ("succeeded" in line or "raised" in line)
    ]


def main() -> None:
    command, out = sys.argv[1], Path(sys.argv[2])
    if command == "csv":
        measure_csv(out)
    elif command == "practice":
        measure_practice(out)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
