"""The benchmark: seed, serve the production configuration, load it with wrk, measure scale.

`bench/run [options]` (see README). Everything runs on 127.0.0.1; every process it starts
runs in its own process group and is stopped before it returns, even on failure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import report
from bench.profile import cpu_per_request, cpu_ticks, summarize_profile

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / "venv" / "bin" / "python")
LUA = Path(__file__).resolve().parent / "lua"
RESULTS = Path(__file__).resolve().parent / "results"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
# What production runs (the Procfile's gunicorn reads the same file): the defaults here.
PRODUCTION = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
# Samples per second per worker: at 100 py-spy fell behind with four busy workers on two cores.
PROFILE_RATE = 50


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--assignments-per-class", type=int, default=60)
    parser.add_argument("--small-students", type=int, default=300, help="the small school for query counts")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--concurrency", default="1,10,50,100")
    parser.add_argument("--database", default="toolbox_bench")
    parser.add_argument("--redis-db", type=int, default=15)
    parser.add_argument("--workers", type=int, default=PRODUCTION["workers"], help="default: gunicorn.conf.py's")
    parser.add_argument(
        "--worker-class",
        default=PRODUCTION["worker_class"],
        choices=["sync", "gthread"],
        help="default: gunicorn.conf.py's",
    )
    parser.add_argument("--threads", type=int, default=PRODUCTION.get("threads", 4), help="for gthread")
    parser.add_argument(
        "--compare-workers", action="store_true", help="first compare a few gunicorn configurations briefly"
    )
    parser.add_argument("--reuse-seed", action="store_true", help="keep an already seeded database (no seed timing)")
    parser.add_argument("--only", default="", help="comma-separated scenario names to load (default: all)")
    parser.add_argument(
        "--profile",
        default="student_home,student_lesson,quiz_flow,parent_overview,educator_class,gradebook_200,api_assignments",
        help="scenarios to run once more under py-spy, to show where their time goes ('' for none)",
    )
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="do not rewrite BENCHMARKS.md")
    return parser.parse_args(argv)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        self.out = RESULTS / stamp
        self.out.mkdir(parents=True, exist_ok=True)
        self.results: dict[str, Any] = {
            "command": "bench/run " + " ".join(sys.argv[1:]),
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            # The machine may be shared: the load before and after says how quiet it was.
            "load_average": {"start": load_average()},
            "args": vars(args),
        }
        self.env = self.server_env(args.database)
        self.server_process: subprocess.Popen[bytes] | None = None

    def server_env(self, database: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
                "REDIS_URL": f"redis://127.0.0.1:6379/{self.args.redis_db}",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,testserver",
                # Plain http on loopback: no redirect to https, cookies sent without TLS.
                "SECURE_SSL_REDIRECT": "0",
                "SESSION_COOKIE_SECURE": "0",
                "CSRF_COOKIE_SECURE": "0",
                "SECURE_HSTS_SECONDS": "0",
                "DJANGO_SETTINGS_MODULE": "toolbox.settings",
                "PYTHONPATH": str(ROOT),
            }
        )
        # The results must not depend on a developer's shell: no Clerk, no model, no eager Celery.
        for name in ("CLERK_SECRET_KEY", "CLERK_JWT_KEY", "OPENAI_API_KEY", "CELERY_TASK_ALWAYS_EAGER"):
            env.pop(name, None)
        return env

    def save(self) -> None:
        (self.out / "results.json").write_text(json.dumps(self.results, indent=2, default=str))

    def log(self, message: str) -> None:
        print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)

    def manage(self, *command: str, env: dict[str, str] | None = None, log: str | None = None) -> str:
        completed = subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env or self.env, capture_output=True, text=True
        )
        if log:
            (self.out / log).write_text(completed.stdout + completed.stderr)
        if completed.returncode:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")
        return completed.stdout

    # --- 1. the school --------------------------------------------------------------------

    def database_exists(self, name: str) -> bool:
        listed = subprocess.run(
            ["psql", *PG, "-tAc", "SELECT datname FROM pg_database"],
            capture_output=True,
            text=True,
            check=True,
        )
        return name in listed.stdout.split()

    def seeded(self, env: dict[str, str]) -> bool:
        probe = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "from toolbox.learning.models import Assignment; print(Assignment.objects.exists())",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        return probe.stdout.strip().endswith("True")

    def seed(self, *, database: str, students: int, per_class: int, timed: bool) -> None:
        env = self.server_env(database) if database != self.args.database else self.env
        if self.args.reuse_seed and self.database_exists(database) and self.seeded(env):
            self.manage("migrate", "--noinput", env=env)
            self.log(f"reusing the seeded database {database}")
            return
        subprocess.run(["dropdb", *PG, "--if-exists", database], check=True)
        subprocess.run(["createdb", *PG, database], check=True)
        self.manage("migrate", "--noinput", env=env)
        self.log(f"seeding {database}: {students} students, {per_class} assignments per class")
        started = time.monotonic()
        self.manage(
            "seed_demo",
            "--students",
            str(students),
            "--assignments-per-class",
            str(per_class),
            env=env,
            log=f"seed-{database}.log",
        )
        elapsed = time.monotonic() - started
        if timed:
            self.results["seed"] = {"students": students, "assignments_per_class": per_class, "seconds": elapsed}
            self.save()
        self.log(f"seeded {database} in {elapsed:.1f}s")

    # --- 2. the Django side: bench classes, sessions, query counts ---------------------------

    def scenarios(self, command: str, *extra: str, env: dict[str, str] | None = None) -> None:
        completed = subprocess.run(
            [PYTHON, "-m", "bench.scenarios", command, str(self.out), *extra],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
        )
        (self.out / f"scenarios-{command}-{'-'.join(extra) or 'main'}.log").write_text(
            completed.stdout + completed.stderr
        )
        if completed.returncode:
            raise SystemExit(f"bench.scenarios {command} failed:\n{completed.stderr[-4000:]}")

    def query_counts(self) -> None:
        self.log("counting queries in the large school")
        self.scenarios("queries", "large")
        small = self.args.database + "_small"
        self.seed(database=small, students=self.args.small_students, per_class=12, timed=False)
        self.log("counting queries in the small school")
        self.scenarios("queries", "small", env=self.server_env(small))
        self.results["queries"] = {
            size: json.loads((self.out / f"queries-{size}.json").read_text()) for size in ("small", "large")
        }
        self.save()

    # --- 3. load --------------------------------------------------------------------------

    @contextlib.contextmanager
    def server(self, *, workers: int, worker_class: str, threads: int) -> Iterator[str]:
        port = free_port()
        command = [
            str(ROOT / "venv" / "bin" / "gunicorn"),
            "toolbox.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        label = f"{worker_class}-{workers}" + (f"x{threads}" if worker_class == "gthread" else "")
        log = open(self.out / f"gunicorn-{label}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        self.server_process = process
        try:
            wait_for(f"{base}/ping", process)
            yield base
        finally:
            stop_group(process)
            self.server_process = None
            log.close()

    def probe(self, base: str, entry: dict[str, Any]) -> str:
        """The first request of a scenario must answer 200 before wrk is pointed at it."""
        probe = entry.get("probe")
        if not probe:
            return ""
        request = urllib.request.Request(base + probe["path"], headers=probe["headers"])
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            return f"probe failed ({type(error).__name__})"
        if status == 404 and not probe["path"].startswith("/api/"):
            return "page missing"
        return "" if status == 200 else f"probe answered {status}"

    def wrk(
        self, base: str, entry: dict[str, Any], concurrency: int, *, duration: int, block: tuple[int, int] = (0, 0)
    ) -> dict[str, Any]:
        flow = entry["kind"] == "flow"
        script = self.out / ("quiz_flow.lua" if flow else "requests.lua")
        if not script.exists():
            source = (LUA / "common.lua").read_text() + "\n" + (LUA / script.name).read_text()
            script.write_text(source)
        threads = concurrency if flow else min(concurrency, 2)
        command = [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(concurrency),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
            "--",
            entry["file"],
        ]
        if flow:
            command += [str(concurrency), str(block[0]), str(block[1])]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
        with open(self.out / "wrk.log", "a") as raw:
            raw.write(f"$ {' '.join(command)}\n{completed.stdout}{completed.stderr}\n")
        match = re.search(r"^BENCH_JSON (.*)$", completed.stdout, re.MULTILINE)
        if not match:
            return {"failed": (completed.stdout + completed.stderr)[-500:]}
        figures = json.loads(match.group(1))
        seconds = figures["duration_us"] / 1e6
        figures["rps"] = figures["requests"] / seconds if seconds else 0.0
        figures["flows_per_s"] = figures["flows"] / seconds if seconds else 0.0
        figures["errors"] = (
            figures["connect_errors"]
            + figures["read_errors"]
            + figures["write_errors"]
            + figures["timeouts"]
            + max(figures["non_2xx_3xx"], figures["unexpected_status"])
        )
        return figures

    def load(
        self,
        manifest: list[dict[str, Any]],
        *,
        workers: int,
        worker_class: str,
        threads: int,
        concurrencies: list[int],
        duration: int,
        only: set[str],
    ) -> dict[str, Any]:
        # Kept in the results as it fills, so that a run cut short still leaves its figures.
        runs: dict[str, Any] = {}
        self.results["load_partial"] = runs
        with self.server(workers=workers, worker_class=worker_class, threads=threads) as base:
            for entry in manifest:
                name = entry["name"]
                if only and name not in only and name != "ping":
                    continue
                drain(base)
                missing = entry.get("missing") or self.probe(base, entry)
                if missing:
                    runs[name] = {"title": entry["title"], "missing": missing}
                    self.log(f"{name}: not measured: {missing}")
                    continue
                runs[name] = {"title": entry["title"], "group": entry["group"], "kind": entry["kind"], "by_c": {}}
                # Each run of the quiz flow gets its own share of the fresh (student, quiz) pairs
                # (and the profile run one more).
                block = flow_block(entry, concurrencies)
                for index, concurrency in enumerate(concurrencies):
                    figures = self.wrk(base, entry, concurrency, duration=duration, block=(index * block, block))
                    runs[name]["by_c"][str(concurrency)] = figures
                    self.save()
                    self.log(f"{name} c={concurrency}: {summary_line(figures)}")
        return runs

    def profile(self, manifest: list[dict[str, Any]], *, names: set[str], concurrencies: list[int]) -> None:
        """Each named scenario once more at its target concurrency, with py-spy sampling every
        gunicorn worker and the CPU of every process counted, so that a missed target comes with
        where its time goes. Kept apart from the measured runs: the profiler costs CPU too."""
        args = self.args
        profiles: dict[str, Any] = {}
        self.results["profiles"] = profiles
        ping = next(entry for entry in manifest if entry["name"] == "ping")
        with self.server(workers=args.workers, worker_class=args.worker_class, threads=args.threads) as base:
            assert self.server_process is not None
            for entry in manifest:
                name = entry["name"]
                if name not in names or entry.get("missing"):
                    continue
                drain(base)
                if self.probe(base, entry):
                    continue
                concurrency = int(report.GRADEBOOK_C if name.startswith("gradebook") else report.TARGET_C)
                block = flow_block(entry, concurrencies)
                # Warm every worker first (imports, connections, caches), as the measured runs
                # are warmed by the runs before them; the quiz flow warms on the bare view, so
                # that no fresh (student, quiz) pair is spent.
                warm = entry if entry["kind"] != "flow" else ping
                self.wrk(base, warm, concurrency, duration=3)
                drain(base)
                raw = self.out / f"profile-{name}.txt"
                spy_log = open(self.out / f"profile-{name}.log", "wb")  # noqa: SIM115
                spy = subprocess.Popen(
                    [
                        str(ROOT / "venv" / "bin" / "py-spy"),
                        "record",
                        "--pid",
                        str(self.server_process.pid),
                        "--subprocesses",
                        "--nonblocking",
                        "--format",
                        "raw",
                        "--rate",
                        str(PROFILE_RATE),
                        "--duration",
                        str(args.duration),
                        "-o",
                        str(raw),
                    ],
                    stdout=spy_log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                before = cpu_ticks()
                # wrk has exited before the second count from /proc: its CPU is read as a child's.
                children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                figures = self.wrk(
                    base, entry, concurrency, duration=args.duration, block=(len(concurrencies) * block, block)
                )
                children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                after = cpu_ticks()
                load_tool_seconds = (children_after.ru_utime + children_after.ru_stime) - (
                    children_before.ru_utime + children_before.ru_stime
                )
                try:
                    spy.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    stop_group(spy)
                spy_log.close()
                profiles[name] = {
                    "title": entry["title"],
                    "concurrency": concurrency,
                    "rps": figures.get("rps", 0.0),
                    "requests": figures.get("requests", 0),
                    "cpu_ms": {
                        **cpu_per_request(before, after, requests=figures.get("requests", 0)),
                        "wrk": load_tool_seconds * 1000 / max(figures.get("requests", 0), 1),
                    },
                    "profile": summarize_profile(raw) if raw.exists() else {"samples": 0},
                }
                self.save()
                self.log(f"profiled {name} at c={concurrency}: {summary_line(figures)}")

    def compare_workers(self, manifest: list[dict[str, Any]]) -> None:
        options = [("sync", 2, 1), ("sync", 4, 1), ("sync", 6, 1), ("gthread", 2, 4), ("gthread", 4, 4)]
        pick = [entry for entry in manifest if entry["name"] in ("ping", "student_home") and not entry.get("missing")]
        comparison = {}
        for worker_class, workers, threads in options:
            label = f"{worker_class} {workers}" + (f"x{threads}" if worker_class == "gthread" else "")
            self.log(f"comparing gunicorn {label}")
            comparison[label] = self.load(
                pick,
                workers=workers,
                worker_class=worker_class,
                threads=threads,
                concurrencies=[50],
                duration=min(self.args.duration, 5),
                only=set(),
            )
        self.results["worker_comparison"] = comparison
        self.save()

    # --- 4. scale -------------------------------------------------------------------------

    def scale(self) -> None:
        self.log("gradebook CSV export of the whole school (streaming generator, in-process)")
        completed = subprocess.run(
            [PYTHON, "-m", "bench.scale", "csv", str(self.out)], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        (self.out / "scale-csv.log").write_text(completed.stdout + completed.stderr)
        scale: dict[str, Any] = {}
        csv_file = self.out / "scale-csv.json"
        scale["csv"] = json.loads(csv_file.read_text()) if csv_file.exists() else {"failed": completed.stderr[-800:]}
        scale["practice"] = self.nightly_practice()
        self.results["scale"] = scale
        self.save()

    def nightly_practice(self) -> dict[str, Any]:
        probe = subprocess.run(
            [
                PYTHON,
                "-c",
                "import importlib.util as u; raise SystemExit(not u.find_spec('toolbox.learning.schedule_tasks'))",
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if probe.returncode:
            return {"missing": "the nightly practice-set schedule is not on this branch"}
        self.log("nightly practice sets with a Celery worker of concurrency 2")
        log_path = self.out / "celery-worker.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [
                    str(ROOT / "venv" / "bin" / "celery"),
                    "-A",
                    "toolbox",
                    "worker",
                    "--concurrency",
                    "2",
                    "--loglevel",
                    "INFO",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                completed = subprocess.run(
                    [PYTHON, "-m", "bench.scale", "practice", str(self.out)],
                    cwd=ROOT,
                    env=self.env,
                    capture_output=True,
                    text=True,
                    timeout=1800,
                )
                (self.out / "scale-practice.log").write_text(completed.stdout + completed.stderr)
            finally:
                stop_group(worker)
        practice_file = self.out / "scale-practice.json"
        return json.loads(practice_file.read_text()) if practice_file.exists() else {"failed": completed.stderr[-800:]}

    # --- the whole run --------------------------------------------------------------------

    def run(self) -> None:
        args = self.args
        if not self.database_exists(args.database) or not args.reuse_seed:
            self.seed(database=args.database, students=args.students, per_class=args.assignments_per_class, timed=True)
        else:
            self.seed(database=args.database, students=args.students, per_class=args.assignments_per_class, timed=False)
        self.manage("collectstatic", "--noinput")
        self.log("preparing bench classes, sessions and request lists")
        self.scenarios("prepare")
        manifest = json.loads((self.out / "manifest.json").read_text())
        if not args.skip_queries:
            self.query_counts()
        if args.compare_workers:
            self.compare_workers(manifest)
        concurrencies = [int(c) for c in args.concurrency.split(",")]
        self.log(f"loading: gunicorn {args.workers} {args.worker_class} workers, {args.duration}s per run")
        self.results["server"] = {"workers": args.workers, "worker_class": args.worker_class, "threads": args.threads}
        self.results["load"] = self.load(
            manifest,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
            concurrencies=concurrencies,
            duration=args.duration,
            only=set(filter(None, args.only.split(","))),
        )
        self.save()
        profiled = set(filter(None, args.profile.split(",")))
        if profiled:
            self.log(f"profiling {', '.join(sorted(profiled))} under py-spy")
            self.profile(manifest, names=profiled, concurrencies=concurrencies)
            self.save()
        if not args.skip_scale:
            self.scale()
        self.results.pop("load_partial", None)
        self.results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.results["load_average"]["end"] = load_average()
        self.save()
        if not args.no_report:
            report.write(self.results, ROOT / "BENCHMARKS.md")
            self.log("wrote BENCHMARKS.md")
        self.log(f"raw output in {self.out.relative_to(ROOT)}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def drain(base: str) -> None:
    """Wait until the server answers the bare view promptly again: requests queued by the
    previous run (wrk stops waiting, gunicorn does not) must not count against the next."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/ping", timeout=10):
            if time.monotonic() - started < 0.5:
                return
        time.sleep(1)


