"""Reader for Parquet files with `title` and `abstract` columns (id, source optional).

DuckDB reads the file in record batches, so memory stays flat; a record's
"line" in error messages is its 1-based row number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb

from claimex.errors import InputError
from claimex.readers.records import RawRecord

REQUIRED_COLUMNS = ("title", "abstract")
OPTIONAL_COLUMNS = ("id", "source", "categories")
BATCH_ROWS = 10_000


def read_parquet(path: Path) -> Iterator[RawRecord]:
    if not path.is_file():
        raise InputError(path, "no such file" if not path.exists() else "is not a file")
    con = duckdb.connect()
    try:
        try:
            cursor = con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)])
        except duckdb.Error as exc:
            raise InputError(path, f"not a readable Parquet file ({_first_line(exc)})") from None
        columns = {d[0].lower(): d[0] for d in cursor.description or []}
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise InputError(path, f"Parquet file lacks column(s): {', '.join(missing)}")
        wanted = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in columns]
        select = ", ".join(f'"{columns[c]}"::VARCHAR' for c in wanted)
        cursor = con.execute(f"SELECT {select} FROM read_parquet(?)", [str(path)])
        row_number = 0
        while rows := cursor.fetchmany(BATCH_ROWS):
            for row in rows:
                row_number += 1
                values = dict(zip(wanted, row, strict=True))
                categories = values.get("categories")
                yield RawRecord(
                    line=row_number,
                    title=values["title"],
                    abstract=values["abstract"],
                    id=values.get("id"),
                    metadata={"source": values["source"]} if values.get("source") else {},
                    categories=tuple(categories.split()) if categories else (),
                )
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
