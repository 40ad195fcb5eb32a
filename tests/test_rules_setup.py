"""Setup numbers are not claims: names, parameter counts, dataset sizes, hyper-parameters, years.

Sentences marked "corpus" are from examples/hf-daily-papers-latency.txt; the rest are
written for these tests (patterns the corpus lacks).
"""

from __future__ import annotations

import pytest

from claimex.backends.rules.document import Document
from claimex.backends.rules.setup_filter import Role, classify
from rules_support import claims, values


def roles(text: str) -> dict[str, Role]:
    doc = Document.parse(text)
    return {
        doc.text[m.start : m.end]: classify(doc, sentence, m)[0]
        for sentence in doc.sentences
        for m in doc.mentions_in(sentence)
    }


@pytest.mark.parametrize(
    "text",
    [
        # corpus: numbers inside names
        "achieving over +5.5% average accuracy compared to Qwen3-1.7B/0.6B, respectively.",
        "top-1 accuracy of 93.05%, 70.15% and 67.71% on CIFAR-10, CIFAR-100 and ImageNet.",
        "cutting the peak memory footprint of Llama 2-70B by 90%.",
        "achieving 1.9x-2.7x faster prefill latency for Llama 3.2-1B.",
        "methods like ZeRO-3 that drastically reduce GPU memory pressure",
        "outperforms YOLOv3 and AdaScale on MI250X and A100/H100 systems",
    ],
)
def test_numbers_in_names_are_never_claims(text: str) -> None:
    named = ("1.7B", "0.6B", "10", "100", "2-70B", "3.2-1B", "1B", "3", "250", "100")
    for written, role in roles(text).items():
        if written.rstrip("B") in {n.rstrip("B") for n in named} or written in named:
            assert role is Role.SETUP, written


@pytest.mark.parametrize(
    "text",
    [
        "we introduce MinMo, a Multimodal Large Language Model with approximately 8B parameters.",
        "on 1.4 million hours of diverse speech data and a broad range of speech tasks.",  # corpus
        "Only small-size LLMs (<4B parameters) can run successfully on powerful mobile devices.",
        "We benchmark NoLoCo on model sizes between 125M to 6.8B parameters.",
        "VERA comprises 2,931 voice-native episodes organized into five tracks.",
        "We use direct input encoding and choose T=5.",
        "with the head NFE=1 on 30FPS, 480p videos",
        "In 2023, the benchmark was released with 10,000 prompts from 5 domains.",
        "We fine-tune with LoRA rank 16 and a learning rate of 2e-4 for 3 epochs on 8 V100 GPUs.",
        "The model has 1.3B parameters and was trained on 300B tokens with 4-bit weights.",
        "a five-layer architecture integrating terahertz communications (0.1-1 THz)",
        "Our kernels use 128K-token contexts and a 64-beam LiDAR recorded at 10 Hz.",
        "inference fits on a single 24 GB consumer GPU",
        "Code is at https://github.com/org/repo-2.5x and hf.co/org/Model-4B-A0.6B.",
        "it reaches 72.2% top-1 accuracy with 1.2M parameters and 0.3 GFLOPs",
        "We train a 7B model with 32 layers on 2 nodes with 16 GPUs each for 3 days.",
        "Open models with up to 128K tokens of context trail behind.",
    ],
)
def test_setup_numbers_are_not_claims(text: str) -> None:
    found = values(text)
    assert all(v in (72.2,) for v in found), found


def test_a_quantity_a_result_is_held_to_is_a_condition() -> None:
    text = (
        "DistServe can serve 4.48x more requests or 10.2x tighter SLO, compared to "
        "state-of-the-art systems, while staying within latency constraints for > 90% of requests."
    )  # corpus
    found = claims(text)
    assert [c.value for c in found] == [4.48, 10.2]
    assert all(c.condition and "> 90% of requests" in c.condition for c in found)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Experiments on low-latency chunk sizes (less than 300 msec) show gains.", []),  # corpus
        ("a hard timeout of 500 microseconds triggers immediate fallback to LRU", []),  # corpus
        (
            "With a 25 MB cache, Cold-RL raises hit ratio from 0.1436 to 0.3538.",  # corpus
            [0.3538],
        ),
        (
            "within a 1-second scheduling window, our approach improves placements in over 44% "
            "of scenarios",
            [44],
        ),
        ("Under a 100 ms SLO, our scheduler serves 3.1x more requests than Triton.", [3.1]),
        ("It reaches 23 ms p99 latency at 5,000 QPS.", [23]),
        ("The pipeline finishes in 7.5 minutes instead of 2 hours.", [7.5]),
        ("pruning 50% of attention heads reduces latency by 1.6x", [1.6]),
        (
            "latency reductions of 25.48% while maintaining accuracy to within 99.99% of the "
            "baseline",
            [25.48],
        ),
        ("With additional 256MB memories, Foo reaches 2x higher throughput.", [2]),
        ("Foo runs with an extra 512 MB of memory per node and cuts latency by 30%.", [30]),
        (  # a time threshold before the share that meets it: the share is the result
            "We present Duplo, a voice agent. Duplo halves the response delay while replying "
            "within less than 400 milliseconds in more than 60% of evaluated dialogues.",
            [2, 60],
        ),
        ("It answers 95% of queries within 100 ms.", [95]),
    ],
)
def test_conditions_are_not_claims_of_their_own(text: str, kept: list[float]) -> None:
    assert values(text) == kept


def test_a_baseline_value_in_brackets_goes_into_the_condition() -> None:
    text = (
        "It achieved 0.8ms end-to-end latency, representing a 15.6x improvement over WiFi-6 "
        "(12.5ms) and 5.25x improvement over 5G (4.2ms) networks."
    )  # corpus
    found = {c.value: c for c in claims(text)}
    assert sorted(found) == [0.8, 5.25, 15.6]
    assert found[15.6].condition is not None and "12.5ms" in found[15.6].condition
    assert found[5.25].condition is not None and "4.2ms" in found[5.25].condition


def test_a_share_in_the_motivation_is_not_a_result() -> None:
    text = (
        "Our real-world studies reveal that over 70% of user requests to LLMs have semantically "
        "similar counterparts. In this paper, we introduce IC-Cache, a caching system. IC-Cache "
        "improves LLM serving throughput by 1.4-5.9x."
    )  # corpus (shortened)
    assert values(text) == [1.4]


def test_prior_work_numbers_are_claims() -> None:
    text = "Existing 5G-enabled systems suffer from latencies exceeding 10ms."  # corpus
    (claim,) = claims(text)
    assert (claim.value, claim.unit, claim.bound.value, claim.system) == (
        10,
        "ms",
        "at_least",
        "5G-enabled systems",
    )


def test_points_need_a_comparison() -> None:
    assert values("a retained object earns one point if it is hit again") == []  # corpus
    assert values("2.3 points higher than the BERT baseline") == [2.3]
