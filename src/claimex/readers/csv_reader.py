"""Reader for CSV files (gzip'd or not) with a header row holding `title` and `abstract`."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from claimex.errors import InputError
from claimex.readers.records import RawRecord
from claimex.readers.source import text_lines

REQUIRED_COLUMNS = ("title", "abstract")


def read_csv(path: Path) -> Iterator[RawRecord]:
    reader = csv.DictReader(line for _, line in text_lines(path))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(path, f"CSV header lacks column(s): {', '.join(missing)}", 1)
    reader.fieldnames = columns
    line = 1
    try:
        for row in reader:
            yield RawRecord(
                line=line + 1,
                title=row.get("title"),
                abstract=row.get("abstract"),
                id=row.get("id") or None,
                metadata={"source": row["source"]} if row.get("source") else {},
            )
            line = reader.line_num
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})", reader.line_num) from None
