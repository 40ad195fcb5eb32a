"""`claimex ingest`: the example corpus; every bad input gives one line, exit 2, no change."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Cli, Snapshot

OneLine = Callable[[str], str]

ABSTRACT = (
    "We present a system that is evaluated on many workloads and shows that careful design "
    "of the scheduler reduces tail latency by 2.5x compared to the baseline serving stack."
)


def test_ingest_example_prints_a_summary(cli: Cli, tmp_path: Path, example_path: Path) -> None:
    result = cli("ingest", example_path, "--db", tmp_path / "x.duckdb")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"{example_path}: 41 papers (41 new, 0 updated, 0 unchanged) -> {tmp_path / 'x.duckdb'}\n"
    )


def test_ingest_several_files_and_formats(cli: Cli, tmp_path: Path, example_path: Path) -> None:
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(json.dumps({"id": "extra", "title": "E", "abstract": "e"}) + "\n")
    table = tmp_path / "more.csv"
    table.write_text("title,abstract\nDistServe: a different paper,Other text.\n")
    db = tmp_path / "x.duckdb"
    result = cli("ingest", example_path, jsonl, table, "--db", db)
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 3
    # Ids are unique within one file; the CSV paper's slug equals an example id, so it updates it.
    assert "1 papers (0 new, 1 updated, 0 unchanged)" in result.stderr.splitlines()[2]
    assert cli("sql", "select count(*) as n from papers", "--db", db).stdout == "n\n42\n"


def test_explicit_format_overrides_the_extension(cli: Cli, tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    records.write_text(json.dumps({"title": "Jay: x", "abstract": "A record."}) + "\n")
    db = tmp_path / "x.duckdb"
    assert cli("ingest", records, "--db", db).exit_code == 2  # read as CSV: no header
    result = cli("ingest", records, "--format", "jsonl", "--db", db)
    assert result.exit_code == 0, result.output
    assert cli("sql", "select id from papers", "--db", db).stdout == "id\njay\n"


def test_json_lines_named_txt_are_ingested(cli: Cli, tmp_path: Path) -> None:
    records = tmp_path / "records.txt"
    records.write_text(json.dumps({"title": "Jay: x", "abstract": "A record."}) + "\n")
    db = tmp_path / "x.duckdb"
    result = cli("ingest", records, "--db", db)
    assert result.exit_code == 0, result.output
    assert cli("sql", "select id from papers", "--db", db).stdout == "id\njay\n"


def test_installed_console_script_runs(tmp_path: Path, example_path: Path) -> None:
    exe = Path(sys.executable).with_name("claimex")
    if not exe.exists():
        pytest.skip("claimex console script not installed next to this interpreter")
    db = tmp_path / "sub.duckdb"
    ingest = subprocess.run(
        [exe, "ingest", example_path, "--db", db], capture_output=True, text=True, check=False
    )
    assert ingest.returncode == 0, ingest.stderr
    query = subprocess.run(
        [exe, "sql", "select count(*) from papers", "--db", db],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (query.returncode, query.stdout.splitlines()[-1]) == (0, "41")


# --- bad input ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    """A bad file: its name, bytes (None = the file does not exist), and the expected error."""

    name: str
    content: bytes | None
    line: int | None
    message: str


BAD_INPUTS = {
    "missing file": BadInput("missing.txt", None, None, "no such file"),
    "not UTF-8": BadInput(
        "latin1.jsonl",
        b'{"title": "A", "abstract": "fine"}\n\n{"title": "Caf\xe9", "abstract": "x"}\n',
        3,
        "not valid UTF-8 (byte 0xe9",
    ),
    "JSONL line not JSON": BadInput(
        "broken.jsonl",
        b'{"title": "A", "abstract": "fine"}\n{"title": "B", "abstract": \n',
        2,
        "not valid JSON",
    ),
    "JSONL record without abstract": BadInput(
        "noabstract.jsonl",
        b'{"title": "A", "abstract": "fine"}\n{"title": "Lonely title"}\n',
        2,
        "record 'Lonely title' has no abstract",
    ),
    "JSONL record with blank abstract": BadInput(
        "blank.jsonl", b'{"title": "A", "abstract": "   "}\n', 1, "has no abstract"
    ),
    "CSV record without abstract": BadInput(
        "noabstract.csv", b"title,abstract\nA,fine\nB,\n", 3, "record 'B' has no abstract"
    ),
    "empty file": BadInput("empty.jsonl", b"", None, "empty file"),
    "whitespace-only file": BadInput("blank.txt", b"\n  \n\t\n", None, "empty file"),
    "CSV without abstract column": BadInput(
        "cols.csv", b"title,summary\nA,fine\n", 1, "CSV header lacks column(s): abstract"
    ),
    "HF listing with a malformed block": BadInput(
        "listing.txt",
        (
            f"Daily Papers\n\nAlpha: First\n\n{ABSTRACT}\n\n  • 3 authors\n·\nMar 4, 2024\n\n"
            f"Beta: no abstract follows\n\nGamma: Third\n\n{ABSTRACT}\n"
        ).encode(),
        11,
        "expected a paper title line, a blank line, then its abstract paragraph",
    ),
    "JSON title with rich markup": BadInput(
        "markup.jsonl", b'{"title": "[Re] [/bold] study"}\n', 1, "'[Re] [/bold] study'"
    ),
}


def make_bad(tmp_path: Path, bad: BadInput) -> Path:
    path = tmp_path / bad.name
    if bad.content is not None:
        path.write_bytes(bad.content)
    return path


def assert_error_line(stderr: str, path: Path, bad: BadInput, single_line: OneLine) -> None:
    where = f"{path}:{bad.line}" if bad.line is not None else str(path)
    line = single_line(stderr)
    assert line.startswith(f"error: {where}: "), line
    assert bad.message in line


@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_leaves_the_database_unchanged(
    cli: Cli,
    tmp_path: Path,
    example_db: Path,
    snapshot: Snapshot,
    single_line: OneLine,
    case: BadInput,
) -> None:
    path = make_bad(tmp_path, case)
    before = snapshot(example_db)
    result = cli("ingest", path, "--db", example_db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_error_line(result.stderr, path, case, single_line)
    assert snapshot(example_db) == before


@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_after_a_good_file_writes_neither(
    cli: Cli,
    tmp_path: Path,
    example_path: Path,
    snapshot: Snapshot,
    single_line: OneLine,
    case: BadInput,
) -> None:
    db = tmp_path / "mixed.duckdb"
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g", "title": "Good", "abstract": "Fine."}) + "\n")
    assert cli("ingest", good, "--db", db).exit_code == 0
    before = snapshot(db)

    path = make_bad(tmp_path, case)
    result = cli("ingest", example_path, path, "--db", db)
    assert result.exit_code == 2
    assert_error_line(result.stderr, path, case, single_line)
    assert snapshot(db) == before  # the example (41 papers) was not written either


def test_bad_input_does_not_create_a_database(
    cli: Cli, tmp_path: Path, single_line: OneLine
) -> None:
    case = BAD_INPUTS["JSONL line not JSON"]
    path = make_bad(tmp_path, case)
    result = cli("ingest", path)
    assert result.exit_code == 2
    assert_error_line(result.stderr, path, case, single_line)
    assert not (tmp_path / "claims.duckdb").exists()


def test_directory_instead_of_a_file(cli: Cli, tmp_path: Path, single_line: OneLine) -> None:
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    result = cli("ingest", folder)
    assert result.exit_code == 2
    assert single_line(result.stderr) == f"error: {folder}: is a directory, not a file"
