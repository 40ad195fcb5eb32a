"""Field filling: kind and unit from the number's form; bound, direction, category from cue words.

Sentences marked "corpus" are from examples/hf-daily-papers-latency.txt.
"""

from __future__ import annotations

import pytest

from rules_support import claims, key, keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # corpus
        (
            "DistServe can serve 4.48x more requests or 10.2x tighter SLO.",
            [
                (4.48, None, "x", "throughput", "ratio", "increase", "exact"),
                (10.2, None, "x", "latency", "ratio", "decrease", "exact"),
            ],
        ),
        (
            "achieving over +5.5% average accuracy, 1.3x/1.9x lower latency",
            [
                (5.5, None, "pp", "accuracy", "delta", "increase", "at_least"),
                (1.3, None, "x", "latency", "ratio", "decrease", "exact"),
                (1.9, None, "x", "latency", "ratio", "decrease", "exact"),
            ],
        ),
        (
            "JITServe improves service goodput by 1.4x-6.3x, alternatively achieving 28.5%-83.2% "
            "resource savings.",
            [
                (1.4, 6.3, "x", "throughput", "ratio", "increase", "range"),
                (28.5, 83.2, "%", "cost", "percent_change", "decrease", "range"),
            ],
        ),
        (
            "Llumnix improves tail latencies by an order of magnitude, accelerates high-priority "
            "requests by up to 1.5x, and delivers up to 36% cost savings.",
            [
                (10, None, "x", "latency", "ratio", "decrease", "approx"),
                (1.5, None, "x", "speedup", "ratio", "increase", "up_to"),
                (36, None, "%", "cost", "percent_change", "decrease", "up_to"),
            ],
        ),
        (
            "For MinMo, the speech-to-text latency is approximately 100ms, full-duplex latency is "
            "approximately 600ms in theory and 800ms in practice.",
            [
                (100, None, "ms", "latency", "absolute", None, "approx"),
                (600, None, "ms", "latency", "absolute", None, "approx"),
                (800, None, "ms", "latency", "absolute", None, "approx"),
            ],
        ),
        (
            "we can distribute training and reach similar quality, but reducing required "
            "bandwidth by two orders of magnitude.",
            [(100, None, "x", "bandwidth", "ratio", "decrease", "approx")],
        ),
        (
            "it achieves 52% lower latency and 11.1% higher accuracy over YOLOv3.",
            [
                (52, None, "%", "latency", "percent_change", "decrease", "exact"),
                (11.1, None, "pp", "accuracy", "delta", "increase", "exact"),
            ],
        ),
        (
            "our streaming RAG approach increases QA accuracy by up to 200% relative (from 11.1% "
            "to 34.2% absolute)",
            [
                (200, None, "%", "accuracy", "percent_change", "increase", "up_to"),
                (34.2, None, "%", "accuracy", "absolute", None, "exact"),
            ],
        ),
        (
            "The latency to run LLMs on mobile devices is significant (>30 seconds), while cloud "
            "services demonstrate better time efficiency (<10 seconds).",
            [
                (30, None, "s", "latency", "absolute", None, "at_least"),
                (10, None, "s", "latency", "absolute", None, "at_most"),
            ],
        ),
        (
            "Inference adds less than 2 percent CPU overhead.",
            [(2, None, "%", "cost", "absolute", None, "at_most")],
        ),
        (
            "fast voice systems cluster around ~10% accuracy",
            [(10, None, "%", "accuracy", "absolute", None, "approx")],
        ),
        (
            "GH200 remains CPU-bound up to 4x larger batch sizes than LC systems.",
            [(4, None, "x", "other", "ratio", "increase", "up_to")],
        ),
        (
            "conventional NAS algorithms (e.g. 10^4 GPU hours) are prohibitive",
            [(10_000, None, "GPU-h", "cost", "absolute", None, "approx")],
        ),
        (
            "Janus achieves up to 3.9 higher perGPU throughput than state-of-the-art systems.",
            [(3.9, None, "x", "throughput", "ratio", "increase", "up_to")],
        ),
        (
            "our model achieves 3.1\\% better top-1 accuracy than MobileNetV2, while being "
            "1.2times faster with measured GPU latency.",
            [
                (3.1, None, "pp", "accuracy", "delta", "increase", "exact"),
                (1.2, None, "x", "speedup", "ratio", "increase", "exact"),
            ],
        ),
        (
            "with macro-averaged F1-scores exceeding 97%.",
            [(97, None, "%", "accuracy", "absolute", None, "at_least")],
        ),
        (
            "we observe a 1.71x increase in TFLOPS per GPU and a scaling efficiency of 0.94.",
            [
                (1.71, None, "x", "throughput", "ratio", "increase", "exact"),
                (0.94, None, "", "other", "absolute", None, "exact"),
            ],
        ),
        # written for these tests
        (
            "The compressed model is 8.4x smaller and runs 2.1 times faster, with only a 0.3% drop "
            "in top-1 accuracy.",
            [
                (8.4, None, "x", "memory", "ratio", "decrease", "exact"),
                (2.1, None, "x", "speedup", "ratio", "increase", "exact"),
                (0.3, None, "pp", "accuracy", "delta", "decrease", "exact"),
            ],
        ),
        (
            "It speeds up inference by 3.4× and saves 40% of GPU memory, with less than 1% "
            "accuracy loss.",
            [
                (3.4, None, "x", "speedup", "ratio", "increase", "exact"),
                (40, None, "%", "memory", "percent_change", "decrease", "exact"),
                (1, None, "pp", "accuracy", "delta", "decrease", "at_most"),
            ],
        ),
        (
            "The scheduler reduces end-to-end latency by an average of 42% and cuts cost by a "
            "factor of 2.5.",
            [
                (42, None, "%", "latency", "percent_change", "decrease", "exact"),
                (2.5, None, "x", "cost", "ratio", "decrease", "exact"),
            ],
        ),
        (
            "CacheRAG reduces time-to-first-token by 2.8-4.1x and end-to-end latency by 35%.",
            [
                (2.8, 4.1, "x", "latency", "ratio", "decrease", "range"),
                (35, None, "%", "latency", "percent_change", "decrease", "exact"),
            ],
        ),
        (
            "HyperAttn attains a perplexity of 5.71, only 0.12 worse than exact attention, and "
            "0.7 better perplexity than the dense model.",
            [
                (5.71, None, "", "accuracy", "absolute", None, "exact"),
                (0.12, None, "", "accuracy", "delta", "increase", "exact"),
                (0.7, None, "", "accuracy", "delta", "decrease", "exact"),
            ],
        ),
        (
            "The accelerator consumes 3.2 W, delivers 3.4 TOPS/W and 2.7x better energy "
            "efficiency.",
            [
                (3.2, None, "W", "energy", "absolute", None, "exact"),
                (3.4, None, "TOPS/W", "energy", "absolute", None, "exact"),
                (2.7, None, "x", "energy", "ratio", "increase", "exact"),
            ],
        ),
        (
            "The cluster scheduler halves the memory footprint and doubles goodput; training "
            "takes 14 days instead of 20 days.",
            [
                (2, None, "x", "memory", "ratio", "decrease", "exact"),
                (2, None, "x", "throughput", "ratio", "increase", "exact"),
                (14, None, "d", "cost", "absolute", None, "exact"),
            ],
        ),
        (
            "Medusa-1 achieves over 2.2x speedup, nearly 3x on code, roughly 25 ms per token, "
            "2x or more on chat, and a 4.2-point BLEU improvement.",
            [
                (2.2, None, "x", "speedup", "ratio", "increase", "at_least"),
                (3, None, "x", "speedup", "ratio", "increase", "approx"),
                (25, None, "ms", "latency", "absolute", None, "approx"),
                (2, None, "x", "speedup", "ratio", "increase", "at_least"),
                (4.2, None, "pp", "accuracy", "delta", "increase", "exact"),
            ],
        ),
        (
            "It sustains 1.2 million queries per second at a median latency of 3.5 ms and costs "
            "$0.12 per million tokens.",
            [
                (1.2e6, None, "requests/s", "throughput", "absolute", None, "exact"),
                (3.5, None, "ms", "latency", "absolute", None, "exact"),
                (0.12, None, "$", "cost", "absolute", None, "exact"),
            ],
        ),
    ],
)
def test_fields(text: str, expected: list[tuple[object, ...]]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Our detector achieves 45.2 mAP on COCO, improving mAP by 2.3 points over YOLOv8.",
            [
                (45.2, None, "", "accuracy", "absolute", None, "exact"),
                (2.3, None, "pp", "accuracy", "delta", "increase", "exact"),
            ],
        ),
        (
            "It attains a BLEU of 32.1, 1.4 BLEU higher than the Transformer baseline.",
            [
                (32.1, None, "", "accuracy", "absolute", None, "exact"),
                (1.4, None, "", "accuracy", "delta", "increase", "exact"),
            ],
        ),
        (
            "GPT-4 achieves 86.4% on MMLU.",
            [(86.4, None, "%", "accuracy", "absolute", None, "exact")],
        ),
        (
            "The service answers in under 5 minutes and maintains 99.9% availability.",
            [
                (5, None, "min", "latency", "absolute", None, "at_most"),
                (99.9, None, "%", "other", "absolute", None, "exact"),
            ],
        ),
    ],
)
def test_scores_written_after_their_value(text: str, expected: list[tuple[object, ...]]) -> None:
    assert keys(text) == expected