def flow_block(entry: dict[str, Any], concurrencies: list[int]) -> int:
    """How many of the quiz flow's fresh (student, quiz) pairs each run may use: one share per
    concurrency level and one for the profile run, so that no pair is submitted twice."""
    return entry["count"] // (len(concurrencies) + 1)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting; see its log in bench/results/")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /ping within 60 s")


def stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def summary_line(figures: dict[str, Any]) -> str:
    if "failed" in figures:
        return "wrk failed"
    return (
        f"{figures['rps']:.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, p95 {figures['p95_us'] / 1000:.1f} ms, "
        f"p99 {figures['p99_us'] / 1000:.1f} ms, errors {figures['errors']}"
    )


def machine() -> dict[str, str]:
    def output(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "nproc": output("nproc"),
        "memory": memory,
        "cpu": cpu,
        "postgresql": output("psql", *PG, "-tAc", "SHOW server_version"),
        "redis": output("redis-cli", "-h", "127.0.0.1", "INFO", "server").split("redis_version:")[-1].split()[0]
        if "redis_version" in output("redis-cli", "-h", "127.0.0.1", "INFO", "server")
        else "unknown",
        "python": platform.python_version(),
        "wrk": output("sh", "-c", "wrk -v 2>&1 | head -1"),
        "kernel": platform.release(),
        "commit": output("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
    }


def main() -> None:
    Bench(parse_args(sys.argv[1:])).run()


if __name__ == "__main__":
    main()
