"""Data shown in a terminal is text, never markup or escape codes (issue 12 point 3)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console

from claimex.output import OutputFormat, render_rows
from conftest import Cli

HOSTILE = [
    "Closing [/i] tag",
    "A [x] checkbox",
    "[link=https://evil.example]click[/link] here",
    "Red \x1b[31malert\x1b[0m and bell\x07 and \x9b2J",
]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _table(
    monkeypatch: pytest.MonkeyPatch, columns: list[str], rows: list[tuple[object, ...]]
) -> str:
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    console = Console(file=screen, width=200, color_system="truecolor", force_terminal=True)
    render_rows(columns, rows, OutputFormat.TABLE, console=console)
    return screen.getvalue()


def test_markup_in_cells_and_headers_is_shown_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _table(monkeypatch, ["title", "[b]col[/b]"], [(t, "[/]") for t in HOSTILE[:3]])
    for title in HOSTILE[:3]:
        assert title in text
    assert "[b]col[/b]" in text and "[/]" in text
    assert "\x1b]8;" not in text  # no OSC 8 hyperlink


def test_control_characters_never_reach_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _table(monkeypatch, ["title"], [(HOSTILE[3],), (["a\x1b[2J", "b"],)])
    assert "Red [31malert[0m and bell and 2J" in text
    assert "\x07" not in text and "\x9b" not in text
    assert "\x1b[31malert" not in text and "\x1b[2J" not in text


def test_piped_text_strips_control_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    render_rows(["t"], [(HOSTILE[3],)], OutputFormat.TABLE)
    assert screen.getvalue() == "t\nRed [31malert[0m and bell and 2J\n"


def test_hostile_titles_go_through_ingest_and_papers(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "hostile.jsonl"
    abstract = "We measure things and report that it is 3x faster than the baseline system."
    source.write_text(
        "".join(
            json.dumps({"id": f"p{i}", "title": t, "abstract": abstract}) + "\n"
            for i, t in enumerate(HOSTILE)
        )
    )
    db = tmp_path / "h.duckdb"
    assert cli("ingest", source, "--db", db).exit_code == 0
    listed = cli("papers", "--db", db)
    assert listed.exit_code == 0, listed.output
    assert "Closing [/i] tag" in listed.stdout and "A [x] checkbox" in listed.stdout
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    as_json = cli("papers", "--db", db, "--format", "json")
    assert [p["title"] for p in json.loads(as_json.stdout)][3] == HOSTILE[3]  # data, unchanged


def test_error_lines_strip_control_characters(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "gone\x1b[2J [/i].duckdb"
    result = cli("sql", "select 1", "--db", missing)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "gone[2J [/i].duckdb: no such database" in result.stderr


def test_a_file_name_with_markup_is_printed_as_written(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "[bold]papers [x].jsonl"  # a file name cannot hold "/"
    source.write_text(json.dumps({"title": "T: x", "abstract": "It is 3x faster."}) + "\n")
    result = cli("ingest", source, "--db", tmp_path / "x.duckdb")
    assert result.exit_code == 0, result.output
    assert f"{source}: 1 papers (1 new" in result.stderr
