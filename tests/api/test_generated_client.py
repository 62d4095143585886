"""The schema is usable, not just valid: a client generated from openapi.json by a standard
generator (openapi-python-client, offline: no post hooks) signs in with a bearer token,
lists classes, and starts, answers and submits an attempt against a live server."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import API, World, clerk_token

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def _generate_client(tmp_path: Path) -> Any:
    schema = Client().get(f"{API}/openapi.json")
    (tmp_path / "openapi.json").write_bytes(schema.content)
    (tmp_path / "config.yml").write_text("post_hooks: []\npackage_name_override: toolbox_api_client\n")
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(tmp_path / "openapi.json"),
            "--meta",
            "none",
            "--config",
            str(tmp_path / "config.yml"),
            "--output-path",
            str(tmp_path / "toolbox_api_client"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    return importlib.import_module("toolbox_api_client")


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_takes_a_quiz_against_a_live_server(
    world: World, clerk: None, no_throttle: None, live_server: Any, tmp_path: Path
) -> None:
    package = _generate_client(tmp_path)
    try:
        list_classes = importlib.import_module("toolbox_api_client.api.classes.list_classes")
        list_my_assignments = importlib.import_module("toolbox_api_client.api.assignments.list_my_assignments")
        start_attempt = importlib.import_module("toolbox_api_client.api.attempts.start_attempt")
        save_answer = importlib.import_module("toolbox_api_client.api.attempts.save_answer")
        submit_attempt = importlib.import_module("toolbox_api_client.api.attempts.submit_attempt")
        models = importlib.import_module("toolbox_api_client.models")

        client = package.AuthenticatedClient(base_url=live_server.url, token=clerk_token(world.student))
        classes = list_classes.sync(client=client)
        assert [c.name for c in classes.items] == ["Science 7B"]

        assignments = list_my_assignments.sync(client=client)
        quiz_work = next(a for a in assignments.items if a.kind == "quiz")
        attempt = start_attempt.sync(quiz_work.id, client=client)
        assert isinstance(attempt, models.AttemptOut), attempt
        question = attempt.questions[0]
        choice = next(c for c in question.choices if c.text == "Mitochondria")

        body = models.AnswerIn(response=models.AnswerInResponse.from_dict({"choice_id": choice.id}))
        saved = save_answer.sync(attempt.id, question.id, client=client, body=body)
        assert isinstance(saved, models.SavedAnswerOut), saved

        submitted = submit_attempt.sync(attempt.id, client=client, idempotency_key="generated-client-1")
        assert isinstance(submitted, models.AttemptOut), submitted
        assert submitted.status == "graded"
        again = submit_attempt.sync(attempt.id, client=client, idempotency_key="generated-client-1")
        assert again.submitted_at == submitted.submitted_at
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("toolbox_api_client")]:
            del sys.modules[name]
