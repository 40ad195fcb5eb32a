"""Commands that load papers into the store and read it back: ingest, papers, sql, runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from claimex import api
from claimex.cli.app import DbOption, FormatOption, app, err, user_errors
from claimex.errors import InputError
from claimex.output import OutputFormat, render_rows, terminal_safe
from claimex.readers import InputFormat
from claimex.store import open_for_queries, open_store, resolve_db_path
from claimex.store.query import read_only_query

InputFormatOption = Annotated[
    InputFormat,
    typer.Option("--format", help="Input format; auto picks by extension and content."),
]


IngestFirstArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Files to ingest first; without them, every paper in the database."),
]
"""The optional input files of the commands that ingest before they extract (extract, batch)."""


CategoryOption = Annotated[
    str | None,
    typer.Option(
        "--category",
        help="Only papers in this arXiv category (cs.DC; cs for every cs.*).",
    ),
]


@contextmanager
def store_for_ingest(db: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store, opened read-write; a database this command created goes again on bad input."""
    path = resolve_db_path(db)
    created = not path.exists()
    con = open_store(db)
    try:
        yield con
    except InputError:
        con.close()
        if created:
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)
        raise
    finally:
        con.close()


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    fmt: InputFormat,
    category: str | None,
    db: Path | None,
) -> None:
    """Stream every file into the store (claimex.ingest: all or nothing) and say what changed."""
    counted = api.ingest(con, *paths, fmt=fmt, category=category)
    for path, counts in zip(paths, counted, strict=True):
        err.print(
            terminal_safe(
                f"{path}: {counts.total} papers ({counts.new} new, {counts.updated} updated, "
                f"{counts.unchanged} unchanged) -> {resolve_db_path(db)}"
            ),
            highlight=False,
            markup=False,
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
        list[Path],
        typer.Argument(
            help="Input files: .txt (HF Daily Papers), .jsonl, .csv, .parquet, the arXiv"
            " metadata snapshot; .gz for any text format."
        ),
    ],
    fmt: InputFormatOption = InputFormat.AUTO,
    category: CategoryOption = None,
    db: DbOption = None,
) -> None:
    """Load papers into the database. Re-ingesting the same file changes nothing."""
    with user_errors(), store_for_ingest(db) as con:
        ingest_files(con, paths, fmt, category, db)


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

    Tables: papers, claims, runs, paper_runs, llm_calls, batches, batch_papers; views:
    latest_claims (each paper's claims from its newest successful extraction, with the
    paper title), comparisons (one row per claim and baseline, factor as "times better"),
    claim_confidence (agreed / found by one backend, when rules and llm runs both exist).

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
