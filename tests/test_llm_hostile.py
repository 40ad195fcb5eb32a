"""Hostile or dead endpoints (issue 12 points 4, 5, 8; issue 11 point 7).

Real openai + instructor clients over real HTTP on 127.0.0.1: a 200 that is an
HTML page or has no choices, a port nobody listens on, a server that echoes the
API key inside the claims it returns.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import duckdb
import pytest

from claimex.backends.llm.transport import ReachabilityGuard
from claimex.pipeline import run_extraction
from claimex.stages import BackendUnavailable
from claimex.testing.openai_stub import Answer, HtmlPage, NoChoices, StubOpenAIServer
from conftest import Cli
from llm_support import (
    QUILL,
    QUILL_CLAIMS,
    all_text,
    backend,
    calls,
    extract,
    numbered_copies,
    papers_db,
    stored_claims,
)
from test_llm_cli import NO_LLM_ENV, SECRET, write_papers

EXPECTED_QUILL = [
    ("quill", 3.1, "x", "3.1x more requests per second", "exact"),
    ("quill", 27.0, "%", "lowers median latency by 27%", "exact"),
]


@pytest.fixture(autouse=True)
def fast_retries(tmp_path: Path) -> None:
    (tmp_path / "claimex.toml").write_text("[tool.claimex]\nbackoff_base = 0.001\n")


def dead_url() -> str:
    """A loopback URL whose port nobody listens on: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# --- point 4: a 200 that is not a chat completion ------------------------------------------


@pytest.mark.parametrize("fault", [HtmlPage(), NoChoices()], ids=["html", "no-choices"])
def test_a_200_that_is_not_a_completion_is_retried(tmp_path: Path, fault: object) -> None:
    script = {QUILL.abstract: [fault, fault, Answer(QUILL_CLAIMS)]}
    with StubOpenAIServer(script) as server:  # type: ignore[arg-type]
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL])
    assert (result.papers_ok, result.claims) == (1, 2), result.failures
    (call,) = calls(con, "quill")
    assert (call["requests"], call["http_retries"]) == (3, 2)
    assert stored_claims(con) == EXPECTED_QUILL


@pytest.mark.parametrize(
    ("fault", "what"),
    [(HtmlPage(), "an HTML page"), (NoChoices(), "a completion with no choices")],
    ids=["html", "no-choices"],
)
def test_a_200_that_is_never_a_completion_fails_with_a_clear_reason(
    tmp_path: Path, fault: object, what: str
) -> None:
    with StubOpenAIServer({QUILL.abstract: [fault]}) as server:  # type: ignore[list-item]
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL], http_retries=1)
    reason = f"malformed response: {what}, not a chat completion (gave up after 1 retries)"
    assert result.failures == [("quill", reason)]
    stored = con.execute("SELECT reason FROM paper_runs").fetchall()
    assert stored == [(reason,)]


# --- point 5 and issue 11 point 7: a dead endpoint stops the run early ---------------------


def test_a_dead_endpoint_stops_the_run_as_interrupted_and_a_rerun_resumes(
    tmp_path: Path, cli: Cli
) -> None:
    papers = numbered_copies(QUILL, 8)
    path = write_papers(tmp_path / "papers.jsonl", papers)
    db = tmp_path / "out.duckdb"
    url = dead_url()
    args = ("extract", path, "--db", db, "--model", "M", "--concurrency", "2")
    result = cli(*args, "--base-url", url, env=NO_LLM_ENV)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[1] == (
        f"using the llm backend: model M at {url} "
        "(--base-url, --model given; --backend rules runs offline)"
    )
    assert lines[-1] == (
        f"error: cannot reach the LLM endpoint {url}: connection failed 3 times in a row "
        "before any answer; the run is interrupted and resumes when rerun (start the server, "
        "fix --base-url, or run offline with --backend rules)"
    )
    con = duckdb.connect(str(db))
    assert con.execute("SELECT id, status FROM runs").fetchall() == [(1, "interrupted")]
    assert con.execute("SELECT count(*) FROM paper_runs WHERE status = 'ok'").fetchone() == (0,)
    con.close()
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS)) as server:
        resumed = cli(*args, "--base-url", server.base_url, env=NO_LLM_ENV)
    assert resumed.exit_code == 0, resumed.output
    assert "run 1: 8 papers ok, 0 failed" in resumed.stderr


