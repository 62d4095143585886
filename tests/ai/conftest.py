from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.ai.fake_openai import FakeOpenAI, FakeOpenAIServer
from toolbox.celery import app


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Tasks run in the calling thread, the way Celery runs them with task_always_eager.
    Errors are not propagated, as in a worker: a task's retry runs again at once, and the
    job's final state is what the tests look at."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def offline(settings: SettingsWrapper) -> None:
    settings.OPENAI_API_KEY = ""


@pytest.fixture
def fake_openai(settings: SettingsWrapper) -> Iterator[FakeOpenAI]:
    """A local OpenAI-compatible server, with the openai provider configured to use it."""
    with FakeOpenAIServer() as fake:
        settings.OPENAI_API_KEY = "sk-test-not-a-real-key"
        settings.OPENAI_BASE_URL = fake.base_url
        settings.AI_MODEL = "gpt-4o-mini"
        settings.AI_REQUEST_TIMEOUT_SECONDS = 5.0
        yield fake
