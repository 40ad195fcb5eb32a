"""A database held by another process (a running extract) gets one clear line (issue 12 point 9)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claimex.errors import SettingError
from claimex.store import open_read_only
from conftest import Cli

HOLD = (
    "import sys, time, duckdb\n"
    "con = duckdb.connect(sys.argv[2])\n"
    "print('holding', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def holder(example_db: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """example_db opened read-write by another process, as `claimex extract` does."""
    script = tmp_path / "hold.py"
    script.write_text(HOLD)
    holder = subprocess.Popen(
        [sys.executable, script, "claimex-extract-stand-in", example_db],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield holder
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize(
    "args",
    [
        ("sql", "select count(*) from papers"),
        ("papers",),
        ("runs",),
        ("ingest", "EXAMPLE"),
        ("extract", "--backend", "rules"),
    ],
)
def test_locked_database_is_one_clear_line(
    cli: Cli,
    example_db: Path,
    example_path: Path,
    holder: subprocess.Popen[str],
    single_line: Callable[[str], str],
    args: tuple[str, ...],
) -> None:
    command = [example_path if a == "EXAMPLE" else a for a in args]
    result = cli(*command, "--db", example_db)
    assert result.exit_code == 2, result.output
    line = single_line(result.stderr)
    assert line.startswith(f"error: {example_db}: in use by another process (PID {holder.pid}: ")
    assert "claimex-extract-stand-in" in line  # its command line, to recognise it
    assert "once it finishes" in line and "copy" in line
    assert "IO Error" not in line


def test_the_library_names_the_db_setting_where_the_cli_names_its_flag(
    cli: Cli, example_db: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(SettingError) as caught:
        open_read_only(example_db)
    assert str(caught.value).endswith("(give the copy as db)")
    assert (
        cli("sql", "select 1", "--db", example_db)
        .stderr.strip()
        .endswith("(give the copy as --db)")
    )


def test_after_the_writer_exits_reads_work(
    cli: Cli, example_db: Path, holder: subprocess.Popen[str]
) -> None:
    assert cli("papers", "--db", example_db).exit_code == 2
    holder.terminate()
    holder.wait()
    assert cli("papers", "--db", example_db).exit_code == 0
