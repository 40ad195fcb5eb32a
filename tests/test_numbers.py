"""numbers.py: canonical units, conversions, and whether a text writes a value."""

from __future__ import annotations

import pytest

from claimex.numbers import (
    canonical_unit,
    numbers_in,
    to_unit,
    units_compatible,
    value_in_text,
    values_agree,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("x", "x"),
        ("×", "x"),
        ("times", "x"),
        (" Times ", "x"),
        ("%", "%"),
        ("percent", "%"),
        ("per  cent", "%"),
        ("percentage points", "pp"),
        ("ms", "ms"),
        ("msec", "ms"),
        ("milliseconds", "ms"),
        ("µs", "us"),
        ("μs", "us"),
        ("seconds", "s"),
        ("GPU hours", "GPU-h"),
        ("fps", "FPS"),
        ("tokens per second", "tokens/s"),
        ("req/s", "requests/s"),
        ("gb", "GB"),
        ("GiB", "GB"),
        ("TFLOPS", "TFLOPS"),
        ("mW", "mW"),
        ("MW", "MW"),
        ("mJ", "mJ"),
        ("MJ", "MJ"),
        ("Gb/s", "Gbps"),
        ("GB/s", "GB/s"),
        ("", ""),
        (None, ""),
        ("µJ", "uJ"),
        ("µJ/Image", "uJ/image"),  # energy per item
        ("J/token", "J/token"),
        ("ops/s", "ops/s"),  # unknown units are kept as written
    ],
)
def test_canonical_unit(written: str | None, canonical: str) -> None:
    assert canonical_unit(written) == canonical


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("ms", "s", True),
        ("msec", "seconds", True),
        ("us", "h", True),
        ("x", "times", True),
        ("%", "percent", True),
        ("ms", "GB", False),
        ("%", "pp", False),
        ("x", "%", False),
        ("MW", "kW", True),
        ("mW", "mJ", False),
        ("", "", True),
    ],
)
def test_units_compatible(a: str, b: str, compatible: bool) -> None:
    assert units_compatible(a, b) is compatible
    assert units_compatible(b, a) is compatible


def test_to_unit_converts_time_and_refuses_other_dimensions() -> None:
    assert to_unit(0.8, "ms", "s") == pytest.approx(0.0008)
    assert to_unit(2, "seconds", "msec") == pytest.approx(2000)
    assert to_unit(1.5, "h", "min") == pytest.approx(90)
    assert to_unit(1, "MW", "W") == pytest.approx(1e6)
    assert to_unit(4.48, "×", "x") == 4.48
    with pytest.raises(ValueError, match="cannot convert"):
        to_unit(1, "ms", "GB")


def test_values_agree_within_one_percent() -> None:
    assert values_agree(4.48, 4.5)
    assert not values_agree(4.48, 4.6)
    assert values_agree(None, None)
    assert not values_agree(None, 1.0)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4.48, "serve 4.48x more requests"),
        (2931, "2,931 episodes"),
        (700000, "700,000 transactions per second"),
        (1e4, "10^4 fewer parameters"),
        (1e4, "10^{4} fewer parameters"),
        (5.7e6, "5.7M parameters"),
        (26e6, "26 million ops per second"),
        (28, "reduces latency by 28-71%"),
        (71, "reduces latency by 28-71%"),
        (1.4, "1.4x-6.3x"),
        (6.3, "1.4x-6.3x"),
        (1.9, "1.3x/1.9x lower latency"),
        (100, "two orders of magnitude"),
        (10, "an order of magnitude faster"),
        (2, "doubled the throughput"),
        (2, "half the number of GPUs"),
        (4, "four GPU hours"),
        (0.8, "0.8ms end-to-end latency"),
        (5, "a −5% change"),
        (25, "provide25-33X speedups"),
        (0.5, "about .5 s"),
        (15_200, "reaches 15.2 KFPS"),  # a multiplier glued to a count rate
    ],
)
def test_value_is_written_in_text(value: float, text: str) -> None:
    assert value_in_text(value, text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4.5, "serve 4.48x more requests"),
        (2.931, "2,931 episodes"),
        (4, "10^4 fewer parameters"),
        (3, "two orders of magnitude"),
        (48, "serve 4.48x more requests"),
        (1, "no numbers here"),
    ],
)
def test_value_is_not_written_in_text(value: float, text: str) -> None:
    assert not value_in_text(value, text)


def test_numbers_in_lists_numerals_multipliers_and_words() -> None:
    assert list(numbers_in("5.7M and 1,000 users, twice")) == [5.7, 5.7e6, 1000, 2]
