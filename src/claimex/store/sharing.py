"""Reading the store while a batched extract writes it.

DuckDB lets one process open a file read-write, and then no other process may open
it at all, not even read-only. So the batched extract (parallel.py) holds the file
only while it writes batches or reads papers, and lets go of it at least every
HOLD_S for at least GAP_S; a reader that finds it held by such a writer waits for the next gap (at
most READ_WAIT_S) instead of failing. A reader always sees whole batches: DuckDB
opens a file at its last commit, and the writer closes it between transactions.

Such a writer holds an advisory lock on `DB.writer` for its whole run, so readers
know a gap is coming, and another writer (an ingest, a second extract) gets one
clear line instead of slipping into a gap.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path
from types import TracebackType

import duckdb

from claimex.errors import ClaimexError

HOLD_S = 2.0  # the writer keeps the file at most this long before it lets go
GAP_S = 0.25  # and then stays away at least this long (its workers keep extracting)
READ_WAIT_S = 30.0  # a reader waits this long for a gap
WRITE_WAIT_S = 600.0  # the writer waits this long for readers to let go
OPEN_WAIT_S = 3.0  # a command opening the file read-write waits this long for readers
RETRY_S = 0.05


def writer_lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".writer")


def is_lock_conflict(exc: BaseException) -> bool:
    """DuckDB's error for a file another process holds."""
    return "Conflicting lock is held" in str(exc) or "Could not set lock" in str(exc)


def sharing_writer(path: Path) -> str | None:
    """'PID n: command' of a live extract that lets go of path between batches, else None."""
    try:
        fd = os.open(writer_lock_path(path), os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.read(fd, 400).decode(errors="replace").strip() or "PID unknown"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def connect_waiting(path: Path, deadline_s: float, **kwargs: object) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file, up to deadline_s."""
    give_up = time.monotonic() + deadline_s
    while True:
        try:
            return duckdb.connect(str(path), **kwargs)  # type: ignore[arg-type]
        except duckdb.Error as exc:
            if not is_lock_conflict(exc) or time.monotonic() >= give_up:
                raise
        time.sleep(RETRY_S)


class SharedWriter:
    """A read-write store that lets go of the file between batches, so readers get in.

    Adopts an open read-write connection (already migrated); `connection()` reopens
    the file when it was let go, waiting for readers to finish.
    """

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self._lock = os.open(writer_lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock)
            raise ClaimexError(f"{path}: another extract is writing it") from None
        os.ftruncate(self._lock, 0)
        command = " ".join(sys.argv)[:200]
        os.write(self._lock, f"PID {os.getpid()}: {command}".encode())
        self._con: duckdb.DuckDBPyConnection | None = con
        self._since = time.monotonic()
        self._back_at = 0.0

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            time.sleep(max(0.0, self._back_at - time.monotonic()))
            try:
                self._con = connect_waiting(self.path, WRITE_WAIT_S)
            except duckdb.Error as exc:
                raise ClaimexError(f"{self.path}: cannot reopen database ({exc})") from None
            self._since = time.monotonic()
        return self._con

    def let_go(self) -> None:
        """Close the file if it has been held HOLD_S or more, so readers can open it."""
        if self._con is not None and time.monotonic() - self._since >= HOLD_S:
            con, self._con = self._con, None  # a Ctrl-C in close() must not leave it set
            con.close()
            self._back_at = time.monotonic() + GAP_S

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        writer_lock_path(self.path).unlink(missing_ok=True)
        os.close(self._lock)  # releases the lock

    def __enter__(self) -> SharedWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class HeldStore:
    """A connection held for the whole run: a library caller's store, or the llm backend's.

    Same interface as SharedWriter, so run_batched has one way to reach the store; it never
    lets go and leaves closing to the connection's owner.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def connection(self) -> duckdb.DuckDBPyConnection:
        return self._con

    def let_go(self) -> None:
        """Never: the owner may still use the connection."""

    def __enter__(self) -> HeldStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


WriteStore = SharedWriter | HeldStore


def as_store(store: duckdb.DuckDBPyConnection | WriteStore) -> WriteStore:
    """A bare connection is held for the whole run; a SharedWriter lets readers in."""
    return HeldStore(store) if isinstance(store, duckdb.DuckDBPyConnection) else store
