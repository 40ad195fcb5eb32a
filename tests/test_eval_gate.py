"""The regression gate: --save-baseline writes a score file, --baseline fails on drops."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from claimex.errors import InputError
from claimex.evaluate import evaluate, load_baseline, regressions
from claimex.evaluate.metrics import PRF
from claimex.model import Claim, Direction, Paper
from eval_support import FLAWED, REQUESTS, SMALL_GOLD, TTFT, run_cli, small_corpus, store_run


@dataclass
class Corpus:
    papers_path: Path
    gold_path: Path
    db: Path
    papers: list[Paper]

    def run(self, claims: dict[str, list[Claim]], **kwargs: str) -> int:
        return store_run(self.db, self.papers, claims, **kwargs)  # type: ignore[arg-type]

    def eval(self, run_id: int, *extra: object) -> Result:
        return run_cli(
            "eval", "--run", run_id, "--db", self.db,
            "--papers", self.papers_path, "--gold", self.gold_path, *extra,
        )  # fmt: skip

    def baseline_of(self, claims: dict[str, list[Claim]], path: Path) -> Path:
        assert self.eval(self.run(claims), "--save-baseline", path).exit_code == 0
        return path


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    papers_path, gold_path, papers = small_corpus(tmp_path / "labels")
    return Corpus(papers_path, gold_path, tmp_path / "runs.duckdb", papers)


def test_save_baseline_records_scores_provenance_and_gold_hash(
    corpus: Corpus, tmp_path: Path
) -> None:
    run_id = corpus.run(SMALL_GOLD, backend="llm", model="qwen-test")
    path = tmp_path / "baselines" / "llm.json"
    result = corpus.eval(run_id, "--save-baseline", path)
    assert result.exit_code == 0, result.output
    assert f"baseline written to {path}" in result.stderr
    saved = json.loads(path.read_text())
    assert saved["scores"]["claim_f1"] == saved["scores"]["strict_f1"] == 1.0
    assert saved["scores"]["grounding_rate"] == 1.0
    assert saved["run"]["backend"] == "llm" and saved["run"]["model"] == "qwen-test"
    assert {"prompt_version", "prompt_hash"} <= set(saved["run"])
    assert saved["gold"]["sha256"] == hashlib.sha256(corpus.gold_path.read_bytes()).hexdigest()


def test_a_drop_beyond_tolerance_exits_1_naming_each_score_that_dropped(
    corpus: Corpus, tmp_path: Path
) -> None:
    baseline = corpus.baseline_of(SMALL_GOLD, tmp_path / "perfect.json")
    result = corpus.eval(corpus.run(FLAWED), "--baseline", baseline)
    assert result.exit_code == 1
    assert "regression: claim_f1 dropped from 1.000 to 0.800 (-0.200)" in result.stderr
    assert "regression: strict_f1 dropped from 1.000 to 0.600 (-0.400)" in result.stderr
    assert "regression: grounding_rate" not in result.stderr  # it did not drop
    assert "2 headline score(s) dropped by more than 0.01" in result.stderr
    assert "micro" in result.stdout  # the report is still printed


def test_a_gain_passes(corpus: Corpus, tmp_path: Path) -> None:
    baseline = corpus.baseline_of(FLAWED, tmp_path / "flawed.json")
    result = corpus.eval(corpus.run(SMALL_GOLD), "--baseline", baseline)
    assert result.exit_code == 0, result.output
    assert f"against {baseline} (backend hand):" in result.stderr
    assert "claim_f1: 0.800 -> 1.000 (+0.200)" in result.stderr
    assert "no headline score dropped by more than 0.01" in result.stderr


def test_a_drop_within_tolerance_passes(corpus: Corpus, tmp_path: Path) -> None:
    baseline = corpus.baseline_of(SMALL_GOLD, tmp_path / "perfect.json")
    flawed = corpus.run(FLAWED)  # claim F1 -0.2, strict F1 -0.4
    assert corpus.eval(flawed, "--baseline", baseline, "--tolerance", 0.4).exit_code == 0
    failing = corpus.eval(flawed, "--baseline", baseline, "--tolerance", 0.3)
    assert failing.exit_code == 1
    assert "strict_f1 dropped" in failing.stderr
    assert "claim_f1 dropped" not in failing.stderr


def test_only_strict_f1_drops_when_a_field_goes_wrong(corpus: Corpus, tmp_path: Path) -> None:
    baseline = corpus.baseline_of(SMALL_GOLD, tmp_path / "perfect.json")
    wrong = REQUESTS.model_copy(update={"direction": Direction.DECREASE})
    run_id = corpus.run({**SMALL_GOLD, "serve": [wrong, *SMALL_GOLD["serve"][1:]]})
    result = corpus.eval(run_id, "--baseline", baseline)
    assert result.exit_code == 1
    dropped = [line for line in result.stderr.splitlines() if line.startswith("regression:")]
    assert len(dropped) == 1
    assert dropped[0].startswith("regression: strict_f1 dropped")


def test_ungrounded_predictions_drop_the_grounding_rate(corpus: Corpus, tmp_path: Path) -> None:
    baseline = corpus.baseline_of(SMALL_GOLD, tmp_path / "perfect.json")
    # evidence that is not in this papers file's abstract (a run made over other text)
    moved = TTFT.model_copy(update={"evidence": "0.8 ms on 8 H100"})
    serve = [REQUESTS, moved, SMALL_GOLD["serve"][2]]
    result = corpus.eval(corpus.run({**SMALL_GOLD, "serve": serve}), "--baseline", baseline)
    assert result.exit_code == 1
    assert "regression: grounding_rate dropped from 1.000 to 0.800" in result.stderr
    assert "claim_f1 dropped" not in result.stderr


def test_a_baseline_scored_on_other_labels_warns(corpus: Corpus, tmp_path: Path) -> None:
    baseline = corpus.baseline_of(SMALL_GOLD, tmp_path / "perfect.json")
    with corpus.gold_path.open("a") as gold:
        gold.write("\n")  # same labels, different bytes
    result = corpus.eval(corpus.run(SMALL_GOLD), "--baseline", baseline)
    assert result.exit_code == 0
    assert "was scored against a different gold file" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", ":1: not valid JSON"),
        ('{"run": {}}', ': not a baseline file (no "scores" object'),
        ('{"scores": {"claim_f1": 1, "strict_f1": 1}}', ': "scores" has no number for'),
    ],
)
def test_a_malformed_baseline_exits_2_before_scoring(
    corpus: Corpus, tmp_path: Path, content: str, message: str
) -> None:
    baseline = tmp_path / "bad.json"
    baseline.write_text(content)
    result = corpus.eval(corpus.run(SMALL_GOLD), "--baseline", baseline)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"error: {baseline}{message}")
    assert result.stdout == ""


def test_a_file_that_is_not_a_baseline_names_the_setting_or_the_flag(
    corpus: Corpus, tmp_path: Path
) -> None:
    baseline = tmp_path / "bad.json"
    baseline.write_text('{"run": {}}')
    with pytest.raises(InputError) as caught:
        load_baseline(baseline)
    assert str(caught.value).endswith("; write one with save_baseline)")
    result = corpus.eval(corpus.run(SMALL_GOLD), "--baseline", baseline)
    assert result.stderr.strip().endswith("; write one with --save-baseline)")


def test_a_drop_of_exactly_the_tolerance_passes(tmp_path: Path) -> None:
    """0.80 - 0.79 is 0.0100000000000000009 in floats; it must not count as beyond 0.01."""
    path = tmp_path / "b.json"
    path.write_text(
        json.dumps({"scores": {"claim_f1": 0.80, "strict_f1": 0.5, "grounding_rate": 1.0}})
    )
    baseline = load_baseline(path)
    perfect = evaluate([], {}, {}).scores
    at_edge = dataclasses.replace(perfect, micro=PRF(0.79, 0.79, 0.79), strict=PRF(0.5, 0.5, 0.5))
    assert regressions(at_edge, baseline, 0.01) == []
    beyond = dataclasses.replace(at_edge, micro=PRF(0.7899, 0.7899, 0.7899))
    assert [d.score for d in regressions(beyond, baseline, 0.01)] == ["claim_f1"]
