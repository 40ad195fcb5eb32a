"""Runs, per-paper outcomes and claims: written a paper or a batch of papers per transaction."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from claimex.entities.columns import DERIVED_COLUMNS, derived_values
from claimex.model import Claim, GroundedClaim
from claimex.stages import PaperOutcome, RunSpec, RunStatus, Status
from claimex.store.connection import transaction

CLAIM_FIELDS = tuple(Claim.model_fields)
ObjectArray = npt.NDArray[Any]
_CLAIM_COLUMNS = (
    "run_id",
    "paper_id",
    "ordinal",
    *CLAIM_FIELDS,
    "evidence_start",
    "evidence_end",
    "alignment",
    "rules",
    *DERIVED_COLUMNS,
)


def create_run(con: duckdb.DuckDBPyConnection, spec: RunSpec) -> int:
    row = con.execute(
        "INSERT INTO runs (backend, model, prompt_version, prompt_hash, fingerprint, config)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [
            spec.backend,
            spec.model,
            spec.prompt_version,
            spec.prompt_hash,
            spec.fingerprint,
            json.dumps(spec.config or {}, sort_keys=True),
        ],
    ).fetchone()
    assert row is not None
    return int(row[0])


def latest_run_for(con: duckdb.DuckDBPyConnection, fingerprint: str) -> int | None:
    """The newest run with this configuration, to resume rather than start over."""
    row = con.execute(
        "SELECT id FROM runs WHERE fingerprint = ? ORDER BY id DESC LIMIT 1", [fingerprint]
    ).fetchone()
    return int(row[0]) if row else None


def run_fingerprint(con: duckdb.DuckDBPyConnection, run_id: int) -> str | None:
    row = con.execute("SELECT fingerprint FROM runs WHERE id = ?", [run_id]).fetchone()
    return str(row[0]) if row else None


def papers_done(con: duckdb.DuckDBPyConnection, run_id: int) -> set[str]:
    rows = con.execute(
        "SELECT paper_id FROM paper_runs WHERE run_id = ? AND status = 'ok'", [run_id]
    ).fetchall()
    return {str(r[0]) for r in rows}


_TOTALS = (
    "papers_ok",
    "papers_failed",
    "claims",
    "claims_dropped",
    "input_tokens",
    "output_tokens",
)


def record_paper(con: duckdb.DuckDBPyConnection, run_id: int, outcome: PaperOutcome) -> None:
    """Replace this paper's claims and outcome in the run, atomically."""
    record_papers(con, run_id, [outcome])


_PAPER_RUN_COLUMNS = {
    "run_id": "INTEGER",
    "paper_id": "VARCHAR",
    "status": "VARCHAR",
    "reason": "VARCHAR",
    "claims": "INTEGER",
    "claims_dropped": "INTEGER",
    "input_tokens": "BIGINT",
    "output_tokens": "BIGINT",
    "duration_s": "DOUBLE",
}


def record_papers(
    con: duckdb.DuckDBPyConnection, run_id: int, outcomes: Sequence[PaperOutcome]
) -> None:
    """Replace these papers' claims and outcomes in the run, all in one transaction."""
    if outcomes:
        record_rows(con, batch_rows(run_id, outcomes))


@dataclass
class BatchRows:
    """Finished papers of one run as the rows record_rows writes, one array per column.

    Built where the claims are made (a worker process, for the rules), so the
    writer only inserts; arrays because DuckDB scans a dict of them in bulk, several
    times faster than it binds Python lists as parameters.
    """

    run_id: int
    paper_ids: list[str]
    claims: dict[str, ObjectArray]
    paper_runs: dict[str, ObjectArray]
    totals: list[int]  # this batch's contribution to each of _TOTALS


def batch_rows(run_id: int, outcomes: Sequence[PaperOutcome]) -> BatchRows:
    """The rows of these papers' claims and outcomes, with their canonical columns filled."""
    claim_rows = [
        _claim_row(run_id, o.paper_id, i, claim)
        for o in outcomes
        for i, claim in enumerate(o.claims)
    ]
    run_rows = [
        (
            run_id,
            o.paper_id,
            str(o.status),
            o.reason,
            len(o.claims),
            o.dropped,
            o.input_tokens,
            o.output_tokens,
            o.duration_s,
        )
        for o in outcomes
    ]
    return BatchRows(
        run_id=run_id,
        paper_ids=[o.paper_id for o in outcomes],
        claims=_columns(_CLAIM_COLUMNS, claim_rows),
        paper_runs=_columns(tuple(_PAPER_RUN_COLUMNS), run_rows),
        totals=[
            sum(o.status == Status.OK for o in outcomes),
            sum(o.status != Status.OK for o in outcomes),
            len(claim_rows),
            sum(o.dropped for o in outcomes),
            sum(o.input_tokens for o in outcomes),
            sum(o.output_tokens for o in outcomes),
        ],
    )


def _columns(names: Sequence[str], rows: Sequence[Sequence[object]]) -> dict[str, ObjectArray]:
    """Rows to one object array per column (fromiter keeps a list value as one element)."""
    columns = zip(*rows, strict=True) if rows else ((),) * len(names)
    return {
        name: np.fromiter(column, dtype=object, count=len(rows))
        for name, column in zip(names, columns, strict=True)
    }


