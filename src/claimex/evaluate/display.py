"""Short text forms shared by every report: a claim's number, a score, a claim in one line."""

from __future__ import annotations

from claimex.evaluate.session import ScoredRun
from claimex.model import Claim


def format_value(claim: Claim) -> str:
    """ "4.48x", "28-71%", "0.8 ms", "5.5 pp": the number as a reader would write it."""
    number = (
        f"{claim.value:g}" if claim.value_max is None else f"{claim.value:g}-{claim.value_max:g}"
    )
    if not claim.unit:
        return number
    return number + (claim.unit if claim.unit in ("x", "%") else f" {claim.unit}")


def score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def describe_claim(claim: Claim) -> str:
    return f'{format_value(claim)} {claim.metric} ({claim.category.value}) — "{claim.evidence}"'


def source_line(scored: ScoredRun) -> str:
    inputs = scored.inputs
    return (
        f"{scored.predictions.run.describe()}; papers {inputs.papers_path} ({len(inputs.papers)}), "
        f"gold {inputs.gold_path} (sha256 {inputs.gold_sha256[:12]})"
    )


def error_counts(scored: ScoredRun) -> tuple[int, int, int]:
    """(false positives, false negatives, field mismatches) over all papers."""
    results = scored.evaluation.results
    return (
        sum(len(r.false_positives) for r in results),
        sum(len(r.false_negatives) for r in results),
        sum(len(p.mismatches) for r in results for p in r.pairs),
    )


def some(ids: list[str], shown: int = 5) -> str:
    """The first few ids, and how many more."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")
