"""The `claimex` command line: parses options and calls the library, nothing more."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimex import __version__
from claimex.backends import create_backend
from claimex.backends.llm.config import LLMMode
from claimex.errors import ClaimexError
from claimex.evaluate import (
    DEFAULT_TOLERANCE,
    EvalInputs,
    ScoredRun,
    compare_runs,
    load_baseline,
    load_inputs,
    score_backend,
    score_stored_run,
)
from claimex.evaluate.baseline import baseline_document
from claimex.evaluate.baseline import save_baseline as save_baseline_file
from claimex.evaluate.json_output import comparison_json, evaluation_json
from claimex.evaluate.markdown import write_markdown_report
from claimex.evaluate.terminal import (
    print_comparison,
    print_gate,
    print_terminal_report,
    print_warnings,
)
from claimex.model import Paper
from claimex.output import OutputFormat, render_rows
from claimex.pipeline import DEFAULT_CONCURRENCY, RunResult, run_extraction
from claimex.readers import InputFormat, read_papers
from claimex.store import open_read_only, open_store, resolve_db_path, transaction
from claimex.store.papers import IngestCounts, load_papers, upsert_papers
from claimex.store.query import read_only_query
from claimex.store.runs import PaperOutcome

app = typer.Typer(
    help="Turn research abstracts into a queryable DuckDB table of quantitative claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)

LLM = "LLM backend"
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="CLAIMEX_DB",
        help="DuckDB file to use [default: ./claims.duckdb].",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, csv or json.")
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a ClaimexError as one red line and exit 2; Ctrl-C exits 130."""
    try:
        yield
    except ClaimexError as exc:
        # escape: paths, titles and SQL in messages may contain "[...]" that rich would parse
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted", style="yellow")
        raise typer.Exit(130) from None


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


def _read_all(paths: list[Path], fmt: InputFormat) -> list[tuple[Path, list[Paper]]]:
    """Parse every file first, so a bad file aborts before anything is opened or written."""
    return [(path, read_papers(path, fmt)) for path in paths]


def _ingest(con: object, parsed: list[tuple[Path, list[Paper]]]) -> list[tuple[Path, IngestCounts]]:
    """Write each parsed file in its own transaction."""
    results = []
    for path, papers in parsed:
        with transaction(con):  # type: ignore[arg-type]
            results.append((path, upsert_papers(con, papers)))  # type: ignore[arg-type]
    return results


def _print_ingest(results: list[tuple[Path, IngestCounts]], db: Path) -> None:
    for path, counts in results:
        err.print(
            f"{path}: {counts.total} papers ({counts.new} new, {counts.updated} updated, "
            f"{counts.unchanged} unchanged) -> {db}",
            highlight=False,
        )


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Input files: .txt (HF Daily Papers), .jsonl, .csv.")
    ],
    fmt: Annotated[
        InputFormat,
        typer.Option("--format", help="Input format; auto picks by extension and content."),
    ] = InputFormat.AUTO,
    db: DbOption = None,
) -> None:
    """Load papers into the database. Re-ingesting the same file changes nothing."""
    with user_errors():
        parsed = _read_all(paths, fmt)
        _print_ingest(_ingest(open_store(db), parsed), resolve_db_path(db))


