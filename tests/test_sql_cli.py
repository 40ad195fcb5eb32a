"""`claimex sql`, `claimex papers`, `claimex --version`: output formats and the read-only guard."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest
from rich.console import Console

from claimex.output import OutputFormat, render_rows
from conftest import Cli, Snapshot

OneLine = Callable[[str], str]


def test_count_of_example_papers_is_41(cli: Cli, example_db: Path) -> None:
    result = cli("sql", "select count(*) from papers", "--db", example_db)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["41"]


def test_piped_table_output_is_plain_tab_separated(cli: Cli, example_db: Path) -> None:
    result = cli(
        "sql",
        "select id, authors, date, upvotes from papers where id in ('distserve', 'janus')"
        " order by id",
        "--db",
        example_db,
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "id\tauthors\tdate\tupvotes\ndistserve\t8\t2024-01-17\t1\njanus\t\t\t\n"


def test_csv_output_quotes_commas_and_newlines(cli: Cli, example_db: Path) -> None:
    query = "select 'a, b' as text, 'line1' || chr(10) || 'line2' as multi, 2.5 as x, NULL as n"
    result = cli("sql", query, "--format", "csv", "--db", example_db)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["text", "multi", "x", "n"], ["a, b", "line1\nline2", "2.5", ""]]


def test_json_output_has_typed_values(cli: Cli, example_db: Path) -> None:
    result = cli(
        "sql",
        "select id, authors, date, organisation from papers where id = 'nemotron-flash'",
        "-f",
        "json",
        "--db",
        example_db,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"id": "nemotron-flash", "authors": None, "date": "2025-11-24", "organisation": "NVIDIA"}
    ]


def test_json_output_of_lists_and_empty_results(cli: Cli, example_db: Path) -> None:
    listed = cli("sql", "select [1, 2] as xs, ['a'] as ys", "-f", "json", "--db", example_db)
    assert json.loads(listed.stdout) == [{"xs": [1, 2], "ys": ["a"]}]
    empty = cli("sql", "select * from papers where false", "-f", "json", "--db", example_db)
    assert (empty.exit_code, json.loads(empty.stdout)) == (0, [])


def test_describe_show_and_with_queries_are_allowed(cli: Cli, example_db: Path) -> None:
    described = cli("sql", "describe papers", "--db", example_db)
    assert described.exit_code == 0
    assert "abstract\tVARCHAR" in described.stdout
    tables = cli("sql", "show tables", "--db", example_db).stdout.splitlines()
    assert {"papers", "runs", "claims", "latest_claims"} <= set(tables)
    with_query = cli("sql", "with t as (select 41 as n) select n from t;", "--db", example_db)
    assert with_query.stdout == "n\n41\n"


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("insert into papers (id, title, abstract) values ('x', 'x', 'x')", "INSERT"),
        ("delete from papers", "DELETE"),
        ("update papers set title = 'gone'", "UPDATE"),
        ("drop table papers", "DROP"),
        ("create table extra (x integer)", "CREATE"),
        ("copy papers to 'dump.csv'", "COPY"),
        ("attach 'other.duckdb' as other", "ATTACH"),
        ("pragma enable_progress_bar", "PRAGMA"),
        ("set threads = 1", "SET"),
    ],
)
def test_write_statements_are_refused(
    cli: Cli,
    example_db: Path,
    snapshot: Snapshot,
    single_line: OneLine,
    tmp_path: Path,
    statement: str,
    kind: str,
) -> None:
    before = snapshot(example_db)
    result = cli("sql", statement, "--db", example_db)
    assert result.exit_code == 2
    assert result.stdout == ""
    line = single_line(result.stderr)
    assert line.startswith("error: refused: `claimex sql` is read-only")
    assert f"{kind} statements" in line
    assert snapshot(example_db) == before
    assert not (tmp_path / "dump.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()


def test_more_than_one_statement_is_refused(
    cli: Cli, example_db: Path, snapshot: Snapshot, single_line: OneLine
) -> None:
    before = snapshot(example_db)
    for query in ("select 1; select 2", "select 1; delete from papers"):
        result = cli("sql", query, "--db", example_db)
        assert result.exit_code == 2
        assert single_line(result.stderr) == "error: expected one SQL statement, got 2"
    assert snapshot(example_db) == before


def test_explain_analyze_of_a_write_cannot_write(
    cli: Cli, example_db: Path, snapshot: Snapshot, single_line: OneLine
) -> None:
    """EXPLAIN is allowed, but the read-only connection stops EXPLAIN ANALYZE from writing."""
    before = snapshot(example_db)
    result = cli("sql", "explain analyze delete from papers", "--db", example_db)
    assert result.exit_code == 2
    assert "read-only" in single_line(result.stderr)
    assert snapshot(example_db) == before


def test_syntax_error_is_one_line(cli: Cli, example_db: Path, single_line: OneLine) -> None:
    result = cli("sql", "selec id\nfrom papers", "--db", example_db)
    assert result.exit_code == 2
    line = single_line(result.stderr)
    assert line.startswith("error: SQL error: Parser Error: syntax error")


def test_unknown_table_is_one_line(cli: Cli, example_db: Path, single_line: OneLine) -> None:
    result = cli("sql", "select * from nonexistent", "--db", example_db)
    assert result.exit_code == 2
    assert "nonexistent" in single_line(result.stderr)


def test_error_text_with_rich_markup_is_printed_verbatim(
    cli: Cli, example_db: Path, single_line: OneLine
) -> None:
    result = cli("sql", "select '[/bold]' from [nope]", "--db", example_db)
    assert result.exit_code == 2
    assert "[nope]" in single_line(result.stderr)


def test_missing_database_is_a_clear_error_and_is_not_created(
    cli: Cli, tmp_path: Path, single_line: OneLine
) -> None:
    missing = tmp_path / "missing.duckdb"
    for args in (("sql", "select 1"), ("papers",)):
        result = cli(*args, "--db", missing)
        assert result.exit_code == 2
        assert single_line(result.stderr) == (
            f"error: {missing}: no such database (run `claimex ingest` first)"
        )
    assert not missing.exists()


def test_papers_lists_every_paper(cli: Cli, example_db: Path) -> None:
    result = cli("papers", "--db", example_db)
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header == "id\ttitle\tauthors\tdate\torganisation\tupvotes"
    assert len(rows) == 41
    ids = [row.split("\t")[0] for row in rows]
    assert ids == sorted(ids)
    nemotron = "Nemotron-Flash: Towards Latency-Optimal Hybrid Small Language Models"
    assert f"nemotron-flash\t{nemotron}\t\t2025-11-24\tNVIDIA\t2" in result.stdout.splitlines()


def test_papers_as_json(cli: Cli, example_db: Path) -> None:
    result = cli("papers", "--format", "json", "--db", example_db)
    records = json.loads(result.stdout)
    assert len(records) == 41
    assert next(r for r in records if r["id"] == "minmo") == {
        "id": "minmo",
        "title": "MinMo: A Multimodal Large Language Model for Seamless Voice Interaction",
        "authors": 36,
        "date": "2025-01-10",
        "organisation": None,
        "upvotes": 8,
    }


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"claimex {version('claimex')}\n"


def test_table_in_a_terminal_is_a_rich_table(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    render_rows(
        ["id", "n"],
        [("a", 1), ("b", None)],
        OutputFormat.TABLE,
        console=Console(file=screen, width=40, color_system=None),
    )
    text = screen.getvalue()
    assert "┃ id" in text and "│ a" in text
    assert "\t" not in text
