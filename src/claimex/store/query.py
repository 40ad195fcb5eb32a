"""Read-only SQL for users: only SELECT-like statements, on a read-only connection."""

from __future__ import annotations

from typing import Any

import duckdb

from claimex.errors import ClaimexError

_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class WriteRefused(ClaimexError):
    """A statement that would change something, sent to `claimex sql`."""


def read_only_query(
    con: duckdb.DuckDBPyConnection, sql: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement and return (columns, rows)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ClaimexError(f"SQL error: {_one_line(exc)}") from None
    if len(statements) != 1:
        raise ClaimexError(f"expected one SQL statement, got {len(statements)}")
    statement = statements[0]
    if statement.type not in _ALLOWED:
        kind = statement.type.name
        raise WriteRefused(
            f"refused: `claimex sql` is read-only and {kind} statements may change data; "
            "use SELECT (or EXPLAIN) queries"
        )
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()
    except duckdb.Error as exc:
        raise ClaimexError(f"SQL error: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
