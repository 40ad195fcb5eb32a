"""Abstract sentences written for these tests, not taken from the corpus: the rules must generalise.

Each case lists every claim the rules should find, in order, as (value, value_max, unit,
category, kind, direction, bound, baselines), judged against claim-spec v1.1.
"""

from __future__ import annotations

import pytest

from rules_support import claims, key

Expected = tuple[float, float | None, str, str, str, str | None, str, list[str]]

CASES: list[tuple[str, list[Expected]]] = [
    (
        "On an NVIDIA A100, FlashDecode achieves 1.8× higher decoding throughput and reduces "
        "time-to-first-token by 37% compared with vLLM.",
        [
            (1.8, None, "x", "throughput", "ratio", "increase", "exact", ["vLLM"]),
            (37, None, "%", "latency", "percent_change", "decrease", "exact", ["vLLM"]),
        ],
    ),
    (
        "QuickServe sustains 12,400 tokens/s on 8 H100 GPUs while keeping P99 latency under "
        "200 ms.",
        [
            (12_400, None, "tokens/s", "throughput", "absolute", None, "exact", []),
            (200, None, "ms", "latency", "absolute", None, "at_most", []),
        ],
    ),
    (
        "PagedKV reduces KV-cache memory waste to under 4%, improving throughput by 2-4× over "
        "FasterTransformer and Orca.",
        [
            (4, None, "%", "memory", "absolute", None, "at_most", []),
            (2, 4, "x", "throughput", "ratio", "increase", "range", ["FasterTransformer", "Orca"]),
        ],
    ),
    (
        "In a 64-GPU cluster, the scheduler improves average job completion time by 1.5x and "
        "raises GPU utilization from 52% to 81%.",
        [
            (1.5, None, "x", "latency", "ratio", "decrease", "exact", []),
            (81, None, "%", "other", "absolute", None, "exact", []),
        ],
    ),
    (
        "Across three production workloads, Zephyr lowers tail latency by 41-63% and increases "
        "goodput by up to 2.2x relative to Clockwork.",
        [
            (41, 63, "%", "latency", "percent_change", "decrease", "range", ["Clockwork"]),
            (2.2, None, "x", "throughput", "ratio", "increase", "up_to", ["Clockwork"]),
        ],
    ),
    (
        "With a batch size of 32 and a 4K context, we measure 45 ms per token on a single "
        "RTX 4090.",
        [(45, None, "ms", "latency", "absolute", None, "exact", [])],
    ),
    (
        "Our approach reaches an F1 score of 0.91 on SQuAD, 2.3 points higher than the BERT "
        "baseline.",
        [
            (0.91, None, "", "accuracy", "absolute", None, "exact", []),
            (2.3, None, "pp", "accuracy", "delta", "increase", "exact", ["BERT baseline"]),
        ],
    ),
    (
        "The accelerator consumes 3.2 W and achieves 30 FPS on 1080p video, 5x more "
        "energy-efficient than a Jetson Xavier NX.",
        [
            (3.2, None, "W", "energy", "absolute", None, "exact", []),
            (30, None, "FPS", "throughput", "absolute", None, "exact", []),
            (5, None, "x", "energy", "ratio", "increase", "exact", ["Jetson Xavier NX"]),
        ],
    ),
    (
        "Training GPT-3 175B with our system takes 14 days on 1,024 A100 GPUs, 30% less than "
        "Megatron-LM.",
        [
            (14, None, "d", "cost", "absolute", None, "exact", []),
            (30, None, "%", "cost", "percent_change", "decrease", "exact", ["Megatron-LM"]),
        ],
    ),
    (
        "Memory consumption drops from 48 GB to 11 GB, enabling inference on a single 24 GB "
        "consumer GPU.",
        [(11, None, "GB", "memory", "absolute", None, "exact", [])],
    ),
    (
        "Under a 100 ms SLO, our scheduler serves 3.1x more requests per GPU than Triton Inference "
        "Server.",
        [(3.1, None, "x", "throughput", "ratio", "increase", "exact", ["Triton Inference Server"])],
    ),
    (
        "SpecInfer outperforms existing LLM serving systems by 1.5-2.8x for distributed LLM "
        "inference and by 2.6-3.5x for offloading-based LLM inference, while preserving the same "
        "generative performance.",
        [
            (
                1.5,
                2.8,
                "x",
                "speedup",
                "ratio",
                "increase",
                "range",
                ["existing LLM serving systems"],
            ),
            (
                2.6,
                3.5,
                "x",
                "speedup",
                "ratio",
                "increase",
                "range",
                ["existing LLM serving systems"],
            ),
        ],
    ),
    (
        "Large language models with hundreds of billions of parameters require multiple GPUs. "
        "Prior systems such as vLLM and TGI achieve only 30-40% GPU utilization during decoding. "
        "We present TurboBatch, a scheduling layer that overlaps prefill with decode. We evaluate "
        "TurboBatch on Llama-3-70B and Mixtral-8x7B using 4 A100-80GB GPUs with a context length "
        "of 32K tokens and batch sizes from 8 to 256. TurboBatch improves throughput by 1.9x on "
        "average and by up to 3.1x under bursty load, while reducing P99 TTFT from 2.4 s to 0.9 s. "
        "Code is available at https://github.com/example/turbobatch-2.",
        [
            (30, 40, "%", "other", "absolute", None, "range", []),
            (1.9, None, "x", "throughput", "ratio", "increase", "exact", []),
            (3.1, None, "x", "throughput", "ratio", "increase", "up_to", []),
            (0.9, None, "s", "latency", "absolute", None, "exact", []),
        ],
    ),
    (
        "Mixture-of-Experts models activate only a fraction of parameters per token, e.g., 2 of 64 "
        "experts. However, expert parallelism incurs all-to-all communication that can take up to "
        "60% of step time. We propose LinkMoE, which co-locates experts based on routing "
        "affinity. On a 128-GPU cluster, LinkMoE cuts all-to-all traffic by 47% and shortens "
        "training time per step by 1.35x compared to DeepSpeed-MoE. For a 1.2T-parameter model, "
        "it sustains 41% MFU.",
        [
            (47, None, "%", "bandwidth", "percent_change", "decrease", "exact", ["DeepSpeed-MoE"]),
            (1.35, None, "x", "latency", "ratio", "decrease", "exact", ["DeepSpeed-MoE"]),
            (41, None, "%", "throughput", "absolute", None, "exact", []),
        ],
    ),
    (
        "We introduce EdgeASR, a streaming conformer distilled from a 600M-parameter teacher into "
        "a 30M-parameter student. EdgeASR achieves a word error rate of 6.8% on LibriSpeech while "
        "running 5.6× faster than real time on a Pixel 7 and using under 150 MB of RAM. "
        "Quantizing to INT8 further halves model size with a 0.1% WER increase.",
        [
            (6.8, None, "%", "accuracy", "absolute", None, "exact", []),
            (5.6, None, "x", "speedup", "ratio", "increase", "exact", []),
            (150, None, "MB", "memory", "absolute", None, "at_most", []),
            (2, None, "x", "memory", "ratio", "decrease", "exact", []),
            (0.1, None, "pp", "accuracy", "delta", "increase", "exact", []),
        ],
    ),
    (
        "Compared with the widely used Whisper-large-v3, our model is 6.4x smaller, 5.1x faster, "
        "and only 0.8% worse in WER.",
        [
            (6.4, None, "x", "memory", "ratio", "decrease", "exact", ["Whisper-large-v3"]),
            (5.1, None, "x", "speedup", "ratio", "increase", "exact", ["Whisper-large-v3"]),
            (0.8, None, "pp", "accuracy", "delta", "increase", "exact", ["Whisper-large-v3"]),
        ],
    ),
    (
        "Our scheduler reduces the 99th-percentile latency of LLM requests from 3.2 s to 1.1 s "
        "(a 65% reduction) under a Poisson arrival rate of 4 requests/s.",
        [
            (1.1, None, "s", "latency", "absolute", None, "exact", []),
            (65, None, "%", "latency", "percent_change", "decrease", "exact", []),
        ],
    ),
    (
        "Our congestion controller keeps queuing delay below 5 ms while achieving 97% link "
        "utilization, compared to 60 ms for Cubic and 20 ms for BBR.",
        [
            (5, None, "ms", "latency", "absolute", None, "at_most", ["Cubic", "BBR"]),
            (97, None, "%", "bandwidth", "absolute", None, "exact", []),
        ],
    ),
    (
        "Sparse attention reduces the attention FLOPs by 75% and wall-clock time by 40%, with "
        "less than a 0.2 drop in ROUGE-L.",
        [
            (75, None, "%", "cost", "percent_change", "decrease", "exact", []),
            (40, None, "%", "latency", "percent_change", "decrease", "exact", []),
            (0.2, None, "", "accuracy", "delta", "decrease", "at_most", []),
        ],
    ),
    (
        "On CIFAR-10 with 100 clients, FedSkip converges 3.2× sooner than FedAvg and reduces "
        "upload traffic by 58%; the RL agent attains 1.5 times the sample efficiency of PPO.",
        [
            (3.2, None, "x", "speedup", "ratio", "increase", "exact", ["FedAvg"]),
            (58, None, "%", "bandwidth", "percent_change", "decrease", "exact", ["FedAvg"]),
            (1.5, None, "x", "other", "ratio", "increase", "exact", ["PPO"]),
        ],
    ),
    (
        "We release a dataset of 1.2 million annotated frames collected over 3 years from 150 "
        "vehicles, recorded at 10 Hz with a 64-beam LiDAR. Baselines are trained for 50 epochs "
        "with a learning rate of 0.001 and batch size 16 on 8 V100 GPUs in 2023.",
        [],
    ),
    (  # "up to A and on average B <metric>": A takes B's metric, only A is up_to
        "Foo achieves (i) up to 3x and on average 1.8x lower latency, and (ii) up to 40% and "
        "on average 25% higher throughput.",
        [
            (3, None, "x", "latency", "ratio", "decrease", "up_to", []),
            (1.8, None, "x", "latency", "ratio", "decrease", "exact", []),
            (40, None, "%", "throughput", "percent_change", "increase", "up_to", []),
            (25, None, "%", "throughput", "percent_change", "increase", "exact", []),
        ],
    ),
    (  # the metric the change verb governs wins over an earlier one in the sentence
        "Loading weights from GPU memory, Foo reduces startup times by 6-8x.",
        [(6, 8, "x", "latency", "ratio", "decrease", "range", [])],
    ),
    (  # a comparison with a serial run ends a long sentence
        "Using eight workers, pipelined training on the new cluster finishes each epoch with a "
        "3.2x speedup over the serial execution.",
        [(3.2, None, "x", "speedup", "ratio", "increase", "exact", ["serial execution"])],
    ),
    (  # the baseline stops before the verb that follows it
        "In our tests Foo outperforms state-of-the-arts and achieves 1.5x higher throughput.",
        [(1.5, None, "x", "throughput", "ratio", "increase", "exact", ["state-of-the-arts"])],
    ),
    (  # an "N-fold" gain in a count of samples is not a speedup; the speedup after it is
        "Foo needs 300-fold fewer training samples and gives a 12-fold speedup in training time "
        "compared with earlier work.",
        [
            (300, None, "x", "other", "ratio", "decrease", "exact", ["earlier work"]),
            (12, None, "x", "speedup", "ratio", "increase", "exact", ["earlier work"]),
        ],
    ),
    (  # more operating points explored is a count, not a speed
        "Foo explores 12 times more operating points than grid search.",
        [(12, None, "x", "other", "ratio", "increase", "exact", ["grid search"])],
    ),
    (  # a rate unit decides the category even with a time word in the sentence
        "For the first time, Foo achieves more than 1,000 tokens/sec prefilling on a phone.",
        [(1000, None, "tokens/s", "throughput", "absolute", None, "at_least", [])],
    ),
    (  # "improve the <quality score> of N%": a relative change of a quality metric
        "Retraining helps Foo improve the average QoE of 2.5%-8.25% in comparison to the "
        "static model.",
        [(2.5, 8.25, "%", "accuracy", "percent_change", "increase", "range", ["static model"])],
    ),
    (  # a multiplier glued to a count rate folds into the value; energy per item is energy
        "The accelerator reaches 15.2 KFPS throughput and 31.5 µJ/Image energy on digit "
        "recognition.",
        [
            (15_200, None, "FPS", "throughput", "absolute", None, "exact", []),
            (31.5, None, "uJ/image", "energy", "absolute", None, "exact", []),
        ],
    ),
    (  # a bare slash pair of error rates in brackets is two percentages
        "Our recogniser does well on the read-speech benchmark (3.1/7.2 WER) without extra data.",
        [
            (3.1, None, "%", "accuracy", "absolute", None, "exact", []),
            (7.2, None, "%", "accuracy", "absolute", None, "exact", []),
        ],
    ),
    (  # the improvement is "on" its quality metric, so the change applies to it
        "Foo outperforms prior methods, with improvements on average QoE of 5.5%-12.25%.",
        [(5.5, 12.25, "%", "accuracy", "percent_change", "increase", "range", ["prior methods"])],
    ),
    (  # work per joule is an energy efficiency, better when higher
        "Foo achieves a 2.4x improvement in tokens per joule and cuts energy per token by 40%.",
        [
            (2.4, None, "x", "energy", "ratio", "increase", "exact", []),
            (40, None, "%", "energy", "percent_change", "decrease", "exact", []),
        ],
    ),
    (  # the "up" of "up to" is a bound, not the verb an elliptic "by 2.3x" repeats
        "Foo (1) reduces p99 latency by up to 4.1x and by 2.3x on average, and (2) improves "
        "throughput by up to 62% and by 35% on average.",
        [
            (4.1, None, "x", "latency", "ratio", "decrease", "up_to", []),
            (2.3, None, "x", "latency", "ratio", "decrease", "exact", []),
            (62, None, "%", "throughput", "percent_change", "increase", "up_to", []),
            (35, None, "%", "throughput", "percent_change", "increase", "exact", []),
        ],
    ),
    (  # "beats A by x and B by y in <metric>": each its own baseline, both the metric
        "Foo beats Alpha by 12% and Beta by 30% in goodput.",
        [
            (12, None, "%", "throughput", "percent_change", "increase", "exact", ["Alpha"]),
            (30, None, "%", "throughput", "percent_change", "increase", "exact", ["Beta"]),
        ],
    ),
    (  # a comparison opening a clause after ";" covers that clause only
        "Relative to data parallelism, Foo trains 2.1x faster; relative to ZeRO-3, 1.4x faster.",
        [
            (2.1, None, "x", "speedup", "ratio", "increase", "exact", ["data parallelism"]),
            (1.4, None, "x", "speedup", "ratio", "increase", "exact", ["ZeRO-3"]),
        ],
    ),
    (  # "an accuracy drop of only N%": points of a percentage metric, as "N% higher accuracy"
        "Foo shrinks the model by 4x with an accuracy drop of only 0.3%.",
        [
            (4, None, "x", "memory", "ratio", "decrease", "exact", []),
            (0.3, None, "pp", "accuracy", "delta", "decrease", "exact", []),
        ],
    ),
    (  # a longer context is neither a speed nor a memory figure
        "Foo enables 4x longer context and 8x longer sequences with the same memory budget.",
        [
            (4, None, "x", "other", "ratio", "increase", "exact", []),
            (8, None, "x", "other", "ratio", "increase", "exact", []),
        ],
    ),
    (  # plural "times" of an unlisted operation is still a time the verb reduces
        "Loading from GPU memory, Foo reduces checkpoint restore times by 3x.",
        [(3, None, "x", "latency", "ratio", "decrease", "exact", [])],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t[:40] for t, _ in CASES])
def test_written_abstracts(text: str, expected: list[Expected]) -> None:
    found = [(*key(c), c.baselines) for c in claims(text)]
    assert found == expected


def test_improving_an_attainment_rate_is_an_increase() -> None:
    (claim,) = claims("Foo improves SLO attainment by up to 2.3x over the state of the art.")
    assert claim.direction is not None and claim.direction.value == "increase"
