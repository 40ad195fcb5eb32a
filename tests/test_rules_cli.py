"""`claimex extract` end to end with the rules backend: example file -> real DuckDB file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from claimex.numbers import value_in_text
from conftest import Cli

# No LLM configured: the CLI must pick the rules backend by itself.
NO_LLM = {"OPENAI_API_KEY": None, "CLAIMEX_BASE_URL": None, "CLAIMEX_MODEL": None}


def test_extract_with_no_llm_uses_the_rules_and_stores_grounded_claims(
    cli: Cli, tmp_path: Path, example_path: Path
) -> None:
    db = tmp_path / "claims.duckdb"
    result = cli("extract", example_path, "--db", db, env=NO_LLM)
    assert result.exit_code == 0, result.output
    assert "using the offline rules backend" in result.stderr
    assert "run 1: 41 papers ok, 0 failed, 0 already done" in result.stderr

    con = duckdb.connect(str(db), read_only=True)
    try:
        ((backend, fingerprint, status, claims),) = con.execute(
            "SELECT backend, fingerprint, status, claims FROM runs"
        ).fetchall()
        rows = con.execute(
            "SELECT p.abstract, c.value, c.value_max, c.evidence, c.evidence_start, c.evidence_end"
            " FROM claims c JOIN papers p ON p.id = c.paper_id"
        ).fetchall()
    finally:
        con.close()
    assert (backend, status) == ("rules", "completed")
    assert fingerprint.startswith("rules-")
    assert claims == len(rows) > 50
    for abstract, value, value_max, evidence, start, end in rows:
        assert abstract[start:end] == evidence
        assert value_in_text(value, evidence)
        assert value_max is None or value_in_text(value_max, evidence)


def test_rerunning_skips_done_papers(cli: Cli, tmp_path: Path, example_path: Path) -> None:
    db = tmp_path / "claims.duckdb"
    assert cli("extract", example_path, "--db", db, env=NO_LLM).exit_code == 0
    again = cli("extract", "--backend", "rules", "--db", db, env=NO_LLM)
    assert again.exit_code == 0, again.output
    assert "run 1: 0 papers ok, 0 failed, 41 already done; 0 claims stored" in again.stderr
    assert "using the offline rules backend" not in again.stderr  # asked for by name


def test_the_installed_command_runs_the_rules(tmp_path: Path, example_path: Path) -> None:
    """The README's first command, as a user runs it: a subprocess, a database file on disk."""
    db = tmp_path / "readme.duckdb"
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    claimex = str(Path(sys.executable).parent / "claimex")
    run = subprocess.run(
        [claimex, "extract", str(example_path), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "using the offline rules backend" in run.stderr
    query = subprocess.run(
        [
            claimex,
            "sql",
            "SELECT count(*) AS n FROM latest_claims WHERE category = 'latency'",
            "--db",
            str(db),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert query.returncode == 0, query.stderr
    assert int(query.stdout.strip().splitlines()[-1]) > 10
