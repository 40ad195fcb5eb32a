"""Which backend runs when the caller does not name one, decided the same way for the
CLI and the Python API: the llm backend when an endpoint or key is configured, else rules.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from claimex.backends import create_backend
from claimex.backends.llm.config import ENV_SETTINGS, load_settings
from claimex.errors import SettingError, spelled
from claimex.stages import Backend

LLM = "llm"
RULES = "rules"


@dataclass(frozen=True)
class BackendChoice:
    """The backend to run and why, the why naming settings so each front end can spell them."""

    name: str
    why: str
    values: tuple[tuple[str, str], ...] = ()

    def reason(self, spell: Callable[[str], str] | None = None) -> str:
        return spelled(self.why, spell, **dict(self.values))


def choose_backend(
    backend: str | None,
    options: Mapping[str, Any],
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> BackendChoice:
    """`backend` wins; LLM options mean llm; else llm when the environment or claimex.toml
    configures a base_url, or the API key variable (api_key_env, default OPENAI_API_KEY)
    is set; else the offline rules backend.
    """
    environ = os.environ if environ is None else environ
    if backend:
        choice = BackendChoice(backend, "{backend} {name}", (("name", backend),))
    elif options:
        choice = BackendChoice(LLM, f"{_names(options)} given")
    else:
        choice = _configured(environ, config_file)
    if choice.name != LLM and options:
        raise SettingError(
            f"{_names(options)}: only for the llm backend, not {{name!r}}", name=choice.name
        )
    return choice


def _configured(environ: Mapping[str, str], config_file: Path | None) -> BackendChoice:
    settings = load_settings(environ=environ, config_file=config_file)
    base_url_var = next(var for var, key in ENV_SETTINGS.items() if key == "base_url")
    if environ.get(base_url_var):
        return BackendChoice(LLM, f"{base_url_var} is set")
    if settings.base_url is not None:
        return BackendChoice(LLM, "claimex.toml sets base_url")
    if environ.get(settings.api_key_env):
        return BackendChoice(LLM, "${variable} is set", (("variable", settings.api_key_env),))
    return BackendChoice(RULES, "no LLM endpoint or API key configured")


def build_backend(
    choice: BackendChoice,
    options: Mapping[str, Any],
    con: duckdb.DuckDBPyConnection | None = None,
) -> Backend:
    """Create the chosen backend; the llm one logs and caches its calls in con when given."""
    return create_backend(choice.name, {"con": con, **options} if choice.name == LLM else {})


def _names(options: Mapping[str, Any]) -> str:
    """The given settings as {placeholders}, for messages each front end spells."""
    return ", ".join(f"{{{name}}}" for name in sorted(options))
