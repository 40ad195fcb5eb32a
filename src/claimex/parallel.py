"""Batched runs for CPU-bound backends (rules): worker processes, one transaction per batch.

Papers stream from the store in batches; each worker process extracts and grounds a
whole batch and builds its finished rows (claims with their canonical columns, the
papers' outcomes, the batch's counts), so the parent only inserts them, one
transaction per batch. A kill at any moment leaves whole batches only, and a rerun
skips the papers they hold, so nothing is lost or stored twice. Memory stays flat:
only the batches in flight are held.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from claimex.backends import create_backend
from claimex.errors import SettingError
from claimex.model import Paper
from claimex.pipeline import choose_run, close_backend, extract_paper, tally
from claimex.stages import Backend, PaperOutcome, RunResult, RunStatus, Status
from claimex.store import runs
from claimex.store.sharing import WriteStore, as_store

DEFAULT_BATCH_SIZE = 500
_PAPER_COLUMNS = tuple(Paper.model_fields)
PaperRow = tuple[Any, ...]  # a papers row, in _PAPER_COLUMNS order


@dataclass
class FinishedBatch:
    """What a worker hands back: the rows to insert and the counts for the run's totals."""

    rows: runs.BatchRows
    tally: RunResult


@cache
def _worker_backend(name: str) -> Backend:
    """One backend per worker process, built on its first batch."""
    return create_backend(name)


def extract_batch(backend: Backend, papers: list[Paper]) -> list[PaperOutcome]:
    """Extract and ground a batch, one paper after another (the backend is CPU-bound)."""

    async def run() -> list[PaperOutcome]:
        return [await extract_paper(backend, paper) for paper in papers]

    return asyncio.run(run())


def finish_batch(backend: Backend, run_id: int, batch: list[PaperRow]) -> FinishedBatch:
    """Extract a batch of stored papers and build everything the writer inserts for it.

    The rows come from the store, where they were validated on the way in, so the
    papers are built without validating them again.
    """
    papers = [Paper.model_construct(**dict(zip(_PAPER_COLUMNS, row, strict=True))) for row in batch]
    outcomes = extract_batch(backend, papers)
    counts = RunResult(run_id=run_id)
    for outcome in outcomes:
        tally(counts, outcome)
    return FinishedBatch(runs.batch_rows(run_id, outcomes), counts)


def finish_batch_in_worker(backend_name: str, run_id: int, batch: list[PaperRow]) -> FinishedBatch:
    """finish_batch inside a worker process, with that process's own backend."""
    return finish_batch(_worker_backend(backend_name), run_id, batch)


def papers_to_do(con: duckdb.DuckDBPyConnection, run_id: int) -> npt.NDArray[np.int64]:
    """The row ids of the papers not yet done in run_id, in storage order (8 bytes each).

    Ids, not a cursor: the writer lets go of the database between batches, and a
    row id finds its paper again after any reopening (papers are never deleted).
    """
    found = con.execute(
        "SELECT p.rowid AS r FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_runs x"
        " WHERE x.run_id = ? AND x.paper_id = p.id AND x.status = ?) ORDER BY r",
        [run_id, str(Status.OK)],
    ).fetchnumpy()
    return np.asarray(found["r"], dtype=np.int64)


def papers_at(con: duckdb.DuckDBPyConnection, rowids: npt.NDArray[np.int64]) -> list[PaperRow]:
    """The papers rows with these (ascending) row ids: a range scan when they are dense."""
    columns = ", ".join(_PAPER_COLUMNS)
    low, high = int(rowids[0]), int(rowids[-1])
    if high - low < 2 * len(rowids):
        rows = con.execute(
            f"SELECT rowid, {columns} FROM papers WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
            [low, high],
        ).fetchall()
        if len(rows) != len(rowids):
            wanted = set(rowids.tolist())
            rows = [row for row in rows if row[0] in wanted]
    else:
        rows = con.execute(
            f"SELECT rowid, {columns} FROM papers"
            " WHERE rowid IN (SELECT unnest(?::BIGINT[])) ORDER BY rowid",
            [rowids.tolist()],
        ).fetchall()
    return [row[1:] for row in rows]


def run_batched(
    where: duckdb.DuckDBPyConnection | WriteStore,
    backend: Backend,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    resume: int | None = None,
    new_run: bool = False,
    on_batch: Callable[[RunResult], None] | None = None,
) -> RunResult:
    """Extract every stored paper not yet done in the chosen run, batch by batch.

    A SharedWriter is held only while batches are written or papers read, and let go
    between them (store.sharing), so readers can open it during the run; a bare
    connection is held throughout. on_batch
    gets each written batch's counts (for a progress display).
    """
    if workers < 1 or batch_size < 1:
        raise SettingError("{workers} and {batch_size} must be at least 1")
    if resume is not None and new_run:
        raise SettingError("{resume} and {new_run} exclude each other")
    store = as_store(where)
    con = store.connection()
    stale = runs.reap_stale_runs(con)
    run_id = choose_run(con, backend, resume, new_run)
    done = _count(con, "SELECT count(*) FROM paper_runs WHERE run_id = ? AND status = 'ok'", run_id)
    result = RunResult(run_id=run_id, papers_skipped=done, stale_runs=stale)
    runs.mark_running(con, run_id)
    todo = papers_to_do(con, run_id)
    chunks = (todo[i : i + batch_size] for i in range(0, len(todo), batch_size))
    executor: Executor
    if workers > 1:  # spawn: a forked child would inherit DuckDB's threads and locks
        executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        work = partial(finish_batch_in_worker, backend.name, run_id)
    else:  # the same batches on this process's backend, one thread beside the writer
        executor = ThreadPoolExecutor(1)
        work = partial(finish_batch, backend, run_id)
    try:
        with executor:
            try:
                _write_as_done(store, executor, work, chunks, workers, result, on_batch)
            except BaseException:  # Ctrl-C or a failed write: cancel what has not started
                executor.shutdown(wait=False, cancel_futures=True)
                raise
    except BaseException:
        runs.finish_run(store.connection(), run_id, RunStatus.INTERRUPTED)
        raise
    finally:
        asyncio.run(close_backend(backend))
    status = RunStatus.FAILED if result.papers_failed else RunStatus.COMPLETED
    runs.finish_run(store.connection(), run_id, status)
    return result


def _write_as_done(
    store: WriteStore,
    executor: Executor,
    work: Callable[[list[PaperRow]], FinishedBatch],
    chunks: Iterator[npt.NDArray[np.int64]],
    workers: int,
    result: RunResult,
    on_batch: Callable[[RunResult], None] | None,
) -> None:
    """Keep 2 batches per worker in flight; write each as it finishes, letting go between."""
    pending: set[Future[FinishedBatch]] = set()
    finished: set[Future[FinishedBatch]] = set()
    while True:
        con = store.connection()
        for future in finished:
            done_batch = future.result()
            runs.record_rows(con, done_batch.rows)
            result.add(done_batch.tally)
            if on_batch is not None:
                on_batch(done_batch.tally)
        while len(pending) < 2 * workers and (chunk := next(chunks, None)) is not None:
            pending.add(executor.submit(work, papers_at(con, chunk)))
        if not pending:
            return
        store.let_go()
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)


def _count(con: duckdb.DuckDBPyConnection, query: str, *params: object) -> int:
    row = con.execute(query, list(params)).fetchone()
    return int(row[0]) if row else 0
