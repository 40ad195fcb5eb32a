"""Number detection: numerals, units, ranges, slash pairs, textual numbers, names."""

from __future__ import annotations

import pytest

from claimex.backends.rules.mentions import Mention, detect_mentions
from claimex.numbers import (
    UNIT_PATTERN,
    canonical_unit,
    normalise_keeping_offsets,
    textual_value,
    value_in_text,
)


def mentions(text: str) -> list[Mention]:
    return detect_mentions(normalise_keeping_offsets(text))


def written(text: str) -> list[tuple[float, float | None, str]]:
    """(value, value_max, unit) of every mention that is not part of a name."""
    return [(m.value, m.value_max, m.unit) for m in mentions(text) if not m.name_part]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DistServe can serve 4.48x more requests", [(4.48, None, "x")]),
        ("attains 58.28 FPS with a 14B-parameter model", [(58.28, None, "FPS"), (14e9, None, "")]),
        ("with 0.8ms end-to-end latency", [(0.8, None, "ms")]),
        ("chunk sizes (less than 300 msec)", [(300, None, "ms")]),
        ("a hard timeout of 500 microseconds", [(500, None, "us")]),
        ("within 0.5s", [(0.5, None, "s")]),
        ("both models exceed 20 tokens/s", [(20, None, "tokens/s")]),
        ("requiring only 3.1 GB of memory", [(3.1, None, "GB")]),
        ("a 146 percent improvement", [(146, None, "%")]),
        ("2.08\\% test error", [(2.08, None, "%")]),  # LaTeX percent, as arXiv abstracts have it
        ("using 6times fewer parameters", [(6, None, "x")]),
        ("e.g. 10^4 GPU hours", [(10_000, None, "GPU-h")]),
        ("sustains 12,400 tokens/s", [(12_400, None, "tokens/s")]),
        ("processes 26 million ops per second", [(26e6, None, "ops/s")]),
        ("delivers 3.4 TOPS/W", [(3.4, None, "TOPS/W")]),
        ("costs fall to $0.12 per million tokens", [(0.12, None, "$")]),
        ("12.1 percentage points more", [(12.1, None, "pp")]),
    ],
)
def test_numbers_with_their_units(
    text: str, expected: list[tuple[float, float | None, str]]
) -> None:
    assert written(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("improves service goodput by 1.4x-6.3x", (1.4, 6.3, "x")),
        ("alternatively achieving 28.5%-83.2% resource savings", (28.5, 83.2, "%")),
        ("reduces latency by 28-71%", (28, 71, "%")),
        ("a gain of 33.1%~62.5% in goodput", (33.1, 62.5, "%")),
        ("improves throughput by 2-4× over Orca", (2, 4, "x")),
        ("speedups of 1.4–11.2x (an en dash)", (1.4, 11.2, "x")),
        ("the proposed IIR-SNNs provide25-33X higher energy efficiency", (25, 33, "x")),
        ("speedups between 2 and 4x", (2, 4, "x")),
        ("from 1.2-2.5M tokens/s", (1.2e6, 2.5e6, "tokens/s")),
    ],
)
def test_a_range_is_one_mention(text: str, expected: tuple[float, float, str]) -> None:
    assert written(text) == [expected]


def test_a_slash_pair_is_two_mentions_of_one_group() -> None:
    found = [m for m in mentions("1.3x/1.9x lower latency compared to Qwen3-1.7B/0.6B") if m.slash]
    assert [(m.value, m.unit, m.slash) for m in found] == [(1.3, "x", (0, 0)), (1.9, "x", (0, 1))]


def test_a_slash_pair_shares_the_unit_written_once() -> None:
    found = mentions("18.7/45.6x higher throughput")
    assert [(m.value, m.unit) for m in found] == [(18.7, "x"), (45.6, "x")]


