"""The benchmark's Django side: bench classes, signed-in users, request lists and query counts.

Run by bench/harness.py as `python -m bench.scenarios prepare|queries OUT_DIR` with the
server's environment. `prepare` writes one request file per scenario (for wrk) and a
manifest; `queries` counts the SQL queries of each scenario's request in-process.

A scenario whose URL does not resolve on this checkout (a page not merged yet) is listed
as missing instead of failing the run.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Exists, OuterRef, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, Resolver404, resolve, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from toolbox.accounts.models import Role, School, User  # noqa: E402
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus  # noqa: E402
from toolbox.learning.models import Assignment, Attempt  # noqa: E402

USERS_PER_SCENARIO = 200
DAY = dt.timedelta(days=1)
QUIZ_FLOWS = 8000
BENCH_CLASS_SIZES = {"Bench class of 30": 30, "Bench class of 200": 200}


@dataclass
class Scenario:
    name: str
    title: str
    group: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    missing: str = ""
    kind: str = "requests"


# --- Bench classes ----------------------------------------------------------------------


def ensure_bench_classes() -> dict[str, Classroom]:
    """Classes of 30 and 200 new students with the same term of history as the demo's
    classes, owned by the demo teacher, created once (the demo seed's own bulk writers)."""
    from toolbox.learning.demo.bulk import historical_timestamps
    from toolbox.learning.demo.content import seed_content
    from toolbox.learning.demo.history import seed_history
    from toolbox.learning.demo.people import seed_logins
    from toolbox.learning.demo.progress import Ledger
    from toolbox.learning.demo.seed import SEED
    from toolbox.learning.models import (
        Answer,
        LessonProgress,
        Mastery,
        Notification,
        PracticeSet,
        StudentBadge,
        XPEvent,
    )

    school = School.objects.order_by("id").first()
    assert school is not None, "seed the demo school first"
    teacher = User.objects.get(username="teacher")
    per_class = Assignment.objects.filter(classroom__school=school).values("classroom_id").distinct().count()
    assignments_per_class = max(1, Assignment.objects.filter(classroom__school=school).count() // max(per_class, 1))
    classes: dict[str, Classroom] = {}
    created: list[Classroom] = []
    with transaction.atomic():
        for name, size in BENCH_CLASS_SIZES.items():
            classroom = Classroom.objects.filter(school=school, name=name).first()
            if classroom is None:
                classroom = Classroom.objects.create(
                    school=school,
                    name=name,
                    subject="Science",
                    grade_level="7",
                    owner=teacher,
                    join_code=secrets.token_hex(4).upper(),
                )
                prefix = f"bench{size:03d}x"
                students = User.objects.bulk_create(
                    [
                        User(
                            username=f"{prefix}{index:03d}",
                            role=Role.STUDENT,
                            first_name="Bench",
                            last_name=f"Student {index:03d}",
                            school=school,
                            grade_level="7",
                        )
                        for index in range(size)
                    ]
                )
                Enrollment.objects.bulk_create(
                    [Enrollment(classroom=classroom, student=student, joined_at=timezone.now()) for student in students]
                )
                created.append(classroom)
            classes[name] = classroom
        if created:
            logins = seed_logins(school=school)
            catalog = seed_content(
                school=school,
                authors={"Science": logins["teacher"], "Mathematics": logins["teacher2"], "History": teacher},
                reviewers={"Science": logins["teacher2"], "Mathematics": teacher, "History": logins["teacher2"]},
            )
            now = timezone.now()
            ledger = Ledger(time_zone=school.time_zone, now=now)
            with historical_timestamps(
                Assignment, Answer, LessonProgress, XPEvent, Notification, StudentBadge, Mastery, PracticeSet
            ):
                history = seed_history(
                    classrooms=created,
                    catalog=catalog,
                    assignments_per_class=assignments_per_class,
                    now=now,
                    ledger=ledger,
                    scripts={},
                    parents_of={},
                    seed=SEED,
                )
                ledger.finish(student_ids=sorted(history.student_ids))
    return classes


# --- Signed-in users --------------------------------------------------------------------


class Sessions:
    """One Django session per user, written as `login()` writes it (in bulk: the quiz flow
    signs in thousands of students), so that the server finds an ordinary signed-in session."""

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}
        self.pending: list[Session] = []

    def headers(self, user: User) -> dict[str, str]:
        if user.pk not in self.keys:
            store = SessionStore()
            key = secrets.token_hex(16)
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            self.pending.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=timezone.now() + DAY)
            )
            self.keys[user.pk] = key
        csrf = secrets.token_hex(16)
        cookie = f"{settings.SESSION_COOKIE_NAME}={self.keys[user.pk]}; {settings.CSRF_COOKIE_NAME}={csrf}"
        return {"Cookie": cookie, "X-CSRFToken": csrf}

    def save(self) -> None:
        Session.objects.bulk_create(self.pending, batch_size=2000)
        self.pending = []


