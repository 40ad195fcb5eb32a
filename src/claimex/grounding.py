"""Evidence alignment: find a claim's evidence in its abstract and check the value is in it.

Every backend's output passes through `ground_claim` before it is stored, and the
scorer's grounding rate uses `is_grounded`, so "grounded" means one thing.

Alignment order: exact substring, then a match on normalised text (NFKC, "×"
as "x", unicode dashes and minus as "-", any whitespace run as one space,
case-folded), then a fuzzy match (rapidfuzz partial ratio) scoring at least
FUZZY_THRESHOLD out of 100 on the normalised text. The stored evidence is
always the verbatim slice of the abstract at the aligned offsets.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claimex.model import Alignment, Claim, GroundedClaim
from claimex.numbers import CHAR_SUBSTITUTIONS, value_in_text

FUZZY_THRESHOLD = 90.0
"""Minimum rapidfuzz partial_ratio (0-100) for a fuzzy evidence match.

90 tolerates a dropped word or a re-typed symbol in a one-clause evidence span,
while two different clauses of the same abstract score well below it.
"""


class GroundingError(ValueError):
    """A claim whose evidence or value cannot be found in the abstract."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    alignment: Alignment


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise text and keep, for each output character, the index of its source character."""
    chars: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).translate(CHAR_SUBSTITUTIONS).casefold()
        for out in piece:
            if out.isspace():
                if previous_space:
                    continue
                out = " "
                previous_space = True
            else:
                previous_space = False
            chars.append(out)
            index.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def _span_from_normalised(index: list[int], start: int, end: int, alignment: Alignment) -> Span:
    return Span(index[start], index[end - 1] + 1, alignment)


def locate(evidence: str, abstract: str) -> Span | None:
    """Find evidence in abstract: exact, then normalised, then fuzzy; None when nothing is close."""
    if not evidence.strip():
        return None
    start = abstract.find(evidence)
    if start >= 0:
        return Span(start, start + len(evidence), Alignment.EXACT)
    norm_abstract, index = _normalise_with_map(abstract)
    norm_evidence, _ = _normalise_with_map(evidence)
    if not norm_evidence:
        return None
    start = norm_abstract.find(norm_evidence)
    if start >= 0:
        return _span_from_normalised(index, start, start + len(norm_evidence), Alignment.NORMALISED)
    found = fuzz.partial_ratio_alignment(norm_evidence, norm_abstract, score_cutoff=FUZZY_THRESHOLD)
    if found is None or found.dest_end <= found.dest_start:
        return None
    span = _span_from_normalised(index, found.dest_start, found.dest_end, Alignment.FUZZY)
    return _widen_to_words(abstract, span)


def _widen_to_words(abstract: str, span: Span) -> Span:
    """Grow a fuzzy span to whole words.

    partial_ratio's window is as long as the evidence, so evidence one character
    short ("request" for "requests") would otherwise cut the last word, or a number.
    """
    start, end = span.start, span.end
    while start > 0 and _inside_word(abstract, start - 1):
        start -= 1
    while end < len(abstract) and _inside_word(abstract, end):
        end += 1
    return Span(start, end, span.alignment)


def _inside_word(text: str, i: int) -> bool:
    """A letter or digit, or the point or comma inside a numeral ("4.48", "2,931")."""
    if text[i].isalnum():
        return True
    return (
        text[i] in ".,"
        and 0 < i < len(text) - 1
        and text[i - 1].isdigit()
        and text[i + 1].isdigit()
    )


def ground_claim(claim: Claim, abstract: str, rules: Sequence[str] = ()) -> GroundedClaim:
    """Align claim's evidence in abstract and check its numbers; raise GroundingError with why."""
    span = locate(claim.evidence, abstract)
    if span is None:
        raise GroundingError(f"evidence {claim.evidence!r} is not in the abstract")
    evidence = abstract[span.start : span.end]
    for label, number in (("value", claim.value), ("value_max", claim.value_max)):
        if number is not None and not value_in_text(number, evidence):
            raise GroundingError(f"{label} {number:g} is not written in the evidence {evidence!r}")
    if span.alignment is Alignment.EXACT and type(claim) is Claim:
        # The claim is validated and its evidence is unchanged; the added fields are valid by
        # construction (a found span's offsets, rule ids), so skip a second validation pass.
        return GroundedClaim.model_construct(
            **claim.__dict__,
            evidence_start=span.start,
            evidence_end=span.end,
            alignment=span.alignment,
            rules=list(rules),
        )
    data = claim.model_dump()
    data.update(
        evidence=evidence,
        evidence_start=span.start,
        evidence_end=span.end,
        alignment=span.alignment,
        rules=list(rules),
    )
    return GroundedClaim.model_validate(data)


def is_grounded(claim: Claim, abstract: str) -> bool:
    """The scorer's grounding test: evidence is a verbatim substring and writes the value."""
    return claim.evidence in abstract and value_in_text(claim.value, claim.evidence)
