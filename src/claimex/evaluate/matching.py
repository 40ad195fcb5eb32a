"""Pairing predicted claims with gold claims, as claim-spec's "Matching" section defines it.

A pair is possible when value and value_max agree within 1% relative and the
units are compatible (after canonicalisation; times compare after conversion).
Among possible pairs, one paper's claims are paired one to one by an optimal
assignment (scipy's linear_sum_assignment), not a greedy first fit: a greedy
loop can spend a gold claim on the wrong prediction and lose a match.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimex.evaluate.fields import agreement
from claimex.model import Claim
from claimex.numbers import to_unit, units_compatible, values_agree


def can_match(predicted: Claim, gold: Claim) -> bool:
    """Values (and range ends) agree within 1% in compatible units; "0.5 s" can match "500 ms"."""
    if not units_compatible(predicted.unit, gold.unit):
        return False
    value = to_unit(predicted.value, predicted.unit, gold.unit)
    value_max = (
        None
        if predicted.value_max is None
        else to_unit(predicted.value_max, predicted.unit, gold.unit)
    )
    return values_agree(value, gold.value) and values_agree(value_max, gold.value_max)


def assign(predicted: Sequence[Claim], gold: Sequence[Claim]) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs (predicted index, gold index), sorted by gold index.

    Weights are layered so that the number of matches always dominates, then
    the number of pairs with equal category, then field agreement (a tie-break
    in [0, 1] per pair): with n = the most pairs possible, a category bonus
    worth more than n tie-breaks and a match worth more than every bonus.
    """
    if not predicted or not gold:
        return []
    # Imported here: scipy.optimize takes ~0.4 s to import and only scoring needs it.
    from scipy.optimize import linear_sum_assignment

    n = min(len(predicted), len(gold))
    category_bonus = n + 1.0
    match_weight = n * category_bonus + n + 1.0
    weights = [[0.0] * len(gold) for _ in predicted]
    possible: set[tuple[int, int]] = set()
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if can_match(p, g):
                possible.add((i, j))
                weights[i][j] = (
                    match_weight + category_bonus * (p.category == g.category) + agreement(p, g)
                )
    rows, cols = linear_sum_assignment(weights, maximize=True)
    pairs = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    pairs = [pair for pair in pairs if pair in possible]
    return sorted(pairs, key=lambda pair: pair[1])
