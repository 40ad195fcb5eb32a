"""SIGTERM is Ctrl-C, and a run left `running` by a killed process is marked interrupted.

Issue 12 point 6: real `claimex extract` subprocesses against the stub server on
127.0.0.1, stopped with real signals.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from claimex.testing.openai_stub import Answer, StubOpenAIServer
from llm_support import QUILL, QUILL_CLAIMS, numbered_copies
from test_llm_cli import NO_LLM_ENV, write_papers

CLAIMEX = "from claimex.cli import app; app()"


def _start_extract(
    tmp_path: Path, server: StubOpenAIServer, db: Path
) -> tuple[list[str], dict[str, str], subprocess.Popen[bytes]]:
    """`claimex extract` of 6 papers, one at a time, in its own process; waits for 2 done."""
    path = write_papers(tmp_path / "papers.jsonl", numbered_copies(QUILL, 6))
    env = {k: v for k, v in os.environ.items() if k not in NO_LLM_ENV and k != "CLAIMEX_DB"}
    command = [sys.executable, "-c", CLAIMEX, "extract"]
    command += [str(path), "--db", str(db), "--base-url", server.base_url]
    command += ["--model", "M", "--concurrency", "1"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while server.arrivals < 3 and time.monotonic() < deadline:  # papers 1-2 done, 3 asked
        time.sleep(0.01)
    return command, env, process


def _runs(db: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT id, status, pid, host FROM runs ORDER BY id").fetchall()
    finally:
        con.close()


def test_sigterm_leaves_an_interrupted_run_that_resumes(tmp_path: Path) -> None:
    db = tmp_path / "out.duckdb"
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS), latency=0.2) as server:
        command, env, process = _start_extract(tmp_path, server, db)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130, stderr.decode()
        assert "interrupted" in stderr.decode()
        assert [r[1] for r in _runs(db)] == ["interrupted"]
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute("SELECT count(*) FROM paper_runs WHERE status = 'ok'").fetchone() == (2,)
        con.close()
        server.wait_idle()
        resumed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert "run 1: 4 papers ok, 0 failed, 2 already done" in resumed.stderr.decode()


def test_a_run_killed_with_sigkill_is_marked_interrupted_by_the_next_run(tmp_path: Path) -> None:
    db = tmp_path / "out.duckdb"
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS), latency=0.2) as server:
        _, env, process = _start_extract(tmp_path, server, db)
        process.kill()
        process.wait(timeout=30)
    ((run_id, status, pid, host),) = _runs(db)
    assert (run_id, status, pid, host) == (1, "running", process.pid, socket.gethostname())
    other = subprocess.run(
        [sys.executable, "-c", CLAIMEX, "extract", "--backend", "rules", "--db", str(db)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr.decode()
    assert "run 1 was left running by process" in other.stderr.decode()
    statuses = [(r[0], r[1]) for r in _runs(db)]
    assert statuses == [(1, "interrupted"), (2, "completed")]


def test_a_running_run_of_a_live_process_or_another_host_is_left_alone(tmp_path: Path) -> None:
    from claimex.store import open_store
    from claimex.store.runs import reap_stale_runs

    con = open_store(tmp_path / "x.duckdb")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    for pid, where in ((os.getpid(), host), (dead.pid, "elsewhere"), (dead.pid, host)):
        con.execute(
            "INSERT INTO runs (backend, fingerprint, status, pid, host)"
            " VALUES ('rules', 'fp', 'running', ?, ?)",
            [pid, where],
        )
    assert reap_stale_runs(con) == [(3, dead.pid)]
    statuses = con.execute("SELECT status FROM runs ORDER BY id").fetchall()
    assert statuses == [("running",), ("running",), ("interrupted",)]
