"""Commands that load papers into the store and read it back: ingest, papers, sql, runs."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from claimex.cli.app import DbOption, FormatOption, app, err, user_errors
from claimex.model import Paper
from claimex.output import OutputFormat, render_rows
from claimex.readers import InputFormat, read_papers
from claimex.store import open_for_queries, open_store, resolve_db_path, transaction
from claimex.store.papers import upsert_papers
from claimex.store.query import read_only_query

InputFormatOption = Annotated[
    InputFormat,
    typer.Option("--format", help="Input format; auto picks by extension and content."),
]


def read_all(paths: list[Path], fmt: InputFormat) -> list[tuple[Path, list[Paper]]]:
    """Parse every file first, so a bad file aborts before anything is opened or written."""
    return [(path, read_papers(path, fmt)) for path in paths]


def write_all(
    con: duckdb.DuckDBPyConnection, parsed: list[tuple[Path, list[Paper]]], db: Path | None
) -> None:
    """Write each parsed file in its own transaction and say what changed."""
    for path, papers in parsed:
        with transaction(con):
            counts = upsert_papers(con, papers)
        err.print(
            f"{path}: {counts.total} papers ({counts.new} new, {counts.updated} updated, "
            f"{counts.unchanged} unchanged) -> {resolve_db_path(db)}",
            highlight=False,
        )


def print_query(
    db: Path | None, query: str, fmt: OutputFormat, *, allow_files: bool = False
) -> None:
    """Run one read-only query on the sandboxed store and render its rows."""
    with closing(open_for_queries(db, allow_files=allow_files)) as con:
        columns, rows = read_only_query(con, query)
    render_rows(columns, rows, fmt)


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Input files: .txt (HF Daily Papers), .jsonl, .csv.")
    ],
    fmt: InputFormatOption = InputFormat.AUTO,
    db: DbOption = None,
) -> None:
    """Load papers into the database. Re-ingesting the same file changes nothing."""
    with user_errors():
        parsed = read_all(paths, fmt)
        with closing(open_store(db)) as con:
            write_all(con, parsed, db)


@app.command()
def papers(db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List the papers in the database."""
    with user_errors():
        print_query(
            db,
            "SELECT id, title, authors, date, organisation, upvotes FROM papers ORDER BY id",
            fmt,
        )


@app.command()
def sql(
    query: Annotated[
        str, typer.Argument(help='One SELECT statement, e.g. "select * from latest_claims".')
    ],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    allow_files: Annotated[
        bool,
        typer.Option(
            "--allow-files",
            help="Let the query read local files (read_csv, read_json, ...); never write them.",
        ),
    ] = False,
) -> None:
    """Run a read-only SQL query.

    Tables: papers, claims, runs, paper_runs, llm_calls, batches, batch_papers; view:
    latest_claims (each paper's claims from its newest successful extraction, with the
    paper title).

    SELECT, EXPLAIN [ANALYZE] of a SELECT, PIVOT, UNPIVOT, SUMMARIZE, DESCRIBE and SHOW
    are allowed; the query cannot read other files unless --allow-files is given.
    """
    with user_errors():
        print_query(db, query, fmt, allow_files=allow_files)


@app.command()
def runs(db: DbOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List extraction runs with their backend, model, prompt and counts."""
    with user_errors():
        print_query(
            db,
            "SELECT id, backend, model, prompt_version, status, papers_ok, papers_failed, claims,"
            " claims_dropped AS dropped, input_tokens + output_tokens AS tokens,"
            " round(epoch(coalesce(finished_at, current_timestamp::TIMESTAMP) - started_at), 1)"
            " AS seconds FROM runs ORDER BY id",
            fmt,
        )
