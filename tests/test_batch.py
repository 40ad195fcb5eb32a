"""`claimex batch submit|status|collect` over real HTTP, against the stub's Batch API."""

from __future__ import annotations

import asyncio
import io
import json
from contextlib import closing
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openai import OpenAI

from claimex import batch as batches
from claimex.backends.llm.batchfile import parse_results
from claimex.errors import InputError, SettingError
from claimex.model import Paper
from claimex.store import open_store
from claimex.store.batches import get_batch
from claimex.store.papers import load_papers
from claimex.testing.openai_stub import Answer, Fail, Malformed, StubOpenAIServer
from conftest import Cli, Snapshot, one_line
from llm_support import (
    MODEL,
    QUILL,
    QUILL_CLAIMS,
    SURVEY,
    TERN,
    TERN_CLAIMS,
    all_text,
    claim,
    stored_claims,
)

SECRET = "sk-test-Bt5uWq2Lp9Xc7Vn4Mz8k"
ENV: dict[str, str | None] = {
    "OPENAI_API_KEY": None,
    "CLAIMEX_MODEL": None,
    "CLAIMEX_BASE_URL": None,
    "CLAIMEX_PROMPTS_DIR": None,
    "LAB_KEY": SECRET,
}
GOOD = {
    QUILL.abstract: [Answer(QUILL_CLAIMS)],
    TERN.abstract: [Answer(TERN_CLAIMS)],
    SURVEY.abstract: [Answer([])],
}


def write_papers(path: Path, papers: list[Paper]) -> Path:
    with path.open("w") as out:
        for paper in papers:
            out.write(paper.model_dump_json(include={"id", "title", "abstract"}) + "\n")
    return path


def connect(server: StubOpenAIServer, *args: object) -> list[object]:
    return [*args, "--base-url", server.base_url, "--api-key-env", "LAB_KEY"]


def submit(cli: Cli, server: StubOpenAIServer, db: Path, *args: object) -> Any:
    result = cli("batch", "submit", *args, "--db", db, *connect(server, "--model", MODEL), env=ENV)
    assert result.exit_code == 0, result.output
    return result


def rows(db: Path, query: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db))
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_a_complete_batch_is_one_run_with_every_answer_logged(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN, SURVEY])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD, batch_polls=1) as server:
        submitted = submit(cli, server, db, papers)
        assert server.request_count == 0  # nothing answered until the batch runs
        status = cli("batch", "status", "--db", db, *connect(server), env=ENV)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
        again = cli("batch", "collect", "batch_0001", "--db", db, *connect(server), env=ENV)
        batch_bodies = {r.abstract: r.body for r in server.requests}
        (upload,) = [f for f in server.batch_api.files.values() if f.purpose == "batch"]
    assert "submitted batch batch_0001: 3 requests (run 1)" in submitted.output
    assert status.exit_code == 0, status.output
    assert status.stdout.strip() == (
        "batch batch_0001: in_progress, 0 of 3 requests done, 0 failed (run 1)"
    )
    assert collected.exit_code == 0, collected.output
    assert "run 1: 3 papers ok, 0 failed, 0 already done; 5 claims stored" in collected.output
    assert again.exit_code == 0, again.output
    assert "run 1: 0 papers ok, 0 failed, 3 already done" in again.output
    # the same claims as an interactive llm run over the same answers
    interactive = tmp_path / "interactive.duckdb"
    with StubOpenAIServer(GOOD) as server:
        result = cli(
            "extract", papers, "--db", interactive, *connect(server, "--model", MODEL), env=ENV
        )
        assert result.exit_code == 0, result.output
        interactive_bodies = {r.abstract: r.body for r in server.requests}
        authorizations = {r.authorization for r in server.requests}
    assert authorizations == {f"Bearer {SECRET}"}
    assert batch_bodies == interactive_bodies  # the same prompt and request shape
    con = duckdb.connect(str(interactive))
    expected = stored_claims(con)
    con.close()
    con = duckdb.connect(str(db))
    assert stored_claims(con, 1) == expected
    calls = con.execute(
        "SELECT paper_id, status, requests, reasks, input_tokens > 0 FROM llm_calls ORDER BY id"
    ).fetchall()
    assert sorted(calls) == [(p, "ok", 1, 0, True) for p in ("quill", "survey", "tern")]
    run = con.execute("SELECT backend, status, papers_ok, claims FROM runs").fetchall()
    assert run == [("llm", "completed", 3, 5)]
    batch = con.execute(
        "SELECT id, run_id, input_file_id, status, requests, collected_at IS NOT NULL FROM batches"
    ).fetchall()
    assert batch == [("batch_0001", 1, upload.id, "completed", 3, True)]
    assert SECRET not in all_text(con)
    con.close()
    lines = [json.loads(line) for line in upload.data.decode().splitlines()]
    assert [line["custom_id"] for line in lines] == ["quill", "survey", "tern"]
    assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}