def _page(name: str, *args: object) -> str:
    return reverse(name, args=args)


def _api(path: str) -> str:
    full = "/api/v1" + path
    resolve(full)
    return full


def _request(user: User | None, sessions: Sessions, path: str, method: str = "GET", body: str = "") -> dict[str, Any]:
    headers = sessions.headers(user) if user is not None else {}
    return {"method": method, "path": path, "headers": headers, "body": body, "user_id": user.pk if user else None}


def _sample_students(limit: int) -> list[User]:
    return list(
        User.objects.filter(role=Role.STUDENT, username__regex=r"^student[0-9]{5}$", is_active=True).order_by("?")[
            :limit
        ]
    )


def _open_now() -> Q:
    now = timezone.now()
    return Q(available_from__lte=now) & (Q(close_at__isnull=True) | Q(close_at__gt=now))


def _build(name: str, title: str, group: str, make: Callable[[], list[dict[str, Any]]]) -> Scenario:
    scenario = Scenario(name=name, title=title, group=group)
    try:
        scenario.requests = make()
    except (NoReverseMatch, Resolver404):
        scenario.missing = "page missing"
    if not scenario.requests and not scenario.missing:
        scenario.missing = "no data for it in this school"
    return scenario


def build_scenarios(*, bench_classes: dict[str, Classroom], flows: int) -> list[Scenario]:
    sessions = Sessions()
    students = _sample_students(USERS_PER_SCENARIO)
    teacher = User.objects.get(username="teacher")
    educators = list(User.objects.filter(role=Role.EDUCATOR, owned_classrooms__isnull=False).distinct()[:50]) or [
        teacher
    ]
    parents = list(User.objects.filter(role=Role.PARENT, child_links__isnull=False).distinct()[:USERS_PER_SCENARIO])

    def lesson_requests() -> list[dict[str, Any]]:
        rows = []
        for student in students:
            assignment = (
                Assignment.objects.filter(
                    _open_now(),
                    lesson__isnull=False,
                    classroom__enrollments__student=student,
                    classroom__enrollments__status=EnrollmentStatus.ACTIVE,
                )
                .order_by("-available_from")
                .first()
            )
            if assignment is not None:
                rows.append(_request(student, sessions, _page("students:lesson", assignment.pk)))
        return rows

    def class_pages(url_name: str) -> list[dict[str, Any]]:
        classes = Classroom.objects.filter(owner__in=educators, is_archived=False).exclude(
            name__in=list(BENCH_CLASS_SIZES)
        )[:USERS_PER_SCENARIO]
        return [_request(classroom.owner, sessions, _page(url_name, classroom.pk)) for classroom in classes]

    def gradebook(name: str) -> Callable[[], list[dict[str, Any]]]:
        classroom = bench_classes[name]
        return lambda: [_request(teacher, sessions, _page("educators:gradebook", classroom.pk))]

    def educator_api(path: str) -> list[dict[str, Any]]:
        return [_request(educator, sessions, _api(path)) for educator in educators]

    scenarios = [
        _build("ping", "Bare Django view (/ping)", "ceiling", lambda: [_request(None, sessions, _page("ping"))]),
        _build(
            "student_home",
            "Student home",
            "student",
            lambda: [_request(s, sessions, _page("students:home")) for s in students],
        ),
        _build("student_lesson", "Student lesson page", "student", lesson_requests),
        _build(
            "parent_overview",
            "Parent overview",
            "parent",
            lambda: [_request(p, sessions, _page("parents:home")) for p in parents],
        ),
        _build("educator_class", "Educator class page", "educator", lambda: class_pages("educators:class_detail")),
        _build("gradebook_30", "Educator gradebook, class of 30", "educator", gradebook("Bench class of 30")),
        _build("gradebook_200", "Educator gradebook, class of 200", "educator", gradebook("Bench class of 200")),
        _build("api_classes", "API GET /classes (educator)", "api", lambda: educator_api("/classes")),
        _build("api_lessons", "API GET /lessons (educator)", "api", lambda: educator_api("/lessons")),
        _build(
            "api_assignments",
            "API GET /me/assignments (student)",
            "api",
            lambda: [_request(s, sessions, _api("/me/assignments")) for s in students],
        ),
        _build(
            "api_notifications",
            "API GET /notifications (student)",
            "api",
            lambda: [_request(s, sessions, _api("/notifications")) for s in students],
        ),
    ]
    quiz = _build("quiz_flow", "Quiz flow via API: start, save each answer, submit", "student", lambda: [])
    quiz.kind = "flow"
    quiz.missing = ""
    try:
        _api("/assignments/1/attempts")
        _api("/attempts/1/answers/1")
        _api("/attempts/1/submit")
        quiz.requests = quiz_flows(sessions=sessions, limit=flows)
        if not quiz.requests:
            quiz.missing = "no open quiz without attempts in this school"
    except Resolver404:
        quiz.missing = "page missing"
    scenarios.insert(3, quiz)
    sessions.save()
    return scenarios


