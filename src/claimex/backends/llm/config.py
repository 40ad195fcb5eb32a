"""LLM settings: command-line options over environment over ./claimex.toml over defaults.

One validated object holds everything that decides how claimex talks to an
endpoint, so the CLI, `claimex eval` and library callers resolve settings the
same way. The API key itself is never a setting: only the *name* of the
environment variable that holds it is, so it cannot end up in a run's config.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimex.errors import ClaimexError, InputError

CONFIG_FILE = "claimex.toml"
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_PROMPT_VERSION = "claims-v1"
ENV_SETTINGS = {
    "CLAIMEX_MODEL": "model",
    "CLAIMEX_BASE_URL": "base_url",
    "CLAIMEX_PROMPTS_DIR": "prompts_dir",
}


class LLMMode(StrEnum):
    """How instructor asks for structure; local servers support different subsets."""

    TOOLS = "tools"  # a forced function call (OpenAI, vLLM, Ollama)
    JSON_SCHEMA = "json_schema"  # response_format json_schema (OpenAI, vLLM, Ollama)
    JSON = "json"  # response_format json_object + schema in the prompt (llama.cpp server)
    MD_JSON = "md_json"  # a ```json block, no response_format at all (anything that chats)


class LLMSettings(BaseModel):
    """Everything that decides how and what the LLM backend asks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(DEFAULT_MODEL, min_length=1)
    base_url: str | None = None
    api_key_env: str = Field("OPENAI_API_KEY", min_length=1)
    mode: LLMMode = LLMMode.TOOLS
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_retries: int = Field(2, ge=0, le=10, description="re-asks after a failed validation")
    timeout: float = Field(120.0, gt=0, description="seconds per HTTP request")
    http_retries: int = Field(6, ge=0, description="retries of a 429/5xx/timeout per request")
    backoff_base: float = Field(1.0, ge=0, description="first backoff delay in seconds")
    backoff_max: float = Field(60.0, gt=0, description="longest backoff delay in seconds")
    max_retry_after: float = Field(
        300.0, gt=0, description="a longer Retry-After fails the paper instead of waiting"
    )
    prompts_dir: Path | None = None
    prompt_version: str = Field(DEFAULT_PROMPT_VERSION, min_length=1)
    cache: bool = True


def load_settings(
    overrides: Mapping[str, object | None] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> LLMSettings:
    """Merge the sources, highest first: overrides (CLI), environment, claimex.toml."""
    environ = os.environ if environ is None else environ
    path = Path(CONFIG_FILE) if config_file is None else config_file
    values: dict[str, object] = dict(_read_table(path))
    values.update({key: environ[var] for var, key in ENV_SETTINGS.items() if environ.get(var)})
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return LLMSettings.model_validate(values)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]) or "settings"
        if problem["type"] == "extra_forbidden":
            known = ", ".join(LLMSettings.model_fields)
            raise ClaimexError(f"unknown LLM setting {where!r} (known: {known})") from None
        raise ClaimexError(f"bad LLM setting {where}: {problem['msg']}") from None


def _read_table(path: Path) -> dict[str, object]:
    """The [tool.claimex] table of a claimex.toml, or nothing when there is no file."""
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid TOML ({exc})") from None
    table = document.get("tool", {}).get("claimex", {})
    if not isinstance(table, dict):
        raise InputError(path, "[tool.claimex] must be a table")
    unknown = sorted(set(table) - set(LLMSettings.model_fields))
    if unknown:
        known = ", ".join(LLMSettings.model_fields)
        raise InputError(path, f"[tool.claimex] has unknown key {unknown[0]!r} (known: {known})")
    return dict(table)


def public_url(url: str | None) -> str | None:
    """The base URL without user:password, for storing in a run's config and in messages."""
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))