def test_a_prefix_covers_a_list_that_shares_one_metric() -> None:
    text = "we achieve up to 29×, 29×, and 3× speedups on three kernels"
    assert [c.bound.value for c in claims(text)] == ["up_to", "up_to", "up_to"]


def test_a_prefix_covers_only_the_first_member_when_each_has_its_own_metric() -> None:
    text = (
        "achieving up to 2.3x higher throughput, 2x lower latency on average, and 1.2x less memory"
    )
    assert [c.bound.value for c in claims(text)] == ["up_to", "exact", "exact"]


def test_a_share_of_a_baseline_is_absolute_with_the_baseline() -> None:
    (claim,) = claims("ZeroTune reaches 96.8% of the teacher's performance on GLUE.")
    assert (claim.kind.value, claim.unit, claim.category.value, claim.baselines) == (
        "absolute",
        "%",
        "accuracy",
        ["teacher"],
    )


def test_a_share_of_scenarios_is_other() -> None:
    text = "SHANKS can complete 56.9% of the tool calls before the user finishes their turn."
    (claim,) = claims(text)  # corpus
    assert (claim.category.value, claim.kind.value) == ("other", "absolute")


def test_metric_is_a_phrase_from_the_text() -> None:
    (claim,) = claims("reducing the average end-to-end latency per request by 1.27-2.58x")
    assert claim.metric == "average end-to-end latency"


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("delivers up to 2.6x higher throughput", "up_to"),
        ("reduces latency by as much as 40%", "up_to"),
        ("achieves over 80% less time-to-first-token", "at_least"),
        ("achieves more than 2x higher throughput", "at_least"),
        ("reaches > 90% top-1 accuracy", "at_least"),
        ("with F1-scores exceeding 97%", "at_least"),
        ("is at least 1.5x faster", "at_least"),
        ("speeds up decoding by 3x or more", "at_least"),
        ("renders the first frame within 0.5s", "at_most"),
        ("adds less than 2 percent CPU overhead", "at_most"),
        ("keeps p99 latency under 200 ms", "at_most"),
        ("answers in <10 seconds", "at_most"),
        ("has a latency of about 20 ms", "approx"),
        ("has a latency of approximately 100ms", "approx"),
        ("reaches ~100ms latency", "approx"),
        ("is roughly 3x faster", "approx"),
        ("is nearly 2x faster", "approx"),
        ("reduces bandwidth by two orders of magnitude", "approx"),
        ("improves goodput by 1.4x-6.3x", "range"),
        ("is 2.5x faster", "exact"),
    ],
)
def test_bounds(text: str, bound: str) -> None:
    (claim,) = claims(text)
    assert claim.bound.value == bound


