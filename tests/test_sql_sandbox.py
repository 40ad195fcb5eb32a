"""`claimex sql` cannot touch files, install extensions or run EXPLAIN ANALYZE of a non-SELECT.

Issue 12 point 1: each bypass found against the old string-only guard is tried
here against a real database file, and must leave the file system and the
database as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from claimex.errors import SettingError
from claimex.store import open_for_queries
from claimex.store.query import read_only_query
from conftest import Cli, Snapshot

OneLine = Callable[[str], str]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file a query has no business reading."""
    path = tmp_path / "secret.csv"
    path.write_text("title,abstract\nhush,do not read me\n")
    return path


def test_explain_analyze_copy_writes_no_file(
    cli: Cli, example_db: Path, tmp_path: Path, snapshot: Snapshot, single_line: OneLine
) -> None:
    target = tmp_path / "written.csv"
    before = snapshot(example_db)
    result = cli("sql", f"explain analyze copy (select 'x') to '{target}'", "--db", example_db)
    assert result.exit_code == 2
    assert "EXPLAIN ANALYZE" in single_line(result.stderr)
    assert not target.exists()
    assert snapshot(example_db) == before


@pytest.mark.parametrize(
    "query",
    [
        "explain analyze call checkpoint()",
        "EXPLAIN /* hidden */ ANALYZE call checkpoint()",
        "explain\n-- a comment\nanalyse call checkpoint()",
        "explain (analyze) call checkpoint()",
        "explain analyze delete from papers",
        "explain delete from papers",
    ],
)
def test_explain_of_anything_but_a_query_is_refused(
    cli: Cli, example_db: Path, snapshot: Snapshot, single_line: OneLine, query: str
) -> None:
    before = snapshot(example_db)
    result = cli("sql", query, "--db", example_db)
    assert result.exit_code == 2
    line = single_line(result.stderr)
    assert line.startswith("error: refused: `claimex sql` is read-only"), line
    assert "EXPLAIN ANALYZE" in line
    assert snapshot(example_db) == before


@pytest.mark.parametrize(
    "template",
    [
        "select * from read_text('{path}')",
        "select * from read_csv('{path}')",
        "select * from read_blob('{path}')",
        "select * from '{path}'",
        "select * from glob('{dir}/*')",
    ],
)
def test_local_files_cannot_be_read(
    cli: Cli, example_db: Path, secret: Path, single_line: OneLine, template: str
) -> None:
    query = template.format(path=secret, dir=secret.parent)
    result = cli("sql", query, "--db", example_db)
    assert result.exit_code == 2, result.stdout
    line = single_line(result.stderr)
    assert "do not read me" not in result.stdout + line
    assert "secret.csv" not in result.stdout
    assert "--allow-files" in line


def test_the_library_names_allow_files_where_the_cli_names_its_flag(
    cli: Cli, example_db: Path, secret: Path, single_line: OneLine
) -> None:
    query = f"select * from read_csv('{secret}')"
    with closing(open_for_queries(example_db)) as con, pytest.raises(SettingError) as caught:
        read_only_query(con, query)
    assert str(caught.value).endswith("set allow_files to read local files on purpose)")
    line = single_line(cli("sql", query, "--db", example_db).stderr)
    assert line.endswith("set --allow-files to read local files on purpose)")


def test_a_url_read_does_not_install_an_extension(
    cli: Cli,
    example_db: Path,
    single_line: OneLine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # where DuckDB would put a downloaded httpfs
    result = cli("sql", "select * from read_csv('https://127.0.0.1:9/x.csv')", "--db", example_db)
    assert result.exit_code == 2
    single_line(result.stderr)
    assert not (home / ".duckdb").exists()


@pytest.mark.parametrize(
    "query",
    [
        "set enable_external_access = true",
        "reset enable_external_access",
        "install httpfs",
        "load httpfs",
    ],
)
def test_settings_and_extensions_cannot_be_changed(
    cli: Cli, example_db: Path, single_line: OneLine, query: str
) -> None:
    result = cli("sql", query, "--db", example_db)
    assert result.exit_code == 2
    single_line(result.stderr)


def test_settings_cannot_be_changed_from_a_select(
    cli: Cli, example_db: Path, secret: Path, single_line: OneLine
) -> None:
    """Even a SELECT cannot reach the engine's settings: the configuration is locked."""
    result = cli("sql", "select current_setting('lock_configuration')", "--db", example_db)
    assert (result.exit_code, result.stdout.splitlines()[1:]) == (0, ["True"])


def test_allow_files_reads_a_csv_on_purpose(cli: Cli, example_db: Path, secret: Path) -> None:
    result = cli(
        "sql", f"select title from read_csv('{secret}')", "--allow-files", "--db", example_db
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["title", "hush"]


def test_allow_files_still_cannot_write_or_change_settings(
    cli: Cli, example_db: Path, tmp_path: Path, snapshot: Snapshot
) -> None:
    target = tmp_path / "written.csv"
    before = snapshot(example_db)
    for query in (
        f"explain analyze copy (select 'x') to '{target}'",
        f"copy papers to '{target}'",
        "set autoinstall_known_extensions = true",
    ):
        result = cli("sql", query, "--allow-files", "--db", example_db)
        assert result.exit_code == 2, query
    assert not target.exists()
    assert snapshot(example_db) == before


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("explain select count(*) from papers", "physical_plan"),
        ("explain analyze select count(*) from papers", "analyzed_plan"),
        ("summarize papers", "column_name"),
        ("describe claims", "column_name"),
        ("show tables", "name"),
        ("pivot (select 'a' as k, 1 as v) on k using sum(v)", "a"),
        ("unpivot (select 1 as a, 2 as b) on a, b into name k value v", "k\tv"),
    ],
)
def test_read_only_statements_users_expect_are_allowed(
    cli: Cli, example_db: Path, query: str, expected: str
) -> None:
    result = cli("sql", query, "--db", example_db)
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
