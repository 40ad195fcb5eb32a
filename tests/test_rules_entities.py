"""System, hardware and workload: lexicon names and patterns around each result.

Sentences marked "corpus" are from examples/hf-daily-papers-latency.txt.
"""

from __future__ import annotations

import pytest

from claimex.backends.rules.entities import find_hardware, find_workloads, title_name
from rules_support import claims


def found(finder: object, text: str) -> list[str]:
    return [f.text for f in finder(text, 0, len(text), [])]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "up to 2.6x on a single A100 GPU and 6.9x on 8 A100 GPUs",
            ["single A100 GPU", "8 A100 GPUs"],
        ),
        ("attains 64.52 FPS on four H100 GPUs", ["four H100 GPUs"]),
        ("78ms latency on a Pixel phone", ["Pixel phone"]),
        ("Our evaluation on Ascend NPUs with three popular MoE LLMs", ["Ascend NPUs"]),
        ("exceed 20 tokens/s on ordinary consumer CPUs", ["ordinary consumer CPUs"]),
        ("a scaling efficiency of 0.94 for up to 384 GCDs", ["384 GCDs"]),
        ("1.2times faster with measured GPU latency", ["GPU"]),
        ("using 4 A100-80GB GPUs", ["4 A100-80GB GPUs"]),
        ("on a Snapdragon 8 Gen 2 NPU", ["Snapdragon 8 Gen 2 NPU"]),
        ("training on 1,024 A100 GPUs", ["1,024 A100 GPUs"]),
        ("higher perGPU throughput and TFLOPS per GPU", []),
        ("GH200 remains CPU-bound; GPU hours and CPU overhead", ["GH200"]),
        ("for few hundred accelerators", []),
        ("with only half the number of GPUs", []),  # a count of devices, not the hardware
        ("experiments on two GPU clusters and 8 H100 GPUs", ["8 H100 GPUs"]),
    ],
)
def test_hardware_as_written(text: str, expected: list[str]) -> None:
    assert found(find_hardware, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Mistral-7B and Falcon-180B", ["Mistral-7B", "Falcon-180B"]),
        ("cutting the footprint of Llama 2-70B and Llama 3.2-1B.", ["Llama 2-70B", "Llama 3.2-1B"]),
        ("For a 20B GPT model, we observe", ["20B GPT model"]),
        ("58.28 FPS with a 14B-parameter model", ["14B-parameter model"]),
        ("on DeepSeek series models", ["DeepSeek series models"]),
        ("On the ImageNet classification task", ["ImageNet classification"]),
        ("on CIFAR-10, CIFAR-100 and WikiText-103", ["CIFAR-10", "CIFAR-100", "WikiText-103"]),
        (
            "BERT-large, MobileNetV2, YOLOv3 and DeepSeek-V3",
            ["BERT-large", "MobileNetV2", "YOLOv3", "DeepSeek-V3"],
        ),
        ("70B-scale models", ["70B-scale models"]),
    ],
)
def test_workloads_from_lexicon_and_patterns(text: str, expected: list[str]) -> None:
    assert found(find_workloads, text) == expected


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("DistServe: Disaggregating Prefill and Decoding", "DistServe"),
        ("Llumnix: Dynamic Scheduling for Large Language Model Serving", "Llumnix"),
        ("semi-PD: Towards Efficient LLM Serving", "semi-PD"),
        (
            "Streaming DiLoCo with overlapping communication: Towards a Free Lunch",
            "Streaming DiLoCo",
        ),
        ("Priority Matters: Optimising Kubernetes Clusters Usage", None),
        ("Voice Evaluation of Reasoning Ability: Diagnosing the Gap", None),
        ("Taming Throughput-Latency Tradeoff in LLM Inference with Sarathi-Serve", None),
    ],
)
def test_title_name(title: str, name: str | None) -> None:
    assert title_name(title) == name


def test_hardware_goes_to_the_results_it_was_measured_on() -> None:
    text = (  # corpus
        "Sarathi-Serve improves serving throughput within desired latency SLOs of Mistral-7B by up "
        "to 2.6x on a single A100 GPU and up to 6.9x for Falcon-180B on 8 A100 GPUs over Orca and "
        "vLLM."
    )
    found_claims = claims(text)
    assert [(c.hardware, c.workload) for c in found_claims] == [
        ("single A100 GPU", "Mistral-7B"),
        ("8 A100 GPUs", "Falcon-180B"),
    ]


