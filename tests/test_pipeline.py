"""Extraction runs with a scripted test backend: grounding, per-paper transactions, failures,
reruns that skip done papers, --resume, and the latest_claims view."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from claimex.errors import ClaimexError
from claimex.model import Claim, Paper
from claimex.pipeline import run_extraction
from claimex.readers import read_papers
from claimex.stages import Backend, Extraction, RunResult, RunSpec
from claimex.store import open_store, transaction
from claimex.store import runs as store_runs
from claimex.store.papers import upsert_papers
from conftest import Cli

PAPER_IDS = ("distserve", "ic-cache", "janus")


class ScriptedBackend:
    """A real Backend whose answer for each paper is given up front (claims or an error)."""

    name = "scripted"

    def __init__(
        self,
        answers: Mapping[str, Extraction | Exception],
        fingerprint: str = "scripted-v1",
        delay: float = 0.0,
    ) -> None:
        self.answers = answers
        self.fingerprint = fingerprint
        self.delay = delay
        self.calls: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0

    def run_spec(self) -> RunSpec:
        return RunSpec(
            backend=self.name,
            fingerprint=self.fingerprint,
            model="scripted-model",
            prompt_version="t1",
            config={"delay": self.delay},
        )

    async def extract(self, paper: Paper) -> Extraction:
        self.calls.append(paper.id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        answer = self.answers.get(paper.id, Extraction(claims=[]))
        if isinstance(answer, Exception):
            raise answer
        return answer


def _is_extractor(backend: Backend) -> Backend:
    return backend  # mypy/pyright check that ScriptedBackend satisfies the protocol


_is_extractor(ScriptedBackend({}))


def claim(evidence: str, value: float, **fields: Any) -> Claim:
    data: dict[str, Any] = {
        "metric": "requests served",
        "category": "throughput",
        "kind": "ratio",
        "value": value,
        "unit": "x",
        "direction": "increase",
        "evidence": evidence,
    }
    data.update(fields)
    return Claim.model_validate(data)


DISTSERVE_REQUESTS = claim(
    "DistServe can serve 4.48x more requests",
    4.48,
    system="DistServe",
    baselines=["state-of-the-art systems"],
)
DISTSERVE_SLO = claim(
    "10.2x tighter SLO", 10.2, metric="SLO", category="latency", direction="decrease"
)
UNGROUNDED = claim("DistServe serves 99x more requests on TPUs", 99)
IC_CACHE_RANGE = claim(
    "reduces latency by 28-71%",
    28,
    value_max=71,
    bound="range",
    kind="percent_change",
    unit="%",
    metric="latency",
    category="latency",
    direction="decrease",
)


def answers(**overrides: Extraction | Exception) -> dict[str, Extraction | Exception]:
    base: dict[str, Extraction | Exception] = {
        "distserve": Extraction(
            claims=[DISTSERVE_REQUESTS, UNGROUNDED, DISTSERVE_SLO],
            input_tokens=100,
            output_tokens=20,
        ),
        "ic-cache": Extraction(claims=[IC_CACHE_RANGE], input_tokens=50, output_tokens=10),
        "janus": Extraction(claims=[], dropped=["gave up after re-asks"], input_tokens=7),
    }
    base.update(overrides)
    return base


@pytest.fixture
def papers(example_path: Path) -> list[Paper]:
    by_id = {p.id: p for p in read_papers(example_path)}
    return [by_id[i] for i in PAPER_IDS]


@pytest.fixture
def con(tmp_path: Path, papers: list[Paper]) -> duckdb.DuckDBPyConnection:
    connection = open_store(tmp_path / "runs.duckdb")
    with transaction(connection):
        upsert_papers(connection, papers)
    return connection


def run(
    con: duckdb.DuckDBPyConnection,
    backend: ScriptedBackend,
    papers: Sequence[Paper],
    **kwargs: Any,
) -> RunResult:
    return asyncio.run(run_extraction(con, backend, papers, **kwargs))


def claim_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT run_id, paper_id, ordinal, value, evidence FROM claims ORDER BY ALL"
    ).fetchall()


def test_claims_are_grounded_and_written_with_offsets(
    con: duckdb.DuckDBPyConnection, papers: list[Paper]
) -> None:
    result = run(con, ScriptedBackend(answers()), papers)
    assert (result.papers_ok, result.papers_failed, result.papers_skipped) == (3, 0, 0)
    assert (result.claims, result.dropped) == (3, 2)  # UNGROUNDED + janus's own drop
    assert (result.input_tokens, result.output_tokens) == (157, 30)

    abstracts = {p.id: p.abstract for p in papers}
    rows = con.execute(
        "SELECT run_id, paper_id, ordinal, value, value_max, kind, bound, direction, baselines,"
        " evidence, evidence_start, evidence_end, alignment FROM claims ORDER BY paper_id, ordinal"
    ).fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (result.run_id, "distserve", 0, 4.48),
        (result.run_id, "distserve", 1, 10.2),
        (result.run_id, "ic-cache", 0, 28.0),
    ]
    for row in rows:
        evidence, start, end = row[9], row[10], row[11]
        assert abstracts[row[1]][start:end] == evidence
        assert row[12] == "exact"
    assert rows[0][8] == ["state-of-the-art systems"]
    assert rows[2][4:8] == (71.0, "percent_change", "range", "decrease")

    outcomes = con.execute(
        "SELECT paper_id, status, reason, claims, claims_dropped, input_tokens FROM paper_runs"
        " ORDER BY paper_id"
    ).fetchall()
    assert outcomes == [
        ("distserve", "ok", None, 2, 1, 100),
        ("ic-cache", "ok", None, 1, 0, 50),
        ("janus", "ok", None, 0, 1, 7),
    ]
    run_row = con.execute(
        "SELECT backend, model, prompt_version, fingerprint, status, papers_ok, papers_failed,"
        " claims, claims_dropped, input_tokens, output_tokens, finished_at IS NOT NULL FROM runs"
    ).fetchall()
    assert run_row == [
        ("scripted", "scripted-model", "t1", "scripted-v1", "completed", 3, 0, 3, 2, 157, 30, True)
    ]


def test_backend_error_fails_that_paper_and_the_run(
    con: duckdb.DuckDBPyConnection, papers: list[Paper]
) -> None:
    backend = ScriptedBackend(answers(**{"ic-cache": TimeoutError("upstream timed out\ndetails")}))
    result = run(con, backend, papers)
    assert (result.papers_ok, result.papers_failed) == (2, 1)
    assert result.failures == [("ic-cache", "TimeoutError: upstream timed out")]
    assert con.execute(
        "SELECT status, reason, claims FROM paper_runs WHERE paper_id = 'ic-cache'"
    ).fetchall() == [("failed", "TimeoutError: upstream timed out", 0)]
    assert con.execute("SELECT status, papers_ok, papers_failed FROM runs").fetchall() == [
        ("failed", 2, 1)
    ]
    assert con.execute("SELECT count(*) FROM claims WHERE paper_id = 'ic-cache'").fetchone() == (0,)


def test_rerun_skips_done_papers_and_retries_failed_ones(
    con: duckdb.DuckDBPyConnection, papers: list[Paper]
) -> None:
    first = run(con, ScriptedBackend(answers(**{"ic-cache": RuntimeError("boom")})), papers)
    done_claims = claim_rows(con)

    retry = ScriptedBackend(answers())
    second = run(con, retry, papers)
    assert second.run_id == first.run_id
    assert retry.calls == ["ic-cache"]
    assert (second.papers_ok, second.papers_failed, second.papers_skipped) == (1, 0, 2)
    rows = claim_rows(con)
    assert [r for r in rows if r[1] != "ic-cache"] == done_claims  # no duplicates
    assert [r[1:4] for r in rows if r[1] == "ic-cache"] == [("ic-cache", 0, 28.0)]
    assert con.execute("SELECT status, papers_ok, papers_failed, claims FROM runs").fetchall() == [
        ("completed", 3, 0, 3)
    ]

    third_backend = ScriptedBackend(answers())
    third = run(con, third_backend, papers)
    assert (third.run_id, third_backend.calls, third.papers_skipped) == (first.run_id, [], 3)
    assert claim_rows(con) == rows


def test_a_different_configuration_starts_a_new_run(
    con: duckdb.DuckDBPyConnection, papers: list[Paper]
) -> None:
    first = run(con, ScriptedBackend(answers()), papers)
    other = ScriptedBackend(answers(), fingerprint="scripted-v2")
    second = run(con, other, papers)
    assert second.run_id != first.run_id
    assert other.calls == list(PAPER_IDS)
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (6,)


def test_resume(con: duckdb.DuckDBPyConnection, papers: list[Paper]) -> None:
    first = run(con, ScriptedBackend(answers(janus=RuntimeError("x"))), papers)
    with pytest.raises(ClaimexError, match=f"run {first.run_id} was made with a different"):
        run(con, ScriptedBackend(answers(), fingerprint="other"), papers, resume=first.run_id)
    with pytest.raises(ClaimexError, match="run 999 does not exist"):
        run(con, ScriptedBackend(answers()), papers, resume=999)
    assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)

    backend = ScriptedBackend(answers())
    resumed = run(con, backend, papers, resume=first.run_id)
    assert (resumed.run_id, backend.calls) == (first.run_id, ["janus"])


def test_concurrency_is_bounded(con: duckdb.DuckDBPyConnection, papers: list[Paper]) -> None:
    backend = ScriptedBackend(answers(), delay=0.01)
    run(con, backend, papers, concurrency=2)
    assert backend.max_in_flight == 2
    with pytest.raises(ClaimexError, match="at least 1"):
        run(con, backend, papers, concurrency=0)


def test_a_paper_is_written_in_one_transaction(
    con: duckdb.DuckDBPyConnection, papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the claims were inserted leaves none of that paper's rows behind."""

    def broken_totals(connection: duckdb.DuckDBPyConnection, *args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_runs, "_add_to_run_totals", broken_totals)
    with pytest.raises(RuntimeError, match="disk full"):
        run(con, ScriptedBackend(answers()), papers[:1])
    assert con.execute("SELECT count(*) FROM claims").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM paper_runs").fetchone() == (0,)
    assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]


