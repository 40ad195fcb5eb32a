"""Retrying one HTTP request: 429, 5xx, timeouts, dropped connections and garbled bodies.

The openai client's own retries are switched off (max_retries=0) because claimex
counts retries per paper, lets tests shrink the backoff to milliseconds, and caps
Retry-After itself: a server asking for a longer wait fails the paper (it is
retried on the next run) instead of stalling the whole run.

Backoff is exponential with "equal jitter" (half of each delay fixed, half random)
so that requests rejected together do not all come back together; a Retry-After
from the server is a floor, with the same jitter on top.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import openai

from claimex.backends.llm.redaction import Redactor
from claimex.stages import BackendUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)
_RETRYABLE_STATUS = frozenset({408, 409, 429})
_MESSAGE_CHARS = 300
_JITTER = random.Random()  # one per process: seeding a Random per request costs CPU
UNREACHABLE_AFTER = 3  # connection failures in a row, before any answer, that stop a run


class RequestFailed(Exception):
    """A request that failed for good. Its message is redacted and safe to store or show."""


class MalformedResponse(Exception):
    """A 200 answer that is not a usable chat completion; says what it was instead."""


class ReachabilityGuard:
    """Counts connection failures across all papers until the endpoint first answers.

    Any HTTP answer, even an error status, proves the endpoint is there; after
    that, connection failures only fail their paper (the server may be restarting).
    """

    def __init__(self, url: str, threshold: int = UNREACHABLE_AFTER) -> None:
        self.url = url
        self.threshold = threshold
        self._failures = 0
        self._answered = False

    def answered(self) -> None:
        self._answered = True

    def connection_failed(self) -> None:
        """Count one failure; BackendUnavailable once threshold of them came before any answer."""
        if self._answered:
            return
        self._failures += 1
        if self._failures >= self.threshold:
            raise BackendUnavailable(
                "cannot reach the LLM endpoint {url}: connection failed {failures} times in a"
                " row before any answer; the run is interrupted and resumes when rerun (start"
                " the server, fix {base_url}, or run offline with {backend} rules)",
                url=self.url,
                failures=self._failures,
            )


@dataclass(frozen=True)
class RetryPolicy:
    retries: int
    base: float
    cap: float
    max_retry_after: float

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before retry number `retry` (0-based)."""
        ceiling = min(self.cap, self.base * 2.0**retry)
        jittered = ceiling / 2 + rng.uniform(0, ceiling / 2)
        return jittered if retry_after is None else retry_after + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class Fault:
    """A failed request, as claimex reports it."""

    description: str
    retryable: bool
    retry_after: float | None = None
    no_connection: bool = False  # nothing answered: refused, unreachable, connect timeout


def classify(exc: BaseException) -> Fault | None:
    """The transport fault behind exc, or None when exc is not about the HTTP exchange."""
    if isinstance(exc, openai.APITimeoutError):
        return Fault("request timed out", retryable=True, no_connection=_never_connected(exc))
    if isinstance(exc, openai.APIConnectionError):
        return Fault("connection failed", retryable=True, no_connection=_never_connected(exc))
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        return Fault(
            f"HTTP {status}: {_server_message(exc)}",
            retryable=status in _RETRYABLE_STATUS or status >= 500,
            retry_after=parse_retry_after(exc.response.headers),
        )
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
        return Fault("malformed response body (not a chat completion)", retryable=True)
    if isinstance(exc, MalformedResponse):
        return Fault(f"malformed response: {exc}, not a chat completion", retryable=True)
    return None


def _never_connected(exc: BaseException) -> bool:
    """Whether the HTTP layer failed before a connection was made (refused, no route).

    By class name: openai wraps httpx's errors, or httpx2's in newer releases.
    """
    cause = exc.__cause__
    return cause is not None and type(cause).__name__ in {"ConnectError", "ConnectTimeout"}


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from retry-after-ms, or Retry-After as seconds or an HTTP date; None if absent."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) * scale)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    try:
        when = email.utils.parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError):
        return None
    return None if when is None else max(0.0, when.timestamp() - time.time())


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return " ".join(str(message).split())[:_MESSAGE_CHARS]
    return " ".join(str(exc.message).split())[:_MESSAGE_CHARS]


async def send_with_retries(
    send: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    redactor: Redactor,
    on_retry: Callable[[Fault], None],
    guard: ReachabilityGuard | None = None,
    *,
    rng: random.Random | None = None,
) -> T:
    """Await send(), retrying transport faults per policy; RequestFailed when it gives up.

    BackendUnavailable (from guard) when the endpoint was never reached: the run stops.
    """
    rng = rng or _JITTER
    retry = 0
    while True:
        try:
            result = await send()
        except Exception as exc:
            fault = classify(exc)
            if fault is None:
                raise
            if guard is not None:
                if fault.no_connection:
                    guard.connection_failed()
                else:
                    guard.answered()
            description = redactor.clean(fault.description)
            if not fault.retryable:
                raise RequestFailed(description) from None
            if retry >= policy.retries:
                raise RequestFailed(f"{description} (gave up after {retry} retries)") from None
            if fault.retry_after is not None and fault.retry_after > policy.max_retry_after:
                raise RequestFailed(
                    f"{description} (server asked to wait {fault.retry_after:g}s, "
                    f"more than max_retry_after {policy.max_retry_after:g}s)"
                ) from None
        else:
            if guard is not None:
                guard.answered()
            return result
        on_retry(fault)
        wait = policy.delay(retry, fault.retry_after, rng)
        log.debug("retry %d in %.3fs after %s", retry + 1, wait, description)
        await asyncio.sleep(wait)
        retry += 1
