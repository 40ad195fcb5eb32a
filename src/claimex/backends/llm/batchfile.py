"""Batch API files: request lines out, result lines in (OpenAI's format, which vLLM shares).

A request line is {"custom_id", "method", "url", "body"} with the chat request
as body; `vllm run-batch` reads the same file. A result line carries the
custom_id and either a response (status_code and body) or an error (code and
message); OpenAI puts non-200 responses and expired requests in the batch's
error file, vLLM writes every line to one output file. Both read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from claimex.errors import InputError

CHAT_ENDPOINT: Final[Literal["/v1/chat/completions"]] = "/v1/chat/completions"
_MESSAGE_CHARS = 300


def request_line(custom_id: str, body: Mapping[str, Any]) -> str:
    """One JSONL line asking CHAT_ENDPOINT for body, answered under custom_id."""
    line = {"custom_id": custom_id, "method": "POST", "url": CHAT_ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False)


@dataclass(frozen=True)
class LineResult:
    """One request's outcome: a completion, or why there is none (not yet redacted)."""

    custom_id: str
    completion: ChatCompletion | None
    reason: str | None = None


def parse_results(text: str, source: str) -> dict[str, LineResult]:
    """The results in an output or error file, by custom_id; InputError names a bad line."""
    results: dict[str, LineResult] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"not a JSON line ({exc.msg})", number) from None
        custom_id = line.get("custom_id") if isinstance(line, dict) else None
        if not isinstance(custom_id, str):
            raise InputError(source, "a result line without a custom_id", number)
        results[custom_id] = _result(custom_id, line)
    return results


def _result(custom_id: str, line: dict[str, Any]) -> LineResult:
    response = line.get("response")
    error = line.get("error")
    body = response.get("body") if isinstance(response, dict) else None
    if isinstance(response, dict) and response.get("status_code") == 200 and body is not None:
        try:
            return LineResult(custom_id, ChatCompletion.model_validate(body))
        except ValidationError:
            return LineResult(custom_id, None, "malformed response body (not a chat completion)")
    if isinstance(response, dict):  # OpenAI: the error in the body; vLLM: in "error"
        detail = _message(body) if body is not None else _message(error)
        return LineResult(custom_id, None, f"HTTP {response.get('status_code')}: {detail}")
    if isinstance(error, dict):
        return LineResult(custom_id, None, f"{error.get('code') or 'error'}: {_message(error)}")
    if error:
        return LineResult(custom_id, None, _message(error))
    return LineResult(custom_id, None, "a result line with neither response nor error")


def _message(payload: object) -> str:
    """The human part of an error payload ({"error": {"message"}} or {"message"})."""
    if isinstance(payload, dict):
        inner = payload.get("error", payload)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return " ".join(str(message).split())[:_MESSAGE_CHARS]
    return " ".join(str(payload).split())[:_MESSAGE_CHARS]
