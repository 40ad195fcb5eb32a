"""`claimex eval --compare A B`: claims one run found and the other did not, paper by paper."""

from __future__ import annotations

import json
from pathlib import Path

from claimex.evaluate import compare_runs, load_papers_file
from claimex.store import open_read_only
from eval_support import (
    ACCURACY,
    FLAWED,
    SMALL_GOLD,
    SPURIOUS,
    claim,
    run_cli,
    small_corpus,
    store_run,
    write_jsonl,
)


def _two_runs(tmp_path: Path) -> tuple[Path, int, int]:
    _, _, papers = small_corpus(tmp_path)
    db = tmp_path / "runs.duckdb"
    a = store_run(db, papers, SMALL_GOLD, backend="rules")
    b = store_run(db, papers, FLAWED, backend="llm", model="m-2", failed=["survey"])
    return db, a, b


def test_compare_lists_claims_found_by_one_run_only(tmp_path: Path) -> None:
    db, a, b = _two_runs(tmp_path)
    result = run_cli("eval", "--compare", a, b, "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"A = run {a}, backend rules" in out
    assert f"B = run {b}, backend llm, model m-2" in out
    assert "2 papers extracted by both; 1 differ." in out
    assert "serve (in both runs: 2)" in out  # 4.48x (category changed) and 0.8 ms
    assert f'only in A (run {a}): 97.7% accuracy (accuracy) — "{ACCURACY.evidence}"' in out
    assert f'only in B (run {b}): 8x GPUs (latency) — "{SPURIOUS.evidence}"' in out
    assert "train" not in out.split("differ.")[1].split("extracted only")[0]  # same claims
    assert f"extracted only by A (run {a}), not compared: survey" in out


def test_compare_is_symmetric(tmp_path: Path) -> None:
    db, a, b = _two_runs(tmp_path)
    con = open_read_only(db)
    try:
        forward, backward = compare_runs(con, a, b), compare_runs(con, b, a)
    finally:
        con.close()
    assert [(d.paper_id, d.only_a, d.only_b) for d in forward.differing] == [
        (d.paper_id, d.only_b, d.only_a) for d in backward.differing
    ]
    assert (forward.only_in_a, forward.only_in_b) == (backward.only_in_b, backward.only_in_a)


def test_compare_json(tmp_path: Path) -> None:
    db, a, b = _two_runs(tmp_path)
    result = run_cli("eval", "--compare", a, b, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["run_a"]["run_id"] == a and data["run_b"]["backend"] == "llm"
    assert data["only_extracted_by_a"] == ["survey"]
    [serve] = data["papers"]
    assert serve["paper_id"] == "serve" and serve["shared"] == 2
    assert [c["value"] for c in serve["only_a"]] == [97.7]
    assert [c["value"] for c in serve["only_b"]] == [8.0]


def test_identical_runs_have_no_differences(tmp_path: Path) -> None:
    _, _, papers = small_corpus(tmp_path)
    db = tmp_path / "runs.duckdb"
    a = store_run(db, papers, SMALL_GOLD)
    b = store_run(db, papers, SMALL_GOLD)
    result = run_cli("eval", "--compare", a, b, "--db", db)
    assert result.exit_code == 0
    assert "3 papers extracted by both; 0 differ." in result.stdout
    assert "only in" not in result.stdout


def test_scoring_options_do_not_apply_to_compare(tmp_path: Path) -> None:
    db, a, b = _two_runs(tmp_path)
    result = run_cli("eval", "--compare", a, b, "--db", db, "--report", tmp_path / "r.md")
    assert result.exit_code == 2
    assert "do not apply to --compare" in result.stderr
    assert not (tmp_path / "r.md").exists()


def test_compare_with_an_unknown_run(tmp_path: Path) -> None:
    db, a, _ = _two_runs(tmp_path)
    result = run_cli("eval", "--compare", a, 42, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: run 42 does not exist (see `claimex runs`)"


def test_brackets_in_evidence_are_printed_not_read_as_markup(tmp_path: Path) -> None:
    abstract = "The [bold red] variant reaches 97.7% accuracy on [CLS] tokens."
    papers_path = write_jsonl(
        tmp_path / "p.jsonl", [{"id": "[x]", "title": "Brackets", "abstract": abstract}]
    )
    papers = load_papers_file(papers_path)
    found = claim(97.7, "%", category="accuracy", evidence="[bold red] variant reaches 97.7%")
    db = tmp_path / "runs.duckdb"
    a = store_run(db, papers, {"[x]": [found]})
    b = store_run(db, papers, {})
    result = run_cli("eval", "--compare", a, b, "--db", db)
    assert result.exit_code == 0, result.output
    assert "\n[x] (in both runs: 0)" in result.stdout
    assert '"[bold red] variant reaches 97.7%"' in result.stdout
