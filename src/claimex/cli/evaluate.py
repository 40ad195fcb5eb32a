"""`claimex eval`: score a backend or a stored run against hand labels, gate, compare."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from claimex.cli.app import DbOption, app, err, flag, user_errors
from claimex.cli.backend_choice import chosen_extractor
from claimex.cli.llm_options import option_names, with_llm_options
from claimex.cli.progress import extraction_progress, print_run
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
from claimex.store import open_read_only


def _score(
    inputs: EvalInputs,
    backend: str | None,
    run: int | None,
    db: Path | None,
    overrides: dict[str, Any],
) -> ScoredRun:
    if run is not None:
        if overrides:
            raise ClaimexError(f"{option_names(overrides)}: only with --backend llm, not --run")
        return score_stored_run(inputs, db, run)
    extractor = chosen_extractor(backend, overrides)
    with extraction_progress(len(inputs.papers)) as on_paper:
        scored = score_backend(inputs, extractor.backend, on_paper)
    if scored.extraction is not None:
        print_run(scored.extraction)
    return scored


def _compare(db: Path | None, runs: tuple[int, int], as_json: bool, out: Console) -> None:
    with closing(open_read_only(db)) as con:
        comparison = compare_runs(con, *runs)
    if as_json:
        typer.echo(json.dumps(comparison_json(comparison), indent=2))
    else:
        print_comparison(comparison, out)


@app.command("eval")
@with_llm_options
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
    *,
    llm: dict[str, Any],
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
            _compare(db, compare, as_json, out)
            return
        inputs = load_inputs(papers, gold)
        previous = load_baseline(baseline) if baseline is not None else None
        scored = _score(inputs, backend, run, db, llm)
        print_warnings(scored, err)
        if as_json:
            typer.echo(json.dumps(evaluation_json(scored), indent=2))
        else:
            print_terminal_report(scored, out, flag)
        if report is not None:
            write_markdown_report(report, scored)
            err.print(f"error report written to {report}", highlight=False, markup=False)
        if save_baseline is not None:
            save_baseline_file(save_baseline, baseline_document(scored))
            err.print(f"baseline written to {save_baseline}", highlight=False, markup=False)
        if previous is not None and not print_gate(scored, previous, tolerance, err):
            raise typer.Exit(1)
