"""`claimex export`: claims with their paper's metadata to Parquet, CSV or JSON lines.

All three through DuckDB's COPY, so types (lists, dates) are written as DuckDB has them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import duckdb

from claimex.review.claims import check_run, claims_sql
from claimex.review.files import replaced_atomically


class ExportFormat(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"
    JSONL = "jsonl"


_COPY_OPTIONS = {
    ExportFormat.PARQUET: "FORMAT parquet",
    ExportFormat.CSV: "FORMAT csv, HEADER true",
    ExportFormat.JSONL: "FORMAT json",
}


def export_claims(
    con: duckdb.DuckDBPyConnection, out: Path, fmt: ExportFormat, run_id: int | None = None
) -> int:
    """Write the latest claims (or a run's) to `out`; returns the number of rows."""
    check_run(con, run_id)
    query = f"SELECT * FROM ({claims_sql(run_id)}) ORDER BY paper_id, run_id, ordinal"
    with replaced_atomically(out) as temporary:
        quoted = str(temporary).replace("'", "''")
        con.execute(f"COPY ({query}) TO '{quoted}' ({_COPY_OPTIONS[fmt]})")
    row = con.execute(f"SELECT count(*) FROM ({claims_sql(run_id)})").fetchone()
    return int(row[0]) if row else 0
