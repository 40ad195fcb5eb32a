"""Where the database lives, opening it (migrated), and transactions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from claimex.errors import ClaimexError
from claimex.store.migrations import migrate

DEFAULT_DB = "claims.duckdb"
DB_ENV = "CLAIMEX_DB"


def resolve_db_path(db: str | Path | None = None) -> Path:
    """--db wins, then $CLAIMEX_DB, then claims.duckdb in the working directory."""
    return Path(db or os.environ.get(DB_ENV) or DEFAULT_DB)


def open_store(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a read-write store and bring its schema up to date."""
    path = resolve_db_path(db)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise ClaimexError(f"{path}: cannot open database ({_first_line(exc)})") from None
    migrate(con)
    return con


def open_read_only(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open an existing store read-only (for reports and scoring)."""
    return _connect_existing(resolve_db_path(db), {})


def open_for_queries(
    db: str | Path | None = None, *, allow_files: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open an existing store read-only for user SQL, sandboxed by the engine itself.

    A read-only file stops writes to the store; these settings stop the rest:
    no reading or writing other files (unless allow_files), no extension
    downloads or loads (a URL read would fetch httpfs), and no SET to undo it.
    """
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "enable_external_access": allow_files,
        "lock_configuration": True,
    }
    return _connect_existing(resolve_db_path(db), config)


def _connect_existing(
    path: Path, config: dict[str, str | bool | int | float | list[str]]
) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise ClaimexError(f"{path}: no such database (run `claimex ingest` first)")
    try:
        return duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as exc:
        raise ClaimexError(f"{path}: cannot open database ({_first_line(exc)})") from None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing block: commit on success, roll back on any exception (Ctrl-C included)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
