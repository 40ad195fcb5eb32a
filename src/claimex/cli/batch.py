"""`claimex batch submit|status|collect`: llm extraction through the OpenAI Batch API."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimex import batch as batches
from claimex.backends.llm.batchfile import LineResult
from claimex.backends.llm.config import LLMSettings, public_url
from claimex.backends.llm.extractor import LOCAL_PLACEHOLDER_KEY, LLMExtractor, api_key_for
from claimex.cli.app import DbOption, app, err, user_errors
from claimex.cli.database import (
    IngestFirstArgument,
    InputFormatOption,
    ingest_files,
    store_for_ingest,
)
from claimex.cli.extract import NewRunOption, print_summary
from claimex.cli.llm_options import NOT_IN_BATCHES, ApiKeyEnvOption, BaseUrlOption, llm_options
from claimex.cli.progress import extraction_progress, print_run
from claimex.errors import ClaimexError
from claimex.output import terminal_safe
from claimex.readers import InputFormat
from claimex.stages import RunResult
from claimex.store import open_store
from claimex.store.batches import BatchRecord, batch_papers, get_batch
from claimex.store.papers import load_papers

batch_app = typer.Typer(
    help="Extract with the llm backend through the OpenAI Batch API (cheaper, answers within "
    "24 hours): submit, check status, collect into one run.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")

BatchIdArgument = Annotated[
    str | None,
    typer.Argument(
        help="Batch id (default: the newest batch in the database).", show_default=False
    ),
]


@batch_app.command()
@llm_options(omit=NOT_IN_BATCHES)
def submit(
    paths: IngestFirstArgument = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the request file here instead of submitting it (for `vllm run-batch`)."
        ),
    ] = None,
    max_requests: Annotated[
        int, typer.Option(min=1, help="Requests in one batch; the rest wait for the next.")
    ] = batches.MAX_REQUESTS,
    new_run: NewRunOption = False,
    fmt: InputFormatOption = InputFormat.AUTO,
    db: DbOption = None,
    *,
    llm: dict[str, Any],
) -> None:
    """Build one chat request per paper (the llm backend's prompt and settings) and submit them.

    Papers answered in llm_calls stay out of the file and are stored from the cache at collect;
    papers in a batch not collected yet are left for it. Check with `claimex batch status`,
    store the answers with `claimex batch collect`.
    """
    with user_errors():
        with store_for_ingest(db) as con:
            ingest_files(con, paths or [], fmt, None, db)
            extractor = batches.request_builder(con, llm, os.environ, send=out is None)
            papers = load_papers(con)
            with _building(len(papers)) as on_paper:
                plan = asyncio.run(
                    batches.plan_batch(
                        con, extractor, papers, max_requests, on_paper, new_run=new_run
                    )
                )
            size = len(plan.data) / 1e6
            if out is not None:
                record = batches.write_requests(con, extractor, plan, out)
            else:
                where = public_url(extractor.settings.base_url) or "OpenAI"
                err.print(
                    f"uploading {len(plan.lines)} requests ({size:.1f} MB) to {where} ...",
                    highlight=False,
                )
                client = batches.open_client(
                    extractor.settings, api_key_for(extractor.settings, os.environ)
                )
                record = batches.submit(con, extractor, plan, client)
        _print_submitted(record, plan, size, extractor.settings.model)


@contextmanager
def _building(total: int) -> Iterator[Callable[[], None]]:
    """A live bar while the requests are built (about 2 ms a paper)."""
    progress = Progress(
        TextColumn("[bold]building requests"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = progress.add_task("build", total=total)
    with progress:
        yield lambda: progress.advance(task)


def _print_submitted(record: BatchRecord, plan: batches.Plan, size: float, model: str) -> None:
    left = []
    if plan.done:
        left.append(f"{plan.done} stored in the run already")
    if plan.cached:
        left.append(f"{plan.cached} answered from llm_calls, stored at collect")
    if plan.pending:
        left.append(f"{plan.pending} left to a batch not collected yet")
    if plan.over_limit:
        left.append(f"{plan.over_limit} over the batch limits, for the next submit")
    extra = f" ({'; '.join(left)})" if left else ""
    if batches.is_local(record):
        err.print(
            f"wrote {len(plan.lines)} requests ({size:.1f} MB) to {record.input_file_id}"
            f" as batch {record.id} (run {record.run_id}), not submitted{extra}\n"
            f"run them, e.g.: vllm run-batch -i {record.input_file_id} -o results.jsonl"
            f" --model {model}\n"
            f"then: claimex batch collect {record.id} --results results.jsonl",
            highlight=False,
            markup=False,
        )
        return
    err.print(
        f"submitted batch {record.id}: {len(plan.lines)} requests (run {record.run_id}){extra}\n"
        f"check: claimex batch status {record.id}\n"
        f"store the answers: claimex batch collect {record.id} --wait",
        highlight=False,
        markup=False,
    )


@contextmanager
def _stored_batch(
    db: Path | None, batch_id: str | None
) -> Iterator[tuple[duckdb.DuckDBPyConnection, BatchRecord]]:
    """The store and the batch a status, cancel or collect acts on (default: the newest)."""
    with user_errors(), closing(open_store(db)) as con:
        yield con, get_batch(con, batch_id)


def _connection(
    record: BatchRecord, base_url: str | None, api_key_env: str | None, need_key: bool = True
) -> tuple[LLMSettings, str]:
    """The batch's settings with the endpoint and key variable the user gives now, and the key.

    Reading a results file sends nothing, so it needs no key.
    """
    overrides = {k: v for k, v in {"base_url": base_url, "api_key_env": api_key_env}.items() if v}
    settings = batches.batch_settings(record, overrides)
    return settings, api_key_for(settings, os.environ) if need_key else LOCAL_PLACEHOLDER_KEY


def _describe(record: BatchRecord) -> str:
    done = record.completed + record.failed
    state = f"{record.status}, {done} of {record.requests} requests done, {record.failed} failed"
    collected = ", collected" if record.collected_at else ""
    return f"batch {record.id}: {state} (run {record.run_id}{collected})"


@batch_app.command()
def status(
    batch_id: BatchIdArgument = None,
    db: DbOption = None,
    base_url: BaseUrlOption = None,
    api_key_env: ApiKeyEnvOption = None,
) -> None:
    """Ask the endpoint how far a batch is, and store what it says."""
    with _stored_batch(db, batch_id) as (con, record):
        if batches.is_local(record):
            typer.echo(
                f"batch {record.id}: request file {record.input_file_id} ({record.requests}"
                f" requests, run {record.run_id}); collect its results with"
                f" `claimex batch collect {record.id} --results FILE`"
            )
            return
        client = batches.open_client(*_connection(record, base_url, api_key_env))
        record, errors = batches.refresh(con, record, client)
        typer.echo(terminal_safe(_describe(record)))
        for problem in errors[:5]:  # the server's words: shown as text, never markup
            err.print(terminal_safe(f"  {problem}"), highlight=False, markup=False, style="red")


@batch_app.command()
def cancel(
    batch_id: BatchIdArgument = None,
    db: DbOption = None,
    base_url: BaseUrlOption = None,
    api_key_env: ApiKeyEnvOption = None,
) -> None:
    """Stop a submitted batch; collect then stores what it answered before it stopped."""
    with _stored_batch(db, batch_id) as (con, record):
        if batches.is_local(record):
            raise ClaimexError(f"batch {record.id} was written to a file, not submitted")
        client = batches.open_client(*_connection(record, base_url, api_key_env))
        record = batches.cancel(con, record, client)
        typer.echo(terminal_safe(_describe(record)))


@batch_app.command()
def collect(
    batch_id: BatchIdArgument = None,
    results: Annotated[
        Path | None,
        typer.Option(
            help="Read the results from this file (e.g. `vllm run-batch -o`) instead of the API."
        ),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Poll until the batch has finished, then collect.")
    ] = False,
    poll: Annotated[float, typer.Option(min=0.0, help="Seconds between polls with --wait.")] = 30.0,
    db: DbOption = None,
    base_url: BaseUrlOption = None,
    api_key_env: ApiKeyEnvOption = None,
) -> None:
    """Download a finished batch's answers, ground them and store them as its run.

    Expired or cancelled batches store what they answered; papers without an answer, and
    failed lines, are stored as failed papers with the reason. Rerunning changes nothing
    that is stored. Exit code 1 if a paper failed.
    """
    with _stored_batch(db, batch_id) as (con, record):
        local = results is not None or batches.is_local(record)
        settings, key = _connection(record, base_url, api_key_env, need_key=not local)
        extractor = batches.batch_extractor(con, record, settings, key)
        errors: list[str] = []
        if results is not None:
            answers = batches.read_results_file(results)
        elif batches.is_local(record):
            raise ClaimexError(
                f"batch {record.id} was written to {record.input_file_id}, not submitted;"
                " give its results with --results FILE"
            )
        else:
            client = batches.open_client(settings, key)
            if wait:
                record, errors = batches.wait_until_done(
                    con,
                    record,
                    client,
                    poll,
                    lambda r: err.print(terminal_safe(_describe(r)), highlight=False, markup=False),
                )
            else:
                record, errors = batches.refresh(con, record, client)
            answers = batches.download_results(record, client)
        result = _store(con, record, extractor, answers, errors)
    if result.papers_failed:
        raise typer.Exit(1)


def _store(
    con: duckdb.DuckDBPyConnection,
    record: BatchRecord,
    extractor: LLMExtractor,
    answers: dict[str, LineResult],
    errors: list[str],
) -> RunResult:
    with extraction_progress(len(batch_papers(con, record.id))) as on_paper:
        result = asyncio.run(
            batches.collect(con, record, extractor, answers, errors=errors, on_paper=on_paper)
        )
    print_run(result)
    print_summary(con, result.run_id)
    return result
