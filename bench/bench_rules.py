"""Benchmark: the offline rules extractor on a synthetic corpus, one core.

Generates N abstracts (default 10,000) from templates that mix what real ML-systems
abstracts hold: background with setup numbers (years, parameter counts, dataset
sizes, hyper-parameters, model and hardware names, links) and results (ratios,
ranges, slash pairs, percentages, latencies, textual numbers, comparisons). The
process is pinned to one CPU where the OS allows it. Prints abstracts per second
for the extractor alone, the extractor plus grounding (what the pipeline does per
paper before writing to DuckDB) and `claimex.extract` (the Python API, backend
choice and grounding included). `--real` times the hand-labelled real abstracts
too (eval/papers.jsonl and the eval/*-dev sets, repeated to --papers), side by
side with the synthetic ones; the load average is printed with the figures, since
the machine may be shared, with abstracts per CPU second of the process beside
the wall-clock rate.

    .venv/bin/python bench/bench_rules.py                 # 10,000 abstracts
    .venv/bin/python bench/bench_rules.py --papers 2000 --real
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import claimex
from claimex.backends.rules import RulesExtractor, extract_claims
from claimex.model import Paper
from claimex.pipeline import ground_extraction

EVAL = Path(__file__).resolve().parents[1] / "eval"
SYSTEMS = ["QuillServe", "TernKV", "FlowMoE", "SparseSeg", "HexaBatch", "LumaRoute", "PipeLite"]
BASELINES = ["vLLM", "SGLang", "Orca", "TensorRT-LLM", "DeepSpeed-MII", "FasterTransformer"]
MODELS = ["Llama 2-70B", "Mistral-7B", "Qwen3-1.7B", "Falcon-180B", "Mixtral-8x7B", "GPT-3 175B"]
DATASETS = ["ImageNet", "CIFAR-10", "ShareGPT", "LongBench", "MMLU", "LibriSpeech"]
HARDWARE = ["8 A100 GPUs", "a single H100", "four L40S GPUs", "a Pixel 7", "64 V100 GPUs"]

BACKGROUND = [
    "Large language models with {params} parameters are increasingly deployed in {year}.",
    "Serving them requires {count} GPUs and incurs high latency under bursty load.",
    "Prior work such as {base} batches requests but ignores the prefill-decode interference.",
    "Existing systems suffer from tail latencies exceeding {lat} ms at moderate load.",
    "Recent studies show that over {share}% of requests share long prompt prefixes.",
    "Training on {hours} million hours of speech data remains costly for most groups.",
    "Models such as {model} use a context of {ctx}K tokens and a batch size of {batch}.",
    "Interactive applications such as chatbots, coding assistants and agents need fast and "
    "predictable responses, yet the cost of inference keeps growing with model size.",
    "The memory footprint of the key-value cache grows linearly with the sequence length, which "
    "limits the batch size and therefore the utilization of the accelerator.",
    "Existing schedulers treat every request alike and cannot adapt when the mix of prompt and "
    "output lengths changes over the course of a day.",
    "Meanwhile, operators must meet service-level objectives on time to first token and time "
    "per output token while keeping the number of provisioned accelerators small.",
    "These trends make efficient, predictable inference a first-class concern for the systems "
    "community, beyond raw model quality.",
]
METHOD = [
    "We present {sys}, a serving system that disaggregates attention and expert layers.",
    "In this paper, we propose {sys}, which schedules requests with T={t} and k={k}.",
    "{sys} combines a learned router with a {bits}-bit KV cache and a {win}-second window.",
    "Its key idea is to predict the remaining work of each request from lightweight features "
    "and to place requests so that no replica is overloaded while others sit idle.",
    "A second component migrates cached state between replicas in the background, overlapping "
    "the transfer with computation so that migration adds little to the critical path.",
    "We further design a kernel that fuses dequantization with the attention computation and "
    "keeps intermediate results in on-chip memory.",
    "The design requires no changes to model weights and integrates with existing serving "
    "frameworks through a thin scheduling interface.",
    "We also describe how the system recovers from failures without recomputing the state of "
    "requests that were already in flight.",
]
SETUP = [
    "We evaluate {sys} on {model} and {data} using {hw}.",
    "Experiments on {data} with {model} run on {hw} with a learning rate of 0.00{lr}.",
]
RESULTS = [
    "{sys} improves throughput by {r1}x and reduces P99 latency by {p1}% compared to {base}.",
    "It achieves up to {r1}x higher goodput and {r2}x lower time-to-first-token over {base} "
    "and {base2}.",
    "Compared to {base}, {sys} serves {lo}-{hi}x more requests within the same SLO.",
    "{sys} reaches {acc}% top-1 accuracy on {data}, {d1}% higher than {base}.",
    "On {hw}, {sys} renders a frame within {lat2} ms and sustains {fps} FPS.",
    "The system delivers {r1}x/{r2}x lower latency than {model_a}/{model_b}, respectively.",
    "Our method cuts memory usage by {p1}% and halves the cost of serving.",
    "It reduces bandwidth by two orders of magnitude while staying within {p2}% of the "
    "baseline accuracy.",
    "{sys} lowers tail latency by {p1}-{p2}% and improves energy efficiency by {r1}x.",
    "It processes {tok:,} tokens/s on {hw}, roughly {r2}x the throughput of {base}.",
]
CLOSING = [
    "Code is available at https://github.com/example/{sys_lower}-{v}.",
    "We release our implementation and traces to the community.",
    "These results show that careful scheduling matters for practical serving.",
]


def synthetic_abstract(rng: random.Random) -> tuple[str, str]:
    """One abstract and its title."""
    system = rng.choice(SYSTEMS)
    base, base2 = rng.sample(BASELINES, 2)
    model_a, model_b = rng.sample(MODELS, 2)
    values = {
        "sys": system,
        "sys_lower": system.lower(),
        "base": base,
        "base2": base2,
        "model": rng.choice(MODELS),
        "model_a": model_a,
        "model_b": model_b,
        "data": rng.choice(DATASETS),
        "hw": rng.choice(HARDWARE),
        "params": rng.choice(["70B", "175B", "hundreds of billions of"]),
        "year": rng.randint(2019, 2025),
        "count": rng.choice([8, 16, 64, 128]),
        "lat": rng.randint(50, 900),
        "lat2": rng.randint(5, 90),
        "share": rng.randint(20, 80),
        "hours": round(rng.uniform(0.2, 5.0), 1),
        "ctx": rng.choice([4, 32, 128]),
        "batch": rng.choice([8, 16, 32, 64]),
        "t": rng.randint(2, 8),
        "k": rng.randint(2, 16),
        "bits": rng.choice([2, 4, 8]),
        "win": rng.randint(1, 10),
        "lr": rng.randint(1, 9),
        "r1": round(rng.uniform(1.1, 9.9), 1),
        "r2": round(rng.uniform(1.1, 9.9), 1),
        "lo": round(rng.uniform(1.1, 2.0), 2),
        "hi": round(rng.uniform(2.1, 6.0), 2),
        "p1": rng.randint(10, 45),
        "p2": rng.randint(46, 90),
        "acc": round(rng.uniform(60, 95), 1),
        "d1": round(rng.uniform(0.5, 9.0), 1),
        "fps": round(rng.uniform(20, 120), 2),
        "tok": rng.randint(1_000, 90_000),
        "v": rng.randint(1, 9),
    }
    # Like the hand-labelled corpus (eval/papers.jsonl: ~1,600 characters, ~2.3 claims per
    # abstract, a fifth without results): mostly prose, zero to three result sentences.
    sentences = (
        rng.sample(BACKGROUND, 6)
        + rng.sample(METHOD, 5)
        + rng.sample(SETUP, 1)
        + rng.sample(RESULTS, rng.choice([0, 1, 1, 2, 2, 3]))
        + rng.sample(CLOSING, 1)
    )
    title = f"{system}: Fast and Efficient Serving of Large Models"
    return " ".join(s.format(**values) for s in sentences), title


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned (no sched_setaffinity on this OS)"


def real_corpus(count: int) -> list[tuple[str, str]]:
    """The hand-labelled real abstracts (eval/papers.jsonl and the -dev sets, never the blind
    halves), repeated in order up to count."""
    files = [EVAL / "papers.jsonl", *sorted(EVAL.glob("*-dev/papers.jsonl"))]
    texts = [
        (paper["abstract"], paper["title"])
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for paper in [json.loads(line)]
    ]
    return [texts[index % len(texts)] for index in range(count)]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def median_rate(
    corpus: list[tuple[str, str]], run: Callable[[str, str], int], repeat: int
) -> tuple[float, float]:
    """Median abstracts per wall-clock second and per CPU second of this process.

    On a shared machine the wall-clock rate falls with the load; the CPU rate is what
    one core gives while it runs this process.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        for text, title in corpus:
            run(text, title)
        wall.append(len(corpus) / (time.perf_counter() - started))
        cpu.append(len(corpus) / (time.process_time() - used))
    return statistics.median(wall), statistics.median(cpu)


