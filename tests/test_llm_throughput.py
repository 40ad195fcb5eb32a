"""The LLM pipeline's bulk paths: cache lookups per slice, batched writes, real concurrency.

All against the loopback stub server and a real DuckDB file, through run_extraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest

from claimex import pipeline
from claimex.backends.llm.calllog import CachedAnswer, CallLog
from claimex.stages import PaperOutcome
from claimex.store import runs
from claimex.testing.openai_stub import Answer, StubOpenAIServer
from llm_support import QUILL, QUILL_CLAIMS, TERN, TERN_CLAIMS, extract, numbered_copies, papers_db


def test_a_rerun_looks_up_the_cache_once_per_slice_and_stores_the_same_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = [*numbered_copies(QUILL, 3), *numbered_copies(TERN, 2)]
    script = {
        p.abstract: [Answer(QUILL_CLAIMS if p.id.startswith(QUILL.id) else TERN_CLAIMS)]
        for p in papers
    }
    monkeypatch.setattr(pipeline, "PREFETCH", 2)
    bulk: list[int] = []
    single: list[str] = []
    lookup_many = CallLog.lookup_many

    def counted_many(self: CallLog, hashes: Sequence[str]) -> dict[str, CachedAnswer]:
        bulk.append(len(hashes))
        return lookup_many(self, hashes)

    def counted_single(self: CallLog, request_hash: str) -> CachedAnswer | None:
        single.append(request_hash)
        return None

    monkeypatch.setattr(CallLog, "lookup_many", counted_many)
    monkeypatch.setattr(CallLog, "lookup", counted_single)
    with StubOpenAIServer(script) as server:
        con = papers_db(tmp_path, papers)
        first = extract(con, server, papers)
        assert server.request_count == 5
        server.reset_counts()
        bulk.clear()
        second = extract(con, server, papers, new_run=True)
        assert server.request_count == 0
    assert bulk == [2, 2, 1]  # one query per slice of the rerun, none per paper
    assert single == []
    assert first.claims == second.claims > 0
    assert _claims(con, first.run_id) == _claims(con, second.run_id)


def test_finished_papers_are_written_in_batches_each_after_its_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = numbered_copies(QUILL, 7)
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 3)
    batches: list[tuple[int, int]] = []  # (papers in the batch, llm_calls rows already written)
    record_papers = runs.record_papers

    def spied(
        con: duckdb.DuckDBPyConnection, run_id: int, outcomes: Sequence[PaperOutcome]
    ) -> None:
        row = con.execute("SELECT count(*) FROM llm_calls").fetchone()
        batches.append((len(outcomes), row[0] if row else -1))
        record_papers(con, run_id, outcomes)

    monkeypatch.setattr(runs, "record_papers", spied)
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS)) as server:
        con = papers_db(tmp_path, papers)
        result = extract(con, server, papers, concurrency=1)
    assert batches == [(3, 3), (3, 6), (1, 7)]
    assert result.papers_ok == 7
    assert con.execute("SELECT count(*), sum(claims) FROM paper_runs").fetchone() == (7, 14)
    assert con.execute("SELECT papers_ok, claims FROM runs").fetchone() == (7, 14)


def test_concurrency_32_keeps_32_requests_in_flight(tmp_path: Path) -> None:
    papers = numbered_copies(QUILL, 96)
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS), latency=0.3) as server:
        con = papers_db(tmp_path, papers)
        result = extract(con, server, papers, concurrency=32)
        assert server.peak_in_flight == 32
    assert result.papers_ok == 96


def _claims(con: duckdb.DuckDBPyConnection, run_id: int) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT * EXCLUDE (run_id) FROM claims WHERE run_id = ? ORDER BY paper_id, ordinal",
        [run_id],
    ).fetchall()
