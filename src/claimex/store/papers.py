"""The papers table: idempotent upsert and listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from claimex.model import Paper

_COLUMNS = ("id", "title", "abstract", "authors", "date", "organisation", "upvotes", "source")


@dataclass
class IngestCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


def upsert_papers(con: duckdb.DuckDBPyConnection, papers: Sequence[Paper]) -> IngestCounts:
    """Insert new papers, update changed ones, leave identical ones untouched."""
    counts = IngestCounts()
    for paper in papers:
        row = [getattr(paper, c) for c in _COLUMNS]
        existing = con.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM papers WHERE id = ?", [paper.id]
        ).fetchone()
        if existing is None:
            placeholders = ", ".join("?" * len(_COLUMNS))
            con.execute(f"INSERT INTO papers ({', '.join(_COLUMNS)}) VALUES ({placeholders})", row)
            counts.new += 1
        elif tuple(existing) != tuple(row):
            assignments = ", ".join(f"{c} = ?" for c in _COLUMNS[1:])
            con.execute(
                f"UPDATE papers SET {assignments}, updated_at = current_timestamp WHERE id = ?",
                [*row[1:], paper.id],
            )
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def load_papers(con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None = None) -> list[Paper]:
    """Papers from the store, in id order; only `ids` when given."""
    query = f"SELECT {', '.join(_COLUMNS)} FROM papers"
    params: list[object] = []
    if ids is not None:
        query += " WHERE list_contains(?, id)"
        params.append(list(ids))
    rows = con.execute(query + " ORDER BY id", params).fetchall()
    return [Paper(**dict(zip(_COLUMNS, r, strict=True))) for r in rows]
