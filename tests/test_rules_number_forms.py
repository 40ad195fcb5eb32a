"""Number forms the rules read as one value: LaTeX, compound units, count rates, word values.

Every sentence here is written for the test (none is from an eval set); each names the
general form it stands for, so a rule that only fits one phrasing fails the others.
"""

from __future__ import annotations

import pytest

from claimex.backends.rules.mentions import Mention, detect_mentions
from claimex.numbers import canonical_unit, normalise_keeping_offsets, value_in_text
from rules_support import claims, keys


def mentions(text: str) -> list[tuple[str, float, float | None, str]]:
    """(span as written, value, value_max, unit) of every mention not inside a name."""
    found: list[Mention] = detect_mentions(normalise_keeping_offsets(text))
    return [(text[m.start : m.end], m.value, m.value_max, m.unit) for m in found if not m.name_part]


# --- LaTeX kept in abstracts: math is not money --------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cuts the latency by $2.31\\times$ for chat", [("2.31\\times", 2.31, None, "x")]),
        ("by 1.5-2.0$\\times$ with FP16", [("1.5-2.0$\\times", 1.5, 2.0, "x")]),
        ("gains $7.3-11.3\\%$ in recall", [("7.3-11.3\\%", 7.3, 11.3, "%")]),
        ("it is $\\sim$3x faster", [("3x", 3.0, None, "x")]),
        ("at the same recall $90\\%$ as before", [("90\\%", 90.0, None, "%")]),
        ("over $> 10^{19}$ FLOPs", [("10^{19}", 1e19, None, "")]),
        ("models of $<$600M parameters", [("600M", 600e6, None, "")]),
    ],
)
def test_latex_math_is_read_as_plain_numbers(
    text: str, expected: list[tuple[str, float, float | None, str]]
) -> None:
    assert mentions(text) == expected
    assert "$" not in {unit for *_, unit in mentions(text)}


@pytest.mark.parametrize(
    "text",
    [
        "the service costs $0.12 per million tokens",
        "from $5 or $10 a month",
        "a budget of $5-$10 per run",
    ],
)
def test_dollars_outside_math_stay_money(text: str) -> None:
    assert all(unit == "$" for *_, unit in mentions(text))
    assert mentions(text)


def test_latex_symbols_bound_the_number_after_them() -> None:
    assert keys("FooServe is $\\sim$3$\\times$ faster than Bar.") == [
        (3.0, None, "x", "speedup", "ratio", "increase", "approx")
    ]
    assert keys("FooServe keeps latency $\\leq$ 20 ms.")[0][-1] == "at_most"
    assert keys("Models with $<$600M parameters and $> 10^{19}$ FLOPs fit on a phone.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "FooServe reduces TTFT by up to 2.5 $\\times$ compared to Bar.",
            (2.5, None, "x", "latency", "ratio", "decrease", "up_to"),
        ),
        (
            "FooServe achieves a $1.2{\\times}$ speedup.",
            (1.2, None, "x", "speedup", "ratio", "increase", "exact"),
        ),
        (
            "FooServe achieves a speedup of $2.5\\text{-}3.1\\times$ over Bar.",
            (2.5, 3.1, "x", "speedup", "ratio", "increase", "range"),
        ),
        (
            "FooServe is 2$\\sim$5x faster than Bar.",
            (2.0, 5.0, "x", "speedup", "ratio", "increase", "range"),
        ),
        (
            "FooServe improves throughput by $1.5\\times$-$2.3\\times$ over Bar.",
            (1.5, 2.3, "x", "throughput", "ratio", "increase", "range"),
        ),
        (
            "FooServe reaches $>95\\%$ SLO attainment.",
            (95.0, None, "%", "latency", "absolute", None, "at_least"),
        ),
    ],
)
def test_latex_spacing_braces_and_text_macros(text: str, expected: tuple[object, ...]) -> None:
    assert keys(text) == [expected]


def test_a_setting_noun_that_heads_a_metric_is_no_setting() -> None:
    # "95% SLO attainment" is a result; "a 200 ms SLO" configures the run.
    assert keys("FooServe achieves 99% SLO attainment under bursty load.") == [
        (99.0, None, "%", "latency", "absolute", None, "exact")
    ]
    assert [k[0] for k in keys("Under a 200 ms SLO, FooServe improves goodput by 2x.")] == [2.0]


def test_latex_offsets_still_point_into_the_original() -> None:
    text = "We see a $2.7\\times$ gain."
    assert len(normalise_keeping_offsets(text)) == len(text)
    ((span, *_),) = mentions(text)
    assert span == "2.7\\times"


