"""The papers table: idempotent upsert and listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from claimex.model import Paper

_TYPES = {
    "id": "VARCHAR",
    "title": "VARCHAR",
    "abstract": "VARCHAR",
    "authors": "INTEGER",
    "date": "DATE",
    "organisation": "VARCHAR",
    "upvotes": "INTEGER",
    "source": "VARCHAR",
}
_COLUMNS = tuple(_TYPES)


@dataclass
class IngestCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged

    def add(self, other: IngestCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


def upsert_papers(con: duckdb.DuckDBPyConnection, papers: Sequence[Paper]) -> IngestCounts:
    """Insert new papers, update changed ones, leave identical ones untouched.

    Set-based (one read, one INSERT, one UPDATE, rows passed as unnested lists): a
    statement per paper made a 20,000-paper file take about 30 s instead of under 1 s.
    Existing rows are found by a join, not list_contains, which scans the list per row.
    """
    ids = [paper.id for paper in papers]
    existing = {
        row[0]: tuple(row)
        for row in con.execute(
            f"SELECT {', '.join(f'p.{c}' for c in _COLUMNS)} FROM papers p"
            " JOIN (SELECT unnest(?::VARCHAR[]) AS id) wanted USING (id)",
            [ids],
        ).fetchall()
    }
    counts = IngestCounts()
    new: list[tuple[object, ...]] = []
    changed: list[tuple[object, ...]] = []
    for paper in papers:
        row = tuple(getattr(paper, c) for c in _COLUMNS)
        if paper.id not in existing:
            new.append(row)
        elif existing[paper.id] != row:
            changed.append(row)
        else:
            counts.unchanged += 1
    rows = f"SELECT {', '.join(f'unnest(?::{t}[]) AS {c}' for c, t in _TYPES.items())}"
    if new:
        con.execute(f"INSERT INTO papers ({', '.join(_COLUMNS)}) {rows}", _as_lists(new))
    if changed:
        assignments = ", ".join(f"{c} = s.{c}" for c in _COLUMNS[1:])
        con.execute(
            f"UPDATE papers SET {assignments}, updated_at = current_timestamp"
            f" FROM ({rows}) s WHERE papers.id = s.id",
            _as_lists(changed),
        )
    counts.new, counts.updated = len(new), len(changed)
    return counts


def _as_lists(rows: list[tuple[object, ...]]) -> list[list[object]]:
    """Rows to one list per column, the shape `unnest(?)` takes."""
    return [list(column) for column in zip(*rows, strict=True)]


def load_papers(con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None = None) -> list[Paper]:
    """Papers from the store, in id order; only `ids` when given."""
    query = f"SELECT {', '.join(_COLUMNS)} FROM papers"
    params: list[object] = []
    if ids is not None:
        query += " WHERE list_contains(?, id)"
        params.append(list(ids))
    rows = con.execute(query + " ORDER BY id", params).fetchall()
    return [Paper(**dict(zip(_COLUMNS, r, strict=True))) for r in rows]


def count_papers(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM papers").fetchone()
    return int(row[0]) if row else 0
