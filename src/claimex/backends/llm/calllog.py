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

_COLUMNS = {  # llm_calls' columns as written, with their types (for unnest)
    "request_hash": "VARCHAR",
    "paper_id": "VARCHAR",
    "model": "VARCHAR",
    "mode": "VARCHAR",
    "temperature": "DOUBLE",
    "prompt_version": "VARCHAR",
    "prompt_hash": "VARCHAR",
    "schema_hash": "VARCHAR",
    "status": "VARCHAR",
    "reason": "VARCHAR",
    "requests": "INTEGER",
    "http_retries": "INTEGER",
    "reasks": "INTEGER",
    "claims": "JSON",
    "dropped": "JSON",
    "raw_response": "JSON",
    "attempts": "JSON",
    "input_tokens": "BIGINT",
    "output_tokens": "BIGINT",
    "duration_s": "DOUBLE",
}


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
    attempts: str  # JSON: every HTTP request with its new messages, answer, tokens, error
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
        return self.lookup_many([request_hash]).get(request_hash)

    def lookup_many(self, request_hashes: Sequence[str]) -> dict[str, CachedAnswer]:
        """The newest successful answer to each of these requests that has one: one query."""
        rows = self._con.execute(  # no ORDER BY: it would bypass the request_hash index
            "SELECT request_hash, id, claims, dropped FROM llm_calls"
            " WHERE request_hash IN (SELECT unnest(?::VARCHAR[])) AND status = 'ok'",
            [list(request_hashes)],
        ).fetchall()
        newest: dict[str, tuple[int, str, str | None]] = {}
        for request_hash, call_id, claims, dropped in rows:
            if request_hash not in newest or call_id > newest[request_hash][0]:
                newest[request_hash] = (call_id, claims, dropped)
        return {
            request_hash: CachedAnswer(
                [Claim.model_validate(c) for c in json.loads(claims)],
                [str(d) for d in json.loads(dropped or "[]")],
            )
            for request_hash, (_, claims, dropped) in newest.items()
        }

    def record(self, call: CallRecord) -> int:
        """Store one call; its id."""
        row = self._con.execute(
            f"INSERT INTO llm_calls ({', '.join(_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(_COLUMNS))}) RETURNING id",
            self._row(call),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def record_many(self, calls: Sequence[CallRecord]) -> None:
        """Store many calls in one statement (one list per column)."""
        if not calls:
            return
        columns = [list(column) for column in zip(*map(self._row, calls), strict=True)]
        select = ", ".join(f"unnest(?::{kind}[])" for kind in _COLUMNS.values())
        self._con.execute(f"INSERT INTO llm_calls ({', '.join(_COLUMNS)}) SELECT {select}", columns)

    def _row(self, call: CallRecord) -> list[object]:
        key = self._key
        claims = None
        if call.claims is not None:
            claims = json.dumps([c.model_dump(mode="json") for c in call.claims])
        return [
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
            call.attempts,
            call.input_tokens,
            call.output_tokens,
            call.duration_s,
        ]
