"""`claimex eval` end to end: real DuckDB runs, real files, test-only backends."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from claimex.backends import register_backend
from claimex.evaluate import load_inputs, score_stored_run
from claimex.evaluate.terminal import print_terminal_report
from eval_support import (
    ACCURACY,
    FLAWED,
    GOLD,
    PAPERS,
    SMALL_GOLD,
    SMALL_PAPERS,
    SPURIOUS,
    eval_json,
    repo_gold,
    run_cli,
    small_corpus,
    store_run,
    write_jsonl,
)

register_backend("gold-oracle", "eval_support:oracle_backend")
register_backend("silent", "eval_support:silent_backend")
register_backend("flaky", "eval_support:flaky_backend")

PERFECT_SCORES = (
    "claim_f1",
    "strict_f1",
    "grounding_rate",
    "claim_precision",
    "claim_recall",
    "macro_precision",
    "macro_recall",
    "macro_f1",
    "strict_precision",
    "strict_recall",
)


def _assert_perfect(scores: dict[str, object]) -> None:
    for name in PERFECT_SCORES:
        assert scores[name] == 1.0, name
    assert set(scores["fields"].values()) == {1.0}  # type: ignore[attr-defined]
    recalls = {c["recall"] for c in scores["category_recall"].values()}  # type: ignore[attr-defined]
    assert recalls == {1.0}


def test_repo_gold_stored_as_a_run_scores_one_on_every_score(tmp_path: Path) -> None:
    papers, gold = repo_gold()
    db = tmp_path / "gold.duckdb"
    run_id = store_run(db, papers, gold, backend="gold-as-run")
    data = eval_json("--run", run_id, "--db", db, "--papers", PAPERS, "--gold", GOLD)
    _assert_perfect(data["scores"])
    assert data["scores"]["counts"]["matched"] == sum(len(c) for c in gold.values())
    assert data["run"]["backend"] == "gold-as-run"
    assert data["not_extracted"] == []


def test_terminal_report_summarises_scores_and_points_at_the_errors(tmp_path: Path) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path / "labels")
    db = tmp_path / "runs.duckdb"
    run_id = store_run(db, papers, FLAWED, backend="hand", model="m-1", dropped={"train": 3})
    result = run_cli(
        "eval", "--run", run_id, "--db", db, "--papers", papers_path, "--gold", gold_path
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "backend hand" in out and "model m-1" in out
    assert "micro" in out and "macro" in out and "strict" in out
    assert "0.800" in out  # claim F1: 4 matched of 5 predicted and 5 gold
    assert "grounding rate 1.000" in out
    assert "the run dropped 3 claims before storing them" in out
    assert "accuracy" in out and "throughput" in out  # recall by category
    assert "serve" in out  # the paper with errors
    assert "1 missed (false negatives), 1 spurious (false positives)" in out
    assert "; --report FILE.md lists each one." in out  # the CLI names its flag
    library = io.StringIO()  # the library names the setting
    inputs = load_inputs(papers_path, gold_path)
    print_terminal_report(score_stored_run(inputs, db, run_id), Console(file=library, width=200))
    assert "; report FILE.md lists each one." in library.getvalue()
    assert "--" not in library.getvalue()


def test_report_file_lists_every_false_positive_false_negative_and_mismatch(
    tmp_path: Path,
) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path / "labels")
    db = tmp_path / "runs.duckdb"
    run_id = store_run(db, papers, FLAWED)
    report = tmp_path / "out" / "errors.md"
    result = run_cli(
        "eval", "--run", run_id, "--db", db, "--papers", papers_path, "--gold", gold_path,
        "--report", report,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = report.read_text()
    assert "### serve: ServeX: fast serving" in text
    assert f'97.7% accuracy (accuracy) — "{ACCURACY.evidence}"' in text  # false negative
    assert f'8x GPUs (latency) — "{SPURIOUS.evidence}"' in text  # false positive
    assert "category throughput -> speedup" in text  # field mismatch on the matched 4.48x
    assert "### train" not in text and "### survey" not in text  # no errors there
    assert "1 false negatives, 1 false positives, 1 field mismatches" in text


def test_json_has_each_papers_errors(tmp_path: Path) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path)
    db = tmp_path / "runs.duckdb"
    run_id = store_run(db, papers, FLAWED)
    data = eval_json("--run", run_id, "--db", db, "--papers", papers_path, "--gold", gold_path)
    serve = next(p for p in data["papers"] if p["paper_id"] == "serve")
    assert [c["value"] for c in serve["false_negatives"]] == [97.7]
    assert [c["value"] for c in serve["false_positives"]] == [8.0]
    assert [(m["field"], m["gold"], m["predicted"]) for m in serve["mismatches"]] == [
        ("category", "throughput", "speedup")
    ]
    assert data["scores"]["claim_f1"] == pytest.approx(0.8)
    assert data["scores"]["strict_f1"] == pytest.approx(0.6)


def test_backend_is_run_in_a_temporary_database_and_scored(tmp_path: Path) -> None:
    result = run_cli(
        "eval", "--backend", "gold-oracle", "--papers", PAPERS, "--gold", GOLD, "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _assert_perfect(data["scores"])
    assert data["run"]["backend"] == "gold-oracle"
    assert data["run"]["model"] == "fixed-answers"
    assert "41 papers ok" in result.stderr
    assert list(tmp_path.glob("*.duckdb")) == []  # nothing left in the working directory


def test_papers_the_backend_failed_on_are_reported_and_scored_as_no_claims() -> None:
    result = run_cli("eval", "--backend", "flaky", "--papers", PAPERS, "--gold", GOLD, "--json")
    assert result.exit_code == 0, result.output
    assert "40 papers ok, 1 failed" in result.stderr
    assert "failed distserve: ConnectionError: connection reset" in result.stderr
    data = json.loads(result.stdout)
    assert data["not_extracted"] == ["distserve"]
    distserve = next(p for p in data["papers"] if p["paper_id"] == "distserve")
    assert distserve["predicted"] == 0 and distserve["gold"] > 0
    assert data["scores"]["claim_precision"] == 1.0
    assert data["scores"]["claim_recall"] < 1.0


def test_a_backend_that_finds_nothing_scores_zero(tmp_path: Path) -> None:
    papers_path, gold_path, _ = small_corpus(tmp_path)
    data = eval_json("--backend", "silent", "--papers", papers_path, "--gold", gold_path)
    scores = data["scores"]
    assert (scores["claim_f1"], scores["claim_recall"], scores["strict_f1"]) == (0, 0, 0)
    assert scores["macro_f1"] == pytest.approx(1 / 3)  # only the survey (no gold) is right


def test_papers_a_run_failed_on_count_as_no_claims_with_a_warning(tmp_path: Path) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path)
    db = tmp_path / "runs.duckdb"
    run_id = store_run(db, papers, SMALL_GOLD, failed=["train"])
    result = run_cli(
        "eval", "--run", run_id, "--db", db, "--papers", papers_path, "--gold", gold_path, "--json"
    )
    assert result.exit_code == 0, result.output
    assert f"1 papers have no successful extraction in run {run_id}" in result.stderr
    assert "score as having no claims: train" in result.stderr
    data = json.loads(result.stdout)
    assert data["not_extracted"] == ["train"]
    assert data["scores"]["claim_recall"] == pytest.approx(3 / 5)


def test_a_run_over_other_abstract_text_is_flagged(tmp_path: Path) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path)
    db = tmp_path / "runs.duckdb"
    run_id = store_run(db, papers, SMALL_GOLD)
    edited = [dict(p) for p in SMALL_PAPERS]
    edited[2]["abstract"] += " Revised."
    write_jsonl(papers_path, edited)
    result = run_cli(
        "eval", "--run", run_id, "--db", db, "--papers", papers_path, "--gold", gold_path
    )
    assert result.exit_code == 0, result.output
    assert "1 papers have another abstract in the database" in result.stderr
    assert result.stderr.rstrip().endswith(": survey")


def test_files_from_anywhere_with_any_name(tmp_path: Path) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path / "elsewhere")
    renamed_papers = papers_path.rename(tmp_path / "abstracts.txt")  # JSON lines, odd name
    renamed_gold = gold_path.rename(tmp_path / "labels.ndjson")
    db = tmp_path / "runs.duckdb"
    run_id = store_run(db, papers, SMALL_GOLD)
    data = eval_json(
        "--run", run_id, "--db", db, "--papers", renamed_papers, "--gold", renamed_gold
    )
    _assert_perfect(data["scores"])


def test_papers_without_ids_get_the_ids_ingest_would_give(tmp_path: Path) -> None:
    papers = write_jsonl(
        tmp_path / "p.jsonl",
        [{"title": "ServeX: fast serving", "abstract": "ServeX answers in 0.8 ms per request."}],
    )
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"paper_id": "servex", "claims": []}\n')
    data = eval_json("--backend", "silent", "--papers", papers, "--gold", gold)
    assert data["papers"][0]["paper_id"] == "servex"


@pytest.mark.parametrize(
    "modes",
    [(), ("--run", "1", "--backend", "silent"), ("--run", "1", "--compare", "1", "2")],
)
def test_exactly_one_of_backend_run_compare(modes: tuple[str, ...]) -> None:
    result = run_cli("eval", *modes)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: give exactly one of --backend NAME, --run RUN_ID, --compare A B"
    )


def test_unknown_run_is_a_clear_error(tmp_path: Path) -> None:
    papers_path, gold_path, papers = small_corpus(tmp_path)
    db = tmp_path / "runs.duckdb"
    store_run(db, papers, SMALL_GOLD)
    result = run_cli("eval", "--run", 99, "--db", db, "--papers", papers_path, "--gold", gold_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: run 99 does not exist (see `claimex runs`)"


def test_unknown_backend_is_a_clear_error(tmp_path: Path) -> None:
    papers_path, gold_path, _ = small_corpus(tmp_path)
    result = run_cli("eval", "--backend", "nope", "--papers", papers_path, "--gold", gold_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown backend 'nope'")
