"""Result-like quantities that describe the setup are not claims (claim-spec "Not claims").

Every sentence here is written for the test (none is from an eval set).
"""

from __future__ import annotations

import pytest

from rules_support import claims, key, values


@pytest.mark.parametrize(
    "text",
    [
        # A hardware spec: the memory a named device comes with.
        "We run every experiment on an RTX 3090 GPU with 24GB memory.",
        "The testbed has four A100 GPUs with 80 GB of HBM each.",
        "Each node is an H100 equipped with 96 GB HBM3.",
        # A share the method keeps, right before the noun it is a share of.
        "Keeping only 2% salient channels is enough.",
        "We retain 10% of the tokens and 5% outlier weights in fp16.",
        # Ratio words that count repetitions or multiply a constant.
        "Cells were washed five times and centrifuged at 15,000 x g.",
        "Each query is repeated 3 times, with a fresh cache.",
        "Samples were spun at 4,000 x g for ten minutes.",
        "The signal is sampled every half a wave cycle.",
        "Double buffering overlaps the copies with compute.",
        "We use double buffering to hide the copy latency.",
    ],
)
def test_setup_quantities_are_not_claims(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The same words as results stay claims.
        (
            "Foo is five times faster than Bar.",
            (5.0, None, "x", "speedup", "ratio", "increase", "exact"),
        ),
        (
            "Foo achieves a speedup of 3 times over Bar.",
            (3.0, None, "x", "speedup", "ratio", "increase", "exact"),
        ),
        (
            "Foo reduces peak memory to 24 GB on an RTX 3090.",
            (24.0, None, "GB", "memory", "absolute", None, "exact"),
        ),
        (
            "Foo delivers double throughput at the same cost.",
            (2.0, None, "x", "throughput", "ratio", "increase", "exact"),
        ),
        (
            "Foo can double the throughput of Bar.",
            (2.0, None, "x", "throughput", "ratio", "increase", "exact"),
        ),
        (
            "Pruning yields a model with 40% fewer parameters.",
            (40.0, None, "%", "memory", "percent_change", "decrease", "exact"),
        ),
    ],
)
def test_results_in_the_same_words_stay_claims(text: str, expected: tuple[object, ...]) -> None:
    assert [key(c) for c in claims(text)] == [expected]
