"""The Python API: extract claims the way `claimex extract` does, from a notebook or a script.

The backend is chosen as the CLI chooses it (claimex.backends.choice): a named one, else
llm when LLM settings are given or configured (environment, ./claimex.toml, the API key
variable named by api_key_env), else the offline rules backend. Claims are grounded
exactly as the pipeline grounds them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from claimex.backends.choice import RULES, BackendChoice, build_backend, choose_backend
from claimex.errors import ClaimexError, SettingError
from claimex.model import GroundedClaim, Paper
from claimex.parallel import DEFAULT_BATCH_SIZE, run_batched
from claimex.pipeline import DEFAULT_CONCURRENCY, close_backend, ground_extraction, run_extraction
from claimex.readers import InputFormat, iter_papers
from claimex.stages import Backend, Extraction, PaperOutcome, RunResult
from claimex.store import transaction
from claimex.store.papers import IngestCounts, load_papers, upsert_papers
from claimex.store.sharing import WriteStore, as_store

T = TypeVar("T")
INGEST_BATCH = 10_000  # papers per insert while ingesting


class Extractor:
    """A backend chosen once, then used on texts (`extract`) or on a store's papers (`run`).

    `options` are LLM settings named as in claimex.toml (model, base_url, api_key_env,
    mode, temperature, max_retries, timeout, cache, prompts_dir); giving any picks llm.
    With `store` (a connection from open_store) the llm backend logs and caches calls there.
    """

    def __init__(
        self,
        backend: str | None = None,
        *,
        store: duckdb.DuckDBPyConnection | None = None,
        **options: Any,
    ) -> None:
        self.choice: BackendChoice = choose_backend(backend, options)
        self.backend: Backend = build_backend(self.choice, options, store)

    @property
    def name(self) -> str:
        return self.backend.name

    def extract(self, text: str, title: str | None = None) -> list[GroundedClaim]:
        """The claims of one abstract, each grounded in the text (evidence offsets set).

        Claims whose evidence or value is not in the text are dropped, as in a run.
        """
        if not text.strip():
            raise ClaimexError("extract: the text is empty")
        paper = Paper(id="api", title=title or "(untitled)", abstract=text)
        extract_now = getattr(self.backend, "extract_now", None)  # no event loop needed
        extraction = (
            extract_now(paper) if extract_now is not None else _run(self._extract_and_close(paper))
        )
        grounded, _ = ground_extraction(extraction.claims, text, extraction.rules)
        return grounded

    def run(
        self,
        store: duckdb.DuckDBPyConnection | WriteStore,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        workers: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
        resume: int | None = None,
        new_run: bool = False,
        on_paper: Callable[[PaperOutcome], None] | None = None,
        on_batch: Callable[[RunResult], None] | None = None,
    ) -> RunResult:
        """Extract every paper of the store not yet done into a run, as `claimex extract` does.

        The rules backend goes batch by batch (batch_size papers per transaction, workers
        processes; on_batch gets each batch's counts); other backends write each paper as
        it is answered, concurrency at a time (on_paper gets each outcome). A rerun with the
        same configuration continues the same run (resume names one, new_run starts afresh).
        store may be a store.sharing.SharedWriter, which lets readers in between batches.
        """
        if self.name != RULES:
            if workers > 1:
                raise SettingError("{workers} is for the rules backend; use {concurrency}")
            con = as_store(store).connection()
            papers = load_papers(con)
            return _run(
                run_extraction(
                    con,
                    self.backend,
                    papers,
                    concurrency=concurrency,
                    resume=resume,
                    new_run=new_run,
                    on_paper=on_paper,
                )
            )
        return run_batched(
            store,
            self.backend,
            workers=workers,
            batch_size=batch_size,
            resume=resume,
            new_run=new_run,
            on_batch=on_batch,
        )

    async def _extract_and_close(self, paper: Paper) -> Extraction:
        """One extraction, then release what the backend holds open, in the same event loop."""
        try:
            return await self.backend.extract(paper)
        finally:
            await close_backend(self.backend)


def ingest(
    store: duckdb.DuckDBPyConnection,
    *paths: str | Path,
    fmt: InputFormat = InputFormat.AUTO,
    category: str | None = None,
) -> list[IngestCounts]:
    """Stream files into the store, as `claimex ingest` does: each file's counts, in order.

    One transaction for all files, so a bad record in any of them writes nothing; papers
    go in batches, so memory stays flat. category keeps only that arXiv category.
    """
    counted: list[IngestCounts] = []
    with transaction(store):
        for path in paths:
            counts = IngestCounts()
            papers = iter(iter_papers(Path(path), fmt, category))
            while chunk := list(islice(papers, INGEST_BATCH)):
                counts.add(upsert_papers(store, chunk))
            counted.append(counts)
    return counted


def extract(
    text: str, backend: str | None = None, *, title: str | None = None, **options: Any
) -> list[GroundedClaim]:
    """The quantitative claims in one abstract, grounded in the text: Extractor(...).extract."""
    return Extractor(backend, **options).extract(text, title)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:  # e.g. inside a notebook's event loop
        return pool.submit(asyncio.run, coroutine).result()
