"""One instructor-driven call per abstract: structured output, re-asks, transport retries.

Each call gets its own small `create` function wrapped by instructor, so the
call's trace (requests, retries, tokens, last raw response) and the grounding
check's attempt count belong to that paper alone, however many papers are in
flight. Transport faults are retried inside `create` (transport.py); validation
failures, grounding included, are re-asked by instructor with the reason.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from instructor import Mode
from instructor.v2.core.errors import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.patch import patch_v2
from instructor.v2.core.providers import Provider
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

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


@dataclass
class CallTrace:
    """What one paper's call cost: HTTP requests, retries, answers, tokens, the last answer."""

    requests: int = 0
    http_retries: int = 0
    answers: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    raw_response: str | None = None

    @property
    def reasks(self) -> int:
        """Answers after the first: each one followed a failed validation."""
        return max(0, self.answers - 1)


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
        self._http: tuple[asyncio.AbstractEventLoop, AsyncOpenAI] | None = None
        self._guard = ReachabilityGuard(endpoint(settings))

    def _openai(self) -> AsyncOpenAI:
        """The HTTP client of the running event loop (pooled connections belong to one loop)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http[0] is not loop:
            client = AsyncOpenAI(
                api_key=self._api_key,
                base_url=self._settings.base_url,
                timeout=self._settings.timeout,
                max_retries=0,
            )
            self._http = (loop, client)
        return self._http[1]

    async def aclose(self) -> None:
        """Close the pooled connections; the next call opens new ones."""
        if self._http is not None:
            _, client = self._http
            self._http = None
            await client.close()

    async def ask(self, title: str, abstract: str) -> ClaimsAnswer:
        """The grounded claims of one abstract, or CallFailed with a storable reason."""
        trace = CallTrace()
        return await self._structured(
            title, abstract, self._create_for(trace), trace, self._settings.max_retries
        )

    async def request_body(self, title: str, abstract: str) -> dict[str, Any]:
        """The chat-completion request `ask` sends first, as JSON (a Batch API line's body).

        instructor builds it (tools or response_format, schema in the prompt for the
        JSON modes), so a batch asks exactly what an interactive run asks.
        """
        captured: dict[str, Any] = {}

        async def capture(**kwargs: Any) -> ChatCompletion:
            captured.update(kwargs)
            raise _Captured

        try:
            await self._structured(title, abstract, capture, CallTrace(), max_retries=0)
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
        trace = CallTrace(requests=1)

        async def answered(**kwargs: Any) -> ChatCompletion:
            self._count_answer(trace, completion)
            return completion

        return await self._structured(title, abstract, answered, trace, max_retries=0)

    async def _structured(
        self,
        title: str,
        abstract: str,
        create: Callable[..., Awaitable[ChatCompletion]],
        trace: CallTrace,
        max_retries: int,
    ) -> ClaimsAnswer:
        """One instructor call over `create`, grounded as it validates; failures as CallFailed."""
        settings = self._settings
        check = GroundingCheck(abstract, attempts_allowed=max_retries + 1)

        async def counted(**kwargs: Any) -> ChatCompletion:
            completion = await create(**kwargs)
            check.attempts_made += 1
            return completion

        structured: Callable[..., Awaitable[ClaimList]] = patch_v2(
            func=counted, provider=Provider.OPENAI, mode=INSTRUCTOR_MODES[settings.mode]
        )
        try:
            with grounding(check):
                answer = await structured(
                    response_model=RESPONSE_MODEL,
                    messages=self._prompt.messages(title, abstract),
                    max_retries=max_retries,
                    strict=False,
                    model=settings.model,
                    temperature=settings.temperature,
                )
        except Exception as exc:  # every failure becomes a stored reason, never a crash
            cause = exc.__cause__ if isinstance(exc, InstructorRetryException) else exc
            if isinstance(cause, BackendUnavailable):
                raise cause.cleaned(self._redactor.clean) from None
            raise CallFailed(self._redactor.clean(self._reason(exc, trace)), trace) from None
        clean = self._redactor.clean
        claims = [_redacted(claim, clean) for claim in answer.claims]
        return ClaimsAnswer(claims, [clean(reason) for reason in answer.dropped], trace)

    def _create_for(self, trace: CallTrace) -> Callable[..., Awaitable[ChatCompletion]]:
        async def create(**kwargs: Any) -> ChatCompletion:
            client = self._openai()

            async def send() -> ChatCompletion:
                trace.requests += 1
                completion: object = await client.chat.completions.create(**kwargs)
                return _usable(completion)

            def on_retry(fault: Fault) -> None:
                trace.http_retries += 1

            completion = await send_with_retries(
                send, self._policy, self._redactor, on_retry, self._guard
            )
            self._count_answer(trace, completion)
            return completion

        return create

    def _count_answer(self, trace: CallTrace, completion: ChatCompletion) -> None:
        trace.answers += 1
        if completion.usage is not None:
            trace.input_tokens += completion.usage.prompt_tokens
            trace.output_tokens += completion.usage.completion_tokens
        trace.raw_response = self._redactor.clean(completion.model_dump_json())

    def _reason(self, exc: Exception, trace: CallTrace) -> str:
        cause = exc.__cause__ if isinstance(exc, InstructorRetryException) else exc
        if isinstance(cause, RequestFailed):
            reason = str(cause)
            if "HTTP 400" in reason and self._settings.mode is LLMMode.JSON_SCHEMA:
                reason += " (if the server rejects json_schema, try --mode json)"
            return reason
        if isinstance(cause, ValidationError):
            problem = cause.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            detail = f"{where}: {problem['msg']}" if where else problem["msg"]
            return f"no valid answer after {trace.answers} attempts: {_one_line(detail)}"
        if isinstance(exc, IncompleteOutputException):
            return "the answer was cut off (the model hit its output token limit)"
        return f"{type(cause or exc).__name__}: {_one_line(str(cause or exc))}"


def endpoint(settings: LLMSettings) -> str:
    """Where requests go, safe to show (no user:password)."""
    return public_url(settings.base_url) or OPENAI_URL


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