def measure(corpus: list[tuple[str, str]], repeat: int) -> dict[str, tuple[float, float]]:
    """abstracts/s of the extractor alone, the extractor plus grounding, and claimex.extract."""
    backend = RulesExtractor()

    def grounded(text: str, title: str) -> int:
        paper = Paper(id="bench", title=title, abstract=text)
        extraction = backend.extract_now(paper)
        return len(ground_extraction(extraction.claims, text)[0])

    return {
        "extractor": median_rate(
            corpus, lambda text, title: len(extract_claims(text, title).claims), repeat
        ),
        "extractor + grounding": median_rate(corpus, grounded, repeat),
        "claimex.extract": median_rate(
            corpus, lambda text, title: len(claimex.extract(text, title=title)), repeat
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=10_000, help="abstracts per corpus")
    parser.add_argument("--seed", type=int, default=2024, help="random seed of the corpus")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the median is shown")
    parser.add_argument(
        "--real", action="store_true", help="also time the real eval abstracts, side by side"
    )
    args = parser.parse_args()

    pinning = pin_to_one_core()
    rng = random.Random(args.seed)
    corpora = {"synthetic": [synthetic_abstract(rng) for _ in range(args.papers)]}
    if args.real:
        corpora["real"] = real_corpus(args.papers)
    for name, corpus in corpora.items():
        chars = statistics.mean(len(text) for text, _ in corpus)
        claims = statistics.mean(len(extract_claims(text, title).claims) for text, title in corpus)
        print(
            f"{name}: {len(corpus):,} abstracts, {chars:,.0f} characters, {claims:.1f} claims each"
        )
    print(f"process: {pinning}; load average before: {load_average()}")

    results = {name: measure(corpus, args.repeat) for name, corpus in corpora.items()}
    heads = "".join(f"{f'{name} wall':>16}{f'{name} cpu':>16}" for name in results)
    print(f"{'abstracts/s':<24}{heads}")
    for step in next(iter(results.values())):
        cells = "".join(
            f"{rates[step][0]:>16,.0f}{rates[step][1]:>16,.0f}" for rates in results.values()
        )
        print(f"{step:<24}{cells}")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
