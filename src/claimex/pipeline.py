"""Extraction runs: pick the papers still to do, run a backend with bounded concurrency,
ground every claim and write each paper in its own transaction as soon as it is done.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

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
CACHE_BATCH = 500


def ground_extraction(
    claims: Sequence[Claim], abstract: str
) -> tuple[list[GroundedClaim], list[str]]:
    """Keep claims whose evidence and value are in the abstract; give reasons for the rest."""
    grounded: list[GroundedClaim] = []
    reasons: list[str] = []
    for claim in claims:
        try:
            grounded.append(ground_claim(claim, abstract))
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
    grounded, reasons = ground_extraction(extraction.claims, paper.abstract)
    return PaperOutcome(
        paper.id,
        Status.OK,
        grounded,
        dropped=len(reasons) + len(extraction.dropped),
        input_tokens=extraction.input_tokens,
        output_tokens=extraction.output_tokens,
        duration_s=time.perf_counter() - started,
    )


def store_cached(
    con: duckdb.DuckDBPyConnection,
    backend: Backend,
    run_id: int,
    papers: Sequence[Paper],
    result: RunResult,
    on_paper: Callable[[PaperOutcome], None] | None,
) -> list[Paper]:
    """Store the papers the backend answers from its cache, a batch per transaction; the rest.

    A cached answer needs no request, so writing it alone in a transaction would be
    most of its cost (a cached rerun ran at about 120 abstracts/s that way).
    """
    cached: Callable[[Paper], Extraction | None] | None = getattr(backend, "cached", None)
    if cached is None:
        return list(papers)
    rest: list[Paper] = []
    for start in range(0, len(papers), CACHE_BATCH):
        outcomes: list[PaperOutcome] = []
        for paper in papers[start : start + CACHE_BATCH]:
            began = time.perf_counter()
            extraction = cached(paper)
            if extraction is None:
                rest.append(paper)
            else:
                outcomes.append(grounded_outcome(paper, extraction, began))
        runs.record_papers(con, run_id, outcomes)
        for outcome in outcomes:
            tally(result, outcome)
            if on_paper is not None:
                on_paper(outcome)
    return rest


def choose_run(
    con: duckdb.DuckDBPyConnection,
    backend: Backend,
    resume: int | None,
    new_run: bool = False,
) -> int:
    """The run to write into: --resume's, else the newest with the same configuration, else new.

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
    gate = asyncio.Semaphore(concurrency)

    async def worker(paper: Paper) -> None:
        async with gate:
            outcome = await extract_paper(backend, paper)
        runs.record_paper(con, run_id, outcome)
        tally(result, outcome)
        if on_paper is not None:
            on_paper(outcome)

    try:
        todo = store_cached(con, backend, run_id, todo, result, on_paper)
        await asyncio.gather(*(worker(p) for p in todo))
    except BaseException:
        runs.finish_run(con, run_id, RunStatus.INTERRUPTED)
        raise
    finally:
        await close_backend(backend)
    runs.finish_run(con, run_id, RunStatus.FAILED if result.papers_failed else RunStatus.COMPLETED)
    return result


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
