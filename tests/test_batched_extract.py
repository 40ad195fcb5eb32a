"""The rules backend's batched writer: worker processes, one transaction per batch, and a
kill -9 in the middle of a run that the rerun completes without losing or doubling a claim.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import Cli

REPO = Path(__file__).resolve().parent.parent
COPIES = 60  # 41 real abstracts x 60 = 2,460 papers: several seconds of rules work


def corpus(path: Path, copies: int = COPIES) -> Path:
    """Real abstracts under distinct ids, so every copy is its own paper."""
    lines = (REPO / "eval" / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in records:
                out.write(json.dumps({**record, "id": f"{record['id']}-{copy}"}) + "\n")
    return path


CLAIMS = (
    "SELECT paper_id, ordinal, metric, category, kind, value, unit, evidence,"
    " evidence_start FROM claims ORDER BY paper_id, ordinal"
)


def state(db: Path) -> dict[str, object]:
    """Claims, per-paper outcomes and the run's totals, as a rerun must leave them."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "claims": con.execute(CLAIMS).fetchall(),
            "paper_runs": con.execute(
                "SELECT paper_id, status, claims FROM paper_runs ORDER BY paper_id"
            ).fetchall(),
            "runs": con.execute(
                "SELECT count(*), sum(papers_ok), sum(papers_failed), sum(claims) FROM runs"
            ).fetchall(),
        }
    finally:
        con.close()


def claimex(*args: object) -> list[str]:
    return [sys.executable, "-c", "from claimex.cli import app; app()", *map(str, args)]


def test_workers_store_what_one_process_stores(cli: Cli, tmp_path: Path) -> None:
    papers = corpus(tmp_path / "papers.jsonl", copies=3)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    assert cli("extract", papers, "--backend", "rules", "--db", one).exit_code == 0
    result = cli(
        "extract", papers, "--backend", "rules", "--workers", "2", "--batch-size", "7",
        "--db", two,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = state(one)
    assert expected["claims"], "the corpus has claims"
    assert state(two) == expected
    run = duckdb.connect(str(two), read_only=True).execute("SELECT status FROM runs").fetchall()
    assert run == [("completed",)]


def test_kill_9_mid_run_then_rerun_loses_and_duplicates_nothing(cli: Cli, tmp_path: Path) -> None:
    papers = corpus(tmp_path / "papers.jsonl")
    reference = tmp_path / "reference.duckdb"
    assert cli("extract", papers, "--backend", "rules", "--db", reference).exit_code == 0

    db = tmp_path / "killed.duckdb"
    ingest = subprocess.run(claimex("ingest", papers, "--db", db), capture_output=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    wal = db.with_name(db.name + ".wal")
    extract = claimex("extract", "--backend", "rules", "--workers", "2", "--batch-size", "20")
    child = subprocess.Popen(
        [*extract, "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while (not wal.exists() or wal.stat().st_size < 200_000) and child.poll() is None:
        assert time.monotonic() < deadline, "the run wrote nothing in two minutes"
        time.sleep(0.02)
    if child.poll() is not None:
        pytest.fail("the run finished before it could be killed; make the corpus larger")
    os.kill(child.pid, signal.SIGKILL)  # the run's workers die with their pipe to it
    child.wait()

    partial = state(db)
    done = len(partial["paper_runs"])  # type: ignore[arg-type]
    total = len(state(reference)["paper_runs"])  # type: ignore[arg-type]
    assert 0 < done < total, (done, total)
    assert done % 20 == 0  # whole batches only

    rerun = subprocess.run([*extract, "--db", db], capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - done} papers ok, 0 failed, {done} already done" in rerun.stderr
    assert state(db) == state(reference)
