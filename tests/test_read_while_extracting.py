"""Reading the store while a batched rules extract writes it (issue 10 point 5).

A real extract process and real `claimex sql` / `show` processes: every read
succeeds during the run and sees whole batches only (claims, per-paper outcomes
and the run's totals agree), and a second writer gets one clear line.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from test_batched_extract import EXTRACT, claimex, corpus, papers_written

CONSISTENCY = (
    "SELECT (SELECT status FROM runs) AS status, (SELECT count(*) FROM paper_runs) AS papers,"
    " (SELECT count(*) FROM claims) AS claims,"
    " (SELECT sum(claims) FROM paper_runs) AS outcome_claims,"
    " (SELECT claims FROM runs) AS run_claims"
)


def consistency(db: Path) -> dict[str, object]:
    read = subprocess.run(
        claimex("sql", CONSISTENCY, "--format", "json", "--db", db),
        capture_output=True,
        text=True,
    )
    assert read.returncode == 0, read.stderr
    row: dict[str, object] = json.loads(read.stdout)[0]
    return row


def test_sql_and_show_work_during_a_batched_extract_and_see_whole_batches(
    tmp_path: Path,
) -> None:
    papers = corpus(tmp_path / "papers.jsonl", copies=100)  # a run of many seconds
    total = len(papers.read_text().splitlines())
    db = tmp_path / "shared.duckdb"
    ingest = subprocess.run(claimex("ingest", papers, "--db", db), capture_output=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    child = subprocess.Popen(
        claimex(*EXTRACT, "--db", db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while child.poll() is None and papers_written(db) == 0:
            assert time.monotonic() < deadline, "the run wrote nothing in two minutes"
            time.sleep(0.05)
        seen = [consistency(db)]
        writer = subprocess.run(
            claimex("ingest", papers, "--db", db), capture_output=True, text=True
        )
        shown = subprocess.run(
            claimex("show", "distserve-0", "--db", db), capture_output=True, text=True
        )
        while child.poll() is None:
            seen.append(consistency(db))
        assert child.returncode == 0
    finally:
        child.kill()
        child.wait()
    during = [r for r in seen if r["status"] == "running"]
    assert during, f"no read landed while the run was going: {seen}"
    assert any(0 < int(r["papers"]) < total for r in during)  # type: ignore[call-overload]
    for read in seen:
        assert int(read["papers"]) % 20 == 0 or read["papers"] == total  # type: ignore[call-overload]
        assert read["claims"] == read["outcome_claims"] == read["run_claims"], read
    assert shown.returncode == 0, shown.stderr
    assert "DistServe" in shown.stdout
    assert writer.returncode == 2, writer.stderr
    assert "a running extract writes it" in writer.stderr
    assert "nothing else may write it until the extract finishes" in writer.stderr
