"""The rules backend's batched writer: worker processes, one transaction per batch, and a
kill -9 or a Ctrl-C in the middle of a run that the rerun completes without losing or
doubling a claim.
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

from claimex.errors import ClaimexError
from claimex.store import open_read_only
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


def papers_written(db: Path) -> int:
    """Papers the running extract has stored so far (it lets readers in between batches;
    while it starts up, before it writes, it holds the file: 0 then)."""
    try:
        con = open_read_only(db)
    except ClaimexError:
        return 0
    try:
        row = con.execute("SELECT count(*) FROM paper_runs").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


EXTRACT = ("extract", "--backend", "rules", "--workers", "2", "--batch-size", "20")


def interrupt_mid_run(
    tmp_path: Path, send: signal.Signals, *, group: bool
) -> tuple[Path, int, int, subprocess.Popen[bytes]]:
    """A real batched run over a fresh database, sent `send` once it has written a batch.

    group: to the run's whole process group, as a terminal's Ctrl-C reaches the
    workers too; else to the parent alone, as `kill -9 PID`.
    Returns the database, the papers stored when it stopped, the total, the process.
    """
    papers = corpus(tmp_path / "papers.jsonl")
    db = tmp_path / "interrupted.duckdb"
    ingest = subprocess.run(claimex("ingest", papers, "--db", db), capture_output=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    child = subprocess.Popen(
        claimex(*EXTRACT, "--db", db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group, so the signal reaches only the run
    )
    deadline = time.monotonic() + 120
    while child.poll() is None and papers_written(db) == 0:
        assert time.monotonic() < deadline, "the run wrote nothing in two minutes"
        time.sleep(0.05)
    if child.poll() is not None:
        assert child.stderr is not None
        pytest.fail(f"the run ended before it could be interrupted: {child.stderr.read()[-300:]!r}")
    if group:
        os.killpg(child.pid, send)
    else:
        os.kill(child.pid, send)  # the run's workers die with their pipe to it
    child.wait(timeout=120)
    return db, len(state(db)["paper_runs"]), COPIES * 41, child  # type: ignore[arg-type]


def assert_rerun_completes(db: Path, reference: Path, done: int, total: int) -> None:
    assert 0 < done < total, (done, total)
    assert done % 20 == 0  # whole batches only
    rerun = subprocess.run(claimex(*EXTRACT, "--db", db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - done} papers ok, 0 failed, {done} already done" in rerun.stderr
    assert state(db) == state(reference)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus extracted by one uninterrupted single-process run."""
    work = tmp_path_factory.mktemp("reference")
    db = work / "reference.duckdb"
    done = subprocess.run(
        claimex("extract", corpus(work / "papers.jsonl"), "--backend", "rules", "--db", db),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return db


def test_kill_9_mid_run_then_rerun_loses_and_duplicates_nothing(
    tmp_path: Path, reference: Path
) -> None:
    db, done, total, _ = interrupt_mid_run(tmp_path, signal.SIGKILL, group=False)
    assert_rerun_completes(db, reference, done, total)


def test_ctrl_c_mid_run_marks_it_interrupted_and_rerun_loses_and_duplicates_nothing(
    tmp_path: Path, reference: Path
) -> None:
    db, done, total, child = interrupt_mid_run(tmp_path, signal.SIGINT, group=True)
    assert child.returncode != 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
        stored = con.execute(
            "SELECT (SELECT count(*) FROM claims), (SELECT sum(claims) FROM paper_runs),"
            " (SELECT claims FROM runs)"
        ).fetchone()
    finally:
        con.close()
    assert stored is not None and stored[0] == stored[1] == stored[2]  # totals match the rows
    assert_rerun_completes(db, reference, done, total)
