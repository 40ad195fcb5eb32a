"""A real OpenAI-compatible chat server on 127.0.0.1 that answers from scripts and injects faults.

The LLM backend's tests and bench/bench_llm.py drive the real openai and
instructor clients over real HTTP against it, so retries, timeouts, re-asks and
concurrency are exercised end to end without a network or a model. It lives in
the package (not in tests/) so the benchmark imports the same server the tests
use, and mypy checks it like the rest of claimex.

Replies are scripted per abstract: the n-th request about an abstract gets the
n-th reply of its script (the last one repeats). The server finds the abstract
between <abstract> tags in the first user message, the convention of claimex's
prompts, and answers in the shape the request asks for: a tool call when the
request offers tools (instructor's TOOLS mode), JSON content when it sets
response_format (JSON_SCHEMA, JSON), and a ```json fence otherwise (MD_JSON).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from claimex.testing.batch_api import BatchAPI
from claimex.testing.batch_api import Reply as APIReply

_ABSTRACT_RE = re.compile(r"<abstract>\s*(.*?)\s*</abstract>", re.DOTALL)


@dataclass(frozen=True)
class Answer:
    """A normal completion returning these claims (dicts in the claim-spec shape)."""

    claims: Sequence[Mapping[str, object]]


@dataclass(frozen=True)
class Fail:
    """An HTTP error status, optionally with Retry-After (seconds) and a body."""

    status: int
    retry_after: float | None = None
    body: str | None = None


@dataclass(frozen=True)
class Stall:
    """Hold the request this long, then answer 504 (longer than the client's timeout)."""

    seconds: float


@dataclass(frozen=True)
class Malformed:
    """A 200 response whose JSON body is cut off."""

    body: str = '{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{'


@dataclass(frozen=True)
class HtmlPage:
    """A 200 response that is an HTML page (a proxy's login or error page), not JSON."""

    body: str = "<!doctype html><html><body><h1>Sign in to continue</h1></body></html>"


@dataclass(frozen=True)
class NoChoices:
    """A 200 chat completion whose `choices` list is empty (seen from overloaded gateways)."""


@dataclass(frozen=True)
class RefuseJsonSchema:
    """Answer normally, except 400 to response_format json_schema (as llama-cpp-python does)."""

    then: Answer


Reply = Answer | Fail | Stall | Malformed | HtmlPage | NoChoices | RefuseJsonSchema


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    abstract: str
    body: dict[str, Any]
    authorization: str | None
    reply: Reply
    received_at: float  # time.monotonic() when the request arrived
    prompt_tokens: int = 0
    completion_tokens: int = 0


def abstract_of(body: Mapping[str, Any]) -> str:
    """The abstract a chat request is about: <abstract> in the first user message."""
    for message in body.get("messages", []):
        if message.get("role") == "user":
            text = _content_text(message.get("content"))
            found = _ABSTRACT_RE.search(text)
            return found.group(1) if found else text
    return ""


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


@dataclass(frozen=True)
class Response:
    """What the server answers to one chat request (over HTTP, or as a batch output line)."""

    status: int
    data: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    content_type: str = "application/json"


def respond(body: Mapping[str, Any], reply: Reply, *, live: bool) -> Response:
    """The response a reply scripts for a request; live=False skips a Stall's wait (batches)."""
    if isinstance(reply, RefuseJsonSchema):
        if (body.get("response_format") or {}).get("type") == "json_schema":
            message = "response_format type json_schema is not supported, use json_object"
            return _error(400, message)
        reply = reply.then
    if isinstance(reply, Fail):
        headers = {} if reply.retry_after is None else {"Retry-After": f"{reply.retry_after}"}
        payload = reply.body or json.dumps({"error": {"message": f"scripted {reply.status}"}})
        return Response(reply.status, payload.encode(), headers)
    if isinstance(reply, Stall):
        if live:
            time.sleep(reply.seconds)
        return _error(504, "stalled")
    if isinstance(reply, Malformed):
        return Response(200, reply.body.encode())
    if isinstance(reply, HtmlPage):
        return Response(200, reply.body.encode(), content_type="text/html; charset=utf-8")
    if isinstance(reply, NoChoices):
        empty = _completion(body, "{}", 0, 0) | {"choices": []}
        return Response(200, json.dumps(empty).encode())
    arguments = json.dumps({"claims": list(reply.claims)})
    prompt_tokens = estimate_tokens(json.dumps(body.get("messages", [])))
    completion_tokens = estimate_tokens(arguments)
    completion = _completion(body, arguments, prompt_tokens, completion_tokens)
    return Response(200, json.dumps(completion).encode(), {}, prompt_tokens, completion_tokens)


def _error(status: int, message: str) -> Response:
    return Response(status, json.dumps({"error": {"message": message}}).encode())


def estimate_tokens(text: str) -> int:
    """A deterministic stand-in for a tokenizer: one token per four characters."""
    return max(1, len(text) // 4)


@dataclass
class _State:
    scripts: dict[str, list[Reply]]
    default: Callable[[str], Reply] | None
    latency: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: Counter[str] = field(default_factory=Counter)
    requests: list[Recorded] = field(default_factory=list)
    arrived: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    batch_api: BatchAPI | None = None

    def next_reply(self, abstract: str) -> Reply:
        """The abstract's next scripted reply (call with the lock held)."""
        script = self.scripts.get(abstract)
        n = self.seen[abstract]
        self.seen[abstract] += 1
        if script:
            return script[min(n, len(script) - 1)]
        if self.default is not None:
            return self.default(abstract)
        return Fail(404, body=json.dumps({"error": {"message": "no script for this abstract"}}))

    def answer_line(self, body: dict[str, Any]) -> tuple[int, bytes]:
        """A batch request line, answered and recorded as a chat request would be."""
        abstract = abstract_of(body)
        with self.lock:
            reply = self.next_reply(abstract)
            self.arrived += 1
        response = respond(body, reply, live=False)
        with self.lock:
            self.requests.append(
                Recorded(
                    abstract,
                    body,
                    None,
                    reply,
                    time.monotonic(),
                    response.prompt_tokens,
                    response.completion_tokens,
                )
            )
        return response.status, response.data


class StubOpenAIServer:
    """Context manager: serve /v1/chat/completions on 127.0.0.1 at a free port.

    Also serves the files and batches endpoints (batch_api.py): a batch reports
    in_progress for `batch_polls` retrievals, and with `batch_expire_after=N`
    answers only its first N lines before it expires.
    """

    def __init__(
        self,
        scripts: Mapping[str, Sequence[Reply]] | None = None,
        *,
        default: Callable[[str], Reply] | None = None,
        latency: float = 0.0,
        batch_polls: int = 0,
        batch_expire_after: int | None = None,
    ) -> None:
        self._state = _State(
            scripts={k: list(v) for k, v in (scripts or {}).items()},
            default=default,
            latency=latency,
        )
        self.batch_api = BatchAPI(
            self._state.answer_line, polls=batch_polls, expire_after=batch_expire_after
        )
        self._state.batch_api = self.batch_api
        handler = type("Handler", (_Handler,), {"state": self._state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.request_queue_size = 256
        self._server.server_bind()
        self._server.server_activate()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def requests(self) -> list[Recorded]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def request_count(self) -> int:
        with self._state.lock:
            return len(self._state.requests)

    @property
    def arrivals(self) -> int:
        """Requests received so far, including those still being answered."""
        with self._state.lock:
            return self._state.arrived

    @property
    def peak_in_flight(self) -> int:
        with self._state.lock:
            return self._state.peak_in_flight

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until every request that arrived has been answered and recorded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._state.lock:
                if self._state.in_flight == 0 and len(self._state.requests) == self._state.arrived:
                    return
            time.sleep(0.005)
        raise TimeoutError(f"requests still in flight after {timeout}s")

    def requests_for(self, abstract: str) -> list[Recorded]:
        return [r for r in self.requests if r.abstract == abstract]

    def script(self, abstract: str, replies: Sequence[Reply]) -> None:
        """Replace an abstract's script and restart its reply sequence."""
        with self._state.lock:
            self._state.scripts[abstract] = list(replies)
            self._state.seen[abstract] = 0

    def reset_counts(self) -> None:
        """Forget recorded requests and peaks (scripts continue where they were)."""
        with self._state.lock:
            self._state.requests.clear()
            self._state.arrived = 0
            self._state.peak_in_flight = 0

    def start(self) -> StubOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StubOpenAIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    state: _State
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers and the openai client expect
    # The headers and the body go out in two writes; with Nagle's algorithm the body
    # waits for the client's delayed ACK (about 40 ms a request), as no real server does.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and benchmarks read the recorded requests instead."""

    def do_GET(self) -> None:
        """GET .../stats: the counters, for a server running in another process (benchmarks)."""
        if self._batch_api("GET", b""):
            return
        if not self.path.rstrip("/").endswith("/stats"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        state = self.state
        with state.lock:
            stats = {
                "requests": len(state.requests),
                "arrivals": state.arrived,
                "peak_in_flight": state.peak_in_flight,
                "cpu_seconds": time.process_time(),  # the server process's, for benchmarks
            }
        self._send(200, stats)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self._batch_api("POST", raw):
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        received_at = time.monotonic()
        body: dict[str, Any] = json.loads(raw)
        state = self.state
        abstract = abstract_of(body)
        with state.lock:
            reply = self._next_reply(abstract)
            state.arrived += 1
            state.in_flight += 1
            state.peak_in_flight = max(state.peak_in_flight, state.in_flight)
        prompt_tokens = completion_tokens = 0
        try:
            if state.latency:
                time.sleep(state.latency)
            prompt_tokens, completion_tokens = self._answer(body, reply)
        finally:
            with state.lock:
                state.in_flight -= 1
                state.requests.append(
                    Recorded(
                        abstract,
                        body,
                        self.headers.get("Authorization"),
                        reply,
                        received_at,
                        prompt_tokens,
                        completion_tokens,
                    )
                )

    def _next_reply(self, abstract: str) -> Reply:
        return self.state.next_reply(abstract)

    def _batch_api(self, method: str, raw: bytes) -> bool:
        """Answer a files/batches request; False when the path is not one of theirs."""
        api = self.state.batch_api
        reply: APIReply | None = None
        if api is not None:
            reply = api.handle(method, self.path, self.headers, raw)
        if reply is None:
            return False
        self._send_raw(reply.status, reply.data, {}, reply.content_type)
        return True

    def _answer(self, body: dict[str, Any], reply: Reply) -> tuple[int, int]:
        response = respond(body, reply, live=True)
        self._send_raw(response.status, response.data, response.headers, response.content_type)
        return response.prompt_tokens, response.completion_tokens

    def _send(self, status: int, payload: Mapping[str, Any]) -> None:
        self._send_raw(status, json.dumps(payload).encode(), {})

    def _send_raw(
        self,
        status: int,
        data: bytes,
        headers: Mapping[str, str],
        content_type: str = "application/json",
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True


def _completion(
    body: Mapping[str, Any], arguments: str, prompt_tokens: int, completion_tokens: int
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    tools = body.get("tools")
    if tools:
        name = tools[0]["function"]["name"]
        message["tool_calls"] = [
            {
                "id": "call_0",
                "type": "function",
                "function": {"name": name, "arguments": arguments},
            }
        ]
        finish = "tool_calls"
    elif body.get("response_format"):
        message["content"] = arguments
    else:
        message["content"] = f"```json\n{arguments}\n```"
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "stub"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
