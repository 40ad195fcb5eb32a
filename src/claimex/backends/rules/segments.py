"""Sentences, URL spans and clause edges of an abstract, as character offsets.

Everything downstream works on offsets into the (offset-keeping normalised)
abstract, so evidence can be cut from the original text verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop, "!" or "?" (and closing quotes or brackets) followed by space and the next
# sentence's first character (a capital, a digit, or a name led by lowercase letters such
# as "vLLM"); a newline run also ends a sentence.
_SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?(?:[A-Z0-9]|[a-z]{1,3}[A-Z]))|\n\s*\n")
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|cf|etc|approx|resp|fig|figs|eq|sec|no|w\.r\.t|incl)\.?)$",
    re.IGNORECASE,
)
# What only a link or an address holds; each hit is widened to the whole token around it.
_URL_ANCHOR_RE = re.compile(
    r"://|@[\w-]+\.|\.(?:com|org|io|ai|co|net|edu|dev|app|html?)(?:/|\b)", re.IGNORECASE
)  # starts with ":", "@" or ".": the engine skips to those ("www." ends in a ".com" anyway)
_TOKEN_EDGE = " \t\n\"'<>()[]{}"


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of text, skipping breaks after abbreviations ("e.g. ImageNet")."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        stop = match.start() + 1
        window = max(start, match.start() - 8)  # the longest abbreviation is "w.r.t"
        if text[match.start()] == "." and _ABBREVIATION_RE.search(text, window, match.start()):
            continue
        if text[start:stop].strip():
            sentences.append(Sentence(len(sentences), *_trimmed(text, start, stop)))
        start = match.end()
    if text[start:].strip():
        sentences.append(Sentence(len(sentences), *_trimmed(text, start, len(text))))
    return sentences


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses: numbers inside them are never claims."""
    spans: list[tuple[int, int]] = []
    for anchor in _URL_ANCHOR_RE.finditer(text):
        start, end = anchor.start(), anchor.end()
        while start > 0 and text[start - 1] not in _TOKEN_EDGE:
            start -= 1
        while end < len(text) and text[end] not in _TOKEN_EDGE:
            end += 1
        spans.append((start, end))  # one per anchor: "https://x.io/a.html" gives overlapping spans
    return spans
