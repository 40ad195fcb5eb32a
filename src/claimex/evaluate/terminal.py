"""The terminal side of `claimex eval`: a summary to read at a glance, the regression
gate's verdict, warnings and run comparisons (rich, with every piece of data escaped so
brackets in evidence or paths are never read as markup)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimex.errors import spelled
from claimex.evaluate.baseline import Baseline, regressions
from claimex.evaluate.compare import RunComparison
from claimex.evaluate.display import (
    describe_claim,
    error_counts,
    score_text,
    some,
    source_line,
)
from claimex.evaluate.metrics import PaperResult, Scores
from claimex.evaluate.session import ScoredRun
from claimex.output import terminal_safe

WORST_PAPERS_SHOWN = 10

_FIELD_HOW = {
    "category": "accuracy",
    "kind": "accuracy",
    "direction": "accuracy",
    "bound": "accuracy",
    "baselines": "set F1 (case, punctuation, spacing ignored)",
    "system": "token F1 (both null = 1)",
    "hardware": "token F1 (both null = 1)",
    "workload": "token F1 (both null = 1)",
}


def _claims_table(scores: Scores) -> Table:
    table = Table(title="Claims", title_justify="left")
    for column in ("", "precision", "recall", "F1", "counted"):
        table.add_column(
            column, justify="right" if column in ("precision", "recall", "F1") else "left"
        )
    counts = (
        f"{scores.matched} matched / {scores.predicted_claims} predicted / "
        f"{scores.gold_claims} gold"
    )
    table.add_row("micro", *(score_text(v) for v in asdict(scores.micro).values()), counts)
    table.add_row(
        "macro (papers)",
        *(score_text(v) for v in asdict(scores.macro).values()),
        f"mean over {scores.papers} papers",
    )
    table.add_row(
        "strict",
        *(score_text(v) for v in asdict(scores.strict).values()),
        f"{scores.strict_matched} matched with category, kind, direction, baselines right",
    )
    return table


def _fields_table(scores: Scores) -> Table:
    table = Table(title=f"Fields on {scores.matched} matched pairs", title_justify="left")
    table.add_column("field")
    table.add_column("score", justify="right")
    table.add_column("measured as")
    for name, value in scores.fields.items():
        table.add_row(name, score_text(value), _FIELD_HOW[name])
    return table


def _category_table(scores: Scores) -> Table:
    table = Table(title="Recall by gold category", title_justify="left")
    for column in ("category", "gold", "found", "recall"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, c in scores.category_recall.items():
        table.add_row(name, str(c.gold), str(c.found), score_text(c.recall))
    return table


def _worst_papers_table(results: list[PaperResult]) -> Table | None:
    flawed = [r for r in results if r.false_positives or r.false_negatives]
    if not flawed:
        return None
    flawed.sort(key=lambda r: (r.scores.f1, r.paper.id))
    table = Table(
        title=f"Papers with missed or spurious claims ({len(flawed)}; worst first)",
        title_justify="left",
    )
    for column in ("paper", "gold", "predicted", "matched", "missed", "spurious", "F1"):
        table.add_column(column, justify="left" if column == "paper" else "right")
    for r in flawed[:WORST_PAPERS_SHOWN]:
        table.add_row(
            Text(terminal_safe(r.paper.id)),
            str(len(r.gold)),
            str(len(r.predicted)),
            str(len(r.pairs)),
            str(len(r.false_negatives)),
            str(len(r.false_positives)),
            score_text(r.scores.f1),
        )
    return table


def _say(console: Console, *parts: str | tuple[str, str], style: str = "") -> None:
    """Print plain text (never parsed as markup); a (text, style) part is styled."""
    safe = [terminal_safe(p) if isinstance(p, str) else (terminal_safe(p[0]), p[1]) for p in parts]
    console.print(Text.assemble(*safe, style=style), highlight=False)


def print_warnings(scored: ScoredRun, console: Console) -> None:
    """What could make the scores mean less than they seem."""
    predictions = scored.predictions
    if predictions.not_extracted:
        _say(
            console,
            f"warning: {len(predictions.not_extracted)} papers have no successful extraction "
            f"in run {predictions.run.run_id} and score as having no claims: "
            f"{some(predictions.not_extracted)}",
            style="yellow",
        )
    if predictions.text_differs:
        _say(
            console,
            f"warning: {len(predictions.text_differs)} papers have another abstract in the "
            f"database than in {scored.inputs.papers_path} (grounding is judged on the file's): "
            f"{some(predictions.text_differs)}",
            style="yellow",
        )


def print_terminal_report(
    scored: ScoredRun, console: Console, spell: Callable[[str], str] | None = None
) -> None:
    """The scores as tables; spell names the report setting as the front end does."""
    scores = scored.evaluation.scores
    _say(console, ("claimex eval", "bold"), f": {source_line(scored)}")
    headline = ", ".join(f"{name} {value:.3f}" for name, value in scores.headline().items())
    _say(console, ("headline", "bold"), f": {headline}")
    console.print(_claims_table(scores))
    _say(
        console,
        f"grounding rate {score_text(scores.grounding_rate)} ({scores.grounded} of "
        f"{scores.predicted_claims} predicted claims have verbatim evidence that writes the value)"
        f"; the run dropped {scored.predictions.dropped} claims before storing them",
    )
    console.print(_fields_table(scores))
    console.print(_category_table(scores))
    worst = _worst_papers_table(scored.evaluation.results)
    if worst is not None:
        console.print(worst)
    fp, fn, mismatched = error_counts(scored)
    _say(
        console,
        f"{fn} missed (false negatives), {fp} spurious (false positives), "
        f"{mismatched} field mismatches on matched pairs; "
        + spelled("{report} FILE.md lists each one.", spell),
    )


def print_gate(scored: ScoredRun, baseline: Baseline, tolerance: float, console: Console) -> bool:
    """Show each headline score against the baseline; True when none dropped beyond tolerance."""
    if baseline.gold_sha256 is not None and baseline.gold_sha256 != scored.inputs.gold_sha256:
        _say(
            console,
            f"warning: {baseline.path} was scored against a different gold file; "
            "a change in score may come from the labels",
            style="yellow",
        )
    made_by = ", ".join(
        f"{key} {baseline.run[key]}"
        for key in ("backend", "model", "prompt_version")
        if baseline.run.get(key)
    )
    _say(console, f"against {baseline.path}" + (f" ({made_by})" if made_by else "") + ":")
    current = scored.evaluation.scores.headline()
    for name, was in baseline.headline.items():
        _say(console, f"  {name}: {was:.3f} -> {current[name]:.3f} ({current[name] - was:+.3f})")
    drops = regressions(scored.evaluation.scores, baseline, tolerance)
    for drop in drops:
        _say(console, f"regression: {drop.describe()}", style="red")
    if drops:
        _say(
            console,
            f"{len(drops)} headline score(s) dropped by more than {tolerance:g} "
            f"against {baseline.path}",
            style="red",
        )
        return False
    _say(console, f"no headline score dropped by more than {tolerance:g} against {baseline.path}")
    return True


def print_comparison(comparison: RunComparison, console: Console) -> None:
    a, b = comparison.run_a, comparison.run_b
    _say(console, ("A", "bold"), f" = {a.describe()}")
    _say(console, ("B", "bold"), f" = {b.describe()}")
    differing = comparison.differing
    _say(console, f"{len(comparison.papers)} papers extracted by both; {len(differing)} differ.")
    for diff in differing:
        _say(console, "\n", (diff.paper_id, "bold"), f" (in both runs: {diff.shared})")
        for claim in diff.only_a:
            _say(console, f"  only in A (run {a.run_id}): {describe_claim(claim)}")
        for claim in diff.only_b:
            _say(console, f"  only in B (run {b.run_id}): {describe_claim(claim)}")
    for label, run, ids in (("A", a, comparison.only_in_a), ("B", b, comparison.only_in_b)):
        if ids:
            _say(
                console,
                f"\nextracted only by {label} (run {run.run_id}), not compared: {', '.join(ids)}",
            )
