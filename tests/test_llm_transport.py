"""HTTP retry rules: Retry-After parsing, backoff with jitter, giving up."""

from __future__ import annotations

import email.utils
import random
import time
from pathlib import Path

import pytest

from claimex.backends.llm.transport import RetryPolicy, parse_retry_after
from claimex.testing.openai_stub import Answer, Fail, StubOpenAIServer
from llm_support import QUILL, QUILL_CLAIMS, calls, extract, papers_db

POLICY = RetryPolicy(retries=6, base=1.0, cap=8.0, max_retry_after=60.0)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_forms(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(headers) == seconds


def test_retry_after_as_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    parsed = parse_retry_after({"retry-after": when})
    assert parsed is not None and 28 <= parsed <= 30


def test_backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() -> None:
    rng = random.Random(7)
    for retry, ceiling in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0), (6, 8.0)]:
        delays = [POLICY.delay(retry, None, rng) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert max(delays) - min(delays) > ceiling / 4  # really jittered


def test_retry_after_is_a_floor_with_jitter_on_top() -> None:
    rng = random.Random(7)
    delays = [POLICY.delay(0, 5.0, rng) for _ in range(200)]
    assert min(delays) >= 5.0 and max(delays) <= 5.5


def test_a_retry_after_beyond_the_limit_fails_the_paper_at_once(tmp_path: Path) -> None:
    script = {QUILL.abstract: [Fail(429, retry_after=3600), Answer(QUILL_CLAIMS)]}
    with StubOpenAIServer(script) as server:
        con = papers_db(tmp_path, [QUILL])
        started = time.monotonic()
        result = extract(con, server, [QUILL], max_retry_after=60)
        assert time.monotonic() - started < 5
        assert server.request_count == 1
    assert result.failures == [
        (
            "quill",
            "HTTP 429: scripted 429 (server asked to wait 3600s, more than max_retry_after 60s)",
        )
    ]
    (call,) = calls(con, "quill")
    assert (call["status"], call["requests"], call["http_retries"]) == ("failed", 1, 0)


def test_client_errors_are_not_retried(tmp_path: Path) -> None:
    with StubOpenAIServer({QUILL.abstract: [Fail(404), Answer(QUILL_CLAIMS)]}) as server:
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL])
        assert server.request_count == 1
    assert result.failures == [("quill", "HTTP 404: scripted 404")]
