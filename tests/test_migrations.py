"""Forward migrations: an older database file upgrades in place, data kept, versions recorded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from claimex.store import open_store
from claimex.store.migrations import MIGRATIONS, migrate, schema_version
from conftest import Cli

LATEST = len(MIGRATIONS)


def versions(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    return con.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()


def expected_versions(upto: int = LATEST) -> list[tuple[int, str]]:
    return [(i, m.__name__) for i, m in enumerate(MIGRATIONS[:upto], start=1)]


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    tables = con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    return {r[0] for r in tables + views}


def test_new_store_is_at_the_latest_version(tmp_path: Path) -> None:
    con = open_store(tmp_path / "new.duckdb")
    assert schema_version(con) == LATEST
    assert versions(con) == expected_versions()
    assert {"papers", "runs", "paper_runs", "claims", "latest_claims"} <= relations(con)
    assert migrate(con) == []  # nothing left to apply
    con.close()


def test_upgrade_from_version_1_keeps_papers(tmp_path: Path) -> None:
    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))
    assert migrate(con, upto=1) == [MIGRATIONS[0].__name__]
    con.execute(
        "INSERT INTO papers (id, title, abstract, authors, date) "
        "VALUES ('old', 'Old paper', 'Written by version 1.', 3, DATE '2024-01-17')"
    )
    assert "runs" not in relations(con)
    con.close()

    con = open_store(db)
    assert versions(con) == expected_versions()
    assert con.execute("SELECT id, title, authors, date::VARCHAR FROM papers").fetchall() == [
        ("old", "Old paper", 3, "2024-01-17")
    ]
    assert {"runs", "paper_runs", "claims", "latest_claims"} <= relations(con)
    con.close()


def test_upgrade_from_version_2_keeps_runs_and_claims(tmp_path: Path) -> None:
    db = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(db))
    migrate(con, upto=2)
    con.execute("INSERT INTO papers (id, title, abstract) VALUES ('p', 'P', 'Gets 2x faster.')")
    con.execute(
        "INSERT INTO runs (backend, fingerprint, status) VALUES ('rules', 'fp', 'completed')"
    )
    con.execute(
        "INSERT INTO paper_runs (run_id, paper_id, status, claims) VALUES (1, 'p', 'ok', 1)"
    )
    con.execute(
        "INSERT INTO claims VALUES (1, 'p', 0, 'speed', 'speedup', 'ratio', 2, NULL, 'exact', 'x',"
        " 'increase', ['baseline'], NULL, NULL, NULL, NULL, '2x faster', 5, 14, 'exact')"
    )
    assert "latest_claims" not in relations(con)
    con.close()

    con = open_store(db)
    assert versions(con) == expected_versions()
    assert con.execute("SELECT id, status FROM runs").fetchall() == [(1, "completed")]
    assert con.execute(
        "SELECT paper_id, run_id, value, baselines, evidence, title FROM latest_claims"
    ).fetchall() == [("p", 1, 2.0, ["baseline"], "2x faster", "P")]
    assert con.execute("SELECT rules FROM claims").fetchall() == [([],)]  # no rules recorded
    con.close()


def test_ingest_through_the_cli_upgrades_an_old_file(
    cli: Cli, tmp_path: Path, example_path: Path
) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    migrate(con, upto=1)
    con.execute("INSERT INTO papers (id, title, abstract) VALUES ('kept', 'Kept', 'Still here.')")
    con.close()

    result = cli("ingest", example_path, "--db", db)
    assert result.exit_code == 0, result.output
    out = cli("sql", "select max(version) as v, count(*) as n from schema_version", "--db", db)
    assert out.stdout == f"v\tn\n{LATEST}\t{LATEST}\n"
    assert cli("sql", "select count(*) as n from papers", "--db", db).stdout == "n\n42\n"


def test_a_failing_migration_is_rolled_back_and_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def m_broken(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr("claimex.store.migrations.MIGRATIONS", [*MIGRATIONS, m_broken])
    db = tmp_path / "broken.duckdb"
    with pytest.raises(RuntimeError, match="migration bug"):
        open_store(db)
    con = duckdb.connect(str(db))
    assert schema_version(con) == LATEST  # every good migration stayed applied
    assert "half_done" not in relations(con)
    con.close()
