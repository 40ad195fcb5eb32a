"""Bulk sources: the arXiv snapshot, Parquet and gzip'd JSON lines, streamed and filtered."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from claimex.errors import InputError
from claimex.readers import InputFormat, detect_format, iter_papers, read_papers
from conftest import Cli

ABSTRACT = "Our scheduler cuts tail latency by 2.5x compared to vLLM on eight GPUs."


def arxiv_record(arxiv_id: str, categories: str, title: str = "") -> dict[str, object]:
    """A record shaped like one line of arxiv-metadata-oai-snapshot.json."""
    return {
        "id": arxiv_id,
        "submitter": "A. Author",
        "authors": "A. Author, B. Author and C. Author",
        "title": title or f"Paper {arxiv_id}:\n  a study",
        "comments": "12 pages",
        "journal-ref": None,
        "doi": None,
        "categories": categories,
        "license": None,
        "abstract": f"  {ABSTRACT}\n  Second line of {arxiv_id}.\n",
        "versions": [
            {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
            {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
        ],
        "update_date": "2008-11-13",
        "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""], ["Author", "C.", ""]],
    }


def write_lines(path: Path, records: list[dict[str, object]], gz: bool = False) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


SNAPSHOT = [
    arxiv_record("2401.00001", "cs.DC cs.LG"),
    arxiv_record("2401.00002", "hep-ph"),
    arxiv_record("2401.00003", "cs.LG"),
    arxiv_record("2401.00004", "cs.DCX"),  # not cs.DC
]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_arxiv_snapshot_maps_its_fields(tmp_path: Path, gz: bool) -> None:
    name = "arxiv-metadata-oai-snapshot.json" + (".gz" if gz else "")
    path = write_lines(tmp_path / name, SNAPSHOT, gz)
    first, *rest = read_papers(path)
    assert len(rest) == 3
    assert first.id == "2401.00001"
    assert first.title == "Paper 2401.00001: a study"
    assert first.abstract == f"{ABSTRACT} Second line of 2401.00001."
    assert first.date is not None and first.date.isoformat() == "2007-04-02"  # v1 submitted
    assert first.authors == 3


@pytest.mark.parametrize(
    ("category", "ids"),
    [
        ("cs.DC", ["2401.00001"]),
        ("cs", ["2401.00001", "2401.00003", "2401.00004"]),
        ("hep-ph", ["2401.00002"]),
    ],
)
def test_category_filter(tmp_path: Path, category: str, ids: list[str]) -> None:
    path = write_lines(tmp_path / "snap.json", SNAPSHOT)
    assert [p.id for p in read_papers(path, category=category)] == ids


def test_no_paper_in_the_category_is_an_error(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "snap.json", SNAPSHOT)
    with pytest.raises(InputError, match=r"no papers in math\.AG"):
        read_papers(path, category="math.AG")


def test_detection_tells_the_snapshot_from_plain_jsonl(tmp_path: Path) -> None:
    snapshot = write_lines(tmp_path / "snap.jsonl.gz", SNAPSHOT, gz=True)
    plain = write_lines(tmp_path / "plain.jsonl.gz", [{"title": "T", "abstract": "A"}], gz=True)
    assert detect_format(snapshot, gzip.decompress(snapshot.read_bytes()).decode()) is (
        InputFormat.ARXIV
    )
    assert [p.id for p in read_papers(plain)] == ["t"]


def test_gzip_error_names_the_line(tmp_path: Path) -> None:
    lines = [json.dumps({"title": f"T{i}", "abstract": "A"}) for i in range(5)]
    lines[3] = '{"title": "broken", '
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert (info.value.line, str(info.value).startswith(f"{path}:4: not valid JSON")) == (4, True)


def test_truncated_gzip_is_one_clear_error(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in SNAPSHOT))
    path = tmp_path / "cut.json.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="not a readable gzip file"):
        read_papers(path)


def test_papers_stream_before_a_bad_line_is_reached(tmp_path: Path) -> None:
    """A reader that loaded the whole file would fail before yielding the first paper."""
    path = tmp_path / "late.jsonl"
    path.write_text('{"title": "A", "abstract": "fine"}\n' * 3 + "not json\n")
    papers = iter_papers(path)
    assert next(papers).id == "a"
    with pytest.raises(InputError, match=":4: not valid JSON"):
        list(papers)


def parquet(path: Path, select: str) -> Path:
    con = duckdb.connect()
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def test_parquet_input(tmp_path: Path) -> None:
    path = parquet(
        tmp_path / "papers.parquet",
        "SELECT 'p' || i AS id, 'Title ' || i AS title, 'Abstract number ' || i AS abstract,"
        " CASE WHEN i % 2 = 0 THEN 'cs.DC' ELSE 'cs.LG' END AS categories"
        " FROM range(25000) t(i)",
    )
    papers = read_papers(path)
    assert [p.id for p in papers[:2]] == ["p0", "p1"]
    assert len(papers) == 25000  # more than one record batch
    assert papers[-1].abstract == "Abstract number 24999"
    assert len(read_papers(path, category="cs.DC")) == 12500


def test_parquet_row_without_abstract_names_its_row(tmp_path: Path) -> None:
    path = parquet(
        tmp_path / "holes.parquet",
        "SELECT 'T' || i AS title, CASE WHEN i = 6 THEN NULL ELSE 'A' || i END AS abstract"
        " FROM range(10) t(i)",
    )
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert info.value.line == 7
    assert "'T6' has no abstract" in info.value.reason


def test_parquet_without_an_abstract_column(tmp_path: Path) -> None:
    path = parquet(tmp_path / "cols.parquet", "SELECT 'x' AS title, 'y' AS summary")
    with pytest.raises(InputError, match=r"Parquet file lacks column\(s\): abstract"):
        read_papers(path)


def test_not_parquet_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_text("title,abstract\n")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_papers(path)


def test_ingest_cli_filters_a_gzipped_snapshot(cli: Cli, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "arxiv.json.gz", SNAPSHOT, gz=True)
    db = tmp_path / "x.duckdb"
    result = cli("ingest", path, "--category", "cs.DC", "--db", db)
    assert result.exit_code == 0, result.output
    assert "1 papers (1 new" in result.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT id, authors FROM papers").fetchall() == [("2401.00001", 3)]
    con.close()
