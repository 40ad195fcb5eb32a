"""The llm_calls table: a provenance record of every LLM call, and the cache reruns answer from.

The request hash covers everything that decides the model's answer (model, mode,
temperature, prompt version and hash, schema hash, title and abstract) and
nothing that does not (endpoint, timeouts, retry settings, the API key). Only
successful calls answer from the cache; failed ones are logged and retried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from claimex.model import Claim
from claimex.stages import Status


@dataclass(frozen=True)
class RequestKey:
    """What a call asked, minus the paper: shared by every paper of a run."""

    model: str
    mode: str
    temperature: float
    prompt_version: str
    prompt_hash: str
    schema_hash: str

    def request_hash(self, title: str, abstract: str) -> str:
        material = {
            "model": self.model,
            "mode": self.mode,
            "temperature": self.temperature,
            "prompt_version": self.prompt_version,
            "prompt_hash": self.prompt_hash,
            "schema_hash": self.schema_hash,
            "title": title,
            "abstract": abstract,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class CallRecord:
    """One finished (or failed) call, as stored."""

    request_hash: str
    paper_id: str
    status: Status
    reason: str | None
    requests: int
    http_retries: int
    reasks: int
    claims: Sequence[Claim] | None
    dropped: Sequence[str]
    raw_response: str | None
    input_tokens: int
    output_tokens: int
    duration_s: float


@dataclass(frozen=True)
class CachedAnswer:
    claims: list[Claim]
    dropped: list[str]


class CallLog:
    """Reads and writes llm_calls on its own cursor of the run's database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, key: RequestKey) -> None:
        self._con = con.cursor()
        self._key = key

    def lookup(self, request_hash: str) -> CachedAnswer | None:
        """The newest successful answer to this exact request, if any."""
        rows = self._con.execute(  # no ORDER BY: it would bypass the request_hash index
            "SELECT id, claims, dropped FROM llm_calls WHERE request_hash = ? AND status = 'ok'",
            [request_hash],
        ).fetchall()
        if not rows:
            return None
        _, claims, dropped = max(rows)
        return CachedAnswer(
            [Claim.model_validate(c) for c in json.loads(claims)],
            [str(d) for d in json.loads(dropped or "[]")],
        )

    def record(self, call: CallRecord) -> int:
        """Store one call; its id."""
        key = self._key
        claims = None
        if call.claims is not None:
            claims = json.dumps([c.model_dump(mode="json") for c in call.claims])
        row = self._con.execute(
            "INSERT INTO llm_calls (request_hash, paper_id, model, mode, temperature,"
            " prompt_version, prompt_hash, schema_hash, status, reason, requests, http_retries,"
            " reasks, claims, dropped, raw_response, input_tokens, output_tokens, duration_s)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                call.request_hash,
                call.paper_id,
                key.model,
                key.mode,
                key.temperature,
                key.prompt_version,
                key.prompt_hash,
                key.schema_hash,
                call.status,
                call.reason,
                call.requests,
                call.http_retries,
                call.reasks,
                claims,
                json.dumps(list(call.dropped)),
                call.raw_response,
                call.input_tokens,
                call.output_tokens,
                call.duration_s,
            ],
        ).fetchone()
        assert row is not None
        return int(row[0])
