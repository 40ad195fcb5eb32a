"""Extraction runs: pick the papers still to do, run a backend with bounded concurrency,
ground every claim and write finished papers in batches, each batch one transaction.

A batch is written once it holds WRITE_BATCH papers or its oldest paper has
waited WRITE_EVERY_S (checked as papers finish), and whatever is pending when a
run is interrupted is written before it stops; so only a hard kill can lose
finished papers (a few, extracted again on rerun), and writing costs far less
than a transaction per paper. Backends may define two optional
hooks: `prefetch(papers)`, called for each slice of PREFETCH papers before any of
them is extracted (the LLM backend looks up their cached answers in one query),
and `flush()`, called just before each batch is written (the LLM backend writes
its buffered llm_calls rows first, so no paper is stored before its call).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence

import duckdb

from claimex.errors import ClaimexError, SettingError
from claimex.grounding import GroundingError, ground_claim
from claimex.model import Claim, GroundedClaim, Paper
from claimex.stages import (
    Backend,
    BackendUnavailable,
    Extraction,
    ExtractionFailed,
    PaperOutcome,
    RunResult,
    RunStatus,
    Status,
)
from claimex.store import runs

DEFAULT_CONCURRENCY = 8
WRITE_BATCH = 256  # finished papers per transaction, at most
WRITE_EVERY_S = 1.0  # or once its oldest paper has waited this long
PREFETCH = 1024  # papers per prefetch slice


def ground_extraction(
    claims: Sequence[Claim], abstract: str, rules: Sequence[Sequence[str]] = ()
) -> tuple[list[GroundedClaim], list[str]]:
    """Keep claims whose evidence and value are in the abstract; give reasons for the rest.

    rules: per claim, the ids of the rules that produced it (kept on the grounded claim).
    """
    grounded: list[GroundedClaim] = []
    reasons: list[str] = []
    for index, claim in enumerate(claims):
        try:
            grounded.append(ground_claim(claim, abstract, rules[index] if rules else ()))
        except GroundingError as exc:
            reasons.append(str(exc))
    return grounded, reasons


async def extract_paper(backend: Backend, paper: Paper) -> PaperOutcome:
    """Extract and ground one paper; a failure is its outcome, not an exception."""
    started = time.perf_counter()
    try:
        extraction = await backend.extract(paper)
    except ExtractionFailed as exc:
        return PaperOutcome(
            paper.id,
            Status.FAILED,
            [],
            reason=str(exc),
            input_tokens=exc.input_tokens,
            output_tokens=exc.output_tokens,
            duration_s=time.perf_counter() - started,
        )
    except BackendUnavailable:
        raise  # no paper can succeed: stop the run (interrupted) instead of failing each
    except Exception as exc:  # a failed paper is recorded and retried next run, never fatal
        reason = (
            f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        )
        return PaperOutcome(
            paper.id, Status.FAILED, [], reason=reason, duration_s=time.perf_counter() - started
        )
    return grounded_outcome(paper, extraction, started)


def grounded_outcome(paper: Paper, extraction: Extraction, started: float) -> PaperOutcome:
    """A paper's ok outcome: the extraction's claims grounded in its abstract."""
    grounded, reasons = ground_extraction(extraction.claims, paper.abstract, extraction.rules)
    return PaperOutcome(
        paper.id,
        Status.OK,
        grounded,
        dropped=len(reasons) + len(extraction.dropped),
        input_tokens=extraction.input_tokens,
        output_tokens=extraction.output_tokens,
        duration_s=time.perf_counter() - started,
    )


def choose_run(
    con: duckdb.DuckDBPyConnection,
    backend: Backend,
    resume: int | None,
    new_run: bool = False,
) -> int:
    """The run to write into: resume's, else the newest with the same configuration, else new.

    new_run starts a fresh run even when one with this configuration exists
    (re-extract everything; the LLM backend then answers from its call cache).
    """
    spec = backend.run_spec()
    if resume is not None:
        fingerprint = runs.run_fingerprint(con, resume)
        if fingerprint is None:
            raise ClaimexError(f"run {resume} does not exist")
        if fingerprint != spec.fingerprint:
            raise SettingError(
                "run {run} was made with a different configuration; "
                "leave out {resume} to start a new run",
                run=resume,
            )
        return resume
    if new_run:
        return runs.create_run(con, spec)
    existing = runs.latest_run_for(con, spec.fingerprint)
    return existing if existing is not None else runs.create_run(con, spec)


async def run_extraction(
    con: duckdb.DuckDBPyConnection,
    backend: Backend,
    papers: Sequence[Paper],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    resume: int | None = None,
    new_run: bool = False,
    on_paper: Callable[[PaperOutcome], None] | None = None,
) -> RunResult:
    """Extract claims for papers not yet done in the chosen run; safe to interrupt and rerun."""
    if concurrency < 1:
        raise SettingError("{concurrency} must be at least 1")
    if resume is not None and new_run:
        raise SettingError("{resume} and {new_run} exclude each other")
    stale = runs.reap_stale_runs(con)
    run_id = choose_run(con, backend, resume, new_run)
    done = runs.papers_done(con, run_id)
    todo = [p for p in papers if p.id not in done]
    result = RunResult(run_id=run_id, papers_skipped=len(papers) - len(todo), stale_runs=stale)
    runs.mark_running(con, run_id)
    writer = _BatchWriter(con, run_id, backend, result, on_paper)
    papers_left = _prefetched(backend, todo)

    async def worker() -> None:
        for paper in papers_left:  # shared by all workers; the generator never awaits
            writer.add(await extract_paper(backend, paper))

    try:
        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(todo)))))
        writer.flush()
    except BaseException:
        writer.flush()  # papers finished before the interruption are kept
        runs.finish_run(con, run_id, RunStatus.INTERRUPTED)
        raise
    finally:
        await close_backend(backend)
    runs.finish_run(con, run_id, RunStatus.FAILED if result.papers_failed else RunStatus.COMPLETED)
    return result


def _prefetched(backend: Backend, papers: Sequence[Paper]) -> Iterator[Paper]:
    """The papers in order, each slice announced to the backend's prefetch hook first."""
    prefetch = getattr(backend, "prefetch", None)
    for start in range(0, len(papers), PREFETCH):
        chunk = papers[start : start + PREFETCH]
        if prefetch is not None:
            prefetch(chunk)
        yield from chunk


