"""`claimex show`, `export`, `compare` and the comparisons view, on the example corpus."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from claimex.review.claims import read_papers
from claimex.review.terminal import highlighted
from conftest import Cli, Snapshot
from review_support import query

CONTRADICTING = [
    {
        "id": "foo",
        "title": "FooServe [/i] fast [link=http://x]",
        "abstract": "FooServe achieves 2x higher throughput than vLLM [12] on 8 A100 GPUs.",
    },
    {
        "id": "bar",
        "title": "vLLM strikes back",
        "abstract": "vLLM achieves 1.5x higher throughput than FooServe on four H100 GPUs.",
    },
]


@pytest.fixture
def contradicting_db(tmp_path: Path, cli: Cli) -> Path:
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in CONTRADICTING))
    db = tmp_path / "c.duckdb"
    result = cli("extract", papers, "--db", db, "--backend", "rules")
    assert result.exit_code == 0, result.output
    return db


def test_show_json_has_the_paper_and_its_claims(cli: Cli, rules_db: Path) -> None:
    result = cli("show", "deepspeed-fastgen", "--db", rules_db, "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    stored = query(
        rules_db,
        "SELECT ordinal, value, evidence, evidence_start, evidence_end FROM claims"
        " WHERE paper_id = 'deepspeed-fastgen' ORDER BY evidence_start, ordinal",
    )
    assert shown["title"].startswith("DeepSpeed-FastGen")
    assert [
        (c["ordinal"], c["value"], c["evidence"], c["evidence_start"], c["evidence_end"])
        for c in shown["claims"]
    ] == stored
    for c in shown["claims"]:
        assert shown["abstract"][c["evidence_start"] : c["evidence_end"]] == c["evidence"]
        assert c["baselines_norm"] == ["vLLM"] and c["backend"] == "rules"


@pytest.mark.parametrize("paper_id", ["nemotron-flash", "deepspeed-fastgen", "distserve"])
def test_show_highlights_each_evidence_on_its_characters(rules_db: Path, paper_id: str) -> None:
    con = duckdb.connect(str(rules_db), read_only=True)
    (paper,) = read_papers(con, paper_id=paper_id)
    con.close()
    text = highlighted(paper)
    style_at: dict[int, str] = {}
    for span in text.spans:
        for i in range(span.start, span.end):
            style_at[i] = str(span.style)
    labels = {i for i, style in style_at.items() if style == "dim"}
    # without the "[n]" labels the text is the abstract, character for character
    kept = [i for i in range(len(text.plain)) if i not in labels]
    assert "".join(text.plain[i] for i in kept) == paper.abstract
    highlighted_offsets = {n for n, i in enumerate(kept) if "bold" in style_at.get(i, "")}
    evidence_offsets = {
        n for c in paper.claims for n in range(c["evidence_start"], c["evidence_end"])
    }
    assert highlighted_offsets == evidence_offsets and evidence_offsets
    assert "".join(text.plain[i] for i in sorted(labels)) == "".join(
        f"[{n}]"
        for n in sorted(
            range(1, len(paper.claims) + 1), key=lambda n: (paper.claims[n - 1]["evidence_end"], n)
        )
    )


def test_show_prints_titles_as_written(cli: Cli, contradicting_db: Path) -> None:
    result = cli("show", "foo", "--db", contradicting_db)
    assert result.exit_code == 0, result.output
    assert "FooServe [/i] fast [link=http://x]" in result.stdout
    assert "2x higher throughput" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("show", "no-such-paper"),
        ("show", "distserve", "--run", "99"),
        ("export", "--format", "csv", "--run", "99"),
    ],
)
def test_unknown_paper_or_run_is_one_line_exit_2(
    cli: Cli, rules_db: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args, "--db", rules_db)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("error: ")
    assert ("no-such-paper" in line) or ("run 99: no such run" in line)
    assert not list(Path.cwd().glob("claims.csv*")) and not list(Path.cwd().glob(".claims*"))


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_writes_the_latest_claims_with_paper_metadata(
    cli: Cli, rules_db: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    result = cli("export", "--format", fmt, "--out", out, "--db", rules_db)
    assert result.exit_code == 0, result.output
    reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
    con = duckdb.connect()
    exported = con.execute(
        f"SELECT paper_id, ordinal, value, title, upvotes FROM {reader}('{out}') ORDER BY ALL"
    ).fetchall()
    expected = query(
        rules_db,
        "SELECT c.paper_id, c.ordinal, c.value, p.title, p.upvotes FROM latest_claims c"
        " JOIN papers p ON p.id = c.paper_id ORDER BY ALL",
    )
    assert exported == expected and len(expected) > 50
    assert result.stderr.strip() == f"{len(expected)} claims -> {out}"
    if fmt == "parquet":  # lists and types survive
        (row,) = con.execute(
            f"SELECT baselines_norm FROM read_parquet('{out}')"
            " WHERE paper_id = 'deepspeed-fastgen' AND ordinal = 0"
        ).fetchall()
        assert row == (["vLLM"],)
    if fmt == "csv":
        with out.open() as f:
            assert next(csv.reader(f))[:3] == ["paper_id", "title", "abstract"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_export_of_a_run_and_the_default_file_name(cli: Cli, rules_db: Path) -> None:
    result = cli("export", "--format", "jsonl", "--run", "1", "--db", rules_db)
    assert result.exit_code == 0, result.output
    lines = Path("claims.jsonl").read_text().splitlines()
    assert len(lines) == query(rules_db, "SELECT count(*) FROM claims WHERE run_id = 1")[0][0]
    assert {json.loads(line)["run_id"] for line in lines} == {1}


def test_export_under_a_file_is_one_line_exit_2(cli: Cli, rules_db: Path, tmp_path: Path) -> None:
    """An unwritable place even for root: a "folder" that is a file."""
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    result = cli("export", "--format", "csv", "--out", blocker / "x.csv", "--db", rules_db)
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"error: {blocker / 'x.csv'}: cannot write here (Not a directory)"
    )


def test_export_to_a_missing_folder_or_a_directory_is_one_line_exit_2(
    cli: Cli, rules_db: Path, tmp_path: Path, snapshot: Snapshot
) -> None:
    before = snapshot(rules_db)
    missing = tmp_path / "missing" / "x.parquet"
    result = cli("export", "--format", "parquet", "--out", missing, "--db", rules_db)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {missing}: cannot write here (No such file or directory)"
    )
    result = cli("export", "--format", "parquet", "--out", tmp_path, "--db", rules_db)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path}: is a directory, give a file name"
    assert snapshot(rules_db) == before


def test_a_failed_export_keeps_the_old_file(cli: Cli, rules_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("old\n")
    result = cli("export", "--format", "csv", "--out", out, "--run", "7", "--db", rules_db)
    assert result.exit_code == 2
    assert out.read_text() == "old\n"


def test_comparisons_view_reads_factors_as_times_better(rules_db: Path) -> None:
    rows = query(
        rules_db,
        "SELECT paper_id, metric, kind, direction, value, factor FROM comparisons"
        " WHERE paper_id IN ('deepspeed-fastgen', 'mnasnet', 'tpi-llm', 'approxdet')"
        " AND factor IS NOT NULL",
    )
    by_metric = {(r[0], r[1], r[4]): r[5] for r in rows}
    assert by_metric[("deepspeed-fastgen", "latency", 2.0)] == pytest.approx(2.0)  # 2x lower
    assert by_metric[("mnasnet", "faster", 1.8)] == pytest.approx(1.8)  # 1.8x faster
    assert by_metric[("approxdet", "latency", 52.0)] == pytest.approx(1 / 0.48)  # 52% lower
    assert by_metric[("tpi-llm", "time-to-first-token", 80.0)] == pytest.approx(5.0)
    # one row per (latest claim, baseline)
    assert query(rules_db, "SELECT count(*) FROM comparisons") == query(
        rules_db, "SELECT sum(len(baselines)) FROM latest_claims"
    )
    # levels and deltas have no factor
    assert query(
        rules_db,
        "SELECT count(*) FROM comparisons WHERE kind IN ('absolute', 'delta')"
        " AND factor IS NOT NULL",
    ) == [(0,)]


def test_compare_lists_who_beats_a_name_by_its_aliases(cli: Cli, rules_db: Path) -> None:
    result = cli("compare", "vllm", "--db", rules_db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = query(
        rules_db,
        "SELECT system, paper_id FROM comparisons WHERE baseline = 'vLLM'"
        " ORDER BY factor DESC NULLS LAST, system, paper_id, ordinal",
    )
    assert [(r["system"], r["paper_id"]) for r in rows] == expected
    assert rows[0]["times_better"] == "6.9x"
    assert rows[0]["hardware"] == "8 A100" and rows[0]["vendor"] == "NVIDIA"
    assert rows[0]["workload"] == "Falcon-180B"
    assert all(r["contradicted_by"] is None for r in rows)
    assert result.stderr == ""


def test_compare_flags_contradictions(cli: Cli, contradicting_db: Path) -> None:
    result = cli("compare", "vLLM", "--db", contradicting_db, "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert (row["system"], row["times_better"], row["contradicted_by"]) == ("FooServe", "2x", "bar")
    assert row["hardware"] == "8 A100"
    assert result.stderr.strip() == (
        "contradiction: FooServe beats vLLM on throughput (2.0x, foo)"
        " but vLLM beats FooServe (1.5x, bar)"
    )


def test_compare_an_unknown_name_is_one_line_exit_2(cli: Cli, rules_db: Path) -> None:
    result = cli("compare", "NoSuchServe", "--db", rules_db)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 'NoSuchServe': no comparison names it")
    assert len(result.stderr.strip().splitlines()) == 1
