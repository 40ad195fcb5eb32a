"""The CLI's side of choosing a backend: the library decides, the CLI says so in flags."""

from __future__ import annotations

from typing import Any

import duckdb

from claimex.api import Extractor
from claimex.backends.choice import BackendChoice
from claimex.backends.llm.client import endpoint
from claimex.backends.llm.extractor import LLMExtractor
from claimex.cli.app import err, flag


def chosen_extractor(
    backend: str | None,
    llm_overrides: dict[str, Any],
    con: duckdb.DuckDBPyConnection | None = None,
) -> Extractor:
    """The library's Extractor a command runs; say which backend, and for llm which model and
    endpoint it asks.

    The llm backend logs and caches its calls in con when given.
    """
    extractor = Extractor(backend, store=con, **llm_overrides)
    choice = extractor.choice
    if isinstance(extractor.backend, LLMExtractor):
        settings = extractor.backend.settings
        err.print(
            f"using the llm backend: model {settings.model} at {endpoint(settings)} "
            f"({_why(choice)}; --backend rules runs offline)",
            highlight=False,
            markup=False,
        )
    elif backend is None:
        err.print(
            f"using the offline {choice.name} backend ({_why(choice)}; see --backend llm)",
            highlight=False,
            markup=False,
        )
    return extractor


def _why(choice: BackendChoice) -> str:
    return choice.reason(flag)