def test_an_expired_batch_stores_its_partial_results_and_fails_the_rest(
    tmp_path: Path, cli: Cli
) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN, SURVEY])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD, batch_expire_after=2) as server:
        submit(cli, server, db, papers)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
        answered = server.request_count
    assert answered == 2
    assert collected.exit_code == 1, collected.output
    assert "run 1: 2 papers ok, 1 failed" in collected.output
    assert (
        "failed tern: batch_expired: This request could not be executed before the completion"
        " window expired." in collected.output
    )
    assert rows(db, "SELECT paper_id, status FROM paper_runs ORDER BY paper_id") == [
        ("quill", "ok"),
        ("survey", "ok"),
        ("tern", "failed"),
    ]
    assert rows(db, "SELECT paper_id, status FROM llm_calls ORDER BY paper_id") == [
        ("quill", "ok"),
        ("survey", "ok"),
        ("tern", "failed"),
    ]
    assert rows(db, "SELECT status, completed, failed FROM batches") == [("expired", 2, 1)]
    assert rows(db, "SELECT status FROM runs") == [("failed",)]


def test_failed_lines_become_failed_papers_with_their_reasons(tmp_path: Path, cli: Cli) -> None:
    invented = claim(
        metric="throughput",
        category="throughput",
        kind="ratio",
        value=9,
        unit="x",
        direction="increase",
        evidence="9x faster than everything",
    )
    script = {
        QUILL.abstract: [Fail(500, body=json.dumps({"error": {"message": "GPU fell over"}}))],
        TERN.abstract: [Malformed()],
        SURVEY.abstract: [Answer([invented])],
    }
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN, SURVEY])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(script) as server:
        submit(cli, server, db, papers)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
        again = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
    assert collected.exit_code == 1, collected.output
    assert "run 1: 1 papers ok, 2 failed, 0 already done; 0 claims stored, 1 dropped" in (
        collected.output
    )
    assert "failed quill: HTTP 500: GPU fell over" in collected.output
    assert "failed tern: malformed response body (not a chat completion)" in collected.output
    calls = rows(db, "SELECT paper_id, status, reason FROM llm_calls ORDER BY paper_id")
    assert [c[:2] for c in calls] == [("quill", "failed"), ("survey", "ok"), ("tern", "failed")]
    assert calls[0][2] == "HTTP 500: GPU fell over"
    dropped = rows(db, "SELECT dropped FROM llm_calls WHERE paper_id = 'survey'")[0][0]
    assert "9x faster than everything" in dropped
    # a rerun reads the same results again, and logs none of them twice
    assert again.exit_code == 1
    assert "run 1: 0 papers ok, 2 failed, 1 already done" in again.output
    assert rows(db, "SELECT count(*) FROM llm_calls") == [(3,)]


