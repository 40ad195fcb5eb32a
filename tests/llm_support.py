"""Papers, scripted claims and helpers shared by the LLM backend tests.

The abstracts are invented for these tests. Each comes with the claims a good
model would return, written as the model would (evidence possibly with "x" for
"×" or a slightly misquoted word, to exercise normalised and fuzzy alignment).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from claimex.backends.llm.extractor import LLMExtractor, create_llm_extractor
from claimex.model import Paper
from claimex.pipeline import run_extraction
from claimex.stages import RunResult
from claimex.store import open_store
from claimex.store.papers import upsert_papers
from claimex.testing.openai_stub import StubOpenAIServer

MODEL = "stub-model"
FAST = {"backoff_base": 0.001, "timeout": 2.0}  # keep retries in milliseconds

QUILL = Paper(
    id="quill",
    title="QuillServe: batching without tears",
    abstract=(
        "QuillServe answers 3.1x more requests per second than vLLM and lowers median latency "
        "by 27% on a single A100 GPU."
    ),
)
TERN = Paper(
    id="tern",
    title="TernNet",
    abstract=(
        "On ImageNet, TernNet reaches 78.4% top-1 accuracy while using 4× less memory than its "
        "FP16 counterpart, and it reduces energy usage by 19 percent."
    ),
)
SURVEY = Paper(
    id="survey",
    title="A survey of serving traces",
    abstract="We describe a collection of 2,000 serving traces and discuss open problems.",
)


def claim(**fields: Any) -> dict[str, Any]:
    """A claim as the model returns it: spec defaults plus the given fields."""
    base: dict[str, Any] = {
        "value_max": None,
        "bound": "exact",
        "direction": None,
        "baselines": [],
        "system": None,
        "hardware": None,
        "workload": None,
        "condition": None,
    }
    return base | fields


QUILL_CLAIMS = [
    claim(
        metric="requests per second",
        category="throughput",
        kind="ratio",
        value=3.1,
        unit="x",
        direction="increase",
        baselines=["vLLM"],
        system="QuillServe",
        hardware="single A100 GPU",
        evidence="3.1x more requests per second",
    ),
    claim(
        metric="median latency",
        category="latency",
        kind="percent_change",
        value=27,
        unit="%",
        direction="decrease",
        system="QuillServe",
        hardware="single A100 GPU",
        evidence="lowers median latency by 27%",
    ),
]
TERN_CLAIMS = [
    claim(
        metric="top-1 accuracy",
        category="accuracy",
        kind="absolute",
        value=78.4,
        unit="%",
        system="TernNet",
        workload="ImageNet",
        evidence="TernNet reaches 78.4% top-1 accuracy",
    ),
    claim(  # the model typed "x" for "×": a normalised match
        metric="memory",
        category="memory",
        kind="ratio",
        value=4,
        unit="x",
        direction="decrease",
        baselines=["FP16 counterpart"],
        system="TernNet",
        evidence="4x less memory",
    ),
    claim(  # "use" for "usage": a fuzzy match
        metric="energy usage",
        category="energy",
        kind="percent_change",
        value=19,
        unit="%",
        direction="decrease",
        system="TernNet",
        evidence="reduces energy use by 19 percent",
    ),
]


def numbered_copies(paper: Paper, n: int) -> list[Paper]:
    """n distinct papers with the same claims: "0 <abstract>", "1 <abstract>", ..."""
    return [
        paper.model_copy(update={"id": f"{paper.id}{i}", "abstract": f"{i} {paper.abstract}"})
        for i in range(n)
    ]


def papers_db(tmp_path: Path, papers: Sequence[Paper]) -> duckdb.DuckDBPyConnection:
    con = open_store(tmp_path / "claims.duckdb")
    upsert_papers(con, papers)
    return con


def backend(
    con: duckdb.DuckDBPyConnection | None, server: StubOpenAIServer, **overrides: Any
) -> LLMExtractor:
    settings: dict[str, Any] = {"base_url": server.base_url, "model": MODEL, **FAST}
    return create_llm_extractor(con, environ={}, **(settings | overrides))


def extract(
    con: duckdb.DuckDBPyConnection,
    server: StubOpenAIServer,
    papers: Sequence[Paper],
    *,
    concurrency: int = 4,
    new_run: bool = False,
    **overrides: Any,
) -> RunResult:
    return asyncio.run(
        run_extraction(
            con,
            backend(con, server, **overrides),
            papers,
            concurrency=concurrency,
            new_run=new_run,
        )
    )


def stored_claims(
    con: duckdb.DuckDBPyConnection, run_id: int | None = None
) -> list[tuple[Any, ...]]:
    """(paper_id, value, unit, evidence, alignment) of stored claims, in a stable order."""
    where = "" if run_id is None else f"WHERE run_id = {int(run_id)}"
    return con.execute(
        f"SELECT paper_id, value, unit, evidence, alignment FROM claims {where}"
        " ORDER BY paper_id, ordinal"
    ).fetchall()


def calls(con: duckdb.DuckDBPyConnection, paper_id: str) -> list[dict[str, Any]]:
    """The llm_calls rows of one paper, oldest first, as dicts."""
    cursor = con.execute("SELECT * FROM llm_calls WHERE paper_id = ? ORDER BY id", [paper_id])
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def all_text(con: duckdb.DuckDBPyConnection) -> str:
    """Every value of every table, as one string (to search for leaked secrets)."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    return "\n".join(str(con.execute(f"SELECT * FROM {t}").fetchall()) for t in tables)
