"""Commands that look at stored claims: show, export, review, compare, normalise."""

from __future__ import annotations

import json
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from claimex.cli.app import DbOption, FormatOption, app, err, user_errors
from claimex.output import OutputFormat, render_rows, terminal_safe
from claimex.review.claims import jsonable, read_papers
from claimex.review.compare import beaten_by, canonical_name, contradictions
from claimex.review.export import ExportFormat, export_claims
from claimex.review.files import replaced_atomically
from claimex.review.html import render_page
from claimex.review.terminal import print_paper
from claimex.store import open_read_only, open_store, transaction

RunOption = Annotated[
    int | None,
    typer.Option("--run", help="Claims of this run id (see `claimex runs`); default: latest."),
]


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command()
def show(
    paper_id: Annotated[str, typer.Argument(help="Paper id (see `claimex papers`).")],
    run: RunOption = None,
    db: DbOption = None,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="table (highlighted) or json.")
    ] = ShowFormat.TABLE,
) -> None:
    """One paper's abstract with each claim's evidence highlighted, and the claims."""
    with user_errors(), closing(open_read_only(db)) as con:
        (paper,) = read_papers(con, run, paper_id)
        if fmt is ShowFormat.JSON:
            record = {
                "paper_id": paper.paper_id,
                **paper.paper,
                "claims": [
                    {k: v for k, v in c.items() if k not in paper.paper} for c in paper.claims
                ],
            }
            typer.echo(json.dumps(record, default=jsonable, ensure_ascii=False, indent=2))
        else:
            print_paper(paper, f"run {run}" if run is not None else "latest claims")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="parquet, csv or jsonl.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: claims.FORMAT).")
    ] = None,
    run: RunOption = None,
    db: DbOption = None,
) -> None:
    """Write the latest claims (or one run's) with paper metadata to a file, whole or not at all."""
    with user_errors(), closing(open_read_only(db)) as con:
        target = out or Path(f"claims.{fmt.value}")
        rows = export_claims(con, target, fmt, run)
        err.print(f"{rows} claims -> {target}", highlight=False, markup=False)


@app.command()
def review(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "review.html"
    ),
    run: RunOption = None,
    db: DbOption = None,
) -> None:
    """Write one self-contained HTML page: every paper with its claims highlighted in the
    abstract, filters by category, system and baseline, colours by evidence alignment."""
    with user_errors(), closing(open_read_only(db)) as con:
        papers = read_papers(con, run)
        page = render_page(papers, f"run {run}" if run is not None else "latest claims")
        with replaced_atomically(out) as temporary:
            temporary.write_text(page, encoding="utf-8")
        claims = sum(len(p.claims) for p in papers)
        err.print(f"{claims} claims -> {out}", highlight=False, markup=False)


@app.command()
def compare(
    name: Annotated[str, typer.Argument(help="A system or baseline name, e.g. vLLM.")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Who beats NAME, by how much ("times better"), on what hardware; flags contradictions.

    A contradiction: X claims to beat NAME on a category while NAME claims to beat X on it.
    """
    with user_errors(), closing(open_read_only(db)) as con:
        canonical = canonical_name(con, name)
        render_rows(*beaten_by(con, canonical), fmt)
        columns, rows = contradictions(con, canonical)
        for row in rows:
            found = dict(zip(columns, row, strict=True))
            err.print(
                terminal_safe(
                    f"contradiction: {found['winner']} beats {canonical} on {found['category']}"
                    f" ({found['factor']}x, {found['paper_id']}) but {canonical} beats"
                    f" {found['winner']} ({found['reverse_factor']}x,"
                    f" {found['reverse_paper_id']})"
                ),
                highlight=False,
                markup=False,
            )


@app.command()
def normalise(db: DbOption = None) -> None:
    """Recompute canonical names (system_norm, baselines_norm, hardware_*, workload_norm).

    Run after editing alias files ($CLAIMEX_ALIASES_DIR/systems.txt, workloads.txt,
    hardware.txt); the verbatim fields are not touched.
    """
    from claimex.entities import renormalise

    with user_errors(), closing(open_store(db)) as con:
        with transaction(con):
            changed = renormalise(con)
        err.print(f"{changed} claims renormalised", highlight=False, markup=False)
