"""`claimex extract --backend llm` through the CLI, against the stub server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest

from claimex.model import Paper
from claimex.testing.openai_stub import Answer, Fail, StubOpenAIServer
from conftest import Cli
from llm_support import QUILL, QUILL_CLAIMS, TERN, TERN_CLAIMS, all_text, numbered_copies

SECRET = "sk-test-Zq8v3LkS9mWc2RnB7xYt"
NO_LLM_ENV: dict[str, str | None] = {
    "OPENAI_API_KEY": None,
    "CLAIMEX_MODEL": None,
    "CLAIMEX_BASE_URL": None,
    "CLAIMEX_PROMPTS_DIR": None,
}
GOOD = {QUILL.abstract: [Answer(QUILL_CLAIMS)], TERN.abstract: [Answer(TERN_CLAIMS)]}


def write_papers(path: Path, papers: Sequence[Paper]) -> Path:
    with path.open("w") as out:
        for paper in papers:
            out.write(paper.model_dump_json(include={"id", "title", "abstract"}) + "\n")
    return path


@pytest.fixture(autouse=True)
def fast_retries(tmp_path: Path) -> None:
    """claimex.toml in the working directory: millisecond backoff for every test here."""
    (tmp_path / "claimex.toml").write_text("[tool.claimex]\nbackoff_base = 0.001\n")


def test_extract_with_base_url_and_model_end_to_end(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "out.duckdb"
    with StubOpenAIServer(GOOD) as server:
        args = ["extract", papers, "--db", db, "--backend", "llm"]
        result = cli(*args, "--base-url", server.base_url, "--model", "M", env=NO_LLM_ENV)
        assert result.exit_code == 0, result.output
        assert server.request_count == 2
        assert {r.body["model"] for r in server.requests} == {"M"}
        again = cli(*args, "--base-url", server.base_url, "--model", "M", env=NO_LLM_ENV)
        assert again.exit_code == 0, again.output
        assert server.request_count == 2  # both papers done in this configuration
    assert "run 1: 2 papers ok, 0 failed, 0 already done; 5 claims stored" in result.output
    assert "run 1: 0 papers ok, 0 failed, 2 already done" in again.output
    runs = cli("runs", "--db", db, "--format", "json")
    (run,) = json.loads(runs.stdout)
    assert (run["backend"], run["model"], run["prompt_version"], run["status"]) == (
        "llm",
        "M",
        "claims-v1",
        "completed",
    )
    assert (run["papers_ok"], run["papers_failed"], run["claims"]) == (2, 0, 5)
    assert run["tokens"] == sum(r.prompt_tokens + r.completion_tokens for r in server.requests)
    sql = cli("sql", "select paper_id, value from latest_claims order by all", "--db", db)
    assert sql.exit_code == 0, sql.output
    assert sql.stdout.split("\n")[1:3] == ["quill\t3.1", "quill\t27"]


def test_settings_from_environment_and_claimex_toml(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    (tmp_path / "claimex.toml").write_text(
        '[tool.claimex]\nmodel = "toml-model"\nmode = "json"\nbackoff_base = 0.001\n'
    )
    with StubOpenAIServer(GOOD) as server:
        env = NO_LLM_ENV | {"CLAIMEX_BASE_URL": server.base_url}
        first = cli("extract", papers, "--db", tmp_path / "a.duckdb", env=env)
        env_model = cli(
            "extract", papers, "--db", tmp_path / "b.duckdb", env=env | {"CLAIMEX_MODEL": "env"}
        )
        cli_model = cli(
            "extract",
            papers,
            "--db",
            tmp_path / "c.duckdb",
            "--model",
            "cli",
            env=env | {"CLAIMEX_MODEL": "env"},
        )
        seen = [(r.body["model"], r.body["response_format"]["type"]) for r in server.requests]
    for result in (first, env_model, cli_model):
        assert result.exit_code == 0, result.output
    assert "using the llm backend" in first.output  # CLAIMEX_BASE_URL chose it
    assert seen == [("toml-model", "json_object"), ("env", "json_object"), ("cli", "json_object")]


def test_the_api_key_never_reaches_the_database_logs_or_messages(
    tmp_path: Path, cli: Cli, caplog: pytest.LogCaptureFixture
) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL, TERN])
    db = tmp_path / "out.duckdb"
    echo = json.dumps(
        {"error": {"message": f"Incorrect API key provided: {SECRET}. Or: {SECRET[:6]}****tB"}}
    )
    script = {**GOOD, QUILL.abstract: [Fail(401, body=echo)], TERN.abstract: [Fail(500)]}
    with StubOpenAIServer(script) as server, caplog.at_level("DEBUG"):
        result = cli(
            "extract",
            papers,
            "--db",
            db,
            "--base-url",
            server.base_url,
            "--api-key-env",
            "LAB_KEY",
            env=NO_LLM_ENV | {"LAB_KEY": SECRET},
        )
        authorizations = {r.authorization for r in server.requests}
    assert authorizations == {f"Bearer {SECRET}"}  # the key was used ...
    assert result.exit_code == 1
    assert "failed quill: HTTP 401: Incorrect API key provided: [redacted]." in result.output
    con = duckdb.connect(str(db))  # the in-process CLI's connection may not be collected yet
    stored = all_text(con)
    assert "[redacted]" in stored and "LAB_KEY" in stored
    for text in (result.output, stored, caplog.text):  # ... and went nowhere else
        assert SECRET not in text
        assert SECRET[:6] + "****" not in text


def test_missing_key_for_openai_is_one_clear_line(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    result = cli("extract", papers, "--backend", "llm", env=NO_LLM_ENV)
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "error: the llm backend needs an API key in $OPENAI_API_KEY "
        "(or --base-url for a local OpenAI-compatible server)"
    )


def test_llm_options_with_another_backend_are_refused(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    result = cli("extract", papers, "--backend", "rules", "--model", "M", env=NO_LLM_ENV)
    assert result.exit_code == 2
    assert "error: --model: only for the llm backend, not 'rules'" in result.output


def test_unknown_key_in_claimex_toml_is_named(tmp_path: Path, cli: Cli) -> None:
    papers = write_papers(tmp_path / "papers.jsonl", [QUILL])
    (tmp_path / "claimex.toml").write_text('[tool.claimex]\nmodle = "x"\n')
    result = cli("extract", papers, "--base-url", "http://127.0.0.1:9/v1", env=NO_LLM_ENV)
    assert result.exit_code == 2
    assert "claimex.toml: [tool.claimex] has unknown key 'modle'" in result.output


def test_ctrl_c_leaves_an_interrupted_run_that_resumes(tmp_path: Path) -> None:
    papers = numbered_copies(QUILL, 6)
    path = write_papers(tmp_path / "papers.jsonl", papers)
    db = tmp_path / "out.duckdb"
    env = {k: v for k, v in os.environ.items() if k not in NO_LLM_ENV and k != "CLAIMEX_DB"}
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS), latency=0.2) as server:
        command = [sys.executable, "-c", "from claimex.cli import app; app()", "extract"]
        command += [str(path), "--db", str(db), "--base-url", server.base_url]
        command += ["--model", "M", "--concurrency", "1"]
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 30
        while server.arrivals < 3 and time.monotonic() < deadline:  # papers 1-2 done, 3 asked
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130, stderr.decode()
        con = duckdb.connect(str(db))
        assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
        done = con.execute("SELECT count(*) FROM paper_runs WHERE status = 'ok'").fetchone()
        assert done == (2,)
        assert con.execute("SELECT count(*) FROM claims").fetchone() == (4,)
        con.close()

        server.wait_idle()  # paper 3's cancelled request still gets its (unread) answer
        server.reset_counts()
        resumed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=60)
        assert resumed.returncode == 0, resumed.stderr.decode()
        assert server.request_count == 4
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]
    assert con.execute("SELECT count(*), count(DISTINCT paper_id) FROM claims").fetchone() == (
        12,
        6,
    )
    assert "run 1: 4 papers ok, 0 failed, 2 already done" in resumed.stderr.decode()


def test_eval_scores_the_llm_backend(tmp_path: Path, cli: Cli) -> None:
    """A server answering each eval paper with its gold claims scores 1.0 through the LLM path."""
    repo = Path(__file__).resolve().parents[1]
    lines = (repo / "eval" / "papers.jsonl").read_text().splitlines()
    abstracts = {p["id"]: p["abstract"] for p in map(json.loads, lines)}
    gold = [json.loads(line) for line in (repo / "eval" / "gold.jsonl").read_text().splitlines()]
    script = {abstracts[g["paper_id"]]: [Answer(g["claims"])] for g in gold}
    with StubOpenAIServer(script) as server:
        result = cli(
            "eval",
            "--backend",
            "llm",
            "--papers",
            repo / "eval" / "papers.jsonl",
            "--gold",
            repo / "eval" / "gold.jsonl",
            "--json",
            env=NO_LLM_ENV | {"CLAIMEX_BASE_URL": server.base_url, "CLAIMEX_MODEL": "gold"},
        )
        assert server.request_count == len(gold)  # every claim grounded at the first answer
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["run"]["backend"], report["run"]["model"]) == ("llm", "gold")
    assert report["scores"]["claim_f1"] == 1.0
    assert report["scores"]["grounding_rate"] == 1.0
