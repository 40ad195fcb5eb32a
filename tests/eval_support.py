"""Helpers for the eval tests: claims by hand, runs written into real DuckDB files,
and small test-only extractors that the tests register by name."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from claimex.cli import app
from claimex.evaluate import load_gold, load_papers_file
from claimex.grounding import ground_claim
from claimex.model import Category, Claim, GroundedClaim, Paper
from claimex.stages import Extraction, PaperOutcome, RunSpec, RunStatus, Status
from claimex.store import open_store, transaction
from claimex.store.papers import upsert_papers
from claimex.store.runs import create_run, finish_run, record_paper

REPO = Path(__file__).resolve().parents[1]
PAPERS = REPO / "eval" / "papers.jsonl"
GOLD = REPO / "eval" / "gold.jsonl"


def claim(value: float, unit: str = "x", **fields: Any) -> Claim:
    """A valid claim with defaults that fit the unit: "x" is a ratio (decrease), else absolute."""
    ratio = unit == "x"
    data: dict[str, Any] = {
        "metric": "latency",
        "category": "latency",
        "kind": "ratio" if ratio else "absolute",
        "value": value,
        "unit": unit,
        "direction": "decrease" if ratio else None,
        "evidence": f"{value:g}{unit}",
    }
    if fields.get("value_max") is not None:
        data["bound"] = "range"
    data.update(fields)
    return Claim.model_validate(data)


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_gold(path: Path, gold: Mapping[str, Sequence[Claim]]) -> Path:
    return write_jsonl(
        path,
        (
            {"paper_id": pid, "claims": [c.model_dump(mode="json") for c in claims]}
            for pid, claims in gold.items()
        ),
    )


def _as_stored(claim: Claim, abstract: str) -> GroundedClaim:
    """Grounded like the pipeline does; a claim whose evidence is not in the abstract is
    stored as given (what an older run over a different abstract text would hold)."""
    if claim.evidence in abstract:
        return ground_claim(claim, abstract)
    return GroundedClaim.model_validate(
        {**claim.model_dump(), "evidence_start": 0, "evidence_end": 0}
    )


def store_run(
    db: Path,
    papers: Sequence[Paper],
    claims: Mapping[str, Sequence[Claim]],
    *,
    backend: str = "hand",
    model: str | None = None,
    failed: Iterable[str] = (),
    dropped: Mapping[str, int] | None = None,
) -> int:
    """Write claims as one completed run (every paper ok unless listed in failed; dropped
    counts claims the extractor discarded per paper)."""
    con = open_store(db)
    try:
        with transaction(con):
            upsert_papers(con, papers)
        spec = RunSpec(backend=backend, fingerprint=uuid.uuid4().hex, model=model)
        run_id = create_run(con, spec)
        failed = set(failed)
        for paper in papers:
            if paper.id in failed:
                outcome = PaperOutcome(paper.id, Status.FAILED, [], reason="test failure")
            else:
                stored = [_as_stored(c, paper.abstract) for c in claims.get(paper.id, ())]
                kept = (dropped or {}).get(paper.id, 0)
                outcome = PaperOutcome(paper.id, Status.OK, stored, kept)
            record_paper(con, run_id, outcome)
        finish_run(con, run_id, RunStatus.COMPLETED)
        return run_id
    finally:
        con.close()


def repo_gold() -> tuple[list[Paper], dict[str, list[Claim]]]:
    papers = load_papers_file(PAPERS)
    return papers, load_gold(GOLD, papers)


class FixedBackend:
    """A test-only extractor that answers from a dict of claims (a real Backend)."""

    def __init__(self, name: str, claims: Mapping[str, Sequence[Claim]]) -> None:
        self.name = name
        self._claims = claims
        self.calls = 0

    def run_spec(self) -> RunSpec:
        return RunSpec(backend=self.name, fingerprint=self.name, model="fixed-answers")

    async def extract(self, paper: Paper) -> Extraction:
        self.calls += 1
        return Extraction(claims=list(self._claims.get(paper.id, ())))


def oracle_backend() -> FixedBackend:
    """Answers every paper of eval/papers.jsonl with its gold claims."""
    return FixedBackend("gold-oracle", repo_gold()[1])


def silent_backend() -> FixedBackend:
    """Finds nothing anywhere."""
    return FixedBackend("silent", {})


def run_cli(*args: object) -> Result:
    """`claimex ARGS...` in-process; Result has exit_code, stdout and stderr apart."""
    return CliRunner().invoke(app, [str(a) for a in args])


def eval_json(*args: object) -> dict[str, Any]:
    """`claimex eval ARGS... --json`, asserted to succeed, parsed."""
    result = run_cli("eval", *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


SMALL_PAPERS = [
    {
        "id": "serve",
        "title": "ServeX: fast serving",
        "abstract": "ServeX serves 4.48x more requests than vLLM and cuts time to first token to "
        "0.8 ms on 8 A100 GPUs. Its accuracy stays at 97.7%.",
    },
    {
        "id": "train",
        "title": "TrainY: fast training",
        "abstract": "TrainY trains 2.5x faster than Megatron and reduces memory by 28-71%.",
    },
    {
        "id": "survey",
        "title": "A survey of serving",
        "abstract": "A survey of serving systems that reports no measurements of its own.",
    },
]

REQUESTS = claim(
    4.48,
    category="throughput",
    metric="requests served",
    direction="increase",
    baselines=["vLLM"],
    system="ServeX",
    evidence="serves 4.48x more requests than vLLM",
)
TTFT = claim(
    0.8, "ms", metric="time to first token", hardware="8 A100 GPUs", evidence="0.8 ms on 8 A100"
)
ACCURACY = claim(97.7, "%", category="accuracy", metric="accuracy", evidence="stays at 97.7%")
SPEED = claim(
    2.5,
    category="speedup",
    metric="training speed",
    direction="increase",
    baselines=["Megatron"],
    evidence="trains 2.5x faster than Megatron",
)
MEMORY = claim(
    28.0,
    "%",
    value_max=71.0,
    category="memory",
    kind="percent_change",
    direction="decrease",
    metric="memory",
    evidence="reduces memory by 28-71%",
)
SMALL_GOLD: dict[str, list[Claim]] = {
    "serve": [REQUESTS, TTFT, ACCURACY],
    "train": [SPEED, MEMORY],
    "survey": [],
}
SPURIOUS = claim(8.0, metric="GPUs", evidence="8 A100 GPUs")
FLAWED: dict[str, list[Claim]] = {
    # 4.48x matched with the wrong category, 97.7% missed, a spurious "8x"
    "serve": [REQUESTS.model_copy(update={"category": Category.SPEEDUP}), TTFT, SPURIOUS],
    "train": [SPEED, MEMORY],
}


def small_corpus(directory: Path) -> tuple[Path, Path, list[Paper]]:
    """papers and gold files of three made-up abstracts, written under directory."""
    directory.mkdir(parents=True, exist_ok=True)
    papers_path = write_jsonl(directory / "papers.jsonl", SMALL_PAPERS)
    gold_path = write_gold(directory / "gold.jsonl", SMALL_GOLD)
    return papers_path, gold_path, load_papers_file(papers_path)


class FlakyBackend(FixedBackend):
    """Gold answers, except that it fails on DistServe (a failed paper, as a network error)."""

    async def extract(self, paper: Paper) -> Extraction:
        if paper.id == "distserve":
            raise ConnectionError("connection reset")
        return await super().extract(paper)


def flaky_backend() -> FixedBackend:
    return FlakyBackend("flaky", repo_gold()[1])