def test_a_change_after_a_percentage_accuracy_is_in_points() -> None:
    """The gain sits after the level it refers to, with no metric of its own."""
    text = "Our tagger scores 88.6% accuracy on the test split, 2.3% higher than a BiLSTM tagger."
    found = claims(text)
    assert [key(c) for c in found] == [
        (88.6, None, "%", "accuracy", "absolute", None, "exact"),
        (2.3, None, "pp", "accuracy", "delta", "increase", "exact"),
    ]
    assert found[1].baselines == ["BiLSTM tagger"]


def test_a_change_after_a_percentage_level_stays_relative_when_said_so() -> None:
    text = "Our tagger scores 88.6% accuracy, 2.3% relatively higher than the BiLSTM tagger."
    assert keys(text)[1][2:5] == ("%", "accuracy", "percent_change")


@pytest.mark.parametrize(
    "text",
    [
        "Quantizing the weights halves the memory with negligible accuracy loss (<0.4%).",
        "Quantizing the weights halves the memory with an accuracy drop of less than 0.4%.",
    ],
)
def test_a_bounded_accuracy_loss_is_a_decrease_in_points(text: str) -> None:
    assert (0.4, None, "pp", "accuracy", "delta", "decrease", "at_most") in keys(text)


def test_from_a_to_b_in_two_time_units_is_one_level_with_a_in_the_condition() -> None:
    (found,) = claims("Our scheduler cuts the training time from 2 hours to 9 minutes.")
    assert key(found) == (9, None, "min", "cost", "absolute", None, "exact")
    assert found.condition is not None and "from 2 hours" in found.condition