def record_rows(con: duckdb.DuckDBPyConnection, rows: BatchRows) -> None:
    """Replace the batch's papers' claims and outcomes in its run, all in one transaction.

    A kill at any point leaves the batch wholly written or wholly absent; run
    totals move by the difference to the papers' previous outcomes, so the cost of
    a write does not grow with the size of the run.
    """
    if not rows.paper_ids:
        return
    with transaction(con):
        previous = con.execute(
            "DELETE FROM paper_runs WHERE run_id = ? AND paper_id IN (SELECT unnest(?::VARCHAR[]))"
            " RETURNING paper_id, (status = 'ok')::INT, (status <> 'ok')::INT, claims,"
            " claims_dropped, input_tokens, output_tokens",
            [rows.run_id, rows.paper_ids],
        ).fetchall()
        if previous:  # a paper has claims in a run only beside its paper_runs row
            con.execute(
                "DELETE FROM claims WHERE run_id = ? AND paper_id IN (SELECT unnest(?::VARCHAR[]))",
                [rows.run_id, [row[0] for row in previous]],
            )
        if rows.totals[2]:
            _insert_arrays(con, "claims", _claim_types(con), rows.claims)
        _insert_arrays(con, "paper_runs", _PAPER_RUN_COLUMNS, rows.paper_runs)
        old = [sum(column) for column in zip(*(r[1:] for r in previous), strict=True)]
        _add_to_run_totals(con, rows.run_id, rows.totals, old or (0,) * len(_TOTALS))


def _claim_types(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The claims table's column types, in the order _claim_row fills them."""
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns()"
            " WHERE table_name = 'claims' AND schema_name = current_schema()"
            " AND database_name = current_database()"
        ).fetchall()
    )
    return {c: str(types[c]) for c in _CLAIM_COLUMNS}


_ARRAYS = "claimex_batch_rows"  # the name the arrays are scanned under, for one statement


def _insert_arrays(
    con: duckdb.DuckDBPyConnection,
    table: str,
    types: dict[str, str],
    arrays: dict[str, ObjectArray],
) -> None:
    """INSERT one array per column in one statement, each cast to its column's type."""
    select = ", ".join(f"{c}::{t}" for c, t in types.items())
    con.register(_ARRAYS, arrays)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(types)}) SELECT {select} FROM {_ARRAYS}")
    finally:
        con.unregister(_ARRAYS)


def _add_to_run_totals(
    con: duckdb.DuckDBPyConnection, run_id: int, new: Sequence[int], old: Sequence[int]
) -> None:
    """Move the run's totals by (new - old), one value per column of _TOTALS."""
    con.execute(
        f"UPDATE runs SET {', '.join(f'{c} = {c} + ?' for c in _TOTALS)} WHERE id = ?",
        [*(n - o for n, o in zip(new, old, strict=True)), run_id],
    )


def _claim_row(run_id: int, paper_id: str, ordinal: int, claim: GroundedClaim) -> list[object]:
    data = claim.model_dump(mode="json")
    fields = [data[f] for f in _CLAIM_COLUMNS[3 : -len(DERIVED_COLUMNS)]]
    return [run_id, paper_id, ordinal, *fields, *derived_values(data)]


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, status: RunStatus) -> None:
    """Mark a run completed, failed (some papers failed) or interrupted."""
    con.execute(
        "UPDATE runs SET status = ?, finished_at = current_timestamp WHERE id = ?",
        [status, run_id],
    )


def mark_submitted(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    """A Batch API run waiting for its batch: it fills when the batch is collected."""
    con.execute("UPDATE runs SET status = ? WHERE id = ?", [RunStatus.SUBMITTED, run_id])


def mark_running(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    """Status running, owned by this process (see reap_stale_runs)."""
    con.execute(
        "UPDATE runs SET status = ?, finished_at = NULL, pid = ?, host = ? WHERE id = ?",
        [RunStatus.RUNNING, os.getpid(), socket.gethostname(), run_id],
    )


def reap_stale_runs(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """Mark interrupted the running runs whose process on this host is gone; (run, pid) each.

    A process killed with SIGKILL (or a power cut) cannot mark its own run. Runs
    of another host, or of a live process, are left as they are.
    """
    rows = con.execute(
        "SELECT id, pid FROM runs WHERE status = ? AND host = ? AND pid IS NOT NULL",
        [RunStatus.RUNNING, socket.gethostname()],
    ).fetchall()
    stale = [(int(run_id), int(pid)) for run_id, pid in rows if not _alive(int(pid))]
    for run_id, _ in stale:
        finish_run(con, run_id, RunStatus.INTERRUPTED)
    return stale


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def load_run_claims(
    con: duckdb.DuckDBPyConnection, run_id: int, paper_ids: Sequence[str] | None = None
) -> dict[str, list[Claim]]:
    """A run's claims grouped by paper (for the scorer and comparisons)."""
    query = f"SELECT paper_id, {', '.join(CLAIM_FIELDS)} FROM claims WHERE run_id = ?"
    params: list[object] = [run_id]
    if paper_ids is not None:
        query += " AND list_contains(?, paper_id)"
        params.append(list(paper_ids))
    by_paper: dict[str, list[Claim]] = {}
    for row in con.execute(query + " ORDER BY paper_id, ordinal", params).fetchall():
        data = dict(zip(CLAIM_FIELDS, row[1:], strict=True))
        by_paper.setdefault(str(row[0]), []).append(Claim.model_validate(data))
    return by_paper