# An ordering question's items go by keys that differ in every attempt (toolbox/learning/
# item_keys.py), so its answer can only be written once the attempt has started: the flow
# file carries this marker and the item count, and the Lua script (or `_ordering_body`) reads
# the keys from the started attempt and sends them in reverse order.
ORDERING_MARKER = "@ORDER:"


def _answer_body(question: dict[str, Any]) -> str:
    """A valid (not necessarily right) answer in the shared response shape of each kind."""
    choices = [choice["id"] for choice in question.get("choices", [])]
    kind = question["kind"]
    if kind == "ordering":
        return f"{ORDERING_MARKER}{len(choices)}"
    if kind in ("single_choice", "true_false"):
        response: dict[str, Any] = {"choice_id": choices[0]}
    elif kind == "multiple_choice":
        response = {"choice_ids": choices[:2]}
    elif kind == "numeric":
        response = {"value": "3.5"}
    else:
        response = {"text": "photosynthesis"}
    return json.dumps({"response": response}, separators=(",", ":"))


def _ordering_body(attempt: Attempt, question_id: int) -> str:
    from toolbox.learning.item_keys import attempt_scope, item_key

    question = next(q for q in attempt.snapshot["questions"] if q["id"] == question_id)
    keys = [item_key(scope=attempt_scope(attempt.pk), choice_id=choice["id"]) for choice in question["choices"]]
    return json.dumps({"response": {"order": list(reversed(keys))}}, separators=(",", ":"))


def quiz_flows(*, sessions: Sessions, limit: int) -> list[dict[str, Any]]:
    """(student, open quiz assignment they have not attempted) pairs with an answer per question."""
    from toolbox.content.services import quiz_snapshot

    attempted = Attempt.objects.filter(assignment=OuterRef("pk"), student=OuterRef("classroom__enrollments__student"))
    pairs = (
        Assignment.objects.filter(
            _open_now(),
            quiz__isnull=False,
            classroom__enrollments__status=EnrollmentStatus.ACTIVE,
            classroom__enrollments__student__username__regex=r"^student[0-9]{5}$",
        )
        .annotate(attempted=Exists(attempted))
        .filter(attempted=False)
        .values_list("pk", "quiz_id", "classroom__enrollments__student_id")
        .order_by("?")[:limit]
    )
    answers_of: dict[int, list[tuple[int, str]]] = {}
    users = {}
    flows = []
    by_student: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for assignment_id, quiz_id, student_id in pairs:
        by_student[student_id].append((assignment_id, quiz_id))
    for user in User.objects.filter(pk__in=list(by_student)):
        users[user.pk] = user
    from toolbox.content.models import Quiz

    for student_id, items in by_student.items():
        headers = sessions.headers(users[student_id])
        for assignment_id, quiz_id in items:
            if quiz_id not in answers_of:
                snapshot = quiz_snapshot(quiz=Quiz.objects.get(pk=quiz_id))
                answers_of[quiz_id] = [(question["id"], _answer_body(question)) for question in snapshot["questions"]]
            flows.append(
                {
                    "headers": headers,
                    "assignment_id": assignment_id,
                    "answers": answers_of[quiz_id],
                    "user_id": student_id,
                }
            )
    return flows