class _BatchWriter:
    """Collects finished papers and writes them WRITE_BATCH (or WRITE_EVERY_S) at a time."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        run_id: int,
        backend: Backend,
        result: RunResult,
        on_paper: Callable[[PaperOutcome], None] | None,
    ) -> None:
        self._con = con
        self._run_id = run_id
        self._flush_backend = getattr(backend, "flush", None)
        self._result = result
        self._on_paper = on_paper
        self._pending: list[PaperOutcome] = []
        self._since = 0.0

    def add(self, outcome: PaperOutcome) -> None:
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append(outcome)
        tally(self._result, outcome)
        if self._on_paper is not None:
            self._on_paper(outcome)
        if len(self._pending) >= WRITE_BATCH or time.monotonic() - self._since >= WRITE_EVERY_S:
            self.flush()

    def flush(self) -> None:
        if self._flush_backend is not None:
            self._flush_backend()
        if self._pending:
            outcomes, self._pending = self._pending, []
            runs.record_papers(self._con, self._run_id, outcomes)


async def close_backend(backend: Backend) -> None:
    """Let a backend release what it holds open (the LLM backend's HTTP connections).

    Optional, so backends without resources need not define it; it must run inside
    the run's event loop, which is gone once asyncio.run returns.
    """
    aclose = getattr(backend, "aclose", None)
    if aclose is not None:
        await aclose()


def tally(result: RunResult, outcome: PaperOutcome) -> None:
    """Add one paper's outcome to the run's counts."""
    if outcome.status == Status.OK:
        result.papers_ok += 1
    else:
        result.papers_failed += 1
        result.failures.append((outcome.paper_id, outcome.reason or "unknown error"))
    result.claims += len(outcome.claims)
    result.dropped += outcome.dropped
    result.input_tokens += outcome.input_tokens
    result.output_tokens += outcome.output_tokens
