"""The model provider: LangChain's ChatOpenAI against OpenAI or any compatible server.

Structured output goes through tool calling (`with_structured_output(..., method=
"function_calling", include_raw=True)`): it is the shape that OpenAI-compatible servers
(Ollama, vLLM, LM Studio) support most widely, and with `include_raw` an answer that fails
validation comes back with its raw message and token usage, so it can be repaired and paid
for rather than lost. The client never retries by itself (`max_retries=0`): the Celery task
owns retries, with backoff, so that a retry is visible on the job.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import openai
import structlog
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr, ValidationError

from toolbox.ai.offline.safety import flag_unsafe_words
from toolbox.ai.prompts import (
    ANSWER_FEEDBACK_PROMPT,
    LESSON_PROMPT,
    QUIZ_PROMPT,
    READING_LEVEL_REVISION_PROMPT,
    REPAIR_MESSAGE,
)
from toolbox.ai.providers.base import Generated, GenerationError, ProviderUnavailableError
from toolbox.ai.schemas import AnswerFeedbackDraft, GenerationRequest, LessonDraft, QuizDraft

logger = structlog.get_logger(__name__)

SchemaT = TypeVar("SchemaT", bound=BaseModel)

REPAIR_ATTEMPTS = 2


def describe_validation_error(error: ValidationError) -> str:
    """The validation problems in a sentence per problem, without echoing the input."""
    problems = []
    for detail in error.errors()[:8]:
        where = ".".join(str(part) for part in detail["loc"]) or "answer"
        problems.append(f"{where}: {detail['msg']}")
    return "; ".join(problems)


def _objectives_text(request: GenerationRequest) -> str:
    return "; ".join(request.objectives) or "(none given: choose the essential ones for the topic)"


class OpenAIProvider:
    name = "openai"

    def __init__(self, *, api_key: str, base_url: str, model_name: str, timeout_seconds: float) -> None:
        self.model_name = model_name
        self.chat = ChatOpenAI(
            api_key=SecretStr(api_key),
            base_url=base_url or None,
            model=model_name,
            timeout=timeout_seconds,
            max_retries=0,
            temperature=0.3,
        )

    def _invoke_structured(self, schema: type[SchemaT], messages: list[BaseMessage]) -> Generated[SchemaT]:
        runnable = self.chat.with_structured_output(schema, method="function_calling", include_raw=True)
        tokens_in = tokens_out = 0
        conversation = list(messages)
        problem = ""
        for _ in range(1 + REPAIR_ATTEMPTS):
            result: Any = self._call(runnable, conversation)
            raw = result["raw"]
            if isinstance(raw, AIMessage) and raw.usage_metadata:
                tokens_in += raw.usage_metadata.get("input_tokens", 0)
                tokens_out += raw.usage_metadata.get("output_tokens", 0)
            parsed = result["parsed"]
            if isinstance(parsed, schema):
                return Generated(draft=parsed, tokens_in=tokens_in, tokens_out=tokens_out)
            problem = self._problem_with(raw, result["parsing_error"])
            logger.info("ai_structured_output_invalid", model=self.model_name, problem=problem[:300])
            conversation.append(HumanMessage(content=REPAIR_MESSAGE.format(error=problem)))
        raise GenerationError(
            f"The model's answer did not pass validation after {REPAIR_ATTEMPTS} repair attempts: {problem}",
            tokens_in,
            tokens_out,
        )

    @staticmethod
    def _problem_with(raw: object, parsing_error: object) -> str:
        if isinstance(parsing_error, ValidationError):
            return describe_validation_error(parsing_error)
        if parsing_error is not None:
            return str(parsing_error)[:500]
        if isinstance(raw, AIMessage) and raw.invalid_tool_calls:
            return f"the answer was not valid JSON ({raw.invalid_tool_calls[0].get('error') or 'unparseable'})"
        return "the answer did not use the structured output tool"

    def _call(self, runnable: Any, conversation: list[BaseMessage]) -> object:
        try:
            return runnable.invoke(conversation)
        except (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError) as error:
            raise ProviderUnavailableError(self._unavailable_message(error)) from error
        except openai.APIStatusError as error:
            if error.status_code >= 500 or error.status_code in (408, 409):
                raise ProviderUnavailableError(self._unavailable_message(error)) from error
            raise GenerationError(
                f"The model server refused the request (HTTP {error.status_code}). Check OPENAI_API_KEY, "
                f"OPENAI_BASE_URL and AI_MODEL (now “{self.model_name}”)."
            ) from error

    @staticmethod
    def _unavailable_message(error: Exception) -> str:
        if isinstance(error, openai.RateLimitError):
            return "The model server is rate limiting requests (HTTP 429)."
        if isinstance(error, openai.APITimeoutError):
            return "The model server did not answer in time."
        if isinstance(error, openai.APIConnectionError):
            return "The model server could not be reached."
        status = getattr(error, "status_code", "5xx")
        return f"The model server had an error (HTTP {status})."

    def generate_lesson(self, *, request: GenerationRequest, source_text: str) -> Generated[LessonDraft]:
        messages = LESSON_PROMPT.template.format_messages(
            grade=request.grade,
            target_grade=request.target_grade,
            subject=request.subject,
            topic=request.topic,
            objectives=_objectives_text(request),
            source_text=source_text,
        )
        return self._invoke_structured(LessonDraft, messages)

    def generate_quiz(
        self, *, request: GenerationRequest, source_text: str, lesson: LessonDraft | None
    ) -> Generated[QuizDraft]:
        material = source_text or (lesson.body_markdown if lesson else "")
        messages = QUIZ_PROMPT.template.format_messages(
            grade=request.grade,
            target_grade=request.target_grade,
            subject=request.subject,
            topic=request.topic,
            objectives=_objectives_text(request),
            question_count=request.question_count,
            question_kinds=", ".join(request.question_kinds),
            source_text=material,
        )
        return self._invoke_structured(QuizDraft, messages)

    def revise_reading_level(
        self, *, request: GenerationRequest, lesson: LessonDraft, measured_grade: float
    ) -> Generated[LessonDraft] | None:
        messages = READING_LEVEL_REVISION_PROMPT.template.format_messages(
            grade=request.grade,
            target_grade=request.target_grade,
            measured_grade=measured_grade,
            lesson_json=json.dumps(lesson.model_dump(), ensure_ascii=False),
        )
        return self._invoke_structured(LessonDraft, messages)

    def suggest_feedback(
        self, *, prompt: str, accepted_answers: list[str], response_text: str
    ) -> Generated[AnswerFeedbackDraft]:
        messages = ANSWER_FEEDBACK_PROMPT.template.format_messages(
            prompt=prompt, accepted_answers="; ".join(accepted_answers), response_text=response_text
        )
        return self._invoke_structured(AnswerFeedbackDraft, messages)

    def flag_unsafe(self, *, text: str) -> list[str]:
        """OpenAI's moderation endpoint; a server without one (most local servers) falls
        back to the offline word list rather than leaving the draft unchecked."""
        try:
            response = self.chat.root_client.moderations.create(input=text[:20_000])
        except openai.APIError as error:
            logger.info("ai_moderation_unavailable", error=type(error).__name__)
            return flag_unsafe_words(text)
        flagged: list[str] = []
        for result in response.results:
            if result.flagged:
                categories = result.categories.model_dump(by_alias=True)
                flagged.extend(name for name, hit in categories.items() if hit and name not in flagged)
        return flagged
