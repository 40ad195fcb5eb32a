"""Where the database lives, opening it (migrated), and transactions."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from claimex.errors import ClaimexError, SettingError
from claimex.store.migrations import migrate
from claimex.store.sharing import (
    OPEN_WAIT_S,
    READ_WAIT_S,
    connect_waiting,
    is_lock_conflict,
    sharing_writer,
)

DEFAULT_DB = "claims.duckdb"
DB_ENV = "CLAIMEX_DB"
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in .*?\(PID (\d+)\)")


def resolve_db_path(db: str | Path | None = None) -> Path:
    """The given path wins, then $CLAIMEX_DB, then claims.duckdb in the working directory."""
    return Path(db or os.environ.get(DB_ENV) or DEFAULT_DB)


def open_store(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a read-write store and bring its schema up to date."""
    path = resolve_db_path(db)
    if (extract := sharing_writer(path)) is not None:
        raise _written_by_extract(path, extract)
    try:  # a reader (sql, show) holds the file for a moment: wait that out, not a writer
        con = connect_waiting(path, OPEN_WAIT_S)
    except duckdb.Error as exc:
        if is_lock_conflict(exc) and (extract := sharing_writer(path)) is not None:
            raise _written_by_extract(path, extract) from None
        raise _cannot_open(path, exc) from None
    if (extract := sharing_writer(path)) is not None:  # it started while we opened
        con.close()
        raise _written_by_extract(path, extract)
    migrate(con)
    return con


def _written_by_extract(path: Path, extract: str) -> ClaimexError:
    return ClaimexError(
        f"{path}: a running extract writes it ({extract}); commands that only read it "
        "(sql, show, papers, runs, export) work meanwhile, but nothing else may write it "
        "until the extract finishes"
    )


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
        extract = sharing_writer(path) if is_lock_conflict(exc) else None
        if extract is None:
            raise _cannot_open(path, exc) from None
    try:  # a batched extract lets go of the file between batches: wait for a gap
        return connect_waiting(path, READ_WAIT_S, read_only=True, config=config)
    except duckdb.Error as exc:
        if not is_lock_conflict(exc):
            raise _cannot_open(path, exc) from None
        raise ClaimexError(
            f"{path}: a running extract ({extract}) did not let go of it for "
            f"{READ_WAIT_S:.0f} s; try again"
        ) from None


def _cannot_open(path: Path, exc: duckdb.Error) -> ClaimexError:
    """One line; for DuckDB's single-writer lock, who holds it and what to do instead."""
    held = _LOCK_HOLDER.search(str(exc))
    if held is None:
        return ClaimexError(f"{path}: cannot open database ({_first_line(exc)})")
    pid = int(held.group(1))
    return SettingError(
        "{path}: in use by another process (PID {pid}: {command}), and DuckDB lets "
        "no other process open a file while one writes it; read it once it finishes "
        "(an extract stores each paper as it goes), or query a copy of the file taken "
        "while nothing writes to it (give the copy as {db})",
        path=path,
        pid=pid,
        command=_command_of(pid),
    )


def _command_of(pid: int) -> str:
    """The holder's command line, so the user can tell a running extract from a stray shell."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "command unknown"
    command = " ".join(raw.replace(b"\0", b" ").decode(errors="replace").split())
    return (command[:200] + "...") if len(command) > 200 else command or "command unknown"


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
