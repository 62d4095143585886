from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import ParentLinkFactory
from toolbox.accounts.models import User


@pytest.mark.django_db
def test_health_and_version_answer_anonymously(client: Client) -> None:
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert set(health.json()["checks"]) == {"database", "cache", "broker"}
    assert client.get("/api/v1/version").json()["api_version"] == "1.0.0"


@pytest.mark.django_db
def test_me_needs_authentication_and_answers_the_error_body(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"detail", "code", "errors"}


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "allowed"), [("delete", "/classes", "GET, POST"), ("post", "/me", "GET")])
def test_a_method_a_path_does_not_take_answers_405_with_the_error_body_and_allow(
    client: Client, method: str, path: str, allowed: str
) -> None:
    response = getattr(client, method)(f"/api/v1{path}")
    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": f"This path does not take {method.upper()}: it takes {allowed}.",
        "code": "method_not_allowed",
        "errors": [],
    }


def _browser_session(user: User) -> Client:
    """A signed-in browser: the CSRF middleware is on, as it is for a real one."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


WRITE_AND_OTHER_METHODS = ["post", "put", "patch", "delete", "options"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", *WRITE_AND_OTHER_METHODS])
@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v1/classes/abc/x", "/api/v1/classes/", "/api/v1/", "/api/v1/me/nope/deeper"]
)
def test_a_path_the_api_does_not_have_answers_404_with_the_error_body(student: User, method: str, path: str) -> None:
    for client in (Client(enforce_csrf_checks=True), _browser_session(student)):
        response = getattr(client, method)(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {
            "detail": "The API has no such path: /api/v1/docs lists the paths it has.",
            "code": "not_found",
            "errors": [],
        }


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["/no-such-page/", "/student/no-such-page/", "/apiv1/nope"])
def test_a_missing_site_page_keeps_its_styled_html_404(student: User, method: str, path: str) -> None:
    response = getattr(_browser_session(student), method)(path)
    assert response.status_code == 404
    assert "errors/404.html" in [template.name for template in response.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("method", WRITE_AND_OTHER_METHODS)
@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_schema_and_docs_refuse_any_method_but_get_with_405_and_the_error_body(
    student: User, method: str, path: str
) -> None:
    for client in (Client(enforce_csrf_checks=True), _browser_session(student)):
        response = getattr(client, method)(path)
        assert response.status_code == 405
        assert response["Allow"] == "GET"
        assert response.json() == {
            "detail": f"This path does not take {method.upper()}: it takes GET.",
            "code": "method_not_allowed",
            "errors": [],
        }
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_head_on_the_schema_and_docs_answers_as_on_every_get_path_of_the_api(client: Client) -> None:
    """ninja's GET operations refuse HEAD; the schema and docs do the same, so Allow tells the truth."""
    operation = client.head("/api/v1/me")
    for path in ("/api/v1/openapi.json", "/api/v1/docs"):
        response = client.head(path)
        assert (response.status_code, response["Allow"]) == (operation.status_code, operation["Allow"]) == (405, "GET")


@pytest.mark.django_db
def test_me_lists_a_parents_children(login, parent: User) -> None:
    link = ParentLinkFactory(parent=parent, student__school=parent.school, can_view_grades=False)
    body = login(parent).get("/api/v1/me").json()
    assert body["role"] == "parent"
    assert body["school"]["id"] == parent.school_id
    assert body["children"] == [
        {"id": link.student.pk, "name": link.student.name, "grade_level": "7", "can_view_grades": False}
    ]


@pytest.mark.django_db
def test_schema_is_openapi_3_1_with_stable_operation_ids(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    operation_ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"get_health", "get_version", "get_me"} <= operation_ids
