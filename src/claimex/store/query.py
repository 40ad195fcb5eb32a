"""Read-only SQL for users: one query-like statement, on a sandboxed read-only connection.

The connection (store.connection.open_for_queries) is what keeps the store and
the file system safe; the statement check here only turns what the engine
would refuse, or what would run more than a query, into one clear line.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from claimex.errors import ClaimexError, SettingError

# SELECT covers SUMMARIZE, DESCRIBE, SHOW, UNPIVOT and FROM-first queries; a PIVOT
# whose columns are not listed parses as MULTI (a type for its columns, then a SELECT).
_QUERIES = {duckdb.StatementType.SELECT, duckdb.StatementType.MULTI}
# Leading whitespace and comments, then EXPLAIN and its optional ANALYZE or (options).
_GAP = r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
_EXPLAIN = re.compile(
    rf"^{_GAP}explain\b{_GAP}(?:analy[sz]e\b|\([^)]*\))?", re.IGNORECASE | re.DOTALL
)


class WriteRefused(ClaimexError):
    """A statement that would change something, sent to `claimex sql`."""


def read_only_query(
    con: duckdb.DuckDBPyConnection, sql: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement and return (columns, rows)."""
    statement = _one_statement(con, sql)
    if statement.type is duckdb.StatementType.EXPLAIN:
        _check_explained(con, statement.query)
    elif statement.type not in _QUERIES:
        raise WriteRefused(
            f"refused: `claimex sql` is read-only and {statement.type.name} statements may "
            "change data; use SELECT (or EXPLAIN) queries"
        )
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()
    except duckdb.PermissionException as exc:
        raise SettingError(
            "SQL error: {error} (queries read only the database; "
            "set {allow_files} to read local files on purpose)",
            error=_one_line(exc),
        ) from None
    except duckdb.Error as exc:
        raise ClaimexError(f"SQL error: {_one_line(exc)}") from None


def _one_statement(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ClaimexError(f"SQL error: {_one_line(exc)}") from None
    if len(statements) != 1:
        raise ClaimexError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]


def _check_explained(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """EXPLAIN ANALYZE runs its statement, so only a query may follow EXPLAIN.

    Anything the prefix pattern cannot take apart is refused, not guessed at.
    """
    prefix = _EXPLAIN.match(sql)
    inner = None
    if prefix is not None:
        try:
            inner = con.extract_statements(sql[prefix.end() :])
        except duckdb.Error:
            inner = None
    if not inner or len(inner) != 1 or inner[0].type not in _QUERIES:
        raise WriteRefused(
            "refused: `claimex sql` is read-only and EXPLAIN / EXPLAIN ANALYZE is allowed "
            "only for a SELECT query (EXPLAIN ANALYZE runs its statement)"
        )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
