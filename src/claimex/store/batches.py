"""The batches and batch_papers tables: what was submitted, for status and collect.

A batch row keeps everything `status` and `collect` need besides the API key
(the run, the input file, the endpoint, the settings that built the requests),
so both work from the batch id alone, or from nothing (the newest batch).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from claimex.errors import ClaimexError

_COLUMNS = (
    "id",
    "run_id",
    "input_file_id",
    "base_url",
    "settings",
    "requests",
    "status",
    "completed",
    "failed",
    "output_file_id",
    "error_file_id",
    "submitted_at",
    "collected_at",
)


@dataclass(frozen=True)
class BatchRecord:
    id: str
    run_id: int
    input_file_id: str  # the provider's file id, or the path of a request file written locally
    base_url: str | None
    settings: dict[str, Any]
    requests: int
    status: str
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None
    submitted_at: datetime
    collected_at: datetime | None


@dataclass(frozen=True)
class BatchPaper:
    """A paper of a batch: the request hash it was asked with, and whether it is in the file.

    Papers answered from the call cache are not in the file; collect stores them
    from the cache so the run holds every paper of the batch.
    """

    paper_id: str
    request_hash: str
    in_file: bool
    call_id: int | None = None


def add_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    batch_id: str,
    run_id: int,
    input_file_id: str,
    base_url: str | None,
    settings: dict[str, Any],
    status: str,
    papers: Sequence[BatchPaper],
) -> None:
    """Record a batch and its papers (inside the caller's transaction, with its run)."""
    con.execute(
        "INSERT INTO batches (id, run_id, input_file_id, base_url, settings, requests, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            run_id,
            input_file_id,
            base_url,
            json.dumps(settings, sort_keys=True),
            sum(p.in_file for p in papers),
            status,
        ],
    )
    con.execute(
        "INSERT INTO batch_papers (batch_id, paper_id, request_hash, in_file)"
        " SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BOOLEAN[])",
        [
            batch_id,
            [p.paper_id for p in papers],
            [p.request_hash for p in papers],
            [p.in_file for p in papers],
        ],
    )


def get_batch(con: duckdb.DuckDBPyConnection, batch_id: str | None) -> BatchRecord:
    """The named batch, or the newest one; one clear error when there is none."""
    query = f"SELECT {', '.join(_COLUMNS)} FROM batches"
    if batch_id is None:
        row = con.execute(query + " ORDER BY submitted_at DESC, id DESC LIMIT 1").fetchone()
        if row is None:
            raise ClaimexError("no batches in this database; start one with `claimex batch submit`")
    else:
        row = con.execute(query + " WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            known = [r[0] for r in con.execute("SELECT id FROM batches ORDER BY id").fetchall()]
            listed = ", ".join(known[-5:]) if known else "none"
            raise ClaimexError(f"unknown batch {batch_id!r} in this database (known: {listed})")
    values = dict(zip(_COLUMNS, row, strict=True))
    values["settings"] = json.loads(values["settings"])
    return BatchRecord(**values)


def update_status(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    *,
    status: str,
    completed: int,
    failed: int,
    output_file_id: str | None,
    error_file_id: str | None,
) -> None:
    con.execute(
        "UPDATE batches SET status = ?, completed = ?, failed = ?, output_file_id = ?,"
        " error_file_id = ?, checked_at = current_timestamp WHERE id = ?",
        [status, completed, failed, output_file_id, error_file_id, batch_id],
    )


def batch_papers(con: duckdb.DuckDBPyConnection, batch_id: str) -> list[BatchPaper]:
    rows = con.execute(
        "SELECT paper_id, request_hash, in_file, call_id FROM batch_papers"
        " WHERE batch_id = ? ORDER BY paper_id",
        [batch_id],
    ).fetchall()
    return [BatchPaper(str(r[0]), str(r[1]), bool(r[2]), r[3]) for r in rows]


def pending_papers(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Papers in the file of a batch not collected yet: a new batch leaves them out."""
    rows = con.execute(
        "SELECT DISTINCT paper_id FROM batch_papers p JOIN batches b ON b.id = p.batch_id"
        " WHERE p.in_file AND b.collected_at IS NULL"
    ).fetchall()
    return {str(r[0]) for r in rows}


def has_batch(con: duckdb.DuckDBPyConnection, batch_id: str) -> bool:
    return con.execute("SELECT 1 FROM batches WHERE id = ?", [batch_id]).fetchone() is not None


def count_local(con: duckdb.DuckDBPyConnection, prefix: str) -> int:
    """How many batches were written to files (their ids are prefix + a number)."""
    row = con.execute("SELECT count(*) FROM batches WHERE starts_with(id, ?)", [prefix]).fetchone()
    return int(row[0]) if row else 0


def set_call(con: duckdb.DuckDBPyConnection, batch_id: str, paper_id: str, call_id: int) -> None:
    """Link a paper's result to its llm_calls row, so a rerun of collect logs it only once."""
    con.execute(
        "UPDATE batch_papers SET call_id = ? WHERE batch_id = ? AND paper_id = ?",
        [call_id, batch_id, paper_id],
    )


def mark_collected(con: duckdb.DuckDBPyConnection, batch_id: str) -> None:
    con.execute("UPDATE batches SET collected_at = current_timestamp WHERE id = ?", [batch_id])
