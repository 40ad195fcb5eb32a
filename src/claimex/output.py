"""Rendering result rows: rich tables in a terminal, plain text when piped, CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: OutputFormat = OutputFormat.TABLE,
    console: Console | None = None,
) -> None:
    """Write rows to stdout in the chosen format."""
    out = sys.stdout
    if fmt is OutputFormat.JSON:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        out.write(json.dumps(records, default=_jsonable, ensure_ascii=False, indent=2) + "\n")
    elif fmt is OutputFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
    elif out.isatty():
        table = Table(*columns, show_lines=False, header_style="bold")
        for row in rows:
            table.add_row(*(_cell(v) for v in row))
        (console or Console()).print(table)
    else:
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(_cell(v).replace("\t", " ").replace("\n", " ") for v in row) + "\n")
