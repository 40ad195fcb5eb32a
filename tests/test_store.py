"""The DuckDB store: idempotent ingest, updates, where the database lives, transactions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from claimex.errors import ClaimexError
from claimex.readers import read_papers
from claimex.store import open_read_only, open_store, resolve_db_path, transaction
from claimex.store.papers import load_papers, upsert_papers
from conftest import Cli, Snapshot


def paper_times(db: Path) -> dict[str, tuple[object, object]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT id, ingested_at, updated_at FROM papers").fetchall()
    finally:
        con.close()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_reingest_changes_nothing(
    cli: Cli, example_path: Path, example_db: Path, snapshot: Snapshot
) -> None:
    before = snapshot(example_db)
    assert len(before["papers"]) == 41
    result = cli("ingest", example_path, "--db", example_db)
    assert result.exit_code == 0, result.output
    assert "41 papers (0 new, 0 updated, 41 unchanged)" in result.stderr
    assert snapshot(example_db) == before  # updated_at and every other column untouched


def test_changed_abstract_updates_only_that_paper(
    cli: Cli, tmp_path: Path, example_path: Path
) -> None:
    listing, db = tmp_path / "listing.txt", tmp_path / "s.duckdb"
    text = example_path.read_text(encoding="utf-8")
    listing.write_text(text, encoding="utf-8")
    assert cli("ingest", listing, "--db", db).exit_code == 0
    before = paper_times(db)

    old, new = "DistServe can serve 4.48x more requests", "DistServe can serve 5x more requests"
    assert text.count(old) == 1
    listing.write_text(text.replace(old, new), encoding="utf-8")
    result = cli("ingest", listing, "--db", db)
    assert result.exit_code == 0, result.output
    assert "41 papers (0 new, 1 updated, 40 unchanged)" in result.stderr

    con = open_read_only(db)
    abstract = con.execute("SELECT abstract FROM papers WHERE id = 'distserve'").fetchone()
    con.close()
    assert abstract is not None and new in abstract[0]
    after = paper_times(db)
    assert after["distserve"][0] == before["distserve"][0]  # ingested_at kept
    assert after["distserve"][1] > before["distserve"][1]  # updated_at moved
    del after["distserve"], before["distserve"]
    assert after == before


def test_upsert_counts_new_updated_unchanged(tmp_path: Path, example_path: Path) -> None:
    papers = read_papers(example_path)
    con = open_store(tmp_path / "s.duckdb")
    with transaction(con):
        first = upsert_papers(con, papers[:30])
    assert (first.new, first.updated, first.unchanged) == (30, 0, 0)
    changed = [papers[0].model_copy(update={"upvotes": 99}), *papers[1:]]
    with transaction(con):
        second = upsert_papers(con, changed)
    assert (second.new, second.updated, second.unchanged, second.total) == (11, 1, 29, 41)
    stored = {p.id: p for p in load_papers(con)}
    assert stored[papers[0].id].upvotes == 99
    con.close()


def test_papers_round_trip_through_the_store(tmp_path: Path, example_path: Path) -> None:
    papers = read_papers(example_path)
    con = open_store(tmp_path / "s.duckdb")
    with transaction(con):
        upsert_papers(con, papers)
    assert load_papers(con) == sorted(papers, key=lambda p: p.id)
    assert [p.id for p in load_papers(con, ["pvt", "distserve", "absent"])] == ["distserve", "pvt"]
    con.close()


def test_transaction_rolls_back_on_error(tmp_path: Path, example_path: Path) -> None:
    con = open_store(tmp_path / "s.duckdb")
    papers = read_papers(example_path)
    with pytest.raises(RuntimeError), transaction(con):
        upsert_papers(con, papers)
        raise RuntimeError("stop half-way")
    assert con.execute("SELECT count(*) FROM papers").fetchone() == (0,)
    con.close()


# --- where the database lives -------------------------------------------------------


def count_papers(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM papers").fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def test_default_database_is_claims_duckdb_in_working_directory(
    cli: Cli, tmp_path: Path, example_path: Path
) -> None:
    assert resolve_db_path() == Path("claims.duckdb")
    result = cli("ingest", example_path)
    assert result.exit_code == 0, result.output
    assert count_papers(tmp_path / "claims.duckdb") == 41
    assert cli("sql", "select count(*) as n from papers").stdout == "n\n41\n"


def test_claimex_db_environment_variable(cli: Cli, tmp_path: Path, example_path: Path) -> None:
    target = tmp_path / "from-env.duckdb"
    env = {"CLAIMEX_DB": str(target)}
    assert cli("ingest", example_path, env=env).exit_code == 0
    assert count_papers(target) == 41
    assert not (tmp_path / "claims.duckdb").exists()
    assert cli("sql", "select count(*) as n from papers", env=env).stdout == "n\n41\n"


def test_db_option_wins_over_environment(cli: Cli, tmp_path: Path, example_path: Path) -> None:
    env_db, option_db = tmp_path / "env.duckdb", tmp_path / "option.duckdb"
    result = cli("ingest", example_path, "--db", option_db, env={"CLAIMEX_DB": str(env_db)})
    assert result.exit_code == 0, result.output
    assert str(option_db) in result.stderr
    assert count_papers(option_db) == 41
    assert not env_db.exists()


def test_file_that_is_not_a_database_is_one_clear_error(
    cli: Cli, tmp_path: Path, example_path: Path, single_line: Callable[[str], str]
) -> None:
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("these are my notes, not a database\n", encoding="utf-8")
    with pytest.raises(ClaimexError, match="cannot open database"):
        open_store(bogus)
    for args in (("ingest", example_path), ("sql", "select 1")):
        result = cli(*args, "--db", bogus)
        assert result.exit_code == 2
        assert single_line(result.stderr).startswith(f"error: {bogus}: cannot open database")
    assert bogus.read_text(encoding="utf-8") == "these are my notes, not a database\n"


def test_sources_from_jsonl_are_stored(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": "x", "title": "T", "abstract": "A", "source": "arxiv:1"}) + "\n",
        encoding="utf-8",
    )
    con = open_store(tmp_path / "s.duckdb")
    with transaction(con):
        upsert_papers(con, read_papers(path))
    assert con.execute("SELECT id, source FROM papers").fetchall() == [("x", "arxiv:1")]
    con.close()
