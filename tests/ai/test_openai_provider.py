"""The openai provider through the real langchain-openai client, against a local server."""

from __future__ import annotations

import json

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.ai.fake_openai import FakeOpenAI, Reply, invalid_quiz, valid_quiz
from toolbox.ai.providers import get_provider
from toolbox.ai.providers.base import GenerationError, ProviderUnavailableError
from toolbox.ai.providers.openai import OpenAIProvider
from toolbox.ai.schemas import GenerationRequest, QuizDraft

REQUEST = GenerationRequest(subject="Science", grade="7", topic="Photosynthesis", question_count=5)


def provider() -> OpenAIProvider:
    chosen = get_provider()
    assert isinstance(chosen, OpenAIProvider)
    return chosen


def test_a_valid_structured_answer_comes_back_as_the_schema_with_its_token_usage(fake_openai: FakeOpenAI) -> None:
    generated = provider().generate_quiz(request=REQUEST, source_text="", lesson=None)

    assert isinstance(generated.draft, QuizDraft)
    assert [q.kind for q in generated.draft.questions] == [q["kind"] for q in valid_quiz()["questions"]]
    assert (generated.tokens_in, generated.tokens_out) == (100, 50)
    (request,) = fake_openai.chat_requests
    # Tool calling, forced to the schema's tool, with the client's own retries off.
    assert request["tools"][0]["function"]["name"] == "QuizDraft"
    assert request["tool_choice"]["function"]["name"] == "QuizDraft"
    assert request["model"] == "gpt-4o-mini"
    assert "Photosynthesis" in json.dumps(request["messages"])


def test_rate_limiting_is_a_passing_failure_and_the_next_call_succeeds(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(Reply(status=429))

    with pytest.raises(ProviderUnavailableError, match="429"):
        provider().generate_quiz(request=REQUEST, source_text="", lesson=None)
    assert provider().generate_quiz(request=REQUEST, source_text="", lesson=None).draft.questions
    assert len(fake_openai.chat_requests) == 2  # max_retries=0: the client did not retry by itself


def test_a_server_error_is_a_passing_failure(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(Reply(status=503))

    with pytest.raises(ProviderUnavailableError, match="503"):
        provider().generate_quiz(request=REQUEST, source_text="", lesson=None)


def test_a_refused_request_is_a_failure_that_names_the_settings_to_check(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(Reply(status=401))

    with pytest.raises(GenerationError, match="OPENAI_API_KEY"):
        provider().generate_quiz(request=REQUEST, source_text="", lesson=None)


def test_malformed_json_is_sent_back_for_repair_and_the_repair_is_used(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(Reply(arguments='{"title": "Broken", "questions": [{"kind": '))

    generated = provider().generate_quiz(request=REQUEST, source_text="", lesson=None)

    assert generated.draft.title == valid_quiz()["title"]
    assert len(fake_openai.chat_requests) == 2
    repair_request = json.dumps(fake_openai.chat_requests[1]["messages"])
    assert "did not pass validation" in repair_request
    assert "not valid JSON" in repair_request
    assert (generated.tokens_in, generated.tokens_out) == (200, 100)  # the broken answer was paid for too


def test_an_answer_outside_its_choices_is_repaired_with_the_validation_message(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(Reply(arguments=json.dumps(invalid_quiz())))

    generated = provider().generate_quiz(request=REQUEST, source_text="", lesson=None)

    assert generated.draft.questions[0].correct_choices == ["Chlorophyll"]
    assert "is not one of its choices" in json.dumps(fake_openai.chat_requests[1]["messages"], ensure_ascii=False)


def test_three_invalid_answers_fail_with_the_validation_message(fake_openai: FakeOpenAI) -> None:
    fake_openai.always = Reply(arguments=json.dumps(invalid_quiz()))

    with pytest.raises(GenerationError, match=r"after 2 repair attempts.*is not one of its choices") as failure:
        provider().generate_quiz(request=REQUEST, source_text="", lesson=None)
    assert len(fake_openai.chat_requests) == 3
    assert failure.value.tokens_in == 300


def test_a_slow_answer_past_the_time_limit_is_a_passing_failure(
    fake_openai: FakeOpenAI, settings: SettingsWrapper
) -> None:
    settings.AI_REQUEST_TIMEOUT_SECONDS = 0.3
    fake_openai.queue(Reply(delay_seconds=1.5))

    with pytest.raises(ProviderUnavailableError, match="did not answer in time"):
        provider().generate_quiz(request=REQUEST, source_text="", lesson=None)


def test_moderation_flags_come_from_the_moderation_endpoint(fake_openai: FakeOpenAI) -> None:
    assert provider().flag_unsafe(text="A calm lesson about leaves.") == []
    fake_openai.flag_moderation = True
    assert provider().flag_unsafe(text="A lesson") == ["violence"]
    assert fake_openai.moderation_requests[0]["input"] == "A calm lesson about leaves."


def test_structured_output_also_works_when_the_server_is_asked_for_a_json_schema(fake_openai: FakeOpenAI) -> None:
    """The fake server answers LangChain's default shape (response_format json_schema) too,
    which is what `with_structured_output` sends when no method is given."""
    chat = provider().chat.with_structured_output(QuizDraft, include_raw=True)
    result = chat.invoke("Write a quiz.")
    assert isinstance(result, dict)
    assert isinstance(result["parsed"], QuizDraft)
    assert fake_openai.chat_requests[0]["response_format"]["type"] == "json_schema"
