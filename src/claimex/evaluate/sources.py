"""Where the predictions come from: a run already in a database, or a fresh backend run.

A fresh run goes into a temporary DuckDB file through the same ingest and
`run_extraction` path as `claimex extract`, so the scorer measures what users get.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from claimex.errors import ClaimexError
from claimex.model import Claim, Paper
from claimex.pipeline import run_extraction
from claimex.stages import Backend, PaperOutcome, RunResult
from claimex.store import open_store, transaction
from claimex.store.papers import load_papers, upsert_papers
from claimex.store.runs import load_run_claims, papers_done


@dataclass(frozen=True)
class RunInfo:
    """What produced the predictions: recorded with every score and baseline."""

    run_id: int
    backend: str
    model: str | None
    prompt_version: str | None
    prompt_hash: str | None
    status: str

    def describe(self) -> str:
        parts = [f"run {self.run_id}", f"backend {self.backend}"]
        if self.model:
            parts.append(f"model {self.model}")
        if self.prompt_version or self.prompt_hash:
            parts.append(f"prompt {self.prompt_version or '?'} ({(self.prompt_hash or '?')[:12]})")
        return ", ".join(parts)


@dataclass(frozen=True)
class Predictions:
    run: RunInfo
    claims: dict[str, list[Claim]]
    not_extracted: list[str]
    """Papers of the papers file the run has no successful result for (scored as no claims)."""
    text_differs: list[str]
    """Papers whose abstract in the database differs from the papers file's: the run read
    other text, and grounding is judged against the papers file."""
    dropped: int
    """Claims the run discarded before storing them (ungrounded, or invalid after re-asks)
    on these papers: the stored claims are grounded by construction, so this is where an
    extractor's ungrounded output shows."""


def run_info(con: duckdb.DuckDBPyConnection, run_id: int) -> RunInfo:
    row = con.execute(
        "SELECT backend, model, prompt_version, prompt_hash, status FROM runs WHERE id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        raise ClaimexError(f"run {run_id} does not exist (see `claimex runs`)")
    return RunInfo(run_id, str(row[0]), row[1], row[2], row[3], str(row[4]))


def predictions_from_run(
    con: duckdb.DuckDBPyConnection, run_id: int, papers: Sequence[Paper]
) -> Predictions:
    """A stored run's claims for the given papers."""
    info = run_info(con, run_id)
    ids = [paper.id for paper in papers]
    done = papers_done(con, run_id)
    stored = {p.id: p.abstract for p in load_papers(con, ids)}
    dropped = con.execute(
        "SELECT coalesce(sum(claims_dropped), 0) FROM paper_runs"
        " WHERE run_id = ? AND status = 'ok' AND list_contains(?, paper_id)",
        [run_id, ids],
    ).fetchone()
    return Predictions(
        info,
        load_run_claims(con, run_id, ids),
        not_extracted=[i for i in ids if i not in done],
        text_differs=[p.id for p in papers if p.id in stored and stored[p.id] != p.abstract],
        dropped=int(dropped[0]) if dropped else 0,
    )


def predictions_from_backend(
    backend: Backend,
    papers: Sequence[Paper],
    on_paper: Callable[[PaperOutcome], None] | None = None,
) -> tuple[Predictions, RunResult]:
    """Ingest papers into a throw-away database, extract with the backend, read the run back."""
    with tempfile.TemporaryDirectory(prefix="claimex-eval-") as tmp:
        con = open_store(Path(tmp) / "eval.duckdb")
        try:
            with transaction(con):
                upsert_papers(con, papers)
            result = asyncio.run(run_extraction(con, backend, papers, on_paper=on_paper))
            return predictions_from_run(con, result.run_id, papers), result
        finally:
            con.close()