def test_scientific_notation_is_one_value() -> None:
    assert mentions("reaches 1.2 x 10^5 queries per second") == [
        ("1.2 x 10^5 queries per second", 1.2e5, None, "requests/s")
    ]
    assert mentions("about $5\\times 10^{19}$ operations")[0][1] == 5e19
    assert value_in_text(1.2e5, "1.2 × 10^5 queries per second")  # grounding agrees
    assert keys("The index serves 1.2 x 10^5 queries per second.") == [
        (1.2e5, None, "requests/s", "throughput", "absolute", None, "exact")
    ]


# --- compound units: one spelling each, from the one unit table ----------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("TFLOPs/s", "TFLOPS"),
        ("TFLOP/s", "TFLOPS"),
        ("petaFLOP/s", "PFLOPS"),
        ("PetaFLOPs", "PFLOPS"),
        ("teraflops per second", "TFLOPS"),
        ("W/m2", "W/m2"),
        ("W/m^2", "W/m2"),
        ("mW m-2", "mW/m2"),
        ("W m^-2", "W/m2"),
        ("%/a", "%/a"),
        ("%/yr", "%/a"),
        ("GB/s", "GB/s"),
        ("token/s", "tokens/s"),
        ("tokens per second", "tokens/s"),
        ("queries a second", "requests/s"),
        ("images each second", "images/s"),
        ("tokens per day", "tokens/d"),
        ("key-value operations per second", "operations/s"),
    ],
)
def test_compound_units_have_one_spelling(written: str, canonical: str) -> None:
    assert canonical_unit(written) == canonical
    (found,) = mentions(f"it reaches 12 {written} in the test")
    assert found[1:] == (12.0, None, canonical)


def test_a_shorter_unit_right_after_the_number_wins_over_a_count_noun() -> None:
    assert mentions("4.48x more requests per second") == [("4.48x", 4.48, None, "x")]
    assert mentions("20 more requests per second") == [("20", 20.0, None, "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The kernel reaches up to 740 TFLOPs/s on an H100.",
            (740.0, None, "TFLOPS", "throughput", "absolute", None, "up_to"),
        ),
        (
            "Training runs at 502 petaFLOP/s on 3072 GPUs.",
            (502.0, None, "PFLOPS", "throughput", "absolute", None, "exact"),
        ),
        (
            "The decoder emits 35 token/s on a phone.",
            (35.0, None, "tokens/s", "throughput", "absolute", None, "exact"),
        ),
    ],
)
def test_compound_unit_results(text: str, expected: tuple[object, ...]) -> None:
    assert keys(text) == [expected]


# --- count rates written with words fold the multiplier ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The store sustains 14 million key-value operations per second.",
            (14e6, None, "operations/s", "throughput", "absolute", None, "exact"),
        ),
        (
            "The router answers 30 thousand queries a second.",
            (30e3, None, "requests/s", "throughput", "absolute", None, "exact"),
        ),
        (
            "The pipeline processes 1.2 billion tokens per day.",
            (1.2e9, None, "tokens/d", "throughput", "absolute", None, "exact"),
        ),
    ],
)
def test_count_rates_with_word_multipliers(text: str, expected: tuple[object, ...]) -> None:
    assert keys(text) == [expected]


def test_a_count_with_a_multiplier_and_no_rate_stays_setup() -> None:
    assert keys("We train on 1.2 billion tokens per epoch of web text.") == []


# --- values written as words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The new cache more than doubles the throughput of the server.",
            (2.0, None, "x", "throughput", "ratio", "increase", "at_least"),
        ),
        (
            "The index beats a B+Tree by a factor of up to three in search time.",
            (3.0, None, "x", "latency", "ratio", "decrease", "up_to"),
        ),
        (
            "It cuts the memory footprint by a factor of four.",
            (4.0, None, "x", "memory", "ratio", "decrease", "exact"),
        ),
        (
            "It improves tail latency by an order of magnitude.",
            (10.0, None, "x", "latency", "ratio", "decrease", "approx"),
        ),
        (
            "The filter is two to three orders of magnitude faster than the detector.",
            (100.0, 1000.0, "x", "speedup", "ratio", "increase", "range"),
        ),
        (
            "Sampling reduces the bandwidth by 2-3 orders of magnitude.",
            (100.0, 1000.0, "x", "bandwidth", "ratio", "decrease", "range"),
        ),
        (
            "The allocator halves the memory footprint.",
            (2.0, None, "x", "memory", "ratio", "decrease", "exact"),
        ),
    ],
)
def test_word_values(text: str, expected: tuple[object, ...]) -> None:
    assert keys(text) == [expected]


