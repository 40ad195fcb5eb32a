"""The typer app, its shared options and the one way user errors are reported."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from claimex import __version__
from claimex.errors import ClaimexError
from claimex.output import OutputFormat, terminal_safe

app = typer.Typer(
    help="Turn research abstracts into a queryable DuckDB table of quantitative claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="CLAIMEX_DB",
        help="DuckDB file to use (default: ./claims.duckdb).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, csv or json.")
]


def flag(setting: str) -> str:
    """How the CLI spells a library setting: concurrency -> --concurrency, cache -> --no-cache."""
    return "--no-cache" if setting == "cache" else f"--{setting.replace('_', '-')}"


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a ClaimexError as one red line and exit 2; Ctrl-C or SIGTERM exits 130."""
    try:
        with _sigterm_as_ctrl_c():
            yield
    except ClaimexError as exc:
        # escape: paths, titles and SQL in messages may contain "[...]" that rich would parse
        err.print(
            f"[red]error:[/red] {escape(terminal_safe(exc.render(flag)))}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted", style="yellow")
        raise typer.Exit(130) from None


@contextmanager
def _sigterm_as_ctrl_c() -> Iterator[None]:
    """SIGTERM (timeout, systemd, Docker, CI) takes the Ctrl-C path: roll back, mark
    the run interrupted, exit 130.

    It re-sends itself as SIGINT rather than raising, so that inside asyncio.run the
    loop's own SIGINT handling cancels the run as it does for a real Ctrl-C.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimex {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show version and exit."),
    ] = False,
) -> None:
    """Extract quantitative claims from abstracts into DuckDB, query them, score extractors."""
