"""Benchmark: synthetic abstracts through the full LLM pipeline against the loopback stub server.

Every layer is real: the openai and instructor clients, HTTP on 127.0.0.1, the
grounding validator, the llm_calls log and one DuckDB transaction per paper.
Only the model is replaced, by claimex.testing.openai_stub answering after a
fixed latency, in its own process (as a real server would be) so that it does
not compete with claimex for the GIL. With latency L and concurrency C no client
can beat C / L abstracts per second, so the ratio to that bound measures what
claimex's own work costs; at latency 0 the rate is the pipeline's ceiling. A
second pass (--new-run) is answered from the llm_calls cache.

    .venv/bin/python bench/bench_llm.py           # 1,000 abstracts, c=32, latency 0 and 200 ms
    .venv/bin/python bench/bench_llm.py --concurrency 8 --latency 0.2

Prompt tokens per abstract are split into the static prefix (system prompt with
the worked examples, the first message of every request, so servers' prefix
caches reuse it) and the paper's own message, by the stub's estimate (four
characters a token; the tools schema of TOOLS mode is not counted).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from claimex.backends.llm.extractor import create_llm_extractor
from claimex.model import Paper
from claimex.pipeline import run_extraction
from claimex.store import open_store
from claimex.store.papers import upsert_papers
from claimex.testing.openai_stub import Answer, Reply, StubOpenAIServer, estimate_tokens

SYSTEMS = ["QuillServe", "TernNet", "FlowKV", "SparseSeg", "HexaBatch", "LumaRoute"]
BASELINES = ["vLLM", "SGLang", "Orca", "TensorRT-LLM", "DeepSpeed", "FasterTransformer"]


@dataclass(frozen=True)
class Figures:
    label: str
    papers: int
    seconds: float
    requests: int
    peak_in_flight: int
    claims: int
    cpu_seconds: float  # this process's CPU (the server runs in another)
    input_tokens: int  # prompt tokens the server counted (system prompt + examples + paper)
    server_cpu_seconds: float = 0.0  # the stub server process's CPU over the pass

    @property
    def rate(self) -> float:
        return self.papers / self.seconds


def synthetic_corpus(n: int, seed: int = 1) -> tuple[list[Paper], dict[str, list[Reply]]]:
    """n abstracts of ~90 words with two or three claims each, and the answer for each."""
    rng = random.Random(seed)
    papers: list[Paper] = []
    scripts: dict[str, list[Reply]] = {}
    for i in range(n):
        system, baseline = rng.choice(SYSTEMS), rng.choice(BASELINES)
        speedup = round(rng.uniform(1.2, 9.9), 1)
        cut = rng.randint(11, 79)
        accuracy = round(rng.uniform(60, 99), 1)
        abstract = (
            f"Serving large models cheaply remains hard (study {i}). We present {system}, which "
            f"schedules prefill and decode on separate workers and reuses the key-value cache "
            f"across requests. On a single A100 GPU, {system} delivers {speedup}x higher "
            f"throughput than {baseline} and reduces tail latency by {cut}% under bursty load. "
            f"A distilled variant keeps {accuracy}% accuracy on the held-out set. We release "
            "the code and traces."
        )
        claims: list[dict[str, Any]] = [
            _claim(
                "throughput",
                "throughput",
                "ratio",
                speedup,
                "x",
                "increase",
                baseline,
                system,
                f"{speedup}x higher throughput",
            ),
            _claim(
                "tail latency",
                "latency",
                "percent_change",
                cut,
                "%",
                "decrease",
                baseline,
                system,
                f"reduces tail latency by {cut}%",
            ),
            _claim(
                "accuracy",
                "accuracy",
                "absolute",
                accuracy,
                "%",
                None,
                None,
                system,
                f"keeps {accuracy}% accuracy",
            ),
        ][: rng.choice((2, 3))]
        papers.append(
            Paper(id=f"synthetic-{i:05d}", title=f"{system} study {i}", abstract=abstract)
        )
        scripts[abstract] = [Answer(claims)]
    return papers, scripts


def _claim(
    metric: str,
    category: str,
    kind: str,
    value: float,
    unit: str,
    direction: str | None,
    baseline: str | None,
    system: str,
    evidence: str,
) -> dict[str, Any]:
    return {
        "metric": metric,
        "category": category,
        "kind": kind,
        "value": value,
        "value_max": None,
        "bound": "exact",
        "unit": unit,
        "direction": direction,
        "baselines": [baseline] if baseline else [],
        "system": system,
        "hardware": "single A100 GPU",
        "workload": None,
        "condition": None,
        "evidence": evidence,
    }


def _serve(scripts: dict[str, list[Reply]], latency: float, pipe: Connection) -> None:
    with StubOpenAIServer(scripts, latency=latency) as server:
        pipe.send(server.base_url)
        pipe.recv()  # until the benchmark is done with this server


def _stats(base_url: str) -> dict[str, float]:
    with urllib.request.urlopen(f"{base_url}/stats") as response:
        stats: dict[str, float] = json.load(response)
        return stats


def run_once(
    workdir: Path,
    papers: list[Paper],
    scripts: dict[str, list[Reply]],
    *,
    latency: float,
    concurrency: int,
    mode: str,
) -> tuple[Figures, Figures]:
    """A fresh database: one extraction that asks the server, then a rerun the cache answers."""
    db = workdir / f"bench-{latency:g}-{concurrency}-{mode}.duckdb"
    con = open_store(db)
    upsert_papers(con, papers)
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_serve, args=(scripts, latency, theirs), daemon=True
    )
    server.start()
    try:
        base_url = ours.recv()
        backend = create_llm_extractor(
            con, environ={}, base_url=base_url, model="bench", mode=mode, timeout=30
        )
        figures = []
        for label, new_run in (("requests", False), ("cache rerun", True)):
            before = _stats(base_url)
            started, cpu = time.perf_counter(), time.process_time()
            result = asyncio.run(
                run_extraction(con, backend, papers, concurrency=concurrency, new_run=new_run)
            )
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu
            after = _stats(base_url)
            if result.papers_failed:
                raise SystemExit(f"{result.papers_failed} papers failed: {result.failures[:3]}")
            figures.append(
                Figures(
                    label,
                    result.papers_ok,
                    seconds,
                    int(after["requests"] - before["requests"]),
                    int(after["peak_in_flight"]) if new_run is False else 0,
                    result.claims,
                    cpu_seconds,
                    result.input_tokens,
                    after["cpu_seconds"] - before["cpu_seconds"],
                )
            )
    finally:
        ours.send("stop")
        server.join(timeout=10)
        con.close()
    return figures[0], figures[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 0.2])
    parser.add_argument(
        "--mode", default="tools", choices=["tools", "json_schema", "json", "md_json"]
    )
    args = parser.parse_args()

    papers, scripts = synthetic_corpus(args.papers)
    print(
        f"{args.papers} synthetic abstracts, concurrency {args.concurrency}, mode {args.mode}, "
        "stub server on 127.0.0.1"
    )
    header = f"{'latency':>8} {'pass':<12} {'seconds':>8} {'abstracts/s':>12} {'bound/s':>8} "
    print(
        header + f"{'ratio':>6} {'requests':>8} {'peak':>5} {'claims':>7} {'cpu ms/abs':>10} "
        f"{'server ms/req':>13} {'tokens/abs':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for latency in args.latency:
            for fig in run_once(
                Path(tmp),
                papers,
                scripts,
                latency=latency,
                concurrency=args.concurrency,
                mode=args.mode,
            ):
                asks = fig.label == "requests"
                bound = args.concurrency / latency if latency > 0 and asks else None
                bound_text = f"{bound:.1f}" if bound else "-"  # no bound without latency
                ratio_text = f"{fig.rate / bound:.2f}" if bound else "-"
                print(
                    f"{latency * 1000:>6.0f}ms {fig.label:<12} {fig.seconds:>8.2f} "
                    f"{fig.rate:>12.1f} {bound_text:>8} {ratio_text:>6} "
                    f"{fig.requests:>8} {fig.peak_in_flight:>5} {fig.claims:>7} "
                    f"{fig.cpu_seconds / fig.papers * 1000:>10.2f} "
                    f"{_per_request_ms(fig):>13} "
                    f"{fig.input_tokens / max(fig.requests, 1):>10.0f}"
                )
    static, paper = prompt_tokens(papers, args.mode)
    print(
        f"prompt tokens per abstract: {static:,} static prefix (system prompt + worked "
        f"examples, first in every request) + {paper:,.0f} the paper's message (mean)"
    )


def _per_request_ms(fig: Figures) -> str:
    if not fig.requests:
        return "-"
    return f"{fig.server_cpu_seconds / fig.requests * 1000:.2f}"


def prompt_tokens(papers: list[Paper], mode: str = "tools") -> tuple[int, float]:
    """Estimated tokens of the static prefix, and of the paper's own message on average."""
    prompt = create_llm_extractor(
        None, environ={}, base_url="http://127.0.0.1:9/v1", mode=mode
    ).prompt
    static = estimate_tokens(json.dumps(prompt.messages("", "")[:1]))
    paper = sum(
        estimate_tokens(json.dumps(prompt.messages(p.title, p.abstract)[1:])) for p in papers
    )
    return static, paper / max(len(papers), 1)


if __name__ == "__main__":
    main()
