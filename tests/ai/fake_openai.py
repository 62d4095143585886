"""A local OpenAI-compatible server for tests: POST /v1/chat/completions and /v1/moderations.

It answers the way OpenAI does. With tool calling (what our provider sends) the structured
answer is the arguments of a tool call to the tool named in the request; with a
`response_format` of type json_schema it is the message content. Every request body is
recorded, so tests can read exactly what reached the "provider". Replies can be scripted
(a status code, malformed JSON, an invalid draft, a slow answer); when the script runs out
it answers with a valid draft of the schema asked for.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PLACEHOLDER = re.compile(r"\[STUDENT_\d+(?:_[A-Z]+)?\]")


@dataclass
class Reply:
    status: int = 200
    arguments: str | None = None  # the tool-call arguments (or content) to send, as text
    delay_seconds: float = 0.0


def valid_lesson(placeholders: list[str]) -> dict[str, Any]:
    mention = f" {placeholders[0]} asked a good question about leaves." if placeholders else ""
    return {
        "title": "How plants make food",
        "objectives": [
            {"verb": "explain", "statement": "Explain how plants make food from light."},
            {"verb": "define", "statement": "Define photosynthesis and chlorophyll."},
        ],
        "vocabulary": [{"term": "chlorophyll", "definition": "The green pigment that takes in light."}],
        "key_ideas": ["Plants make food from light, water and air."],
        "body_markdown": (
            "Plants make their own food. They use light from the sun. Water comes up from the roots. "
            "Air gets in through small holes in the leaves. The leaves mix these things to make sugar. "
            "The plant uses the sugar to grow." + mention
        ),
        "check_for_understanding": [{"question": "What do plants need to make food?", "answer": "Light, water, air."}],
        "summary": "Plants use light, water and air to make sugar, their food.",
        "estimated_minutes": 15,
    }


def valid_quiz() -> dict[str, Any]:
    return {
        "title": "Photosynthesis check",
        "description": "Five quick questions.",
        "questions": [
            {
                "kind": "single_choice",
                "prompt": "Which pigment captures light?",
                "choices": ["Chlorophyll", "Glucose", "Oxygen"],
                "correct_choices": ["Chlorophyll"],
                "explanation": "Chlorophyll is the green pigment.",
            },
            {
                "kind": "true_false",
                "prompt": "Plants release oxygen.",
                "choices": ["True", "False"],
                "correct_choices": ["True"],
            },
            {"kind": "short_answer", "prompt": "What sugar do plants make?", "accepted_answers": ["glucose"]},
            {"kind": "numeric", "prompt": "How many reactants are named (light aside)?", "numeric_answer": 2},
            {
                "kind": "ordering",
                "prompt": "Order the steps.",
                "choices": ["Light is absorbed", "Water is split", "Glucose is built"],
            },
        ],
    }


def invalid_quiz() -> dict[str, Any]:
    """Valid JSON, but the answer of its first question is not among the choices."""
    quiz = valid_quiz()
    quiz["questions"][0]["correct_choices"] = ["Sunlight"]
    return quiz


@dataclass
class FakeOpenAI:
    base_url: str = ""
    chat_requests: list[dict[str, Any]] = field(default_factory=list)
    moderation_requests: list[dict[str, Any]] = field(default_factory=list)
    script: deque[Reply] = field(default_factory=deque)
    always: Reply | None = None
    flag_moderation: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def queue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def all_request_text(self) -> str:
        return json.dumps([*self.chat_requests, *self.moderation_requests], ensure_ascii=False)

    def next_reply(self) -> Reply | None:
        with self.lock:
            if self.script:
                return self.script.popleft()
            return self.always

    def default_arguments(self, body: dict[str, Any]) -> str:
        schema = self.schema_name(body)
        placeholders = sorted(set(PLACEHOLDER.findall(json.dumps(body["messages"], ensure_ascii=False))))
        if schema == "LessonDraft":
            return json.dumps(valid_lesson(placeholders))
        if schema == "QuizDraft":
            return json.dumps(valid_quiz())
        return json.dumps({"score_fraction": 0.5, "feedback": "Partly right.", "confidence": 0.7})

    @staticmethod
    def schema_name(body: dict[str, Any]) -> str:
        if body.get("tools"):
            return body["tools"][0]["function"]["name"]
        return body["response_format"]["json_schema"]["name"]

    def completion(self, body: dict[str, Any], arguments: str) -> dict[str, Any]:
        if body.get("tools"):
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{len(self.chat_requests)}",
                        "type": "function",
                        "function": {"name": self.schema_name(body), "arguments": arguments},
                    }
                ],
            }
            finish = "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": arguments}, "stop"
        return {
            "id": f"chatcmpl-{len(self.chat_requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "test-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
        }

    def moderation(self, body: dict[str, Any]) -> dict[str, Any]:
        categories = {"harassment": False, "hate": False, "self-harm": False, "sexual": False, "violence": False}
        if self.flag_moderation:
            categories["violence"] = True
        return {
            "id": "modr-1",
            "model": "omni-moderation-latest",
            "results": [
                {
                    "flagged": self.flag_moderation,
                    "categories": categories,
                    "category_scores": {name: 0.9 if hit else 0.0 for name, hit in categories.items()},
                }
            ],
        }


def make_handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, payload: dict[str, Any] | str) -> None:
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if self.path.endswith("/moderations"):
                with fake.lock:
                    fake.moderation_requests.append(body)
                self._send(200, fake.moderation(body))
                return
            if not self.path.endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                return
            with fake.lock:
                fake.chat_requests.append(body)
            reply = fake.next_reply() or Reply()
            if reply.delay_seconds:
                time.sleep(reply.delay_seconds)
            if reply.status != 200:
                error_type = "rate_limit_exceeded" if reply.status == 429 else "server_error"
                self._send(reply.status, {"error": {"message": f"test {reply.status}", "type": error_type}})
                return
            arguments = reply.arguments if reply.arguments is not None else fake.default_arguments(body)
            self._send(200, fake.completion(body, arguments))

    return Handler


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.fake = FakeOpenAI()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.fake))
        self.server.daemon_threads = True
        self.fake.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
