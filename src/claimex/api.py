"""The Python API: claims from one abstract, grounded exactly as the pipeline grounds them."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from claimex.backends import create_backend
from claimex.errors import ClaimexError
from claimex.model import GroundedClaim, Paper
from claimex.pipeline import close_backend, ground_extraction
from claimex.stages import Extraction, Extractor

T = TypeVar("T")


def extract(text: str, title: str | None = None, backend: str = "rules") -> list[GroundedClaim]:
    """The quantitative claims in one abstract, each grounded in the text (evidence offsets set).

    `backend` names an extractor ("rules" works offline; "llm" needs an endpoint). Claims
    whose evidence or value cannot be found in the text are dropped, as in `claimex extract`.
    """
    if not text.strip():
        raise ClaimexError("extract: the text is empty")
    paper = Paper(id="api", title=title or "(untitled)", abstract=text)
    extraction = _run(_extract_and_close(create_backend(backend), paper))
    grounded, _ = ground_extraction(extraction.claims, text)
    return grounded


async def _extract_and_close(extractor: Extractor, paper: Paper) -> Extraction:
    """One extraction, then release what the backend holds open, in the same event loop."""
    try:
        return await extractor.extract(paper)
    finally:
        await close_backend(extractor)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:  # e.g. inside a notebook's event loop
        return pool.submit(asyncio.run, coroutine).result()
