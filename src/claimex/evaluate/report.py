"""Rendering evaluations and run comparisons: terminal (rich), JSON and Markdown.

The terminal report is a summary to read at a glance; the Markdown report
lists every error so a reviewer can see *why* a score moved.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from claimex.errors import ClaimexError
from claimex.evaluate.baseline import Baseline, regressions
from claimex.evaluate.compare import RunComparison
from claimex.evaluate.metrics import PaperResult, Scores
from claimex.evaluate.session import ScoredRun
from claimex.model import Claim

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


def format_value(claim: Claim) -> str:
    """ "4.48x", "28-71%", "0.8 ms", "5.5 pp": the number as a reader would write it."""
    number = (
        f"{claim.value:g}" if claim.value_max is None else f"{claim.value:g}-{claim.value_max:g}"
    )
    if not claim.unit:
        return number
    return number + (claim.unit if claim.unit in ("x", "%") else f" {claim.unit}")


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _describe_claim(claim: Claim) -> str:
    return f'{format_value(claim)} {claim.metric} ({claim.category.value}) — "{claim.evidence}"'


def _source_line(scored: ScoredRun) -> str:
    inputs = scored.inputs
    return (
        f"{scored.predictions.run.describe()}; papers {inputs.papers_path} ({len(inputs.papers)}), "
        f"gold {inputs.gold_path} (sha256 {inputs.gold_sha256[:12]})"
    )


def _error_counts(scored: ScoredRun) -> tuple[int, int, int]:
    results = scored.evaluation.results
    return (
        sum(len(r.false_positives) for r in results),
        sum(len(r.false_negatives) for r in results),
        sum(len(p.mismatches) for r in results for p in r.pairs),
    )


# --- terminal ------------------------------------------------------------------


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
    table.add_row("micro", *(_score(v) for v in asdict(scores.micro).values()), counts)
    table.add_row(
        "macro (papers)",
        *(_score(v) for v in asdict(scores.macro).values()),
        f"mean over {scores.papers} papers",
    )
    table.add_row(
        "strict",
        *(_score(v) for v in asdict(scores.strict).values()),
        f"{scores.strict_matched} matched with category, kind, direction, baselines right",
    )
    return table


def _fields_table(scores: Scores) -> Table:
    table = Table(title=f"Fields on {scores.matched} matched pairs", title_justify="left")
    table.add_column("field")
    table.add_column("score", justify="right")
    table.add_column("measured as")
    for name, value in scores.fields.items():
        table.add_row(name, _score(value), _FIELD_HOW[name])
    return table


def _category_table(scores: Scores) -> Table:
    table = Table(title="Recall by gold category", title_justify="left")
    for column in ("category", "gold", "found", "recall"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, c in scores.category_recall.items():
        table.add_row(name, str(c.gold), str(c.found), _score(c.recall))
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
            r.paper.id,
            str(len(r.gold)),
            str(len(r.predicted)),
            str(len(r.pairs)),
            str(len(r.false_negatives)),
            str(len(r.false_positives)),
            _score(r.scores.f1),
        )
    return table


def _some(ids: list[str], shown: int = 5) -> str:
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def print_warnings(scored: ScoredRun, console: Console) -> None:
    """What could make the scores mean less than they seem."""
    predictions = scored.predictions
    if predictions.not_extracted:
        console.print(
            f"warning: {len(predictions.not_extracted)} papers have no successful extraction "
            f"in run {predictions.run.run_id} and score as having no claims: "
            f"{_some(predictions.not_extracted)}",
            style="yellow",
            highlight=False,
        )
    if predictions.text_differs:
        console.print(
            f"warning: {len(predictions.text_differs)} papers have another abstract in the "
            f"database than in {scored.inputs.papers_path} (grounding is judged on the file's): "
            f"{_some(predictions.text_differs)}",
            style="yellow",
            highlight=False,
        )


def print_terminal_report(scored: ScoredRun, console: Console) -> None:
    scores = scored.evaluation.scores
    console.print(f"[bold]claimex eval[/bold]: {_source_line(scored)}", highlight=False)
    console.print(
        "[bold]headline[/bold]: "
        + ", ".join(f"{name} {value:.3f}" for name, value in scores.headline().items()),
        highlight=False,
    )
    console.print(_claims_table(scores))
    console.print(
        f"grounding rate {_score(scores.grounding_rate)} "
        f"({scores.grounded} of {scores.predicted_claims} predicted claims have verbatim "
        "evidence that writes the value)",
        highlight=False,
    )
    console.print(_fields_table(scores))
    console.print(_category_table(scores))
    worst = _worst_papers_table(scored.evaluation.results)
    if worst is not None:
        console.print(worst)
    fp, fn, mismatched = _error_counts(scored)
    console.print(
        f"{fn} missed (false negatives), {fp} spurious (false positives), "
        f"{mismatched} field mismatches on matched pairs; --report FILE.md lists each one.",
        highlight=False,
    )


# --- JSON ------------------------------------------------------------------------


def _claim_json(claim: Claim) -> dict[str, Any]:
    return claim.model_dump(mode="json")


def evaluation_json(scored: ScoredRun) -> dict[str, Any]:
    """Everything for machines: scores, provenance and each paper's errors."""
    return {
        "run": asdict(scored.predictions.run),
        "papers_file": str(scored.inputs.papers_path),
        "gold_file": str(scored.inputs.gold_path),
        "gold_sha256": scored.inputs.gold_sha256,
        "not_extracted": scored.predictions.not_extracted,
        "text_differs": scored.predictions.text_differs,
        "scores": scored.evaluation.scores.as_dict(),
        "papers": [
            {
                "paper_id": r.paper.id,
                "gold": len(r.gold),
                "predicted": len(r.predicted),
                "matched": len(r.pairs),
                "strict_matched": r.strict_matches,
                "grounded": r.grounded,
                **{k: v for k, v in asdict(r.scores).items()},
                "false_negatives": [_claim_json(c) for c in r.false_negatives],
                "false_positives": [_claim_json(c) for c in r.false_positives],
                "mismatches": [
                    {"gold": _claim_json(p.gold), **asdict(m)}
                    for p in r.pairs
                    for m in p.mismatches
                ],
            }
            for r in scored.evaluation.results
        ],
    }


