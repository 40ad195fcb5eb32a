"""One instructor call per abstract: structured output, re-asks, transport retries, a trace.

The structured-output function is built once per client with instructor's
public `instructor.patch(create=...)` around claimex's own create function
(instructor.from_openai would bind it to `chat.completions.create`, leaving no
place for claimex's per-request retry policy). That function sends the body
instructor built through the openai client's `post`, so every HTTP request
passes through transport.py's retries and is counted, and the typed
`chat.completions.create` does not walk the 12 kB prompt and schema again on
every request. Validation failures, grounding included (response.py), are
re-asked by instructor with the reason; its "parse:error" hook tells the trace
why an answer was rejected. The re-ask budget is given to instructor as a
tenacity AsyncRetrying that retries only answers that failed to parse or
validate (`reasked`): instructor 1.13 and older would otherwise also
repeat a request that failed for good, on top of transport.py's retries.

Which paper a request belongs to is in a ContextVar set around each call (each
paper runs in its own asyncio task), so concurrent papers never mix traces.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import instructor
from instructor import Mode
from instructor.core import (
    Hooks,
    IncompleteOutputException,
    InstructorError,
    InstructorRetryException,
)
from instructor.core import ValidationError as InstructorValidationError
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion
from pydantic import ValidationError
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from claimex.backends.llm import validator_check
from claimex.backends.llm.config import LLMMode, LLMSettings, public_url
from claimex.backends.llm.prompts import Prompt
from claimex.backends.llm.redaction import Redactor
from claimex.backends.llm.response import RESPONSE_MODEL, ClaimList, GroundingCheck, grounding
from claimex.backends.llm.transport import (
    Fault,
    MalformedResponse,
    ReachabilityGuard,
    RequestFailed,
    RetryPolicy,
    classify,
    send_with_retries,
)
from claimex.errors import ClaimexError
from claimex.model import Claim
from claimex.stages import BackendUnavailable

OPENAI_URL = "https://api.openai.com/v1"  # the openai client's default base URL
INSTRUCTOR_MODES = {
    LLMMode.TOOLS: Mode.TOOLS,
    LLMMode.JSON_SCHEMA: Mode.JSON_SCHEMA,
    LLMMode.JSON: Mode.JSON,
    LLMMode.MD_JSON: Mode.MD_JSON,
}

# instructor logs every failed API call at ERROR; claimex records the same failure,
# redacted, per paper, so keep instructor quiet unless the user configures logging.
logging.getLogger("instructor").addHandler(logging.NullHandler())
validator_check.install()


@dataclass
class Attempt:
    """One HTTP request of a call: what it added to the conversation, and what came of it."""

    messages: list[Any]  # messages no earlier attempt sent (never the static system prompt)
    response: str | None = None  # the completion as JSON, redacted
    input_tokens: int = 0
    output_tokens: int = 0
    error: str | None = None  # the transport fault, or why instructor rejected the answer

    def as_json(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "response": None if self.response is None else json.loads(self.response),
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "error": self.error,
        }


@dataclass
class CallTrace:
    """What one paper's call cost: HTTP requests, retries, answers, tokens, every attempt."""

    requests: int = 0
    http_retries: int = 0
    answers: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    raw_response: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    _messages_logged: int = 0

    @property
    def reasks(self) -> int:
        """Answers after the first: each one followed a failed validation."""
        return max(0, self.answers - 1)

    def begin(self, messages: list[Any]) -> Attempt:
        """A new attempt, logging only the messages no earlier attempt sent."""
        start = self._messages_logged
        if start == 0 and messages and messages[0].get("role") == "system":
            start = 1  # the static prompt: identified by the run's prompt hash
        self._messages_logged = len(messages)
        attempt = Attempt(list(messages[start:]))
        self.attempts.append(attempt)
        return attempt

    def answered(
        self, attempt: Attempt, completion: ChatCompletion, clean: Callable[[str], str]
    ) -> None:
        self.answers += 1
        usage = completion.usage
        if usage is not None:
            attempt.input_tokens, attempt.output_tokens = (
                usage.prompt_tokens,
                usage.completion_tokens,
            )
            self.input_tokens += usage.prompt_tokens
            self.output_tokens += usage.completion_tokens
        attempt.response = self.raw_response = clean(completion.model_dump_json())

    def attempts_json(self, clean: Callable[[str], str]) -> str:
        """Every attempt as one redacted JSON array (llm_calls.attempts)."""
        return clean(json.dumps([a.as_json() for a in self.attempts], default=str))


@dataclass(frozen=True)
class ClaimsAnswer:
    claims: list[Claim]
    dropped: list[str]
    trace: CallTrace


class CallFailed(Exception):
    """No usable answer for a paper. The message is redacted; the trace says what it cost."""

    def __init__(self, reason: str, trace: CallTrace) -> None:
        super().__init__(reason)
        self.trace = trace


