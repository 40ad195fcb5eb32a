"""Which extractor a command runs: an explicit --backend, else llm when one is configured."""

from __future__ import annotations

import os
from typing import Any

import duckdb

from claimex.backends import create_backend
from claimex.backends.llm.client import endpoint
from claimex.backends.llm.extractor import LLMExtractor
from claimex.cli.app import err
from claimex.cli.llm_options import option_names
from claimex.errors import ClaimexError
from claimex.stages import Extractor


def choose_backend(backend: str | None, llm_overrides: dict[str, Any]) -> tuple[str, str]:
    """(name, why): --backend wins; LLM options, CLAIMEX_BASE_URL or OPENAI_API_KEY mean llm."""
    if backend:
        name, why = backend, f"--backend {backend}"
    elif llm_overrides:
        name, why = "llm", f"{option_names(llm_overrides)} given"
    elif os.environ.get("CLAIMEX_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        name, why = "llm", "CLAIMEX_BASE_URL or OPENAI_API_KEY is set"
    else:
        err.print("using the offline rules backend (no LLM configured; see --backend llm)")
        name, why = "rules", "no LLM configured"
    if name != "llm" and llm_overrides:
        raise ClaimexError(f"{option_names(llm_overrides)}: only for the llm backend, not {name!r}")
    return name, why


def build_extractor(
    choice: tuple[str, str],
    llm_overrides: dict[str, Any],
    con: duckdb.DuckDBPyConnection | None = None,
) -> Extractor:
    """Create the backend; say which model and endpoint the llm one will ask, before it asks.

    The llm backend logs and caches its calls in con when given.
    """
    name, why = choice
    options = {"con": con, **llm_overrides} if name == "llm" else {}
    extractor = create_backend(name, options)
    if isinstance(extractor, LLMExtractor):
        settings = extractor.settings
        err.print(
            f"using the llm backend: model {settings.model} at {endpoint(settings)} "
            f"({why}; --backend rules runs offline)",
            highlight=False,
            markup=False,
        )
    return extractor
