"""LLM settings as CLI options, declared once for every command that can run the llm backend."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
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

NOT_IN_BATCHES = {
    "max_retries": "a batch request gets one answer, so nothing is re-asked",
}
"""The LLM options `claimex batch submit` leaves out, each with the reason its help gives.
(--concurrency is not an LLM option: the batch endpoint, not claimex, runs the requests.)"""

R = TypeVar("R")


def llm_options(
    omit: Mapping[str, str] | None = None,
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """A decorator giving a typer command the LLM options, declared once here for every command.

    The command takes `llm: dict[str, Any]` instead: the settings the user gave, named as
    LLMSettings names them (unset ones are left out, so env and claimex.toml still apply).
    `omit` maps options the command does not take to why; its help says so.
    """
    left_out = dict(omit or {})
    options = {name: spec for name, spec in _OPTIONS.items() if name not in left_out}

    def decorate(command: Callable[..., R]) -> Callable[..., R]:
        signature = inspect.signature(command, eval_str=True)  # typer reads Annotated objects
        own = [p for p in signature.parameters.values() if p.name != "llm"]
        added = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint
            )
            for name, (hint, default) in options.items()
        ]

        @functools.wraps(command)
        def parsed(*args: Any, **kwargs: Any) -> R:
            given = {name: kwargs.pop(name) for name in options}
            return command(*args, llm=_given(given), **kwargs)

        parsed.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
        if left_out:
            why = "; ".join(f"{flag(name)}: {reason}" for name, reason in left_out.items())
            parsed.__doc__ = f"{inspect.cleandoc(command.__doc__ or '')}\n\nNot here: {why}."
        return parsed

    return decorate


with_llm_options = llm_options()


def _given(options: Mapping[str, Any]) -> dict[str, Any]:
    """The LLM settings the user actually gave, from the parsed options (None means: fall
    back to env and claimex.toml); --no-cache is the setting cache = false."""
    settings = {name: value for name, value in options.items() if name != "no_cache"}
    if options.get("no_cache"):
        settings["cache"] = False
    return {name: value for name, value in settings.items() if value is not None}


def option_names(settings: dict[str, Any]) -> str:
    """How the user spelled the given settings, for error messages."""
    return ", ".join(sorted(flag(name) for name in settings))
