"""Rendering result rows: rich tables in a terminal, plain text when piped, CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# C0 controls but tab and newline, DEL and C1: escape sequences, bells, carriage returns.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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


def terminal_safe(text: str) -> str:
    """text without the control characters a terminal would act on (data is shown, not run)."""
    return _CONTROL.sub("", text)


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
        # Text, not str: rich would parse "[/i]" or "[link=...]" in data as markup
        table = Table(header_style="bold")
        for column in columns:
            table.add_column(Text(terminal_safe(column)))
        for row in rows:
            table.add_row(*(Text(terminal_safe(_cell(v))) for v in row))
        (console or Console()).print(table)
    else:
        out.write("\t".join(_plain(c) for c in columns) + "\n")
        for row in rows:
            out.write("\t".join(_plain(_cell(v)) for v in row) + "\n")


def _plain(text: str) -> str:
    """One tab-separated field: no tabs, newlines or control characters inside."""
    return terminal_safe(text.replace("\t", " ").replace("\n", " "))
