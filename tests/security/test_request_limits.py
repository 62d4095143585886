"""Request bodies and uploads are size-limited with a clear 413: the API's error body on
/api/, a styled page elsewhere."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import Settings

pytestmark = pytest.mark.django_db


def test_an_oversized_json_body_to_the_api_answers_413_with_the_error_body(client: Client) -> None:
    body = '{"text": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'

    response = client.post("/api/v1/me", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is too large: send at most 5 MB.",
        "code": "payload_too_large",
        "errors": [],
    }


def test_an_oversized_form_post_to_a_page_answers_a_styled_413_page(client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"username": "someone", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too large to send" in page
    assert "5 MB" in page
    assert 'class="error-page"' in page


def test_an_upload_over_the_upload_limit_answers_413(client: Client, settings: Settings) -> None:
    settings.MAX_UPLOAD_SIZE = 64 * 1024
    upload = SimpleUploadedFile("roster.csv", b"first_name,last_name\n" + b"Ada,Lovelace\n" * 10_000)

    response = client.post("/educator/", {"file": upload})

    assert response.status_code == 413
    assert "64 KB" in response.content.decode()


def test_form_fields_over_the_data_limit_inside_an_allowed_upload_also_answer_413(
    client: Client, settings: Settings
) -> None:
    # The body is under the upload limit, so Django itself finds the fields too big while
    # reading them (RequestDataTooBig), which it would otherwise answer as a bare 400.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/accounts/login/", {"username": "u" * 4096, "file": SimpleUploadedFile("a.txt", b"small")})

    assert response.status_code == 413
    assert "That was too large to send" in response.content.decode()
    assert "larger than the 1 KB we accept" in response.content.decode()


def test_a_body_within_the_limits_is_not_refused(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "someone", "password": "short"})

    assert response.status_code == 200