def comparison_json(comparison: RunComparison) -> dict[str, Any]:
    return {
        "run_a": asdict(comparison.run_a),
        "run_b": asdict(comparison.run_b),
        "only_extracted_by_a": comparison.only_in_a,
        "only_extracted_by_b": comparison.only_in_b,
        "papers": [
            {
                "paper_id": d.paper_id,
                "shared": d.shared,
                "only_a": [_claim_json(c) for c in d.only_a],
                "only_b": [_claim_json(c) for c in d.only_b],
            }
            for d in comparison.differing
        ],
    }


# --- Markdown --------------------------------------------------------------------


def _markdown_scores(scores: Scores) -> list[str]:
    lines = [
        "| score | precision | recall | F1 |",
        "|---|---|---|---|",
    ]
    for label, prf in (
        ("claims, micro", scores.micro),
        ("claims, macro over papers", scores.macro),
        ("strict", scores.strict),
    ):
        lines.append(
            f"| {label} | {_score(prf.precision)} | {_score(prf.recall)} | {_score(prf.f1)} |"
        )
    lines += [
        "",
        f"Grounding rate: {_score(scores.grounding_rate)} ({scores.grounded} of "
        f"{scores.predicted_claims} predicted claims). Matched {scores.matched} of "
        f"{scores.gold_claims} gold claims.",
        "",
        f"Fields on {scores.matched} matched pairs: "
        + ", ".join(f"{name} {_score(value)}" for name, value in scores.fields.items())
        + ".",
        "",
        "Recall by gold category: "
        + ", ".join(f"{name} {c.found}/{c.gold}" for name, c in scores.category_recall.items())
        + ".",
    ]
    return lines


