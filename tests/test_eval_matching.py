"""Each matching rule of claim-spec's "Matching" section, on hand-made claims."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from claimex.evaluate import assign, can_match, evaluate
from claimex.model import Claim, Paper
from eval_support import claim


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        (100.0, True),
        (100.9, True),  # 0.9% above
        (99.1, True),  # 0.9% below
        (101.1, False),  # 1.1% above
        (98.9, False),  # 1.1% below
    ],
)
def test_value_agrees_within_one_percent_relative(predicted: float, expected: bool) -> None:
    assert can_match(claim(predicted, "ms"), claim(100.0, "ms")) is expected
    assert can_match(claim(100.0, "ms"), claim(predicted, "ms")) is expected  # symmetric


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (28.0, 71.0, True),
        (28.2, 71.5, True),  # both ends within 1%
        (28.0, 73.0, False),  # high end 2.8% off
        (29.0, 71.0, False),  # low end 3.4% off
    ],
)
def test_range_needs_both_ends_to_agree(low: float, high: float, expected: bool) -> None:
    gold = claim(28.0, "%", value_max=71.0)
    assert can_match(claim(low, "%", value_max=high), gold) is expected


def test_range_and_single_value_never_match() -> None:
    assert not can_match(claim(28.0, "%"), claim(28.0, "%", value_max=71.0))
    assert not can_match(claim(28.0, "%", value_max=71.0), claim(28.0, "%"))


@pytest.mark.parametrize(
    ("gold_unit", "predicted_unit"),
    [
        ("x", "×"),
        ("x", "times"),
        ("x", "X"),
        ("%", "percent"),
        ("ms", "msec"),
        ("ms", "milliseconds"),
        ("s", "seconds"),
        ("tokens/s", "tokens per second"),
    ],
)
def test_unit_aliases_match_after_canonicalisation(gold_unit: str, predicted_unit: str) -> None:
    # A ratio must say "x", so a prediction writing "×" or "times" is some other kind:
    # it still matches (kind is scored separately, on the matched pair).
    predicted = claim(4.48, predicted_unit, kind="absolute", direction=None)
    assert can_match(predicted, claim(4.48, gold_unit))


@pytest.mark.parametrize(
    ("predicted", "unit", "expected"),
    [
        (0.5, "s", True),
        (500.0, "ms", True),
        (0.504, "s", True),  # 504 ms: within 1%
        (0.51, "s", False),  # 510 ms: 2% off
        (500000.0, "us", True),
        (500.0, "s", False),  # the number without conversion must not match
        (0.5, "ms", False),
    ],
)
def test_times_compare_after_conversion(predicted: float, unit: str, expected: bool) -> None:
    assert can_match(claim(predicted, unit), claim(500.0, "ms")) is expected


def test_incompatible_units_do_not_match() -> None:
    assert not can_match(claim(0.8, "%"), claim(0.8, "ms"))
    assert not can_match(claim(5.5, "pp"), claim(5.5, "%"))
    assert not can_match(claim(2.0, "GB"), claim(2.0, "s"))
    assert can_match(claim(2048.0, "MB"), claim(2.048, "GB"))


def _greedy_first_fit(predicted: Sequence[Claim], gold: Sequence[Claim]) -> int:
    """What a naive scorer would do: each prediction takes the first free gold it can match."""
    free = list(range(len(gold)))
    matched = 0
    for p in predicted:
        for j in free:
            if can_match(p, gold[j]):
                free.remove(j)
                matched += 1
                break
    return matched


def test_optimal_assignment_beats_greedy_first_fit() -> None:
    gold = [claim(2.0), claim(2.03)]
    # 2.015 can match either gold claim, 1.985 only the first: greedy gives 2.015 the
    # first gold claim and leaves 1.985 unmatched.
    predicted = [claim(2.015), claim(1.985)]
    assert _greedy_first_fit(predicted, gold) == 1
    assert sorted(assign(predicted, gold)) == [(0, 1), (1, 0)]


def test_equal_category_is_preferred_among_equal_values() -> None:
    gold = [claim(2.0, category="speedup", direction="increase"), claim(2.0)]
    assert assign([claim(2.0)], gold) == [(0, 1)]
    assert sorted(assign([claim(2.0), claim(2.0, category="speedup")], gold)) == [(0, 1), (1, 0)]


def test_match_count_beats_category_preference() -> None:
    gold = [claim(2.0, category="speedup", direction="increase"), claim(2.01)]
    # The first prediction would prefer the latency gold claim (same category), but only
    # giving it the speedup claim lets the second prediction match too.
    predicted = [claim(2.0), claim(2.025)]  # 2.025 is within 1% of 2.01 only
    assert sorted(assign(predicted, gold)) == [(0, 0), (1, 1)]


NEMOTRON = Paper(
    id="nemotron",
    title="Nemotron-Flash",
    abstract=(
        "Nemotron-Flash achieves 1.3x/1.9x lower latency and 18.7x/45.6x higher throughput "
        "compared to Qwen3-1.7B/0.6B, respectively."
    ),
)


def _slash(value: float, baselines: list[str]) -> Claim:
    return claim(value, baselines=baselines, evidence="1.3x/1.9x lower latency")


def test_slash_pairs_expanded_position_by_position_match_strictly() -> None:
    gold = {"nemotron": [_slash(1.3, ["Qwen3-1.7B"]), _slash(1.9, ["Qwen3-0.6B"])]}
    right = {"nemotron": [_slash(1.9, ["qwen3 0.6b"]), _slash(1.3, ["Qwen3-1.7B"])]}
    scores = evaluate([NEMOTRON], gold, right).scores
    assert (scores.matched, scores.strict_matched) == (2, 2)
    assert scores.strict.f1 == 1.0


def test_slash_pair_with_both_baselines_on_each_claim_is_not_strict() -> None:
    gold = {"nemotron": [_slash(1.3, ["Qwen3-1.7B"]), _slash(1.9, ["Qwen3-0.6B"])]}
    both = ["Qwen3-1.7B", "Qwen3-0.6B"]
    lumped = {"nemotron": [_slash(1.3, both), _slash(1.9, both)]}
    scores = evaluate([NEMOTRON], gold, lumped).scores
    assert scores.micro.f1 == 1.0
    assert scores.strict.f1 == 0.0
    assert scores.fields["baselines"] == pytest.approx(2 / 3)


def test_slash_pair_read_as_one_number_misses_the_second() -> None:
    gold = {"nemotron": [_slash(1.3, ["Qwen3-1.7B"]), _slash(1.9, ["Qwen3-0.6B"])]}
    result = evaluate([NEMOTRON], gold, {"nemotron": [_slash(1.3, [])]}).results[0]
    assert [c.value for c in result.false_negatives] == [1.9]
    assert result.scores.recall == 0.5
