"""Category from the metric noun governing the number, not from any cue in the sentence.

Every sentence here is written for the test (none is from an eval set).
"""

from __future__ import annotations

import pytest

from rules_support import claims, key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A capitalised change word inside the sentence is a name, not a cue.
        (
            "FooServe improves the throughput over Hugging Face Accelerate by 17x.",
            (17.0, None, "x", "throughput", "ratio", "increase", "exact"),
        ),
        (
            "Our engine raises throughput over Accelerate by 3.2x.",
            (3.2, None, "x", "throughput", "ratio", "increase", "exact"),
        ),
        (
            "Quux lowers tail latency relative to Boost by 40%.",
            (40.0, None, "%", "latency", "percent_change", "decrease", "exact"),
        ),
        # A metric word inside a baseline's name ("ONNX Runtime") is no metric cue.
        (
            "Hidet outperforms ONNX Runtime by up to 1.48x.",
            (1.48, None, "x", "speedup", "ratio", "increase", "up_to"),
        ),
        (
            "Against Spark Streaming Latency Tuner, Foo raises goodput by 2x.",
            (2.0, None, "x", "throughput", "ratio", "increase", "exact"),
        ),
        # ... but an acronym is a metric, capitals and all.
        (
            "Compared with Ray Serve, it reduces TTFT by 2x.",
            (2.0, None, "x", "latency", "ratio", "decrease", "exact"),
        ),
        # "N x improvement in <time>": the time is the metric, lower is better.
        (
            "Bar achieves a 3.5x improvement in flow completion time.",
            (3.5, None, "x", "latency", "ratio", "decrease", "exact"),
        ),
        # The size of a model is its memory.
        (
            "We reduced the size of ResNet-50 by 20x.",
            (20.0, None, "x", "memory", "ratio", "decrease", "exact"),
        ),
        (
            "The codec cuts the size of each checkpoint by 6x.",
            (6.0, None, "x", "memory", "ratio", "decrease", "exact"),
        ),
        # A share of the hardware's peak is a throughput, whatever noun names the peak.
        (
            "The kernel reaches 75% of peak performance.",
            (75.0, None, "%", "throughput", "absolute", None, "exact"),
        ),
        (
            "FooAttn attains 61% of the theoretical peak FLOPS.",
            (61.0, None, "%", "throughput", "absolute", None, "exact"),
        ),
        (
            "Training sustains 48% of the GPU's peak throughput.",
            (48.0, None, "%", "throughput", "absolute", None, "exact"),
        ),
        # A money word without a metric noun.
        (
            "This leads to 9x cheaper inference.",
            (9.0, None, "x", "cost", "ratio", "decrease", "exact"),
        ),
        # Metric nouns: an error score, a request rate.
        (
            "The predictor achieves a mean MAPE of 1.79%.",
            (1.79, None, "%", "accuracy", "absolute", None, "exact"),
        ),
        (
            "Foo delivers RPS gains of 34%.",
            (34.0, None, "%", "throughput", "percent_change", "increase", "exact"),
        ),
        # "more efficient" with no other noun is an efficiency, not a speed.
        (
            "The new router is 4x more efficient.",
            (4.0, None, "x", "other", "ratio", "increase", "exact"),
        ),
        # An offline build or a training run, in hours or minutes, is a job's cost.
        (
            "Foo builds its index offline in 2.5 hours.",
            (2.5, None, "h", "cost", "absolute", None, "exact"),
        ),
        (
            "Index construction takes 40 minutes on one machine.",
            (40.0, None, "min", "cost", "absolute", None, "exact"),
        ),
    ],
)
def test_category_comes_from_the_metric_noun(text: str, expected: tuple[object, ...]) -> None:
    assert [key(c) for c in claims(text)] == [expected]


def test_a_wait_in_minutes_stays_a_latency() -> None:
    assert [key(c)[3] for c in claims("The full pipeline answers in 3 minutes.")] == ["latency"]


def test_a_list_member_far_from_an_earlier_result_takes_the_next_members_metric() -> None:
    text = (
        "Zed runs models up to twice the size of the DRAM, with a 4x and 20x increase in "
        "decoding speed."
    )
    assert [key(c)[3] for c in claims(text)] == ["memory", "speedup", "speedup"]
