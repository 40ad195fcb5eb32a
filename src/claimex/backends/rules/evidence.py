"""Evidence: the shortest clause that holds a result, as offsets into the abstract."""

from __future__ import annotations

import re

from claimex.backends.rules.segments import Sentence

# Where a clause ends: "; ", ": ", ", " (not inside a list of numbers), " while ", " - ".
_EDGE = re.compile(r"[;:]\s|,\s(?![\d+~<>])|\s(?:while|whereas|but|which|though)\s|\s-{1,2}\s")


def clause_span(text: str, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end], trimmed of spaces, edge punctuation and stray brackets."""
    left = sentence.start
    for edge in _EDGE.finditer(text, sentence.start, start):
        left = edge.end()
    right_edge = _EDGE.search(text, end, sentence.end)
    right = right_edge.start() if right_edge else sentence.end
    return _trim(text, left, right, start, end)


def _trim(text: str, left: int, right: int, start: int, end: int) -> tuple[int, int]:
    while left < start and (text[left].isspace() or text[left] in ",;:"):
        left += 1
    while right > end and (text[right - 1].isspace() or text[right - 1] in ".,;:"):
        right -= 1
    piece = text[left:right]
    if piece.count(")") > piece.count("(") and text[right - 1] == ")" and right - 1 >= end:
        right -= 1
    if piece.count("(") > piece.count(")") and text[left] == "(" and left < start:
        left += 1
    return left, right


def unique_span(original: str, sentence: Sentence, span: tuple[int, int]) -> tuple[int, int]:
    """The span, or its whole sentence when the same words occur elsewhere in the abstract.

    Grounding finds evidence by its text, so evidence written twice could be placed
    at the other occurrence; a unique span keeps the offsets exact.
    """
    piece = original[span[0] : span[1]]
    if original.count(piece) > 1:
        return sentence.start, sentence.end
    return span