# --- Output -----------------------------------------------------------------------------


def _header_text(headers: dict[str, str]) -> str:
    return "|".join(f"{name}: {value}" for name, value in headers.items())


def write_request_file(scenario: Scenario, path: Path) -> None:
    lines = []
    if scenario.kind == "flow":
        for flow in scenario.requests:
            answers = "\x1f".join(f"{question}={body}" for question, body in flow["answers"])
            lines.append(f"{_header_text(flow['headers'])}\t{flow['assignment_id']}\t{answers}")
    else:
        for request in scenario.requests:
            lines.append(
                f"{request['method']}\t{request['path']}\t{_header_text(request['headers'])}\t{request['body']}"
            )
    path.write_text("\n".join(lines) + "\n")


def prepare(out: Path) -> None:
    bench_classes = ensure_bench_classes()
    scenarios = build_scenarios(bench_classes=bench_classes, flows=QUIZ_FLOWS)
    manifest = []
    for scenario in scenarios:
        entry = {key: value for key, value in asdict(scenario).items() if key != "requests"}
        entry["count"] = len(scenario.requests)
        if not scenario.missing:
            request_file = out / f"{scenario.name}.requests"
            write_request_file(scenario, request_file)
            entry["file"] = str(request_file)
            first = scenario.requests[0]
            entry["probe"] = (
                {"method": "GET", "path": first["path"], "headers": first["headers"]}
                if scenario.kind == "requests"
                else None
            )
        manifest.append(entry)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))


# --- Query counts -----------------------------------------------------------------------


def _count(client: Client, method: str, path: str, body: str = "", **headers: str) -> tuple[int, int]:
    call = getattr(client, method.lower())
    with CaptureQueriesContext(connection) as queries:
        response = call(path, data=body or None, content_type="application/json", headers=headers)
    return len(queries.captured_queries), response.status_code


def count_queries(out: Path, label: str) -> None:
    """Each scenario's query count, measured on the second request (the steady state that
    wrk measures, after any per-process warm-up), for one user of each kind."""
    bench_classes = ensure_bench_classes()
    scenarios = build_scenarios(bench_classes=bench_classes, flows=1)
    results: dict[str, Any] = {}
    for scenario in scenarios:
        if scenario.missing:
            results[scenario.name] = {"missing": scenario.missing}
            continue
        client = Client()
        if scenario.kind == "flow":
            flow = scenario.requests[0]
            client.force_login(User.objects.get(pk=flow["user_id"]))
            steps: dict[str, Any] = {}
            count, status = _count(client, "POST", f"/api/v1/assignments/{flow['assignment_id']}/attempts")
            steps["start"] = [count, status]
            attempt = Attempt.objects.filter(assignment_id=flow["assignment_id"], student_id=flow["user_id"]).latest(
                "pk"
            )
            saves = [
                _count(
                    client,
                    "PUT",
                    f"/api/v1/attempts/{attempt.pk}/answers/{question}",
                    _ordering_body(attempt, question) if body.startswith(ORDERING_MARKER) else body,
                )
                for question, body in flow["answers"]
            ]
            steps["save_answer"] = [max(c for c, _ in saves), max(s for _, s in saves)]
            steps["submit"] = list(
                _count(client, "POST", f"/api/v1/attempts/{attempt.pk}/submit", "", **{"Idempotency-Key": "q"})
            )
            results[scenario.name] = {"steps": steps}
            continue
        request = scenario.requests[0]
        if request["user_id"] is not None:
            client.force_login(User.objects.get(pk=request["user_id"]))
        _count(client, "GET", request["path"])
        count, status = _count(client, "GET", request["path"])
        results[scenario.name] = {"queries": count, "status": status}
    (out / f"queries-{label}.json").write_text(json.dumps(results, indent=2))


def main() -> None:
    command, out = sys.argv[1], Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if command == "prepare":
        prepare(out)
    elif command == "queries":
        count_queries(out, sys.argv[3])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
