"""`--report FILE.md`: every false positive, false negative and field mismatch, by paper,
so a reviewer can see why a score moved."""

from __future__ import annotations

from pathlib import Path

from claimex.errors import ClaimexError
from claimex.evaluate.display import (
    describe_claim,
    error_counts,
    format_value,
    score_text,
    source_line,
)
from claimex.evaluate.metrics import PaperResult, Scores
from claimex.evaluate.session import ScoredRun


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
        cells = (score_text(prf.precision), score_text(prf.recall), score_text(prf.f1))
        lines.append(f"| {label} | {' | '.join(cells)} |")
    lines += [
        "",
        f"Grounding rate: {score_text(scores.grounding_rate)} ({scores.grounded} of "
        f"{scores.predicted_claims} predicted claims). Matched {scores.matched} of "
        f"{scores.gold_claims} gold claims.",
        "",
        f"Fields on {scores.matched} matched pairs: "
        + ", ".join(f"{name} {score_text(value)}" for name, value in scores.fields.items())
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
        lines += [f"- {describe_claim(c)}" for c in r.false_negatives]
        lines.append("")
    if r.false_positives:
        lines.append("Spurious (false positives, predictions that match no gold claim):")
        lines += [f"- {describe_claim(c)}" for c in r.false_positives]
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
    fp, fn, mismatched = error_counts(scored)
    lines = [
        "# claimex evaluation",
        "",
        f"Predictions: {source_line(scored)}.",
        "",
        *_markdown_scores(scored.evaluation.scores),
        "",
        "## Errors",
        "",
        f"{fn} false negatives, {fp} false positives, "
        f"{mismatched} field mismatches on matched pairs. The run dropped "
        f"{scored.predictions.dropped} claims before storing them (ungrounded or invalid).",
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
