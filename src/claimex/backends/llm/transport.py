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

T = TypeVar("T")
log = logging.getLogger(__name__)
_RETRYABLE_STATUS = frozenset({408, 409, 429})
_MESSAGE_CHARS = 300


class RequestFailed(Exception):
    """A request that failed for good. Its message is redacted and safe to store or show."""


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


def classify(exc: BaseException) -> Fault | None:
    """The transport fault behind exc, or None when exc is not about the HTTP exchange."""
    if isinstance(exc, openai.APITimeoutError):
        return Fault("request timed out", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return Fault("connection failed", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        return Fault(
            f"HTTP {status}: {_server_message(exc)}",
            retryable=status in _RETRYABLE_STATUS or status >= 500,
            retry_after=parse_retry_after(exc.response.headers),
        )
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
        return Fault("malformed response body (not a chat completion)", retryable=True)
    return None


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
    *,
    rng: random.Random | None = None,
) -> T:
    """Await send(), retrying transport faults per policy; RequestFailed when it gives up."""
    rng = rng or random.Random()
    retry = 0
    while True:
        try:
            return await send()
        except Exception as exc:
            fault = classify(exc)
            if fault is None:
                raise
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
        on_retry(fault)
        wait = policy.delay(retry, fault.retry_after, rng)
        log.debug("retry %d in %.3fs after %s", retry + 1, wait, description)
        await asyncio.sleep(wait)
        retry += 1
