"""Sign-in by Clerk bearer token or session cookie (with CSRF), rate limits, and the docs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.crypto import get_random_string
from pytest_django import Settings

from tests.api.conftest import API, World, bearer


@pytest.mark.django_db
def test_a_session_write_without_the_csrf_token_is_refused(world: World, settings: Settings) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.educator, backend="django.contrib.auth.backends.ModelBackend")
    body = {"name": "Chemistry", "subject": "Science", "grade_level": "8"}
    refused = client.post(f"{API}/classes", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    assert client.get(f"{API}/classes").status_code == 200, "reads need no token"
    token = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = client.post(f"{API}/classes", body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content


@pytest.mark.django_db
def test_a_clerk_bearer_token_needs_no_csrf_token(world: World, clerk: None) -> None:
    client = Client(enforce_csrf_checks=True)
    headers = bearer(world.educator)
    assert client.get(f"{API}/me", headers=headers).json()["id"] == world.educator.pk
    created = client.post(
        f"{API}/classes",
        {"name": "Chemistry", "subject": "Science", "grade_level": "8"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    assert "sessionid" not in client.cookies, "bearer sign-in is stateless"


@pytest.mark.django_db
def test_a_bad_bearer_token_answers_401_with_the_error_body(world: World, clerk: None) -> None:
    response = Client().get(f"{API}/classes", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_too_many_requests_answer_429_with_retry_after(world: World, settings: Settings) -> None:
    settings.API_THROTTLE_RATES = {"anon": "2/min", "user": "3/min"}
    client = Client()
    client.force_login(world.student, backend="django.contrib.auth.backends.ModelBackend")
    statuses = [client.get(f"{API}/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"{API}/me")
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) >= 1

    anonymous = Client()
    assert [anonymous.get(f"{API}/version").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_the_docs_render_and_the_schema_documents_every_operation(client: Client) -> None:
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content
    schema = client.get(f"{API}/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)) >= 57
    for op in operations:
        assert op.get("summary"), op["operationId"]
        assert op.get("description"), op["operationId"]
        if op["operationId"] not in ("get_health", "get_version"):
            assert {"401", "403", "422", "429"} <= set(op["responses"]), op["operationId"]
            assert op.get("security"), op["operationId"]
    with_path_ids = [op for path, item in schema["paths"].items() if "{" in path for op in item.values()]
    assert all("404" in op["responses"] for op in with_path_ids)


@pytest.mark.django_db
def test_request_and_response_schemas_carry_examples(client: Client) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    missing = [
        name
        for name, component in components.items()
        if name.endswith(("In", "Out"))
        and "examples" not in component
        and not any("examples" in prop for prop in component.get("properties", {}).values())
    ]
    assert missing == []
