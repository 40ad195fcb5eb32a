"""Shared fixtures: the shipped example corpus, a CLI runner, database snapshots.

Every test runs in its own temporary working directory with CLAIMEX_DB unset,
so nothing can touch a claims.duckdb outside tmp_path.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner, Result

from claimex.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hf-daily-papers-latency.txt"
TABLES = ("papers", "runs", "paper_runs", "claims", "schema_version")

Cli = Callable[..., Result]
Snapshot = Callable[[Path], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test in its own directory, blind to the user's database and LLM settings."""
    monkeypatch.chdir(tmp_path)
    for name in ("CLAIMEX_DB", "CLAIMEX_BASE_URL", "CLAIMEX_MODEL", "CLAIMEX_PROMPTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def cli() -> Cli:
    """Run `claimex ARGS...` in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args: object, env: dict[str, str | None] | None = None) -> Result:
        return CliRunner().invoke(app, [str(a) for a in args], env=env)

    return run


def snapshot_db(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every claimex table, to prove a failed command changed nothing."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return {
            table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in TABLES
            if table in existing
        }
    finally:
        con.close()


@pytest.fixture
def snapshot() -> Snapshot:
    return snapshot_db


@pytest.fixture
def example_db(tmp_path: Path, cli: Cli) -> Path:
    """A database with the example corpus ingested through the CLI."""
    db = tmp_path / "example.duckdb"
    result = cli("ingest", EXAMPLE, "--db", db)
    assert result.exit_code == 0, result.output
    return db


def one_line(text: str) -> str:
    """The text, asserted to be exactly one line."""
    lines = text.strip("\n").split("\n")
    assert len(lines) == 1, f"expected one line, got {len(lines)}: {text!r}"
    return lines[0]


@pytest.fixture
def single_line() -> Callable[[str], str]:
    return one_line


@pytest.fixture(scope="session")
def _rules_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("template") / "rules.duckdb"
    args = ["extract", str(EXAMPLE), "--db", str(db), "--backend", "rules"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def rules_db(tmp_path: Path, _rules_template: Path) -> Path:
    """A copy of the example corpus extracted by the rules backend (run 1)."""
    db = tmp_path / "claims.duckdb"
    shutil.copy(_rules_template, db)
    return db
