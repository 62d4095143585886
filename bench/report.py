"""BENCHMARKS.md from a run's results.json (`python -m bench.report RESULTS_JSON` rewrites it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TARGET_C = "50"
GRADEBOOK_C = "10"
STUDENT_SCENARIOS = ("student_home", "student_lesson", "quiz_flow")
NOTES_FILE = Path(__file__).resolve().parent / "NOTES.md"


def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def _ping(load: dict[str, Any], concurrency: str) -> dict[str, Any] | None:
    return load.get("ping", {}).get("by_c", {}).get(concurrency)


def load_table(results: dict[str, Any]) -> list[str]:
    load = results.get("load", {})
    concurrencies = [str(c) for c in results["args"]["concurrency"].split(",")]
    lines = [
        "| scenario | c | req/s | × bare view | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in load.values():
        if "missing" in run:
            lines.append(f"| {run['title']} | | not measured: {run['missing']} | | | | | |")
            continue
        for concurrency in concurrencies:
            figures = run["by_c"].get(concurrency)
            if not figures:
                continue
            if "failed" in figures:
                lines.append(f"| {run['title']} | {concurrency} | wrk failed | | | | | |")
                continue
            if not figures["requests"]:
                lines.append(
                    f"| {run['title']} | {concurrency} | 0: no request finished within the run | 0 | | | | "
                    f"{figures['errors']} |"
                )
                continue
            ping = _ping(load, concurrency)
            ratio = f"{figures['rps'] / ping['rps']:.2f}" if ping and ping.get("rps") else ""
            rate = f"{figures['rps']:.0f}"
            if run.get("kind") == "flow":
                rate += f" ({figures['flows_per_s']:.1f} quizzes/s)"
            errors = str(figures["errors"])
            if figures.get("first_unexpected"):
                errors += f" (first: {figures['first_unexpected']})"
            lines.append(
                f"| {run['title']} | {concurrency} | {rate} | {ratio} | {ms(figures['p50_us'])} | "
                f"{ms(figures['p95_us'])} | {ms(figures['p99_us'])} | {errors} |"
            )
    return lines


def query_table(results: dict[str, Any]) -> list[str]:
    queries = results.get("queries")
    if not queries:
        return ["Not measured in this run."]
    small, large = queries["small"], queries["large"]
    lines = ["| scenario | small school | large school | same? |", "|---|---:|---:|---|"]
    for name in large:
        big, little = large[name], small.get(name, {})
        if "missing" in big:
            lines.append(f"| {name} | | not measured: {big['missing']} | |")
            continue
        if "steps" in big:
            for step, (count, status) in big["steps"].items():
                other = little.get("steps", {}).get(step, [None, None])
                lines.append(f"| {name}: {step} | {other[0]} | {count} | {_same(other[0], count, status, other[1])} |")
            continue
        lines.append(
            f"| {name} | {little.get('queries')} | {big['queries']} | "
            f"{_same(little.get('queries'), big['queries'], big['status'], little.get('status'))} |"
        )
    return lines


def _same(small: int | None, large: int, status: int, small_status: int | None) -> str:
    if status not in (200, 201) or small_status not in (200, 201):
        return f"status {small_status} / {status}"
    return "yes" if small == large else "**no**"


def target_lines(results: dict[str, Any]) -> list[str]:
    load = results.get("load", {})
    lines = ["| target | measured | met? |", "|---|---|---|"]
    ping = _ping(load, TARGET_C)
    for name in STUDENT_SCENARIOS:
        run = load.get(name)
        if not run or "missing" in run:
            lines.append(f"| {name}: p95 < 200 ms at 50, 0 errors, ≥ 25% of bare | not measured | – |")
            continue
        figures = run["by_c"].get(TARGET_C, {})
        if "p95_us" not in figures:
            continue
        ratio = figures["rps"] / ping["rps"] if ping and ping.get("rps") else 0.0
        met = bool(figures["requests"]) and figures["p95_us"] < 200_000 and figures["errors"] == 0 and ratio >= 0.25
        lines.append(
            f"| {run['title']}: p95 < 200 ms at 50, 0 errors, ≥ 25% of bare | p95 {ms(figures['p95_us'])} ms, "
            f"{figures['errors']} errors, {ratio:.0%} of bare | {'yes' if met else '**no**'} |"
        )
    run = load.get("gradebook_200")
    if run and "by_c" in run and GRADEBOOK_C in run["by_c"] and "p95_us" in run["by_c"][GRADEBOOK_C]:
        figures = run["by_c"][GRADEBOOK_C]
        met = bool(figures["requests"]) and figures["p95_us"] < 500_000
        measured = f"p95 {ms(figures['p95_us'])} ms" if figures["requests"] else "no request finished in the run"
        lines.append(f"| Gradebook, class of 200: p95 < 500 ms at 10 | {measured} | {'yes' if met else '**no**'} |")
    queries = results.get("queries")
    if queries:
        differing = [
            name
            for name, big in queries["large"].items()
            if "missing" not in big
            and big != queries["small"].get(name)
            and _counts(big) != _counts(queries["small"].get(name, {}))
        ]
        lines.append(
            f"| Same query count at both sizes | {'differs: ' + ', '.join(differing) if differing else 'all equal'} | "
            f"{'**no**' if differing else 'yes'} |"
        )
    scale = results.get("scale", {})
    csv = scale.get("csv", {})
    if "seconds" in csv:
        lines.append(
            f"| Gradebook CSV (≥ 10,000 × 50) < 15 s, flat memory | {csv['seconds']:.1f} s for {csv['rows']:,} rows; "
            f"Python peak {csv['tracemalloc_peak_mib']:.1f} MiB | {'yes' if csv['seconds'] < 15 else '**no**'} |"
        )
    practice = scale.get("practice", {})
    if "seconds" in practice:
        lines.append(
            f"| Nightly practice sets for 10,000 students < 10 min | {practice['seconds']:.0f} s for "
            f"{practice['students']:,} students | {'yes' if practice['seconds'] < 600 else '**no**'} |"
        )
    elif practice.get("missing"):
        lines.append(f"| Nightly practice sets < 10 min | not measured: {practice['missing']} | – |")
    seed = results.get("seed")
    if seed:
        lines.append(
            f"| Seeding {seed['students']:,} students < 5 min | {seed['seconds']:.0f} s | "
            f"{'yes' if seed['seconds'] < 300 else '**no**'} |"
        )
    return lines


def _counts(entry: dict[str, Any]) -> Any:
    if "steps" in entry:
        return {step: value[0] for step, value in entry["steps"].items()}
    return entry.get("queries")


def worker_table(results: dict[str, Any]) -> list[str]:
    comparison = results.get("worker_comparison")
    if not comparison:
        return []
    lines = [
        "| gunicorn | bare view req/s | bare p95 ms | student home req/s | student home p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, runs in comparison.items():
        ping = runs.get("ping", {}).get("by_c", {}).get(TARGET_C, {})
        home = runs.get("student_home", {}).get("by_c", {}).get(TARGET_C, {})
        if "rps" not in ping:
            continue
        lines.append(
            f"| {label} | {ping['rps']:.0f} | {ms(ping['p95_us'])} | {home.get('rps', 0):.0f} | "
            f"{ms(home.get('p95_us', 0))} | {ping['errors'] + home.get('errors', 0)} |"
        )
    return lines


# The CPU a 2-core machine has for each request if c = 50 connections are to see p95 < 200 ms:
# a closed loop of 50 needs about 50 / 0.2 = 250 answers per second.
CPU_BUDGET_MS = 2 * 1000 / 250


def profile_lines(results: dict[str, Any]) -> list[str]:
    profiles = results.get("profiles")
    if not profiles:
        return []
    lines = [
        "## Where the time goes",
        "",
        "Each scenario run once more at its target concurrency (c = 50; the gradebook at 10) with py-spy "
        "sampling every gunicorn worker at 50 Hz after a warm-up and the CPU of every process on the machine counted "
        "from `/proc`. CPU per request is CPU seconds over requests answered in that run; 'web' is "
        "the gunicorn workers (Django), the others are the database, the cache and the load tool. "
        f"For p95 < 200 ms at c = 50 the two cores can spend about **{CPU_BUDGET_MS:.0f} ms of CPU per "
        "request** in all (50 connections need ~250 answers/s); the bare view's line shows the floor "
        "that Django, gunicorn and wrk cost without any page.",
        "",
        "| scenario | req/s (profiled) | CPU ms/request: web | PostgreSQL | Redis | wrk | all | max req/s on 2 cores |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for profile in profiles.values():
        cpu = profile.get("cpu_ms", {})
        total = sum(value for kind, value in cpu.items() if kind not in ("profiler", "other"))
        ceiling = f"{2000 / total:.0f}" if total else ""
        lines.append(
            f"| {profile['title']} (c = {profile['concurrency']}) | {profile['rps']:.0f} | "
            f"{cpu.get('web', 0):.1f} | {cpu.get('postgresql', 0):.1f} | {cpu.get('redis', 0):.2f} | "
            f"{cpu.get('wrk', 0):.2f} | {total:.1f} | {ceiling} |"
        )
    lines += ["", "What the web workers spend their CPU on (share of py-spy samples, by the innermost library):", ""]
    for profile in profiles.values():
        summary = profile.get("profile", {})
        if not summary.get("samples"):
            continue
        shares = ", ".join(f"{name} {share:.0%}" for name, share in summary["categories"].items() if share >= 0.01)
        lines.append(f"- **{profile['title']}** ({summary['samples']:,} samples): {shares}.")
        functions = "; ".join(f"`{name}` {share:.0%}" for name, share in summary["functions"][:6])
        if functions:
            lines.append(f"  Largest ToolBox functions (inclusive): {functions}.")
    return [*lines, ""]


def scale_lines(results: dict[str, Any]) -> list[str]:
    scale = results.get("scale", {})
    lines = []
    csv = scale.get("csv")
    if csv and "seconds" in csv:
        samples = ", ".join(
            f"{sample['at_rows']:,} rows: {sample['current_mib']:.1f} MiB (peak {sample['peak_mib']:.1f})"
            for sample in csv["samples"]
        )
        timed = (
            f"{csv['seconds']:.1f} s ({csv['cpu_seconds']:.1f} s of CPU)"
            if "cpu_seconds" in csv
            else f"{csv['seconds']:.1f} s"
        )
        traced = f" (a second pass, {csv['traced_seconds']:.0f} s under the tracer)" if "traced_seconds" in csv else ""
        lines += [
            f"- **Gradebook CSV, whole school** ({csv['format']}): {csv['enrolments']:,} enrolments, "
            f"{csv['assignments']:,} assignments, {csv['rows']:,} rows ({csv['megabytes']:.0f} MB) in "
            f"{timed}; first piece after {csv['first_piece_seconds']:.2f} s. Python memory "
            f"(tracemalloc{traced}) as the stream advances: {samples}. Process peak RSS {csv['max_rss_mib']:.0f} MiB.",
        ]
    elif csv:
        lines.append(f"- Gradebook CSV: failed: `{csv.get('failed', '')[:300]}`")
    practice = scale.get("practice")
    if practice and "seconds" in practice:
        lines.append(
            f"- **Nightly practice sets**: {practice['students']:,} students in {practice['chunks']} chunks, "
            f"{practice['practice_sets_created']:,} sets created, {practice['seconds']:.0f} s with a worker of "
            f"concurrency 2 ({practice['chunks_finished']} chunks finished)."
        )
    elif practice:
        lines.append(f"- Nightly practice sets: not measured: {practice.get('missing') or practice.get('failed')}")
    seed = results.get("seed")
    if seed:
        lines.append(
            f"- **Seed**: `seed_demo --students {seed['students']} --assignments-per-class "
            f"{seed['assignments_per_class']}` in {seed['seconds']:.0f} s (fresh database)."
        )
    return lines


def write(results: dict[str, Any], path: Path) -> None:
    machine = results["machine"]
    server = results.get("server", {})
    notes = NOTES_FILE.read_text().strip() if NOTES_FILE.exists() else ""
    parts = [
        "# Benchmarks",
        "",
        "Written by `bench/run` (see README, *Benchmarks*); the previous run's figures are replaced. "
        "Raw output of each run: `bench/results/<timestamp>/` (ignored by git).",
        "",
        f"- Date: {results['started']} to {results.get('finished', '?')}",
        f"- Command: `{results['command']}`",
        f"- Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['memory']} memory, "
        f"PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, Python {machine['python']}, "
        f"{machine['wrk']}, commit {machine['commit']}. Load average (1, 5, 15 min) at the start "
        f"{results.get('load_average', {}).get('start', '?')}, at the end "
        f"{results.get('load_average', {}).get('end', '?')}: when the machine is shared, absolute figures are "
        "noisy, so each figure is also given as a ratio to the bare view of the same run.",
        f"- Server: gunicorn {server.get('workers')} × {server.get('worker_class')}"
        + (f" ({server.get('threads')} threads each)" if server.get("worker_class") == "gthread" else "")
        + ", DEBUG off, PostgreSQL through psycopg's pool, Redis cache, access log on (as in production).",
        "",
        "## Targets",
        "",
        *target_lines(results),
        "",
        "## Throughput and latency",
        "",
        "wrk, each run for the fixed duration; c = concurrent connections. Signed-in pages rotate over "
        "up to 200 users of the role, each with their own session (so caches and rows differ per request). "
        "The quiz flow runs one virtual student per connection: start an attempt of a quiz they have not "
        "taken, save every answer, submit (graded), then the next student; the latency is over all its "
        "requests. Errors: socket errors, timeouts and any response other than the expected status "
        "(a redirect to the login page counts as an error).",
        "",
        *load_table(results),
        "",
        "## SQL queries per request at two school sizes",
        "",
        f"Small school: `seed_demo --students {results['args']['small_students']} --assignments-per-class 12`; "
        "large: the benchmark's school. Counted in-process with Django's test client and "
        "CaptureQueriesContext, on the second request (the steady state that wrk measures).",
        "",
        *query_table(results),
        "",
        "## Scale",
        "",
        *scale_lines(results),
        "",
    ]
    parts += profile_lines(results)
    worker_lines = worker_table(results)
    if worker_lines:
        parts += ["## Choosing the gunicorn configuration (c = 50, short runs)", "", *worker_lines, ""]
    if notes:
        parts += [notes, ""]
    path.write_text("\n".join(parts))


def main() -> None:
    results = json.loads(Path(sys.argv[1]).read_text())
    write(results, Path(__file__).resolve().parent.parent / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
