"""Which extractor a command runs: an explicit --backend, else llm when one is configured."""

from __future__ import annotations

import os
from typing import Any

import duckdb

from claimex.backends import Extractor, create_backend
from claimex.cli.app import err
from claimex.cli.llm_options import option_names
from claimex.errors import ClaimexError


def choose_backend(backend: str | None, llm_overrides: dict[str, Any]) -> str:
    """--backend wins; LLM options, CLAIMEX_BASE_URL or OPENAI_API_KEY mean llm; else rules."""
    if backend:
        name = backend
    elif llm_overrides:
        name = "llm"
    elif os.environ.get("CLAIMEX_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        err.print("using the llm backend (CLAIMEX_BASE_URL or OPENAI_API_KEY is set)")
        name = "llm"
    else:
        err.print("using the offline rules backend (no LLM configured; see --backend llm)")
        name = "rules"
    if name != "llm" and llm_overrides:
        raise ClaimexError(f"{option_names(llm_overrides)}: only for the llm backend, not {name!r}")
    return name


def build_extractor(
    name: str, llm_overrides: dict[str, Any], con: duckdb.DuckDBPyConnection | None = None
) -> Extractor:
    """Create the backend; the llm one logs and caches its calls in con when given."""
    options = {"con": con, **llm_overrides} if name == "llm" else {}
    return create_backend(name, options)