class _Captured(BaseException):
    """Stops a call once instructor has built its request (see request_body).

    A BaseException, so instructor's retry loop neither retries nor logs it as a failed call.
    """


Answerer = Callable[[dict[str, Any], CallTrace], Awaitable[ChatCompletion]]


@dataclass(frozen=True)
class _Call:
    """The paper being asked in this task: how its requests are answered, and its trace."""

    answer: Answerer
    trace: CallTrace
    check: GroundingCheck


_current: ContextVar[_Call] = ContextVar("claimex_llm_call")


class ClaimsClient:
    """Asks an OpenAI-compatible endpoint for a paper's claims."""

    def __init__(
        self, settings: LLMSettings, prompt: Prompt, api_key: str, redactor: Redactor
    ) -> None:
        self._settings = settings
        self._prompt = prompt
        self._api_key = api_key
        self._redactor = redactor
        self._policy = RetryPolicy(
            retries=settings.http_retries,
            base=settings.backoff_base,
            cap=settings.backoff_max,
            max_retry_after=settings.max_retry_after,
        )
        # Made here, not in the first request: the first AsyncOpenAI costs about 0.3 s
        # (imports, TLS context); it is adopted by the first event loop that asks.
        self._http: tuple[asyncio.AbstractEventLoop | None, AsyncOpenAI] | None = (
            None,
            self._new_openai(),
        )
        self._guard = ReachabilityGuard(endpoint(settings))
        mode = INSTRUCTOR_MODES[settings.mode]
        self._structured: Callable[..., Awaitable[ClaimList]] = instructor.patch(
            create=self._create, mode=mode
        )
        self._hooks = Hooks()
        self._hooks.on("parse:error", _rejected)

    def _openai(self) -> AsyncOpenAI:
        """The HTTP client of the running event loop (pooled connections belong to one loop)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http[0] not in (None, loop):
            self._http = (loop, self._new_openai())
        elif self._http[0] is None:
            self._http = (loop, self._http[1])
        return self._http[1]

    def _new_openai(self) -> AsyncOpenAI:
        return AsyncOpenAI(
            api_key=self._api_key,
            base_url=self._settings.base_url,
            timeout=self._settings.timeout,
            max_retries=0,
        )

    async def aclose(self) -> None:
        """Close the pooled connections; the next call opens new ones."""
        if self._http is not None:
            _, client = self._http
            self._http = None
            await client.close()

    async def ask(self, title: str, abstract: str) -> ClaimsAnswer:
        """The grounded claims of one abstract, or CallFailed with a storable reason."""
        return await self._call(
            title, abstract, self._send, CallTrace(), self._settings.max_retries
        )

    async def request_body(self, title: str, abstract: str) -> dict[str, Any]:
        """The chat-completion request `ask` sends first, as JSON (a Batch API line's body).

        instructor builds it (tools or response_format, schema in the prompt for the
        JSON modes), so a batch asks exactly what an interactive run asks.
        """
        captured: dict[str, Any] = {}

        async def capture(kwargs: dict[str, Any], trace: CallTrace) -> ChatCompletion:
            captured.update(kwargs)
            raise _Captured

        try:
            await self._call(title, abstract, capture, CallTrace(), max_retries=0)
        except _Captured:
            body: dict[str, Any] = json.loads(json.dumps(captured))
            return body
        except CallFailed as exc:  # instructor failed before it had a request to send
            raise ClaimexError(f"cannot build the request: {exc}") from None
        raise ClaimexError("cannot build the request: instructor sent none")

    async def read_answer(
        self, title: str, abstract: str, completion: ChatCompletion
    ) -> ClaimsAnswer:
        """Parse and ground an answer that came back some other way (a Batch API output line).

        There is no re-ask: this answer is the last attempt, so ungrounded claims are
        dropped with their reasons, and an answer that does not validate fails the paper.
        """

        async def answered(kwargs: dict[str, Any], trace: CallTrace) -> ChatCompletion:
            trace.requests += 1
            trace.answered(trace.begin(kwargs["messages"]), completion, self._redactor.clean)
            return completion

        return await self._call(title, abstract, answered, CallTrace(), max_retries=0)

    async def _call(
        self, title: str, abstract: str, answer: Answerer, trace: CallTrace, max_retries: int
    ) -> ClaimsAnswer:
        """One instructor call, its requests answered by `answer`; failures as CallFailed."""
        settings = self._settings
        check = GroundingCheck(abstract, attempts_allowed=max_retries + 1)
        token = _current.set(_Call(answer, trace, check))
        try:
            with grounding(check):
                result = await self._structured(
                    response_model=RESPONSE_MODEL,
                    messages=self._prompt.messages(title, abstract),
                    max_retries=AsyncRetrying(  # one per call: tenacity keeps state in it
                        stop=stop_after_attempt(max_retries + 1),
                        retry=retry_if_exception(reasked),
                        reraise=True,
                    ),
                    strict=False,
                    hooks=self._hooks,
                    model=settings.model,
                    temperature=settings.temperature,
                )
        except Exception as exc:  # every failure becomes a stored reason, never a crash
            cause = exc.__cause__ if isinstance(exc, InstructorRetryException) else exc
            if isinstance(cause, BackendUnavailable):
                raise cause.cleaned(self._redactor.clean) from None
            raise CallFailed(self._redactor.clean(self._reason(exc, trace)), trace) from None
        finally:
            _current.reset(token)
        clean = self._redactor.clean
        claims = [_redacted(claim, clean) for claim in result.claims]
        return ClaimsAnswer(claims, [clean(reason) for reason in result.dropped], trace)

    async def _create(self, **kwargs: Any) -> ChatCompletion:
        """What instructor calls for each attempt: the current paper's answerer."""
        call = _current.get()
        completion = await call.answer(kwargs, call.trace)
        call.check.attempts_made += 1
        return completion

    async def _send(self, kwargs: dict[str, Any], trace: CallTrace) -> ChatCompletion:
        """POST the request instructor built, retrying transport faults per policy."""
        client = self._openai()

        async def send() -> ChatCompletion:
            trace.requests += 1
            attempt = trace.begin(kwargs["messages"])
            try:
                completion = _usable(
                    await client.post("/chat/completions", body=kwargs, cast_to=ChatCompletion)
                )
            except Exception as exc:
                attempt.error = _describe(exc)
                raise
            trace.answered(attempt, completion, self._redactor.clean)
            return completion

        def on_retry(fault: Fault) -> None:
            trace.http_retries += 1

        return await send_with_retries(send, self._policy, self._redactor, on_retry, self._guard)

    def _reason(self, exc: Exception, trace: CallTrace) -> str:
        cause = exc.__cause__ if isinstance(exc, InstructorRetryException) else exc
        if isinstance(cause, RequestFailed):
            reason = str(cause)
            if "HTTP 400" in reason and self._settings.mode is LLMMode.JSON_SCHEMA:
                reason += " (if the server rejects json_schema, set the mode to json)"
            return reason
        if isinstance(cause, ValidationError):
            return f"no valid answer after {trace.answers} attempts: {_first_problem(cause)}"
        if isinstance(exc, IncompleteOutputException):
            return "the answer was cut off (the model hit its output token limit)"
        return f"{type(cause or exc).__name__}: {_one_line(str(cause or exc))}"


def endpoint(settings: LLMSettings) -> str:
    """Where requests go, safe to show (no user:password)."""
    return public_url(settings.base_url) or OPENAI_URL


def reasked(exc: BaseException) -> bool:
    """Whether instructor re-asks after exc: an answer that did not parse or validate.

    instructor's parse errors are its ValueError subclasses (ResponseParsingError in
    recent releases, which older ones lack); transport failures are not re-asked.
    """
    return isinstance(exc, ValidationError | json.JSONDecodeError | InstructorValidationError) or (
        isinstance(exc, ValueError) and isinstance(exc, InstructorError)
    )


def _rejected(error: Exception, **metadata: Any) -> None:
    """instructor's "parse:error" hook: why the current attempt's answer was rejected."""
    call = _current.get(None)
    if call is not None and call.trace.attempts:
        problems = error.errors() if isinstance(error, ValidationError) else None
        text = "; ".join(_problem(p) for p in problems) if problems else str(error)
        call.trace.attempts[-1].error = _one_line(text, limit=2000)


def _describe(exc: Exception) -> str:
    fault = classify(exc)
    return fault.description if fault is not None else f"{type(exc).__name__}: {exc}"


def _first_problem(exc: ValidationError) -> str:
    return _one_line(_problem(exc.errors()[0]))


def _problem(problem: Any) -> str:
    where = ".".join(str(p) for p in problem["loc"])
    return f"{where}: {problem['msg']}" if where else str(problem["msg"])


def _usable(completion: object) -> ChatCompletion:
    """The completion, or MalformedResponse when a 200 holds no answer to parse.

    The openai client hands back a non-JSON body (a proxy's HTML page) as a str
    and an empty `choices` as is; instructor would fail on either with a raw
    AttributeError or IndexError, and without a retry.
    """
    if not isinstance(completion, ChatCompletion):
        text = str(completion).lstrip()[:200].lower()
        looks_html = text.startswith(("<!doctype html", "<html"))
        raise MalformedResponse("an HTML page" if looks_html else "a body that is not JSON")
    if not completion.choices:
        raise MalformedResponse("a completion with no choices")
    return completion


def _redacted(claim: Claim, clean: Callable[[str], str]) -> Claim:
    """The claim with the redactor applied to every text field (a server may echo the key)."""
    update: dict[str, object] = {}
    for name, value in claim:
        if isinstance(value, str) and not isinstance(value, Enum):
            update[name] = clean(value)
        elif isinstance(value, list):
            update[name] = [clean(v) if isinstance(v, str) else v for v in value]
    return claim.model_copy(update=update)


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]
