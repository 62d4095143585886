"""The page helpers: full page or HTMX fragment, and domain errors shown to people."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from toolbox.accounts.mixins import (
    domain_errors_as_messages,
    domain_errors_to_form,
    is_htmx,
    render_page_or_fragment,
)
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError

PAGE = "errors/404.html"
FRAGMENT = "includes/empty_state.html"
CONTEXT = {"title": "No classes yet", "message": "Create your first class."}


def _request(factory: RequestFactory, method: str = "get", path: str = "/educator/", **headers: str) -> HttpRequest:
    request = getattr(factory, method)(path, headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_a_plain_request_gets_the_whole_page(rf: RequestFactory) -> None:
    response = render_page_or_fragment(_request(rf), PAGE, FRAGMENT, CONTEXT)
    body = response.content.decode()
    assert "<!doctype html>" in body
    assert "No classes yet" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_an_htmx_request_gets_only_the_fragment(rf: RequestFactory) -> None:
    response = render_page_or_fragment(_request(rf, HX_Request="true"), PAGE, FRAGMENT, CONTEXT, status=422)
    body = response.content.decode()
    assert response.status_code == 422
    assert "<!doctype html>" not in body
    assert "No classes yet" in body


def test_an_htmx_history_restore_gets_the_whole_page(rf: RequestFactory) -> None:
    request = _request(rf, HX_Request="true", HX_History_Restore_Request="true")
    assert not is_htmx(request)
    assert "<!doctype html>" in render_page_or_fragment(request, PAGE, FRAGMENT, CONTEXT).content.decode()


class ClassForm(forms.Form):
    name = forms.CharField()
    join_code = forms.CharField(required=False)


def test_a_domain_error_naming_a_field_lands_next_to_it() -> None:
    form = ClassForm(data={"name": "7B"})
    assert form.is_valid()
    with domain_errors_to_form(form):
        raise ConflictError("A class called 7B already exists.", field="name")
    assert form.errors["name"] == ["A class called 7B already exists."]


def test_a_domain_error_without_a_known_field_goes_to_the_top_of_the_form() -> None:
    form = ClassForm(data={"name": "7B"})
    assert form.is_valid()
    with domain_errors_to_form(form):
        raise InvalidInputError(
            "The roster has problems.",
            field="no_such_field",
            errors=[{"field": "join_code", "message": "Codes are 8 letters."}, {"message": "Row 3 is empty."}],
        )
    assert form.non_field_errors() == ["The roster has problems.", "Row 3 is empty."]
    assert form.errors["join_code"] == ["Codes are 8 letters."]


def test_code_after_the_failing_service_call_does_not_run() -> None:
    form = ClassForm(data={"name": "7B"})
    reached: list[str] = []
    with domain_errors_to_form(form):
        raise ForbiddenError("Published quizzes cannot be edited.")
        reached.append("after")  # pyright: ignore[reportUnreachable]
    assert reached == []
    assert form.non_field_errors() == ["Published quizzes cannot be edited."]


def test_not_found_from_a_service_is_the_404_page_not_a_form_error() -> None:
    form = ClassForm(data={"name": "7B"})
    with pytest.raises(Http404), domain_errors_to_form(form):
        raise NotFoundError("No such class.")
    assert not form.errors


@domain_errors_as_messages
def _archive(request: HttpRequest) -> HttpResponse:
    raise ConflictError("This class is already archived.")


@domain_errors_as_messages
def _missing(request: HttpRequest) -> HttpResponse:
    raise NotFoundError("No such class.")


def test_an_action_error_becomes_a_flash_message_and_goes_back(rf: RequestFactory) -> None:
    request = _request(rf, "post", "/educator/classes/3/archive/", Referer="http://testserver/educator/classes/3/")
    response = _archive(request)
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/educator/classes/3/"
    assert [str(message) for message in get_messages(request)] == ["This class is already archived."]


def test_a_foreign_referer_is_not_followed(rf: RequestFactory) -> None:
    request = _request(rf, "post", "/educator/classes/3/archive/", Referer="https://evil.example/")
    assert _archive(request)["Location"] == "/accounts/home/"


def test_an_htmx_action_error_answers_the_messages_fragment(rf: RequestFactory) -> None:
    request = _request(rf, "post", "/educator/classes/3/archive/", HX_Request="true")
    response = _archive(request)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#messages"
    assert response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert "This class is already archived." in body
    assert "message-error" in body
    assert request._messages.used, "rendered in the fragment, so not shown again on the next page"  # type: ignore[attr-defined]


def test_an_action_on_a_missing_object_is_404(rf: RequestFactory) -> None:
    with pytest.raises(Http404):
        _missing(_request(rf, "post"))
