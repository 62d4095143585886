"""The role matrix: every URL of the site and every operation of the API, called as each
role on objects of each side, answers what the table in role_matrix.py says — and a URL or
operation missing from the table fails the test."""

from __future__ import annotations

import copy
import fnmatch
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.role_matrix import (
    ADMIN_OBJECT_EXPECTED,
    ADMIN_RULES,
    ALLOWED_OUTCOMES,
    API_EXPECTED,
    EXPECTED,
)
from tests.security.role_world import (
    API_BODIES,
    QUERIES,
    ROLES,
    RoleWorld,
    Side,
    Upload,
    api_parameter,
    role_world,
    url_parameters,
)

pytestmark = pytest.mark.django_db

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
METHODS = ("GET", "POST")


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    keys: tuple[str, ...]

    @property
    def surface(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else "site"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue  # the admin and the API have their own rows below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            keys = tuple(match.group("name") for match in _CONVERTER.finditer(route))
            yield Route(name=f"{namespace}{pattern.name}", route=route, keys=keys)


def site_routes() -> list[Route]:
    return sorted(_walk(get_resolver().url_patterns), key=lambda route: route.name)


def _variants(route: Route) -> tuple[str, ...]:
    if not route.keys or all(key in ("token", "uidb64") for key in route.keys):
        return ("any",)
    return ("own", "foreign")


def row_keys(routes: list[Route]) -> list[str]:
    return [
        f"{method} {route.name}" + ("" if variant == "any" else f"@{variant}")
        for route in routes
        for method in METHODS
        for variant in _variants(route)
    ]


def _path(route: Route, side: Side) -> str:
    values = url_parameters(route.name, route.route, list(route.keys), side)
    path = route.route
    for match in reversed(list(_CONVERTER.finditer(route.route))):
        path = path[: match.start()] + str(values[match.group("name")]) + path[match.end() :]
    return "/" + path + QUERIES.get(route.name, "")


def outcome(response: Any, *, in_admin: bool = False) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "L"
        if location.startswith("/admin/login/"):
            return "AL"
        if in_admin and location == "/admin/":
            return "AI"
        return "R"
    return str(response.status_code)


def _matches(expected: str, actual: str) -> bool:
    if expected == "A":
        return actual in ALLOWED_OUTCOMES
    return actual in expected.split("|")


def _clients(world: RoleWorld) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client
    return clients


def _call(client: Client, method: str, path: str, *, in_admin: bool = False) -> str:
    # Each call in its own rolled-back savepoint, with the cookies put back afterwards: a write
    # (or a sign-out) by one call never changes what the next call finds.
    cookies = client.cookies
    client.cookies = copy.copy(cookies)
    try:
        with transaction.atomic():
            response = client.get(path) if method == "GET" else client.post(path, {})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return outcome(response, in_admin=in_admin)


def test_every_url_has_a_row_in_the_table_and_every_row_a_url() -> None:
    keys = set(row_keys(site_routes()))
    table = {key for key in EXPECTED if not key.split(" ", 1)[1].startswith(("admin:", "api:"))}

    assert sorted(keys - table) == [], "URLs with no row in tests/security/role_matrix.py"
    assert sorted(table - keys) == [], "rows for URLs that no longer exist"


@pytest.mark.parametrize("surface", ["site", "accounts", "students", "educators", "parents"])
def test_each_role_gets_the_expected_answer_from_every_page(surface: str) -> None:
    world = role_world()
    clients = _clients(world)
    unexpected: list[str] = []
    for route in site_routes():
        if route.surface != surface:
            continue
        for variant in _variants(route):
            side = world.foreign if variant == "foreign" else world.own
            path = _path(route, side)
            for method in METHODS:
                key = f"{method} {route.name}" + ("" if variant == "any" else f"@{variant}")
                expected = EXPECTED[key].split()
                assert len(expected) == len(ROLES), key
                for role, wanted in zip(ROLES, expected, strict=True):
                    got = _call(clients[role], method, path)
                    if not _matches(wanted, got):
                        unexpected.append(f"{key} as {role}: expected {wanted}, got {got} ({path})")

    assert not unexpected, f"{len(unexpected)} unexpected answers:\n" + "\n".join(unexpected)


def admin_routes() -> list[tuple[str, str]]:
    """(name, path) of every admin page that names no object: the site's pages, each app's
    index and each model's list, add and lookup pages."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name == "app_list":
                for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
                    yield "admin:app_list", f"/admin/{app_label}/"
            elif "<" not in str(pattern.pattern) and "(?P" not in str(pattern.pattern):
                yield f"admin:{pattern.name}", "/admin/" + prefix + str(pattern.pattern)

    return sorted(walk(admin.site.urls[0], ""))


def _admin_rule(name: str) -> str | None:
    return next((codes for pattern, codes in ADMIN_RULES if fnmatch.fnmatchcase(name, pattern)), None)


def test_every_admin_page_has_a_rule() -> None:
    assert [name for name, _path in admin_routes() if _admin_rule(name) is None] == []


def test_only_the_admin_gets_into_the_django_admin() -> None:
    world = role_world()
    clients = _clients(world)
    unexpected = []
    for name, path in admin_routes():
        expected = str(_admin_rule(name)).split()
        for role, wanted in zip(ROLES, expected, strict=True):
            got = _call(clients[role], "GET", path, in_admin=True)
            if not _matches(wanted, got):
                unexpected.append(f"GET {name} as {role}: expected {wanted}, got {got} ({path})")

    assert not unexpected, f"{len(unexpected)} unexpected answers:\n" + "\n".join(unexpected)


# The admin site's own page for one object (Django's "view on site" shortcut), tried on a
# class: it is the same view for every model.
VIEW_ON_SITE = "r/<content_type>/<id>/"
VIEW_ON_SITE_MODEL = "classroom/classroom"
# An id no row has: the admin must answer another school's row exactly as it answers this.
MISSING_ID = "2147483000"


def admin_object_routes() -> list[str]:
    """Every admin page that names one object ("app_label/model_name/<id>/change/", …): each
    registered model's pages, read from its model admin's own URL patterns."""
    routes = [VIEW_ON_SITE]
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.urls:
            route = str(pattern.pattern)
            if _CONVERTER.search(route):
                routes.append(prefix + _CONVERTER.sub("<id>", route))
    return sorted(routes)


def _admin_model(route: str) -> str:
    return VIEW_ON_SITE_MODEL if route == VIEW_ON_SITE else route.split("/<id>/", 1)[0]


def admin_object_row_keys(routes: list[str]) -> list[str]:
    """A model whose rows the table marks "@shared" belongs to no school; every other model's
    pages are tried on a row of A's school and on one of another school."""
    shared = {_admin_model(key.rpartition("@")[0]) for key in ADMIN_OBJECT_EXPECTED if key.endswith("@shared")}
    return [
        f"{route}@{variant}"
        for route in routes
        for variant in (("shared",) if _admin_model(route) in shared else ("own", "foreign"))
    ]


def test_every_admin_object_page_has_a_row_and_every_row_a_page() -> None:
    keys = set(admin_object_row_keys(admin_object_routes()))

    assert sorted(keys - set(ADMIN_OBJECT_EXPECTED)) == [], "admin pages with no row in ADMIN_OBJECT_EXPECTED"
    assert sorted(set(ADMIN_OBJECT_EXPECTED) - keys) == [], "rows for admin pages that no longer exist"


def _admin_object_path(route: str, object_id: object) -> str:
    path = route.replace("<id>", str(object_id))
    if route == VIEW_ON_SITE:
        app_label, model_name = VIEW_ON_SITE_MODEL.split("/")
        path = path.replace("<content_type>", str(ContentType.objects.get(app_label=app_label, model=model_name).pk))
    return "/admin/" + path


def test_each_role_gets_the_expected_answer_from_every_admin_object_page() -> None:
    world = role_world()
    clients = _clients(world)
    unexpected = []
    for key in admin_object_row_keys(admin_object_routes()):
        route, _, variant = key.rpartition("@")
        path = _admin_object_path(route, world.admin_object(_admin_model(route), variant))
        answers = {}
        for role, wanted in zip(ROLES, ADMIN_OBJECT_EXPECTED[key].split(), strict=True):
            answers[role] = got = _call(clients[role], "GET", path, in_admin=True)
            if not _matches(wanted, got):
                unexpected.append(f"GET {key} as {role}: expected {wanted}, got {got} ({path})")
        if variant == "foreign":
            missing = _call(clients["admin"], "GET", _admin_object_path(route, MISSING_ID), in_admin=True)
            if missing != answers["admin"]:
                unexpected.append(f"GET {key} as admin: got {answers['admin']}, but {missing} for an id no row has")

    assert not unexpected, f"{len(unexpected)} unexpected answers:\n" + "\n".join(unexpected)


def api_operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return sorted(
        (method.upper(), path if path.startswith("/api/v1") else "/api/v1" + path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    )


def api_row_keys(operations: list[tuple[str, str]]) -> list[str]:
    return [
        f"{method} {path}" + ("" if "{" not in path else f"@{variant}")
        for method, path in operations
        for variant in (("any",) if "{" not in path else ("own", "foreign"))
    ]


def test_every_api_operation_has_a_row_and_every_row_an_operation() -> None:
    keys = set(api_row_keys(api_operations(Client())))

    assert sorted(keys - set(API_EXPECTED)) == [], "API operations with no row in role_matrix.API_EXPECTED"
    assert sorted(set(API_EXPECTED) - keys) == [], "rows for API operations that no longer exist"


def _api_call(client: Client, method: str, path: str, body: object) -> str:
    """Like `_call`, with the operation's body (JSON, or a multipart upload) when it takes one."""
    cookies = client.cookies
    client.cookies = copy.copy(cookies)
    try:
        with transaction.atomic():
            if isinstance(body, Upload):
                upload = SimpleUploadedFile(body.name, body.content, content_type="text/csv")
                response = client.post(path, {body.field: upload, **body.fields})
            elif body is None:
                response = client.generic(method, path)
            else:
                response = client.generic(method, path, json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return outcome(response)


def _api_path(operation: str, path: str, side: Side) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(api_parameter(operation, match.group(1), side)), path)


def test_every_api_operation_that_takes_a_body_has_one_in_the_world() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    taking_a_body = {
        f"{method.upper()} {path if path.startswith('/api/v1') else '/api/v1' + path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }

    assert sorted(taking_a_body - set(API_BODIES)) == [], "operations with no body in role_world.API_BODIES"
    assert sorted(set(API_BODIES) - taking_a_body) == [], "bodies for operations that take none"


def test_each_role_gets_the_expected_answer_from_every_api_operation() -> None:
    world = role_world()
    clients = _clients(world)
    unexpected = []
    for key in api_row_keys(api_operations(clients["anonymous"])):
        operation, _, variant = key.partition("@")
        method, path = operation.split(" ", 1)
        side = world.foreign if variant == "foreign" else world.own
        concrete = _api_path(operation, path, side)
        body = API_BODIES[operation](side) if operation in API_BODIES else None
        for role, wanted in zip(ROLES, API_EXPECTED[key].split(), strict=True):
            got = _api_call(clients[role], method, concrete, body)
            if not _matches(wanted, got):
                unexpected.append(f"{key} as {role}: expected {wanted}, got {got} ({concrete})")

    assert not unexpected, f"{len(unexpected)} unexpected answers:\n" + "\n".join(unexpected)