def test_once_the_endpoint_answered_connection_failures_only_fail_papers(tmp_path: Path) -> None:
    """A server that dies mid-run is not "unreachable": its papers fail and are retried later."""
    guard = ReachabilityGuard("http://127.0.0.1:9/v1", threshold=3)
    guard.answered()
    for _ in range(10):
        guard.connection_failed()  # never raises after an answer


def test_connection_failures_count_across_papers_and_retries() -> None:
    guard = ReachabilityGuard("http://127.0.0.1:9/v1", threshold=3)
    guard.connection_failed()
    guard.connection_failed()
    with pytest.raises(BackendUnavailable, match="connection failed 3 times in a row"):
        guard.connection_failed()


def test_the_library_run_is_interrupted_too(tmp_path: Path) -> None:
    papers = numbered_copies(QUILL, 4)
    con = papers_db(tmp_path, papers)
    with StubOpenAIServer() as server:
        extractor = backend(con, server, base_url=dead_url())
    with pytest.raises(BackendUnavailable, match="cannot reach the LLM endpoint"):
        asyncio.run(run_extraction(con, extractor, papers, concurrency=1))
    assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    assert con.execute("SELECT count(*) FROM paper_runs").fetchone() == (0,)


def test_the_chosen_backend_and_endpoint_are_announced(tmp_path: Path, cli: Cli) -> None:
    path = write_papers(tmp_path / "papers.jsonl", [QUILL])
    with StubOpenAIServer({QUILL.abstract: [Answer(QUILL_CLAIMS)]}) as server:
        result = cli(
            "extract",
            path,
            "--db",
            tmp_path / "x.duckdb",
            env=NO_LLM_ENV | {"CLAIMEX_BASE_URL": server.base_url, "CLAIMEX_MODEL": "M"},
        )
    assert result.exit_code == 0, result.output
    first = result.stderr.splitlines()[1]  # after the ingest line
    assert first == (
        f"using the llm backend: model M at {server.base_url} (CLAIMEX_BASE_URL is set; "
        "--backend rules runs offline)"
    )


# --- point 8: every stored string is redacted ----------------------------------------------


def test_a_key_echoed_inside_claims_is_never_stored_or_printed(tmp_path: Path, cli: Cli) -> None:
    echoed = dict(
        QUILL_CLAIMS[0],
        system=f"QuillServe {SECRET}",
        baselines=["vLLM", SECRET],
        condition=f"key {SECRET[:6]}****tB",
        workload=SECRET,
    )
    path = write_papers(tmp_path / "papers.jsonl", [QUILL])
    db = tmp_path / "out.duckdb"
    with StubOpenAIServer({QUILL.abstract: [Answer([echoed, QUILL_CLAIMS[1]])]}) as server:
        result = cli(
            "extract",
            path,
            "--db",
            db,
            "--base-url",
            server.base_url,
            "--api-key-env",
            "LAB_KEY",
            env=NO_LLM_ENV | {"LAB_KEY": SECRET},
        )
    assert result.exit_code == 0, result.output
    shown = cli("sql", "select system, baselines, condition, workload from claims", "--db", db)
    con = duckdb.connect(str(db), read_only=True)
    stored = all_text(con)
    row = con.execute(
        "SELECT system, baselines, condition, workload FROM claims ORDER BY ordinal LIMIT 1"
    ).fetchone()
    con.close()
    assert row == ("QuillServe [redacted]", ["vLLM", "[redacted]"], "key [redacted]", "[redacted]")
    for text in (result.output, shown.stdout, stored):
        assert SECRET not in text
        assert SECRET[:6] + "****" not in text
