"""Cutting an abstract at every claim's evidence offsets, for highlighting.

Evidence spans may overlap or nest, so the text is cut at every start and end; each
piece knows which claims cover it. Both the terminal view and the HTML page use this.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    claims: tuple[int, ...]  # indexes of the claims covering this piece, in the given order


def pieces(length: int, spans: Sequence[tuple[int, int]]) -> list[Piece]:
    """The text [0, length) cut at every span edge; spans are (start, end) per claim."""
    cuts = sorted({0, length, *(max(0, min(e, length)) for s in spans for e in s)})
    result = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(i for i, (s, e) in enumerate(spans) if s <= start and end <= e)
        result.append(Piece(start, end, covering))
    return result