def test_collect_waits_for_a_batch_still_in_progress(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD, batch_polls=3) as server:
        submit(cli, server, db, papers)
        early = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
        with closing(open_store(db)) as con, pytest.raises(SettingError) as caught:
            batches.download_results(get_batch(con, None), OpenAI(api_key="-", base_url="x"))
        assert str(caught.value).endswith("; collect it when it has finished, or collect with wait")
        waited = cli(
            "batch", "collect", "--wait", "--poll", "0.01", "--db", db, *connect(server), env=ENV
        )
    assert early.exit_code == 2
    assert one_line(early.stderr) == (
        "error: batch batch_0001 is in_progress (0 of 1 requests done); collect it when it has"
        " finished, or collect with --wait"
    )
    assert waited.exit_code == 0, waited.output
    assert "batch batch_0001: completed, 1 of 1 requests done, 0 failed (run 1)" in waited.stderr
    assert "run 1: 1 papers ok" in waited.stderr


def test_cached_answers_stay_out_of_the_file_and_join_the_run(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD) as server:
        first = write_papers(tmp_path / "first.jsonl", [QUILL])
        result = cli("extract", first, "--db", db, *connect(server, "--model", MODEL), env=ENV)
        assert result.exit_code == 0, result.output
        server.reset_counts()
        both = write_papers(tmp_path / "both.jsonl", [QUILL, TERN])
        submitted = submit(cli, server, db, both)
        pending = cli("batch", "submit", "--db", db, *connect(server, "--model", MODEL), env=ENV)
        with closing(open_store(db)) as con, pytest.raises(SettingError) as caught:
            settings = {"model": MODEL, "base_url": server.base_url}
            builder = batches.request_builder(con, settings, {}, send=False)
            asyncio.run(batches.plan_batch(con, builder, load_papers(con), 10, lambda: None))
        assert "(an extraction with backend llm stores them without requests)" in str(caught.value)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
        asked = [r.abstract for r in server.requests]
    assert "1 requests (run 2) (1 answered from llm_calls, stored at collect)" in submitted.output
    assert pending.exit_code == 2  # TERN is in the batch not collected yet, QUILL is cached
    assert one_line(pending.stderr).startswith(
        "error: nothing to submit: of 2 papers, 1 are in a batch not collected yet; 1 are"
        " answered in llm_calls (an extraction with --backend llm stores them without requests)"
    )
    assert asked == [TERN.abstract]
    assert collected.exit_code == 0, collected.output
    assert "run 2: 2 papers ok, 0 failed, 0 already done; 5 claims stored" in collected.output
    assert rows(db, "SELECT count(*) FROM llm_calls") == [(2,)]


def test_the_out_file_runs_elsewhere_and_its_results_collect(tmp_path: Path, cli: Cli) -> None:
    """--out writes the request file without submitting (as for `vllm run-batch`); another
    runner answers it (here the stub's own Batch API, driven by the openai client) and
    `collect --results` reads the output file it wrote."""
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "batch.duckdb"
    requests = tmp_path / "requests.jsonl"
    written = cli(
        "batch", "submit", papers, "--out", requests, "--db", db, "--model", MODEL, env=ENV
    )
    assert written.exit_code == 0, written.output
    assert "wrote 2 requests" in written.stderr and "batch local-1 (run 1)" in written.stderr
    assert f"vllm run-batch -i {requests} -o results.jsonl --model {MODEL}" in written.stderr
    with StubOpenAIServer(GOOD) as server:
        client = OpenAI(base_url=server.base_url, api_key="unused")
        uploaded = client.files.create(file=requests.open("rb"), purpose="batch")
        job = client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        job = client.batches.retrieve(job.id)
        assert job.status == "completed" and job.output_file_id is not None
        results = tmp_path / "results.jsonl"
        results.write_text(client.files.content(job.output_file_id).text)
    status = cli("batch", "status", "--db", db, env=ENV)
    assert status.exit_code == 0, status.output
    assert status.stdout.startswith(f"batch local-1: request file {requests} (2 requests, run 1)")
    no_results = cli("batch", "collect", "--db", db, env=ENV)
    assert no_results.exit_code == 2
    assert "give its results with --results FILE" in no_results.stderr
    collected = cli("batch", "collect", "local-1", "--results", results, "--db", db, env=ENV)
    assert collected.exit_code == 0, collected.output
    assert "run 1: 2 papers ok, 0 failed, 0 already done; 5 claims stored" in collected.output


