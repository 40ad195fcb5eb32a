"""`--json` output: scores, provenance and each paper's errors, for machines."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from claimex.evaluate.compare import RunComparison
from claimex.evaluate.session import ScoredRun
from claimex.model import Claim


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
        "dropped_by_run": scored.predictions.dropped,
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
