"""Benchmark: ingesting records without ids, whose titles share slugs, against the same with ids.

Without an `id`, a paper's id is the slug of its title and papers sharing a slug
get -2, -3, ...; this used to probe every earlier suffix (quadratic: 200,000
records took minutes). Writes N JSON-lines records (default 200,000; titles from
a few hundred heads, so thousands share each slug) once without and once with
ids, and prints seconds to read + assign ids and to write them into a fresh
DuckDB file.

    .venv/bin/python bench/bench_ingest_ids.py                  # 200,000 records
    .venv/bin/python bench/bench_ingest_ids.py --records 20000
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from claimex.readers import read_papers
from claimex.store import open_store, transaction
from claimex.store.papers import upsert_papers

HEADS = [f"{name}{n}" for name in ("Quill", "Tern", "Flow", "Luma", "Hexa") for n in range(60)]


def write_corpus(path: Path, records: int, with_ids: bool, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            record = {
                "title": f"{rng.choice(HEADS)}: serving study {i}",
                "abstract": f"Paper {i} reports that it is {rng.randint(2, 9)}x faster than vLLM.",
            }
            if with_ids:
                record["id"] = f"paper-{i}"
            out.write(json.dumps(record) + "\n")


def measure(records: int, with_ids: bool, seed: int, workdir: Path) -> tuple[float, float]:
    source = workdir / f"corpus-{with_ids}.jsonl"
    write_corpus(source, records, with_ids, seed)
    started = time.perf_counter()
    papers = read_papers(source)
    parsed = time.perf_counter()
    con = open_store(workdir / f"bench-{with_ids}.duckdb")
    try:
        with transaction(con):
            upsert_papers(con, papers)
    finally:
        con.close()
    assert len(papers) == records
    return parsed - started, time.perf_counter() - parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for with_ids in (False, True):
            read_s, write_s = measure(args.records, with_ids, args.seed, Path(tmp))
            label = "with ids   " if with_ids else "without ids"
            print(
                f"{args.records} records {label}: read + assign ids {read_s:.1f} s, "
                f"write {write_s:.1f} s, total {read_s + write_s:.1f} s"
            )


if __name__ == "__main__":
    main()