@pytest.mark.parametrize(
    ("text", "value", "unit", "form"),
    [
        ("reducing required bandwidth by two orders of magnitude", 100, "x", "magnitude"),
        ("improves tail latencies by an order of magnitude", 10, "x", "magnitude"),
        ("one magnitude faster than the all-reduce", 10, "x", "magnitude"),
        ("by 3 orders-of-magnitude", 1000, "x", "magnitude"),
        ("throughput doubled", 2, "x", "fold"),
        ("runs twice as fast as cuBLAS", 2, "x", "fold"),
        ("halves the memory footprint", 2, "x", "half"),
        ("runs three times faster", 3, "x", "cardinal"),
        ("took four GPU hours", 4, "GPU-h", "cardinal"),
        ("a ten-fold reduction", 10, "x", "cardinal"),
    ],
)
def test_textual_numbers(text: str, value: float, unit: str, form: str) -> None:
    (found,) = mentions(text)
    assert (found.value, found.unit, found.form) == (value, unit, form)
    assert value_in_text(found.value, text)  # grounding accepts what detection reads


def test_vague_magnitudes_are_not_numbers() -> None:
    assert mentions("several orders of magnitude faster") == []
    assert mentions("thousands of accelerators") == []
    assert written("four bearing fault categories and two phases") == []  # no unit after them


@pytest.mark.parametrize(
    "text",
    ["Qwen3-1.7B", "CIFAR-10", "GPT-4", "ResNet50", "MobileNetV2", "A100/H100", "MI250X", "top-1"],
)
def test_numbers_inside_names_are_marked(text: str) -> None:
    assert all(m.name_part for m in mentions(text))


def test_from_a_to_b_keeps_b_and_remembers_a() -> None:
    text = "raises hit ratio from 0.1436 to 0.3538"
    (found,) = mentions(text)
    assert found.value == 0.3538
    assert found.from_span is not None
    assert text[found.from_span[0] : found.from_span[1]] == "0.1436"


def test_from_a_to_b_with_words_between() -> None:
    text = "from >780GB of GPU memory to <48GB"
    (found,) = mentions(text)
    assert (found.value, found.unit) == (48, "GB")
    assert found.from_span is not None


def test_from_a_to_b_in_two_units_of_one_quantity() -> None:
    text = "cuts the indexing job from 2 hours to 9 minutes"
    (found,) = mentions(text)
    assert (found.value, found.unit) == (9, "min")
    assert found.from_span is not None
    assert text[found.from_span[0] : found.from_span[1]] == "2 hours"


def test_from_a_to_b_in_unrelated_units_stays_two_numbers() -> None:
    assert len(mentions("grows from 4 GB to 3 ms of stall")) == 2


def test_a_hyphen_may_join_a_unit_and_marks_an_adjective() -> None:
    (window,) = mentions("within a 1-second scheduling window")
    assert (window.value, window.unit, window.hyphenated) == (1, "s", True)
    (gain,) = mentions("a 4.2-point BLEU improvement")
    assert (gain.value, gain.unit, gain.hyphenated) == (4.2, "pp", True)


def test_a_dimension_x_is_not_a_ratio() -> None:
    assert [m.unit for m in mentions("3 x 3 convolutions and 512x512 images")] == ["", "", "", ""]


def test_offsets_point_into_the_original_text() -> None:
    text = "latency drops 2.5× and 33.1%∼62.5%"  # "×" and "∼" are normalised, offsets kept
    spans = [text[m.start : m.end] for m in mentions(text)]
    assert spans == ["2.5×", "33.1%∼62.5%"]


def test_unit_pattern_spellings_canonicalise() -> None:
    import re

    unit = re.compile(UNIT_PATTERN)
    for spelling, canonical in [
        ("msec", "ms"),
        ("milliseconds", "ms"),
        ("µs", "us"),
        ("percent", "%"),
        ("times", "x"),
        ("X", "x"),
        ("GPU-hours", "GPU-h"),
        ("tokens per second", "tokens/s"),
        ("images/sec", "images/s"),
        ("queries per second", "requests/s"),
    ]:
        assert unit.fullmatch(spelling), spelling
        assert canonical_unit(spelling) == canonical


def test_textual_value_is_the_one_mapping_grounding_uses() -> None:
    assert textual_value("two orders of magnitude") == 100
    assert textual_value("four orders-of-magnitude") == 10_000
    assert textual_value("Twice") == 2
    assert textual_value("several") is None
    assert value_in_text(10_000, "by four orders of magnitude")