def test_latest_claims_shows_each_papers_newest_successful_extraction(
    con: duckdb.DuckDBPyConnection, papers: list[Paper]
) -> None:
    old = run(con, ScriptedBackend(answers(), fingerprint="old"), papers)
    newer = ScriptedBackend(
        answers(
            distserve=Extraction(claims=[DISTSERVE_SLO]),
            **{"ic-cache": RuntimeError("failed this time")},
        ),
        fingerprint="new",
    )
    new = run(con, newer, papers)
    rows = con.execute(
        "SELECT paper_id, run_id, value, title FROM latest_claims ORDER BY paper_id, ordinal"
    ).fetchall()
    titles = {p.id: p.title for p in papers}
    assert rows == [
        ("distserve", new.run_id, 10.2, titles["distserve"]),  # the newer run replaces the old
        ("ic-cache", old.run_id, 28.0, titles["ic-cache"]),  # newer run failed: old claims stay
    ]


# --- the `claimex extract` command with the scripted backend -----------------------------


def test_extract_command_reports_and_exits_by_outcome(
    cli: Cli, tmp_path: Path, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.duckdb"
    assert cli("ingest", example_path, "--db", db).exit_code == 0
    backend = ScriptedBackend(answers(**{"ic-cache": RuntimeError("quota exceeded")}))
    monkeypatch.setattr(
        "claimex.backends.choice.create_backend", lambda name, options=None: backend
    )

    failed = cli("extract", "--backend", "scripted", "--db", db)
    assert failed.exit_code == 1
    assert "run 1: 40 papers ok, 1 failed, 0 already done; 2 claims stored" in failed.stderr
    assert "failed ic-cache: RuntimeError: quota exceeded" in failed.stderr

    backend.answers = answers()
    retried = cli("extract", "--backend", "scripted", "--db", db)
    assert retried.exit_code == 0, retried.output
    assert "run 1: 1 papers ok, 0 failed, 40 already done; 1 claims stored" in retried.stderr
    # Read-write like the extract above: the failed Result's traceback still holds its connection.
    assert open_store(db).execute("SELECT count(*) FROM latest_claims").fetchone() == (3,)

    backend.fingerprint = "changed"
    wrong = cli("extract", "--backend", "scripted", "--resume", "1", "--db", db)
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("error: run 1 was made with a different configuration")
    assert len(wrong.stderr.splitlines()) == 1
