"""Benchmark: a synthetic arXiv-snapshot corpus through ingest, rules extract and queries.

Writes N abstracts (shaped like bench_rules.py's: ~1,600 characters, 0-3 result
sentences) as a gzip'd arXiv metadata snapshot, then times the real CLI as
subprocesses: `claimex ingest --category cs.DC` (every record is in cs.DC, a tenth
also in cs.LG), `claimex extract --backend rules --workers W`, a GROUP BY over
all claims and a typical latest_claims query. Prints wall time, the peak RSS of
the largest process, and the database size. --llm also runs bench/bench_llm.py
so both sets of figures come from one run.

    .venv/bin/python bench/bench_scale.py --papers 1000000 --workers 2
    .venv/bin/python bench/bench_scale.py --papers 100000 --llm
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from bench_rules import synthetic_abstract

BENCH = Path(__file__).resolve().parent
CLI = [sys.executable, "-c", "from claimex.cli import app; app()"]
GROUP_BY = (
    "SELECT category, kind, count(*) AS claims, count(DISTINCT paper_id) AS papers,"
    " median(value) AS median_value FROM claims GROUP BY ALL ORDER BY claims DESC"
)
TYPICAL = (
    "SELECT paper_id, title, metric, value, unit, baselines FROM latest_claims"
    " WHERE category = 'speedup' AND system = 'FlowKV' AND list_contains(baselines, 'vLLM')"
    " ORDER BY value DESC LIMIT 20"
)


def write_snapshot(path: Path, papers: int, seed: int) -> None:
    rng = random.Random(seed)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for i in range(papers):
            abstract, title = synthetic_abstract(rng)
            record = {
                "id": f"{2400 + i // 100_000}.{i % 100_000:05d}",
                "authors": "A. Author and B. Author",
                "title": f"{title} ({i})",
                "categories": "cs.DC cs.LG" if i % 10 == 0 else "cs.DC",
                "abstract": abstract,
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2024 19:18:42 GMT"}],
                "update_date": "2024-04-03",
                "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""]],
            }
            out.write(json.dumps(record) + "\n")


def timed(label: str, args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{label} failed ({done.returncode}): {done.stderr.strip()}")
    last = done.stderr.strip().splitlines()
    print(f"{label:<28} {seconds:8.1f} s   {last[-2] if len(last) > 1 else ''}", flush=True)
    return seconds


def query_ms(con: duckdb.DuckDBPyConnection, query: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        con.execute(query).fetchall()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--llm", action="store_true", help="also run bench/bench_llm.py")
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = args.dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus, db = work / "arxiv-snapshot.json.gz", work / "bench.duckdb"
        db.unlink(missing_ok=True)
        started = time.perf_counter()
        write_snapshot(corpus, args.papers, args.seed)
        size = corpus.stat().st_size / 1e6
        print(f"corpus: {args.papers:,} abstracts, {size:.0f} MB gzip'd, written in "
              f"{time.perf_counter() - started:.1f} s (not counted)")  # fmt: skip
        total = timed("ingest --category cs.DC", [*CLI, "ingest", corpus, "--category", "cs.DC",
                                                   "--db", db])  # fmt: skip
        total += timed(
            f"extract rules, {args.workers} workers",
            [*CLI, "extract", "--backend", "rules", "--workers", str(args.workers),
             "--batch-size", str(args.batch_size), "--db", db],
        )  # fmt: skip
        started = time.perf_counter()
        con = duckdb.connect(str(db), read_only=True)
        rows = con.execute(GROUP_BY).fetchall()
        group_s = time.perf_counter() - started
        total += group_s
        claims = sum(r[2] for r in rows)
        print(f"{'GROUP BY over all claims':<28} {group_s:8.1f} s   {len(rows)} groups, "
              f"{claims:,} claims")  # fmt: skip
        typical = query_ms(con, TYPICAL)
        con.close()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"total (ingest + extract + query): {total:.1f} s = {total / 60:.1f} min")
        print(f"typical latest_claims query: {typical:.0f} ms (median of 5)")
        print(f"peak RSS of the largest process: {peak:.0f} MB")
        print(f"database size: {db.stat().st_size / 1e6:.0f} MB")
    if args.llm:
        print("\nLLM pipeline (bench/bench_llm.py):", flush=True)
        subprocess.run([sys.executable, BENCH / "bench_llm.py"], check=True)


if __name__ == "__main__":
    main()