def test_unknown_batch_is_one_clear_error(tmp_path: Path, cli: Cli, snapshot: Snapshot) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD) as server:
        submit(cli, server, db, papers)
        before = snapshot(db)
        for command in ("status", "collect"):
            result = cli("batch", command, "batch_9999", "--db", db, *connect(server), env=ENV)
            assert result.exit_code == 2
            assert one_line(result.stderr) == (
                "error: unknown batch 'batch_9999' in this database (known: batch_0001)"
            )
    assert snapshot(db) == before
    empty = cli("batch", "status", "--db", tmp_path / "empty.duckdb", env=ENV)
    assert empty.exit_code == 2
    assert one_line(empty.stderr) == (
        "error: no batches in this database; start one with `claimex batch submit`"
    )


def test_an_empty_paper_set_submits_nothing(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD) as server:
        result = cli("batch", "submit", "--db", db, *connect(server, "--model", MODEL), env=ENV)
        uploads = len(server.batch_api.files)
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "error: no papers to submit; pass a file or run `claimex ingest` first"
    )
    assert uploads == 0
    assert rows(db, "SELECT count(*) FROM runs") == [(0,)]
    assert rows(db, "SELECT count(*) FROM batches") == [(0,)]


def test_a_bad_results_line_is_named_and_nothing_is_stored(
    tmp_path: Path, cli: Cli, snapshot: Snapshot
) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    db = tmp_path / "batch.duckdb"
    requests = tmp_path / "requests.jsonl"
    written = cli(
        "batch", "submit", papers, "--out", requests, "--db", db, "--model", MODEL, env=ENV
    )
    assert written.exit_code == 0, written.output
    results = tmp_path / "results.jsonl"
    results.write_text('{"custom_id": "quill", "response": null, "error": null}\n{"custom_id": \n')
    before = snapshot(db)
    collected = cli("batch", "collect", "--results", results, "--db", db, env=ENV)
    assert collected.exit_code == 2
    assert one_line(collected.stderr).startswith(f"error: {results}:2: not a JSON line")
    assert snapshot(db) == before


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_every_mode_reads_its_batch_answers(tmp_path: Path, cli: Cli, mode: str) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD) as server:
        submit(cli, server, db, papers, "--mode", mode)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
    assert collected.exit_code == 0, collected.output
    assert "run 1: 1 papers ok, 0 failed, 0 already done; 2 claims stored" in collected.output


def test_the_stub_fails_a_batch_whose_file_is_not_batch_input(tmp_path: Path) -> None:
    """The loopback server checks input as OpenAI does, so a bad file would show in tests."""
    with StubOpenAIServer(GOOD) as server:
        client = OpenAI(base_url=server.base_url, api_key="unused")
        data = b'{"custom_id": "a", "method": "POST", "url": "/v1/embeddings", "body": {}}\n'
        uploaded = client.files.create(file=("bad.jsonl", io.BytesIO(data)), purpose="batch")
        job = client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        job = client.batches.retrieve(job.id)
    assert job.status == "failed"
    assert job.errors is not None and job.errors.data is not None
    assert [(e.code, e.line) for e in job.errors.data] == [("invalid_url", 1)]


