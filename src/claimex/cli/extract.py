"""`claimex extract`: ingest (optionally), run a backend over the papers, summarise."""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
import typer

from claimex.backends.choice import RULES
from claimex.cli.app import DbOption, app, err, user_errors
from claimex.cli.backend_choice import chosen_extractor
from claimex.cli.database import (
    CategoryOption,
    IngestFirstArgument,
    InputFormatOption,
    ingest_files,
    store_for_ingest,
)
from claimex.cli.llm_options import with_llm_options
from claimex.cli.progress import extraction_progress, print_run
from claimex.errors import ClaimexError
from claimex.output import render_rows
from claimex.parallel import DEFAULT_BATCH_SIZE
from claimex.pipeline import DEFAULT_CONCURRENCY
from claimex.readers import InputFormat
from claimex.store import resolve_db_path
from claimex.store.papers import count_papers
from claimex.store.sharing import HeldStore, SharedWriter, WriteStore

SUMMARY_QUERY = """
SELECT category, count(*) AS claims, count(DISTINCT paper_id) AS papers,
       count(*) FILTER (kind = 'ratio') AS ratios,
       count(*) FILTER (len(baselines) > 0) AS with_baselines
FROM claims WHERE run_id = ? GROUP BY category ORDER BY claims DESC, category
"""

NewRunOption = Annotated[
    bool,
    typer.Option("--new-run", help="Start a new run even if one with this configuration exists."),
]


def print_summary(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    """Claims of the run by category on stdout, and how to query them."""
    cursor = con.execute(SUMMARY_QUERY, [run_id])
    columns = [d[0] for d in cursor.description or []]
    render_rows(columns, cursor.fetchall())
    err.print(
        f'query them: claimex sql "select paper_id, metric, value, unit, baselines '
        f'from claims where run_id = {run_id}"',
        highlight=False,
        markup=False,
    )


@app.command()
@with_llm_options
def extract(
    paths: IngestFirstArgument = None,
    backend: Annotated[
        str | None,
        typer.Option(
            help="Extractor: rules (offline) or llm. Default: llm if configured, else rules."
        ),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Papers in flight at once (llm).")
    ] = DEFAULT_CONCURRENCY,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes for the rules backend.")
    ] = 1,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Papers per transaction for the rules backend.")
    ] = DEFAULT_BATCH_SIZE,
    resume: Annotated[int | None, typer.Option(help="Continue this run id.")] = None,
    new_run: NewRunOption = False,
    fmt: InputFormatOption = InputFormat.AUTO,
    category: CategoryOption = None,
    db: DbOption = None,
    *,
    llm: dict[str, Any],
) -> None:
    """Extract claims from papers into the database.

    The llm backend writes each paper in its own transaction as it is answered; the rules
    backend writes a batch of papers per transaction (--workers processes, --batch-size).

    Rerunning with the same configuration skips papers already done and retries failed ones.
    Prints the run's claims by category when done; exit code 1 if a paper failed.

    LLM settings come from these options, then CLAIMEX_MODEL / CLAIMEX_BASE_URL, then the
    tool.claimex table of ./claimex.toml (same names, e.g. mode = "json").
    """
    with user_errors():
        with store_for_ingest(db) as con:
            ingest_files(con, paths or [], fmt, category, db)
            extractor = chosen_extractor(backend, llm, con)
            total = count_papers(con)
            if not total:
                raise ClaimexError(
                    f"{resolve_db_path(db)}: no papers; pass a file or run `claimex ingest`"
                )
            shared: WriteStore = (  # the batched rules writer lets readers in between its batches
                SharedWriter(resolve_db_path(db), con)
                if extractor.name == RULES
                else HeldStore(con)
            )
            with shared as store:
                with extraction_progress(total) as bar:
                    result = extractor.run(
                        store,
                        concurrency=concurrency,
                        workers=workers,
                        batch_size=batch_size,
                        resume=resume,
                        new_run=new_run,
                        on_paper=bar,
                        on_batch=bar.batch,
                    )
                print_run(result)
                print_summary(store.connection(), result.run_id)
        if result.papers_failed:
            raise typer.Exit(1)