@app.command()
def papers(db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List the papers in the database."""
    with user_errors():
        con = open_read_only(db)
        columns, rows = read_only_query(
            con,
            "SELECT id, title, authors, date, organisation, upvotes FROM papers ORDER BY id",
        )
        render_rows(columns, rows, fmt)


@app.command()
def sql(
    query: Annotated[
        str, typer.Argument(help='One SELECT statement, e.g. "select * from latest_claims".')
    ],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Run a read-only SQL query. Tables: papers, claims, runs, paper_runs; view: latest_claims."""
    with user_errors():
        columns, rows = read_only_query(open_read_only(db), query)
        render_rows(columns, rows, fmt)


@app.command()
def runs(db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List extraction runs with their backend, model, prompt and counts."""
    with user_errors():
        columns, rows = read_only_query(
            open_read_only(db),
            "SELECT id, backend, model, prompt_version, status, papers_ok, papers_failed, claims,"
            " claims_dropped AS dropped, input_tokens + output_tokens AS tokens,"
            " round(epoch(coalesce(finished_at, current_timestamp::TIMESTAMP) - started_at), 1)"
            " AS seconds FROM runs ORDER BY id",
        )
        render_rows(columns, rows, fmt)


def _choose_backend(backend: str | None) -> str:
    """An explicit --backend wins; an LLM endpoint or key in the environment means llm."""
    if backend:
        return backend
    if os.environ.get("CLAIMEX_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        err.print("using the llm backend (CLAIMEX_BASE_URL or OPENAI_API_KEY is set)")
        return "llm"
    err.print("using the offline rules backend (no LLM configured; see --backend llm)")
    return "rules"


def _progress_bar(total: int) -> tuple[Progress, object]:
    progress = Progress(
        TextColumn("[bold]extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("claims {task.fields[claims]}"),
        TextColumn("failed {task.fields[failed]}"),
        TextColumn("tokens {task.fields[tokens]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # piped stderr would get a stray blank line, not a bar
    )
    task = progress.add_task("extract", total=total, claims=0, failed=0, tokens=0)
    return progress, task


def _print_run(result: RunResult) -> None:
    err.print(
        f"run {result.run_id}: {result.papers_ok} papers ok, {result.papers_failed} failed, "
        f"{result.papers_skipped} already done; {result.claims} claims stored, "
        f"{result.dropped} dropped (ungrounded)",
        highlight=False,
    )
    for paper_id, reason in result.failures:
        err.print(f"  failed {paper_id}: {reason}", highlight=False, markup=False, style="red")


@app.command()
def extract(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files to ingest first; without them, every paper in the database."),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            help="Extractor: rules (offline) or llm. Default: llm if configured, else rules."
        ),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(help="Papers in flight at once.")
    ] = DEFAULT_CONCURRENCY,
    resume: Annotated[int | None, typer.Option(help="Continue this run id.")] = None,
    new_run: Annotated[
        bool,
        typer.Option(
            "--new-run", help="Start a new run even if one with this configuration exists."
        ),
    ] = False,
    fmt: Annotated[
        InputFormat, typer.Option("--format", help="Input format of PATHS.")
    ] = InputFormat.AUTO,
    db: DbOption = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="Model name (env CLAIMEX_MODEL; default gpt-4o-mini).", rich_help_panel=LLM
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 "
            "(env CLAIMEX_BASE_URL; default OpenAI).",
            rich_help_panel=LLM,
        ),
    ] = None,
    api_key_env: Annotated[
        str | None,
        typer.Option(
            help="Name of the environment variable holding the API key "
            "(default OPENAI_API_KEY). The key itself is never stored or printed.",
            rich_help_panel=LLM,
        ),
    ] = None,
    mode: Annotated[
        LLMMode | None,
        typer.Option(
            help="How to ask for structured output: tools (default), json_schema, json "
            "(response_format json_object, for llama.cpp's server) or md_json (plain chat).",
            rich_help_panel=LLM,
        ),
    ] = None,
    temperature: Annotated[
        float | None, typer.Option(help="Sampling temperature (default 0).", rich_help_panel=LLM)
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            help="Re-asks after an invalid or ungrounded answer (default 2).", rich_help_panel=LLM
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds per HTTP request (default 120).", rich_help_panel=LLM),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Send every request, even if llm_calls has the answer.",
            rich_help_panel=LLM,
        ),
    ] = False,
    prompts_dir: Annotated[
        Path | None,
        typer.Option(
            help="Directory of prompt versions (env CLAIMEX_PROMPTS_DIR; default the bundled "
            "prompts/).",
            rich_help_panel=LLM,
        ),
    ] = None,
) -> None:
    """Extract claims from papers into the database, one transaction per paper.

    Rerunning with the same configuration skips papers already done and retries failed ones.

    LLM settings come from these options, then CLAIMEX_MODEL / CLAIMEX_BASE_URL, then the
    tool.claimex table of ./claimex.toml (same names, e.g. mode = "json").
    """
    with user_errors():
        con = open_store(db)
        if paths:
            _print_ingest(_ingest(con, _read_all(paths, fmt)), resolve_db_path(db))
        llm_options = {
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
        given = sorted(f"--{k.replace('_', '-')}" for k, v in llm_options.items() if v is not None)
        name = _choose_backend(backend or ("llm" if given else None))
        if name != "llm" and given:
            raise ClaimexError(f"{', '.join(given)}: only for the llm backend, not {name!r}")
        options = {"con": con, **llm_options} if name == "llm" else {}
        extractor = create_backend(name, options)
        todo = load_papers(con)
        if not todo:
            raise ClaimexError(
                f"{resolve_db_path(db)}: no papers; pass a file or run `claimex ingest`"
            )
        progress, task = _progress_bar(len(todo))

        def advance(outcome: PaperOutcome) -> None:
            t = progress.tasks[0]
            progress.update(
                task,  # type: ignore[arg-type]
                advance=1,
                claims=t.fields["claims"] + len(outcome.claims),
                failed=t.fields["failed"] + (outcome.status != "ok"),
                tokens=t.fields["tokens"] + outcome.input_tokens + outcome.output_tokens,
            )

        with progress:
            result = asyncio.run(
                run_extraction(
                    con,
                    extractor,
                    todo,
                    concurrency=concurrency,
                    resume=resume,
                    new_run=new_run,
                    on_paper=advance,
                )
            )
        _print_run(result)
        if result.papers_failed:
            raise typer.Exit(1)


def _progress_callback(progress: Progress, task: object) -> Callable[[PaperOutcome], None]:
    def advance(outcome: PaperOutcome) -> None:
        fields = progress.tasks[0].fields
        progress.update(
            task,  # type: ignore[arg-type]
            advance=1,
            claims=fields["claims"] + len(outcome.claims),
            failed=fields["failed"] + (outcome.status != "ok"),
            tokens=fields["tokens"] + outcome.input_tokens + outcome.output_tokens,
        )

    return advance


def _score(inputs: EvalInputs, backend: str | None, run: int | None, db: Path | None) -> ScoredRun:
    if run is not None:
        return score_stored_run(inputs, db, run)
    assert backend is not None
    extractor = create_backend(backend)
    progress, task = _progress_bar(len(inputs.papers))
    with progress:
        scored = score_backend(inputs, extractor, _progress_callback(progress, task))
    if scored.extraction is not None:
        _print_run(scored.extraction)
    return scored


@app.command("eval")
def eval_command(
    backend: Annotated[
        str | None,
        typer.Option(help="Run this extractor on --papers in a temporary database, then score it."),
    ] = None,
    run: Annotated[int | None, typer.Option(help="Score this run, already in --db.")] = None,
    compare: Annotated[
        tuple[int, int] | None,
        typer.Option(
            metavar="RUN_A RUN_B",
            help="List, paper by paper, the claims one run in --db found and the other did not.",
        ),
    ] = None,
    papers: Annotated[Path, typer.Option(help="Papers, JSONL with id, title, abstract.")] = Path(
        "eval/papers.jsonl"
    ),
    gold: Annotated[
        Path, typer.Option(help='Hand labels, JSONL: {"paper_id": ..., "claims": [...]}.')
    ] = Path("eval/gold.jsonl"),
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (scores and every paper's errors).")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Write a Markdown report listing every error to this file."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Saved score file: exit 1 if a headline score dropped below it."),
    ] = None,
    tolerance: Annotated[
        float, typer.Option(min=0.0, help="Largest drop --baseline lets pass.")
    ] = DEFAULT_TOLERANCE,
    save_baseline: Annotated[
        Path | None, typer.Option(help="Write the scores (with backend, model, prompt) here.")
    ] = None,
) -> None:
    """Score extracted claims against hand labels, or compare two runs.

    Give one of --backend NAME, --run RUN_ID or --compare RUN_A RUN_B.

    Matching follows claim-spec "Matching": value within 1%, units compatible, optimal pairs.

    --baseline guards the headline scores: claim F1, strict F1 and grounding rate.

    Exit codes: 0 ok, 1 a headline score regressed beyond --tolerance, 2 bad input.
    """
    with user_errors():
        if sum(x is not None for x in (backend, run, compare)) != 1:
            raise ClaimexError("give exactly one of --backend NAME, --run RUN_ID, --compare A B")
        out = Console(soft_wrap=True)
        if compare is not None:
            if report or baseline or save_baseline:
                raise ClaimexError(
                    "--report, --baseline and --save-baseline score one run; "
                    "they do not apply to --compare"
                )
            with closing(open_read_only(db)) as con:
                comparison = compare_runs(con, *compare)
            if as_json:
                typer.echo(json.dumps(comparison_json(comparison), indent=2))
            else:
                print_comparison(comparison, out)
            return
        inputs = load_inputs(papers, gold)
        previous = load_baseline(baseline) if baseline is not None else None
        scored = _score(inputs, backend, run, db)
        print_warnings(scored, err)
        if as_json:
            typer.echo(json.dumps(evaluation_json(scored), indent=2))
        else:
            print_terminal_report(scored, out)
        if report is not None:
            write_markdown_report(report, scored)
            err.print(f"error report written to {report}", highlight=False)
        if save_baseline is not None:
            save_baseline_file(save_baseline, baseline_document(scored))
            err.print(f"baseline written to {save_baseline}", highlight=False)
        if previous is not None and not print_gate(scored, previous, tolerance, err):
            raise typer.Exit(1)