def test_a_number_word_without_factor_or_unit_is_no_value() -> None:
    assert mentions("a factory of three workers") == []
    assert keys("We compare three systems on two tasks.") == []


# --- a value and its spread: "A ± B" ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "condition"),
    [
        ("FooNet reaches 97.2 ± 0.3% top-1 accuracy on ImageNet.", 97.2, "%", "± 0.3%"),
        ("FooNet reaches 97.2% +/- 0.3% top-1 accuracy on ImageNet.", 97.2, "%", "+/- 0.3%"),
        ("FooServe serves each request in 12 ms $\\pm$ 3 ms.", 12.0, "ms", "± 3 ms"),
        ("FooServe serves each request in 12 ± 3 ms.", 12.0, "ms", "± 3 ms"),
    ],
)
def test_a_value_with_its_spread_is_one_claim(
    text: str, value: float, unit: str, condition: str
) -> None:
    (claim,) = claims(text)
    assert (claim.value, claim.unit, claim.condition) == (value, unit, condition)


# --- lists and ranges whose members share one trailing unit --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("took 1050 and 1170 s", [(1050.0, None, "s"), (1170.0, None, "s")]),
        ("at 50 or 100 ms", [(50.0, None, "ms"), (100.0, None, "ms")]),
        ("gains of 1.8, 3.5, and 6.9x", [(1.8, None, "x"), (3.5, None, "x"), (6.9, None, "x")]),
        ("latency ranging from 30 to 130 ms", [(30.0, 130.0, "ms")]),
        ("a speed-up varying from 1.5x up to 6.5x", [(1.5, 6.5, "x")]),
        ("by 10-20% overall", [(10.0, 20.0, "%")]),
    ],
)
def test_members_share_the_unit_written_after_the_last(
    text: str, expected: list[tuple[float, float | None, str]]
) -> None:
    assert [found[1:] for found in mentions(text)] == expected


def test_a_list_needs_and_or_before_its_last_member() -> None:
    # "In 2023, 45%": a comma alone joins no list, so the year takes no "%".
    assert [found[3] for found in mentions("In 2022 and 2023, 45% of requests")] == ["", "", "%"]
    assert keys("We scale FooServe to 2, 4 and 8 GPUs.") == []


def test_from_a_to_b_of_a_level_stays_a_level() -> None:
    assert keys("FooServe reduces latency from 130 to 30 ms.") == [
        (30.0, None, "ms", "latency", "absolute", None, "exact")
    ]


def test_list_members_with_a_shared_unit_are_each_a_claim() -> None:
    assert keys("FooServe achieves speedups of 1.8, 3.5 and 6.9x on 2, 4 and 8 GPUs.") == [
        (v, None, "x", "speedup", "ratio", "increase", "exact") for v in (1.8, 3.5, 6.9)
    ]
    assert [k[:3] for k in keys("The two jobs finish in 1050 and 1170 s.")] == [
        (1050.0, None, "s"),
        (1170.0, None, "s"),
    ]


def test_at_least_and_up_to_is_one_range() -> None:
    assert keys("FooServe outperforms Bar by at least 4x and up to two orders of magnitude.") == [
        (4.0, 100.0, "x", "speedup", "ratio", "increase", "range")
    ]


# --- factors whose "x" the page dropped ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "FooTrain achieves a speedup of up to 2.73 over Bar.",
            [(2.73, None, "x", "speedup", "ratio", "increase", "up_to")],
        ),
        (
            "FooDB yields speedups of 2.66 to 6.22 on TPC-H.",
            [(2.66, 6.22, "x", "speedup", "ratio", "increase", "range")],
        ),
        (
            "FooServe yields 1.14-14.3 speedups over Bar.",
            [(1.14, 14.3, "x", "speedup", "ratio", "increase", "range")],
        ),
        (
            "FooKV improves P99 tail latency by up to 4.8 for writes and by up to 12.5 for reads.",
            [
                (4.8, None, "x", "latency", "ratio", "decrease", "up_to"),
                (12.5, None, "x", "latency", "ratio", "decrease", "up_to"),
            ],
        ),
    ],
)
def test_a_bare_factor_of_a_speed_or_time_is_a_ratio(
    text: str, expected: list[tuple[object, ...]]
) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "FooNet improves accuracy by 2.1 on ImageNet.",  # a score: not a factor
        "FooNet reduces the number of layers by 2.",  # a whole number: a count
        "FooNet reduces perplexity by 0.7.",
    ],
)
def test_a_bare_number_that_is_no_factor_stays_out(text: str) -> None:
    assert all(k[2] != "x" for k in keys(text))
