"""The Python API: extract claims the way `claimex extract` does, from a notebook or a script.

The backend is chosen as the CLI chooses it (claimex.backends.choice): a named one, else
llm when LLM settings are given or configured (environment, ./claimex.toml, the API key
variable named by api_key_env), else the offline rules backend. Claims are grounded
exactly as the pipeline grounds them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import duckdb

from claimex.backends.choice import BackendChoice, build_backend, choose_backend
from claimex.errors import ClaimexError
from claimex.model import GroundedClaim, Paper
from claimex.pipeline import DEFAULT_CONCURRENCY, close_backend, ground_extraction, run_extraction
from claimex.stages import Backend, Extraction, RunResult
from claimex.store.papers import load_papers

T = TypeVar("T")


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
        extraction = _run(self._extract_and_close(paper))
        grounded, _ = ground_extraction(extraction.claims, text, extraction.rules)
        return grounded

    def run(
        self,
        store: duckdb.DuckDBPyConnection,
        papers: Sequence[Paper] | None = None,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        resume: int | None = None,
        new_run: bool = False,
    ) -> RunResult:
        """Extract the store's papers (or `papers`, already in it) into a run, as the CLI does."""
        todo = list(papers) if papers is not None else load_papers(store)
        return _run(
            run_extraction(
                store, self.backend, todo, concurrency=concurrency, resume=resume, new_run=new_run
            )
        )

    async def _extract_and_close(self, paper: Paper) -> Extraction:
        """One extraction, then release what the backend holds open, in the same event loop."""
        try:
            return await self.backend.extract(paper)
        finally:
            await close_backend(self.backend)


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
