"""How far a matched prediction's fields agree with its gold claim.

The scorer, the assignment's tie-break and the error report all judge fields
here, so a "mismatch" in the report is exactly what lowered a score.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from claimex.model import Claim
from claimex.numbers import normalise_text

EXACT_FIELDS = ("category", "kind", "direction", "bound")
"""Fields scored as accuracy: right or wrong."""

NAME_FIELDS = ("system", "hardware", "workload")
"""Free-text names scored as token F1, so "8 A100 GPUs" vs "8x A100 GPUs" earns partial credit."""

SCORED_FIELDS = (*EXACT_FIELDS, "baselines", *NAME_FIELDS)

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_name(text: str) -> str:
    """Case, punctuation and whitespace folded away: "Qwen3-1.7B" and "qwen3 1.7b" are equal."""
    return " ".join(_NOT_WORD.sub(" ", normalise_text(text).casefold()).split())


def baseline_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (normalise_name(name) for name in names) if n)


def _f1(overlap: int, predicted: int, gold: int) -> float:
    if predicted == 0 and gold == 0:
        return 1.0
    if overlap == 0:
        return 0.0
    precision, recall = overlap / predicted, overlap / gold
    return 2 * precision * recall / (precision + recall)


def set_f1(predicted: Iterable[str], gold: Iterable[str]) -> float:
    """F1 of two baseline lists as normalised sets; two empty lists agree fully (1.0)."""
    p, g = baseline_set(predicted), baseline_set(gold)
    return _f1(len(p & g), len(p), len(g))


def token_f1(predicted: str | None, gold: str | None) -> float:
    """Token-multiset F1 of two names; both null (or blank) is 1.0, one null is 0.0."""
    p = Counter(normalise_name(predicted or "").split())
    g = Counter(normalise_name(gold or "").split())
    return _f1(sum((p & g).values()), sum(p.values()), sum(g.values()))


def field_scores(predicted: Claim, gold: Claim) -> dict[str, float]:
    """Per scored field, 1.0 for full agreement down to 0.0."""
    scores = {f: float(getattr(predicted, f) == getattr(gold, f)) for f in EXACT_FIELDS}
    scores["baselines"] = set_f1(predicted.baselines, gold.baselines)
    for name in NAME_FIELDS:
        scores[name] = token_f1(getattr(predicted, name), getattr(gold, name))
    return scores


def strictly_right(predicted: Claim, gold: Claim) -> bool:
    """Strict match: category, kind, direction right and the same baselines (normalised sets)."""
    return (
        predicted.category == gold.category
        and predicted.kind == gold.kind
        and predicted.direction == gold.direction
        and baseline_set(predicted.baselines) == baseline_set(gold.baselines)
    )


def agreement(predicted: Claim, gold: Claim) -> float:
    """Share of fields (scored ones plus metric and evidence) that agree, in [0, 1].

    Only a tie-break between equally good assignments: when two gold claims share
    a value ("up to 29x, 29x and 3x"), each prediction pairs with the one it
    describes, so gold scored against itself pairs every claim with itself.
    """
    parts = list(field_scores(predicted, gold).values())
    parts.append(token_f1(predicted.metric, gold.metric))
    parts.append(float(normalise_name(predicted.evidence) == normalise_name(gold.evidence)))
    return sum(parts) / len(parts)


@dataclass(frozen=True)
class Mismatch:
    """One scored field of a matched pair that is not fully right."""

    field: str
    gold: str
    predicted: str


def _shown(claim: Claim, field: str) -> str:
    value = getattr(claim, field)
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    return str(value)


def mismatches(predicted: Claim, gold: Claim) -> list[Mismatch]:
    return [
        Mismatch(field, _shown(gold, field), _shown(predicted, field))
        for field, score in field_scores(predicted, gold).items()
        if score < 1.0
    ]