def test_accuracy_is_not_tied_to_hardware() -> None:
    text = "our MnasNet achieves 75.2% top-1 accuracy with 78ms latency on a Pixel phone."  # corpus
    assert [(c.value, c.hardware) for c in claims(text)] == [(75.2, None), (78, "Pixel phone")]


def test_respectively_maps_workloads_by_position() -> None:
    text = (  # corpus
        "We achieve top-1 accuracy of 93.05%, 70.15% and 67.71% on CIFAR-10, CIFAR-100 and "
        "ImageNet, respectively using VGG16, with just 1 timestep."
    )
    assert [c.workload for c in claims(text)] == ["CIFAR-10", "CIFAR-100", "ImageNet"]


def test_respectively_maps_workloads_named_before_the_values() -> None:
    text = (
        "Experiments on the CIFAR-10 and ImageNet benchmarks show that our method achieves "
        "accuracies of 95.1% and 80.2%, respectively."
    )
    assert [c.workload for c in claims(text)] == ["CIFAR-10", "ImageNet benchmarks"]


def test_respectively_maps_hardware_by_position() -> None:
    text = "Foo reaches 2x and 3x higher throughput on A100 and H100 GPUs, respectively."
    assert [c.hardware for c in claims(text)] == ["A100", "H100 GPUs"]


def test_the_evaluation_setup_sentence_before_gives_hardware_and_workload() -> None:
    text = (
        "We evaluate TurboBatch on Llama-3-70B and Mixtral-8x7B using 4 A100-80GB GPUs. "
        "TurboBatch improves throughput by 1.9x on average."
    )
    (claim,) = claims(text)
    assert (claim.hardware, claim.workload) == ("4 A100-80GB GPUs", "Llama-3-70B and Mixtral-8x7B")


def test_a_baseline_model_is_not_the_workload() -> None:
    text = "On ImageNet, our model achieves 3.1% better top-1 accuracy than MobileNetV2."  # corpus
    (claim,) = claims(text)
    assert (claim.workload, claim.baselines) == ("ImageNet", ["MobileNetV2"])


@pytest.mark.parametrize(
    ("text", "title", "system"),
    [
        ("DistServe can serve 4.48x more requests.", None, "DistServe"),
        ("Evaluation shows Janus achieves up to 3.9 higher throughput.", None, "Janus"),
        ("It achieved 0.8ms end-to-end latency.", "Cold-RL: Learning Cache Eviction", "Cold-RL"),
        (
            "we propose Streaming Retrieval-Augmented Generation (Streaming RAG). Experimental "
            "results show that our approach reduces tool use latency by 20%.",
            "Stream RAG: Instant and Accurate Spoken Dialogue Systems",
            "Streaming RAG",
        ),
        ("Experiments on Llama-2-13B show that SpecDec doubles generation speed.", None, "SpecDec"),
        (
            "Existing 5G-enabled systems suffer from latencies exceeding 10ms.",
            None,
            "5G-enabled systems",
        ),
        ("Our approach improves placements in over 73% of scenarios.", "Priority Matters: X", None),
        ("Foo shortens job completion time by 1.7x.", None, "Foo"),  # more result verbs
        ("Compared to Alpha, Foo is 2x faster.", None, "Foo"),
        ("Model compression cuts memory by 3x.", None, None),  # a noun after a name is no verb
        (  # an appositive names the method, not an acronym of a part it builds on
            "Our approach, Zeta, builds on the KV manager (KVM) and cuts latency by 2x.",
            None,
            "Zeta",
        ),
        (  # a dotted lowercase name, introduced and then the subject
            "We present foo.npu, the first engine that offloads to phone NPUs. Against strong "
            "baselines, foo.npu achieves 12x faster prefill.",
            None,
            "foo.npu",
        ),
        (  # an acronym in brackets after a part the method integrates is not its name
            "We propose a new streaming recognition approach that integrates a policy network "
            "with chunk attention (ChAtt) to segment audio. Our method reaches a 5.1% error rate.",
            None,
            None,
        ),
    ],
)
def test_system(text: str, title: str | None, system: str | None) -> None:
    assert [c.system for c in claims(text, title)] == [system]
