"""Benchmark: a Batch API round trip through claimex against the loopback stub's /v1/batches.

Builds the request file (the llm backend's requests, one per abstract), uploads
it, creates the batch, lets the stub answer every line, downloads the output
file and collects it (parse, ground, llm_calls log, one run). Prints the time
of each step and the request file's size per abstract, which bounds how many
abstracts fit in one 200 MB batch file.

    .venv/bin/python bench/bench_batch.py            # 1,000 synthetic abstracts
    .venv/bin/python bench/bench_batch.py --papers 5000
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench_llm import synthetic_corpus

from claimex import batch as batches
from claimex.store import open_store, transaction
from claimex.store.papers import upsert_papers
from claimex.testing.openai_stub import StubOpenAIServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    args = parser.parse_args()
    papers, scripts = synthetic_corpus(args.papers)
    with tempfile.TemporaryDirectory() as tmp, StubOpenAIServer(scripts) as server:
        con = open_store(Path(tmp) / "bench.duckdb")
        with transaction(con):
            upsert_papers(con, papers)
        settings = {"base_url": server.base_url, "model": "bench"}
        extractor = batches.request_builder(con, settings, {}, send=True)
        client = batches.open_client(extractor.settings, "unused")
        marks = [time.perf_counter()]
        plan = asyncio.run(batches.plan_batch(con, extractor, papers))
        marks.append(time.perf_counter())
        record = batches.submit(con, extractor, plan, client)
        marks.append(time.perf_counter())
        while record.status not in batches.TERMINAL:  # the stub answers on the first polls
            record, _ = batches.refresh(con, record, client)
        marks.append(time.perf_counter())
        answers = batches.download_results(record, client)
        marks.append(time.perf_counter())
        reader = batches.batch_extractor(con, record, batches.batch_settings(record, {}), "x")
        result = asyncio.run(batches.collect(con, record, reader, answers))
        marks.append(time.perf_counter())
        con.close()
    n = len(papers)
    steps = ["build requests", "upload + create", "stub answers", "download + parse", "collect"]
    print(f"{n} abstracts, {len(plan.data) / n / 1000:.1f} kB of request file per abstract")
    print(f"{'step':<18} {'seconds':>8} {'ms/abstract':>12}")
    for step, start, end in zip(steps, marks[:-1], marks[1:], strict=True):
        print(f"{step:<18} {end - start:>8.2f} {(end - start) / n * 1000:>12.2f}")
    print(
        f"stored: {result.papers_ok} papers ok, {result.papers_failed} failed, "
        f"{result.claims} claims; {batches.MAX_BYTES // len(plan.data) * n} abstracts fit "
        "in one 200 MB file"
    )


if __name__ == "__main__":
    main()