def _markdown_paper(r: PaperResult) -> list[str]:
    lines = [f"### {r.paper.id}: {r.paper.title}", ""]
    if r.false_negatives:
        lines.append("Missed (false negatives, gold claims no prediction matched):")
        lines += [f"- {_describe_claim(c)}" for c in r.false_negatives]
        lines.append("")
    if r.false_positives:
        lines.append("Spurious (false positives, predictions that match no gold claim):")
        lines += [f"- {_describe_claim(c)}" for c in r.false_positives]
        lines.append("")
    mismatched = [p for p in r.pairs if p.mismatches]
    if mismatched:
        lines.append("Field mismatches on matched pairs (gold -> predicted):")
        for pair in mismatched:
            wrong = "; ".join(f"{m.field} {m.gold} -> {m.predicted}" for m in pair.mismatches)
            lines.append(
                f'- {format_value(pair.gold)} {pair.gold.metric} — "{pair.gold.evidence}": {wrong}'
            )
        lines.append("")
    return lines


def markdown_report(scored: ScoredRun) -> str:
    """The full error list: every false positive, false negative and field mismatch."""
    fp, fn, mismatched = _error_counts(scored)
    lines = [
        "# claimex evaluation",
        "",
        f"Predictions: {_source_line(scored)}.",
        "",
        *_markdown_scores(scored.evaluation.scores),
        "",
        "## Errors",
        "",
        f"{fn} false negatives, {fp} false positives, "
        f"{mismatched} field mismatches on matched pairs.",
        "",
    ]
    if scored.predictions.not_extracted:
        lines += [
            "Not extracted by the run (scored as no predictions): "
            + ", ".join(scored.predictions.not_extracted),
            "",
        ]
    for r in scored.evaluation.results:
        if r.false_negatives or r.false_positives or any(p.mismatches for p in r.pairs):
            lines += _markdown_paper(r)
    return "\n".join(lines).rstrip() + "\n"


def write_markdown_report(path: Path, scored: ScoredRun) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown_report(scored), encoding="utf-8")
    except OSError as exc:
        raise ClaimexError(f"{path}: cannot write the report ({exc.strerror})") from None


def print_gate(scored: ScoredRun, baseline: Baseline, tolerance: float, console: Console) -> bool:
    """Show each headline score against the baseline; True when none dropped beyond tolerance."""
    if baseline.gold_sha256 is not None and baseline.gold_sha256 != scored.inputs.gold_sha256:
        console.print(
            f"warning: {baseline.path} was scored against a different gold file; "
            "a change in score may come from the labels",
            style="yellow",
            highlight=False,
        )
    current = scored.evaluation.scores.headline()
    for name, was in baseline.headline.items():
        console.print(
            f"  {name}: {was:.3f} -> {current[name]:.3f} ({current[name] - was:+.3f})",
            highlight=False,
        )
    drops = regressions(scored.evaluation.scores, baseline, tolerance)
    if drops:
        for drop in drops:
            console.print(f"regression: {drop.describe()}", style="red", highlight=False)
        console.print(
            f"{len(drops)} headline score(s) dropped by more than {tolerance:g} "
            f"against {baseline.path}",
            style="red",
            highlight=False,
        )
        return False
    console.print(
        f"no headline score dropped by more than {tolerance:g} against {baseline.path}",
        highlight=False,
    )
    return True


def print_comparison(comparison: RunComparison, console: Console) -> None:
    a, b = comparison.run_a, comparison.run_b
    console.print(f"[bold]A[/bold] = {a.describe()}", highlight=False)
    console.print(f"[bold]B[/bold] = {b.describe()}", highlight=False)
    differing = comparison.differing
    console.print(
        f"{len(comparison.papers)} papers extracted by both; {len(differing)} differ.",
        highlight=False,
    )
    for diff in differing:
        console.print(
            f"\n[bold]{diff.paper_id}[/bold] (in both runs: {diff.shared})", highlight=False
        )
        for claim in diff.only_a:
            console.print(
                f"  only in A (run {a.run_id}): {_describe_claim(claim)}", highlight=False
            )
        for claim in diff.only_b:
            console.print(
                f"  only in B (run {b.run_id}): {_describe_claim(claim)}", highlight=False
            )
    for label, run, ids in (("A", a, comparison.only_in_a), ("B", b, comparison.only_in_b)):
        if ids:
            console.print(
                f"\nextracted only by {label} (run {run.run_id}), not compared: {', '.join(ids)}",
                highlight=False,
            )
