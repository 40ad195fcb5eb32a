"""LLM settings as CLI options, declared once for every command that can run the llm backend."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from claimex.backends.llm.config import LLMMode
from claimex.cli.app import flag

PANEL = "LLM backend"

ModelOption = Annotated[
    str | None,
    typer.Option(
        help="Model name (env CLAIMEX_MODEL; default gpt-4o-mini).", rich_help_panel=PANEL
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 "
        "(env CLAIMEX_BASE_URL; default OpenAI).",
        rich_help_panel=PANEL,
    ),
]
ApiKeyEnvOption = Annotated[
    str | None,
    typer.Option(
        help="Name of the environment variable holding the API key "
        "(default OPENAI_API_KEY). The key itself is never stored or printed.",
        rich_help_panel=PANEL,
    ),
]
ModeOption = Annotated[
    LLMMode | None,
    typer.Option(
        help="How to ask for structured output: tools (default), json_schema, json "
        "(response_format json_object, for llama.cpp's server) or md_json (plain chat).",
        rich_help_panel=PANEL,
    ),
]
TemperatureOption = Annotated[
    float | None, typer.Option(help="Sampling temperature (default 0).", rich_help_panel=PANEL)
]
MaxRetriesOption = Annotated[
    int | None,
    typer.Option(
        help="Re-asks after an invalid or ungrounded answer (default 2).", rich_help_panel=PANEL
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(help="Seconds per HTTP request (default 120).", rich_help_panel=PANEL),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Send every request, even if llm_calls has the answer.",
        rich_help_panel=PANEL,
    ),
]
PromptsDirOption = Annotated[
    Path | None,
    typer.Option(
        help="Directory of prompt versions (env CLAIMEX_PROMPTS_DIR; default the bundled "
        "prompts/).",
        rich_help_panel=PANEL,
    ),
]


_OPTIONS: dict[str, tuple[object, object]] = {  # parameter -> (annotation, default)
    "model": (ModelOption, None),
    "base_url": (BaseUrlOption, None),
    "api_key_env": (ApiKeyEnvOption, None),
    "mode": (ModeOption, None),
    "temperature": (TemperatureOption, None),
    "max_retries": (MaxRetriesOption, None),
    "timeout": (TimeoutOption, None),
    "no_cache": (NoCacheOption, False),
    "prompts_dir": (PromptsDirOption, None),
}

R = TypeVar("R")


def with_llm_options(command: Callable[..., R]) -> Callable[..., R]:
    """Give a typer command the LLM options, declared once here for every command.

    The command takes `llm: dict[str, Any]` instead: the settings the user gave, named as
    LLMSettings names them (unset ones are left out, so env and claimex.toml still apply).
    """
    signature = inspect.signature(command, eval_str=True)  # typer reads Annotated objects
    own = [p for p in signature.parameters.values() if p.name != "llm"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
        for name, (hint, default) in _OPTIONS.items()
    ]

    @functools.wraps(command)
    def parsed(*args: Any, **kwargs: Any) -> R:
        given = {name: kwargs.pop(name) for name in _OPTIONS}
        return command(*args, llm=llm_overrides(**given), **kwargs)

    parsed.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
    return parsed


def llm_overrides(
    *,
    model: str | None,
    base_url: str | None,
    api_key_env: str | None,
    mode: LLMMode | None,
    temperature: float | None,
    max_retries: int | None,
    timeout: float | None,
    no_cache: bool,
    prompts_dir: Path | None,
) -> dict[str, Any]:
    """The LLM options the user actually gave (None means: fall back to env and claimex.toml)."""
    given = {
        "model": model,
        "base_url": base_url,
        "api_key_env": api_key_env,
        "mode": mode,
        "temperature": temperature,
        "max_retries": max_retries,
        "timeout": timeout,
        "cache": False if no_cache else None,
        "prompts_dir": prompts_dir,
    }
    return {name: value for name, value in given.items() if value is not None}


def option_names(settings: dict[str, Any]) -> str:
    """How the user spelled the given settings, for error messages."""
    return ", ".join(sorted(flag(name) for name in settings))