def test_result_lines_read_the_way_openai_and_vllm_write_them() -> None:
    lines = [
        {"custom_id": "a", "response": {"status_code": 200, "body": {"id": "x"}}, "error": None},
        {
            "custom_id": "b",
            "response": {"status_code": 429, "body": {"error": {"message": "Rate  limit"}}},
            "error": None,
        },
        {  # vLLM: the status in the response, the message in "error"
            "custom_id": "c",
            "response": {"status_code": 400, "request_id": "r", "body": None},
            "error": "The model `m` does not exist.",
        },
        {"custom_id": "d", "response": None, "error": {"code": "batch_expired", "message": "late"}},
        {"custom_id": "e", "response": None, "error": None},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n\n"
    results = parse_results(text, "out.jsonl")
    assert {k: r.reason for k, r in results.items()} == {
        "a": "malformed response body (not a chat completion)",
        "b": "HTTP 429: Rate limit",
        "c": "HTTP 400: The model `m` does not exist.",
        "d": "batch_expired: late",
        "e": "a result line with neither response nor error",
    }
    with pytest.raises(InputError, match=r"^out.jsonl:2: a result line without a custom_id$"):
        parse_results('{"custom_id": "a", "error": "x"}\n{"error": "y"}\n', "out.jsonl")


def test_the_api_key_stays_out_of_the_database_and_messages(tmp_path: Path, cli: Cli) -> None:
    echo = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}."}})
    script = {**GOOD, QUILL.abstract: [Fail(401, body=echo)]}
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(script) as server:
        submitted = submit(cli, server, db, papers)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
    assert collected.exit_code == 1
    assert "failed quill: HTTP 401: Incorrect API key provided: [redacted]." in collected.output
    con = duckdb.connect(str(db))
    stored = all_text(con)
    con.close()
    assert "[redacted]" in stored and "LAB_KEY" in stored
    for text in (submitted.output, collected.output, stored):
        assert SECRET not in text


def test_a_cancelled_batch_fails_its_unanswered_papers(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD, batch_polls=5) as server:
        submit(cli, server, db, papers)
        cancelled = cli("batch", "cancel", "--db", db, *connect(server), env=ENV)
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
        answered = server.request_count
    assert answered == 0
    assert cancelled.exit_code == 0, cancelled.output
    assert cancelled.stdout.strip() == (
        "batch batch_0001: cancelled, 0 of 2 requests done, 0 failed (run 1)"
    )
    assert collected.exit_code == 1
    assert "run 1: 0 papers ok, 2 failed" in collected.output
    assert "failed quill: no result: batch batch_0001 cancelled before this request ran" in (
        collected.output
    )
    assert rows(db, "SELECT status, collected_at IS NOT NULL FROM batches") == [("cancelled", True)]


def test_a_paper_changed_after_submit_is_not_grounded_in_its_new_text(
    tmp_path: Path, cli: Cli
) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD) as server:
        submit(cli, server, db, papers)
        edited = TERN.model_copy(update={"abstract": TERN.abstract + " Code is released."})
        changed = write_papers(tmp_path / "changed.jsonl", [edited])
        assert cli("ingest", changed, "--db", db).exit_code == 0
        collected = cli("batch", "collect", "--db", db, *connect(server), env=ENV)
    assert collected.exit_code == 1
    assert "run 1: 1 papers ok, 1 failed" in collected.output
    assert (
        "failed tern: the paper changed after batch batch_0001 was submitted; submit it again"
        in (collected.output)
    )


def test_papers_over_the_limit_go_into_the_next_batch(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "batch.duckdb"
    with StubOpenAIServer(GOOD) as server:
        first = submit(cli, server, db, papers, "--max-requests", "1")
        second = submit(cli, server, db, "--max-requests", "1")
        collected = [
            cli("batch", "collect", batch, "--db", db, *connect(server), env=ENV)
            for batch in ("batch_0001", "batch_0002")
        ]
        again = cli("batch", "submit", "--db", db, *connect(server, "--model", MODEL), env=ENV)
        fresh = submit(cli, server, db, "--new-run", "--no-cache")
    assert "batch batch_0001: 1 requests (run 1) (1 over the batch limits" in first.output
    assert "batch batch_0002: 1 requests (run 1) (1 left to a batch not collected yet)" in (
        second.output
    )
    assert [c.exit_code for c in collected] == [0, 0]
    # batches of one configuration fill one run; a later submit finds nothing left to do
    assert rows(db, "SELECT run_id, paper_id FROM paper_runs WHERE run_id = 1 ORDER BY 2") == [
        (1, "quill"),
        (1, "tern"),
    ]
    assert rows(db, "SELECT status, papers_ok, claims FROM runs WHERE id = 1") == [
        ("completed", 2, 5)
    ]
    assert again.exit_code == 2
    assert one_line(again.stderr) == "error: nothing to submit: of 2 papers, 2 are stored in run 1"
    assert "batch batch_0003: 2 requests (run 2)" in fresh.output
