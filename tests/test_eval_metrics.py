"""Scores on hand-made predictions: conventions, field scores, strict F1, grounding."""

from __future__ import annotations

import pytest

from claimex.evaluate import evaluate
from claimex.evaluate.fields import set_f1, token_f1
from claimex.model import Bound, Direction, Paper
from eval_support import claim

ABSTRACT = (
    "FastServe cuts latency by 2x over vLLM on 8 A100 GPUs and reaches 97.7% accuracy, "
    "using 4 GB of memory."
)
PAPER = Paper(id="fast", title="FastServe", abstract=ABSTRACT)
EMPTY = Paper(id="empty", title="Nothing measured", abstract="A position paper with no results.")
LATENCY = claim(
    2.0, baselines=["vLLM"], system="FastServe", hardware="8 A100 GPUs", evidence="by 2x over vLLM"
)
ACCURACY = claim(97.7, "%", category="accuracy", metric="accuracy", evidence="97.7% accuracy")
MEMORY = claim(4.0, "GB", category="memory", metric="memory", evidence="4 GB of memory")


def test_counts_precision_recall_f1() -> None:
    gold = {"fast": [LATENCY, ACCURACY, MEMORY]}
    predicted = {"fast": [LATENCY, claim(3.0, evidence="2x"), ACCURACY]}
    scores = evaluate([PAPER], gold, predicted).scores
    assert (scores.matched, scores.predicted_claims, scores.gold_claims) == (2, 3, 3)
    assert scores.micro.precision == pytest.approx(2 / 3)
    assert scores.micro.recall == pytest.approx(2 / 3)
    assert scores.micro.f1 == pytest.approx(2 / 3)


def test_per_category_recall() -> None:
    gold = {"fast": [LATENCY, ACCURACY, MEMORY]}
    scores = evaluate([PAPER], gold, {"fast": [ACCURACY]}).scores
    recall = {name: (c.gold, c.found) for name, c in scores.category_recall.items()}
    assert recall == {"accuracy": (1, 1), "latency": (1, 0), "memory": (1, 0)}


def test_paper_with_no_gold_and_no_predictions_counts_as_right_in_the_macro_average() -> None:
    gold = {"fast": [LATENCY, ACCURACY], "empty": []}
    evaluation = evaluate([PAPER, EMPTY], gold, {"fast": [LATENCY]})
    by_id = {r.paper.id: r.scores for r in evaluation.results}
    assert (by_id["empty"].precision, by_id["empty"].recall, by_id["empty"].f1) == (1, 1, 1)
    assert by_id["fast"].f1 == pytest.approx(2 / 3)  # P 1, R 1/2
    assert evaluation.scores.macro.f1 == pytest.approx((1 + 2 / 3) / 2)
    assert evaluation.scores.macro.recall == pytest.approx((1 + 0.5) / 2)


def test_predictions_for_a_paper_without_gold_score_zero_there() -> None:
    spurious = claim(2.0, evidence="no results")
    result = evaluate([EMPTY], {"empty": []}, {"empty": [spurious]}).results[0]
    assert (result.scores.precision, result.scores.f1) == (0.0, 0.0)
    assert result.false_positives == [spurious]


def test_no_predictions_at_all() -> None:
    scores = evaluate([PAPER], {"fast": [LATENCY]}, {}).scores
    assert (scores.micro.precision, scores.micro.recall, scores.micro.f1) == (1.0, 0.0, 0.0)
    assert scores.grounding_rate == 1.0  # nothing predicted, nothing ungrounded
    assert set(scores.fields.values()) == {None}  # no matched pair to judge fields on


def test_field_accuracy_and_strict_f1_on_matched_pairs() -> None:
    gold = {"fast": [LATENCY, ACCURACY]}
    wrong_direction = LATENCY.model_copy(update={"direction": Direction.INCREASE})
    wrong_bound = ACCURACY.model_copy(update={"bound": Bound.AT_LEAST})
    scores = evaluate([PAPER], gold, {"fast": [wrong_direction, wrong_bound]}).scores
    assert scores.micro.f1 == 1.0
    assert scores.fields["direction"] == 0.5
    assert scores.fields["bound"] == 0.5
    assert scores.fields["category"] == scores.fields["kind"] == 1.0
    # bound is not part of strict; direction is
    assert scores.strict_matched == 1
    assert scores.strict.f1 == pytest.approx(0.5)


def test_strict_needs_the_same_baselines() -> None:
    other_baseline = LATENCY.model_copy(update={"baselines": ["Orca"]})
    scores = evaluate([PAPER], {"fast": [LATENCY]}, {"fast": [other_baseline]}).scores
    assert (scores.micro.f1, scores.strict.f1, scores.fields["baselines"]) == (1.0, 0.0, 0.0)


def test_baselines_compare_as_sets_ignoring_case_punctuation_and_spacing() -> None:
    assert set_f1(["vLLM", "Orca."], ["orca", "VLLM"]) == 1.0
    assert set_f1(["Qwen3 1.7B"], ["Qwen3-1.7B"]) == 1.0
    assert set_f1(["state-of-the-art  systems"], ["State of the art systems"]) == 1.0
    assert set_f1(["vLLM"], ["vLLM", "Orca"]) == pytest.approx(2 / 3)
    assert set_f1([], []) == 1.0
    assert set_f1(["vLLM"], []) == 0.0


def test_token_f1_for_names() -> None:
    assert token_f1(None, None) == 1.0
    assert token_f1("", None) == 1.0
    assert token_f1("A100", None) == 0.0
    assert token_f1(None, "A100") == 0.0
    assert token_f1("8 A100 GPUs", "8 a100 gpus") == 1.0
    assert token_f1("8x A100 GPUs", "8 A100 GPUs") == pytest.approx(2 / 3)


def test_name_fields_average_token_f1_over_pairs() -> None:
    partial = LATENCY.model_copy(update={"hardware": "A100 GPUs", "system": None})
    scores = evaluate([PAPER], {"fast": [LATENCY]}, {"fast": [partial]}).scores
    assert scores.fields["hardware"] == pytest.approx(0.8)  # P 2/2, R 2/3
    assert scores.fields["system"] == 0.0
    assert scores.fields["workload"] == 1.0  # both null


def test_grounding_rate_counts_verbatim_evidence_that_writes_the_value() -> None:
    grounded = LATENCY
    paraphrased = claim(2.0, evidence="halves the latency vs vLLM")  # not in the abstract
    wrong_number = claim(3.0, evidence="by 2x over vLLM")  # evidence lacks 3
    scores = evaluate(
        [PAPER], {"fast": [LATENCY]}, {"fast": [grounded, paraphrased, wrong_number]}
    ).scores
    assert (scores.grounded, scores.predicted_claims) == (1, 3)
    assert scores.grounding_rate == pytest.approx(1 / 3)


def test_missing_sides_mean_no_claims() -> None:
    """A paper absent from predictions (or gold) is scored as having no claims there."""
    evaluation = evaluate([PAPER, EMPTY], {"fast": [LATENCY]}, {"empty": [MEMORY]})
    assert evaluation.scores.gold_claims == 1
    assert evaluation.scores.predicted_claims == 1
    assert evaluation.scores.matched == 0
