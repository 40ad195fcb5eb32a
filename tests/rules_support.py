"""Helpers for the rules-backend tests: run the extractor and compare the fields that matter."""

from __future__ import annotations

from claimex.backends.rules import extract_claims
from claimex.grounding import ground_claim, is_grounded
from claimex.model import Claim

Key = tuple[float, float | None, str, str, str, str | None, str]


def claims(text: str, title: str | None = None) -> list[Claim]:
    """The rules' claims for text; each must be grounded in it (checked here, every time)."""
    found = extract_claims(text, title).claims
    for claim in found:
        assert is_grounded(claim, text), claim.evidence
        ground_claim(claim, text)  # raises if the evidence or a value is not in the text
    return found


def key(claim: Claim) -> Key:
    """(value, value_max, unit, category, kind, direction, bound) of a claim."""
    return (
        claim.value,
        claim.value_max,
        claim.unit,
        claim.category.value,
        claim.kind.value,
        claim.direction.value if claim.direction else None,
        claim.bound.value,
    )


def keys(text: str, title: str | None = None) -> list[Key]:
    return [key(c) for c in claims(text, title)]


def values(text: str, title: str | None = None) -> list[float]:
    return [c.value for c in claims(text, title)]
