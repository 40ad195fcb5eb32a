"""Which claims a review command reads: the latest per paper, or one run's, with their paper
and their cross-backend confidence. Bad ids become one clear error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from claimex.errors import ClaimexError

PAPER_COLUMNS = ("title", "abstract", "authors", "date", "organisation", "upvotes", "source")


def check_run(con: duckdb.DuckDBPyConnection, run_id: int | None) -> None:
    if (
        run_id is not None
        and not con.execute("SELECT 1 FROM runs WHERE id = ?", [run_id]).fetchone()
    ):
        raise ClaimexError(f"run {run_id}: no such run (see `claimex runs`)")


def claims_sql(run_id: int | None) -> str:
    """A SELECT of claims with paper metadata and confidence: the run's, or the latest.

    run_id is an int spliced in (COPY takes no parameters); callers check it exists first.
    """
    source = (
        "SELECT c.* EXCLUDE (title) FROM latest_claims c"
        if run_id is None
        else f"SELECT * FROM claims WHERE run_id = {int(run_id)}"
    )
    paper = ", ".join(f"p.{c}" for c in PAPER_COLUMNS)
    return (
        f"SELECT c.paper_id, {paper}, c.* EXCLUDE (paper_id), r.backend,"
        " cc.confidence, cc.agreeing_backends"
        f" FROM ({source}) c JOIN papers p ON p.id = c.paper_id JOIN runs r ON r.id = c.run_id"
        " LEFT JOIN claim_confidence cc USING (run_id, paper_id, ordinal)"
    )


@dataclass
class PaperClaims:
    """One paper, its text and metadata, and the claims read for it (dicts of columns)."""

    paper_id: str
    paper: dict[str, Any]
    claims: list[dict[str, Any]]

    @property
    def abstract(self) -> str:
        return str(self.paper["abstract"])


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_papers(
    con: duckdb.DuckDBPyConnection, run_id: int | None = None, paper_id: str | None = None
) -> list[PaperClaims]:
    """Papers (all, or one) with their claims in text order; papers without claims too."""
    check_run(con, run_id)
    where, params = ("WHERE id = ?", [paper_id]) if paper_id is not None else ("", [])
    papers = _rows(
        con.execute(
            f"SELECT id, {', '.join(PAPER_COLUMNS)} FROM papers {where} ORDER BY id", params
        )
    )
    if paper_id is not None and not papers:
        raise ClaimexError(f"paper {paper_id!r}: not in the database (see `claimex papers`)")
    query = f"SELECT * FROM ({claims_sql(run_id)})"
    if paper_id is not None:
        query += " WHERE paper_id = ?"
    by_paper: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(con.execute(query + " ORDER BY paper_id, evidence_start, ordinal", params)):
        by_paper.setdefault(row["paper_id"], []).append(row)
    return [
        PaperClaims(
            str(p["id"]), {k: v for k, v in p.items() if k != "id"}, by_paper.get(p["id"], [])
        )
        for p in papers
    ]


def jsonable(value: Any) -> Any:
    """A column value as JSON has it (dates as ISO text)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
