"""Scores of predicted claims against gold claims, paper by paper and overall.

Empty sets follow one convention, in micro and macro scores alike, so that
saying nothing about a paper with nothing to say counts as right: precision
over no predictions is 1.0, recall over no gold claims is 1.0, and F1 is 0.0
when either is 0. Hence a paper with no gold and no predictions scores 1.0 in
the macro average, one with predictions but no gold scores precision 0 and
F1 0, and one with gold but no predictions scores recall 0 and F1 0. The
grounding rate over no predictions is 1.0. Field scores average over matched
pairs and are None when there are none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from claimex.evaluate.fields import (
    SCORED_FIELDS,
    Mismatch,
    field_scores,
    mismatches,
    strictly_right,
)
from claimex.evaluate.matching import assign
from claimex.grounding import is_grounded
from claimex.model import Claim, Paper

HEADLINE_SCORES = ("claim_f1", "strict_f1", "grounding_rate")
"""The scores the regression gate watches."""


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, matched: int, predicted: int, gold: int) -> PRF:
        precision = matched / predicted if predicted else 1.0
        recall = matched / gold if gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
        return cls(precision, recall, f1)


@dataclass(frozen=True)
class Pair:
    predicted: Claim
    gold: Claim

    @property
    def strict(self) -> bool:
        return strictly_right(self.predicted, self.gold)

    @property
    def mismatches(self) -> list[Mismatch]:
        return mismatches(self.predicted, self.gold)


@dataclass(frozen=True)
class PaperResult:
    """One paper's gold claims, predictions and how they were paired."""

    paper: Paper
    gold: list[Claim]
    predicted: list[Claim]
    pairs: list[Pair]
    false_positives: list[Claim]
    false_negatives: list[Claim]
    grounded: int

    @property
    def strict_matches(self) -> int:
        return sum(pair.strict for pair in self.pairs)

    @property
    def scores(self) -> PRF:
        return PRF.from_counts(len(self.pairs), len(self.predicted), len(self.gold))


def score_paper(paper: Paper, gold: Sequence[Claim], predicted: Sequence[Claim]) -> PaperResult:
    matched = assign(predicted, gold)
    used_predicted = {i for i, _ in matched}
    used_gold = {j for _, j in matched}
    return PaperResult(
        paper=paper,
        gold=list(gold),
        predicted=list(predicted),
        pairs=[Pair(predicted[i], gold[j]) for i, j in matched],
        false_positives=[c for i, c in enumerate(predicted) if i not in used_predicted],
        false_negatives=[c for j, c in enumerate(gold) if j not in used_gold],
        grounded=sum(is_grounded(c, paper.abstract) for c in predicted),
    )


@dataclass(frozen=True)
class CategoryRecall:
    gold: int
    found: int

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


@dataclass(frozen=True)
class Scores:
    papers: int
    gold_claims: int
    predicted_claims: int
    matched: int
    strict_matched: int
    grounded: int
    micro: PRF
    macro: PRF
    strict: PRF
    grounding_rate: float
    fields: dict[str, float | None]
    category_recall: dict[str, CategoryRecall] = field(default_factory=dict)

    def headline(self) -> dict[str, float]:
        return {
            "claim_f1": self.micro.f1,
            "strict_f1": self.strict.f1,
            "grounding_rate": self.grounding_rate,
        }

    def as_dict(self) -> dict[str, Any]:
        """Flat, JSON-ready scores: what --json prints and baseline files keep."""
        return {
            **self.headline(),
            "claim_precision": self.micro.precision,
            "claim_recall": self.micro.recall,
            "macro_precision": self.macro.precision,
            "macro_recall": self.macro.recall,
            "macro_f1": self.macro.f1,
            "strict_precision": self.strict.precision,
            "strict_recall": self.strict.recall,
            "fields": dict(self.fields),
            "category_recall": {
                name: {"gold": c.gold, "found": c.found, "recall": c.recall}
                for name, c in self.category_recall.items()
            },
            "counts": {
                "papers": self.papers,
                "gold_claims": self.gold_claims,
                "predicted_claims": self.predicted_claims,
                "matched": self.matched,
                "strict_matched": self.strict_matched,
                "grounded": self.grounded,
            },
        }


def aggregate(results: Sequence[PaperResult]) -> Scores:
    pairs = [pair for r in results for pair in r.pairs]
    gold = sum(len(r.gold) for r in results)
    predicted = sum(len(r.predicted) for r in results)
    strict = sum(r.strict_matches for r in results)
    grounded = sum(r.grounded for r in results)
    per_pair = [field_scores(p.predicted, p.gold) for p in pairs]
    per_paper = [r.scores for r in results]
    in_gold = Counter(c.category.value for r in results for c in r.gold)
    missed = Counter(c.category.value for r in results for c in r.false_negatives)
    return Scores(
        papers=len(results),
        gold_claims=gold,
        predicted_claims=predicted,
        matched=len(pairs),
        strict_matched=strict,
        grounded=grounded,
        micro=PRF.from_counts(len(pairs), predicted, gold),
        macro=PRF(
            fmean(s.precision for s in per_paper) if per_paper else 1.0,
            fmean(s.recall for s in per_paper) if per_paper else 1.0,
            fmean(s.f1 for s in per_paper) if per_paper else 1.0,
        ),
        strict=PRF.from_counts(strict, predicted, gold),
        grounding_rate=grounded / predicted if predicted else 1.0,
        fields={f: fmean(s[f] for s in per_pair) if per_pair else None for f in SCORED_FIELDS},
        category_recall={
            name: CategoryRecall(total, total - missed[name])
            for name, total in sorted(in_gold.items())
        },
    )


@dataclass(frozen=True)
class Evaluation:
    """Every paper's result and the scores over all of them."""

    results: list[PaperResult]
    scores: Scores


def evaluate(
    papers: Sequence[Paper],
    gold: Mapping[str, Sequence[Claim]],
    predictions: Mapping[str, Sequence[Claim]],
) -> Evaluation:
    """Score predictions against gold over papers; a paper missing from either side has none."""
    results = [
        score_paper(paper, gold.get(paper.id, ()), predictions.get(paper.id, ()))
        for paper in papers
    ]
    return Evaluation(results, aggregate(results))
