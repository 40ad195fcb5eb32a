"""Reader for text copied from a Hugging Face Daily Papers listing.

The page text is blocks separated by blank lines: header lines, then for each
paper a title line, its abstract paragraph and an optional footer block
("  • 8 authors" or an organisation line, "·", "Jan 17, 2024 1" = date and
upvotes). Header blocks before the first title/abstract pair are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from claimex.errors import InputError
from claimex.readers.records import RawRecord, parse_date

MIN_ABSTRACT_WORDS = 20
_AUTHORS = re.compile(r"^\s*•\s*(\d+)\s+authors?\s*$")
_SEPARATOR = re.compile(r"^\s*·\s*$")
_DATE = re.compile(r"^\s*([A-Z][a-z]{2,8} \d{1,2}, \d{4})(?:\s+(\d+))?\s*$")


def _blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, lines) for each run of non-blank lines."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _is_abstract(block: list[str]) -> bool:
    return len(block) == 1 and len(block[0].split()) >= MIN_ABSTRACT_WORDS


def _is_footer(block: list[str]) -> bool:
    return any(_SEPARATOR.match(line) or _AUTHORS.match(line) for line in block) or bool(
        _DATE.match(block[-1])
    )


def _footer_metadata(block: list[str]) -> dict[str, object]:
    meta: dict[str, object] = {}
    for line in block:
        if m := _AUTHORS.match(line):
            meta["authors"] = int(m.group(1))
        elif m := _DATE.match(line):
            meta["date"] = parse_date(m.group(1))
            if m.group(2):
                meta["upvotes"] = int(m.group(2))
        elif not _SEPARATOR.match(line):
            # "nvidia NVIDIA": the page shows the organisation's handle, then its name.
            words = line.split()
            meta["organisation"] = " ".join(words[1:] if len(words) > 1 else words)
    return meta


def read_hf_daily(path: Path, text: str) -> Iterator[RawRecord]:
    blocks = list(_blocks(text))
    i = 0
    started = False
    while i < len(blocks):
        line, block = blocks[i]
        is_pair = len(block) == 1 and i + 1 < len(blocks) and _is_abstract(blocks[i + 1][1])
        if not is_pair:
            if started:
                raise InputError(
                    path,
                    "expected a paper title line, a blank line, then its abstract paragraph",
                    line,
                )
            i += 1  # page header before the first paper
            continue
        started = True
        record = RawRecord(line=line, title=block[0], abstract=blocks[i + 1][1][0])
        i += 2
        if i < len(blocks) and _is_footer(blocks[i][1]):
            record.metadata = _footer_metadata(blocks[i][1])
            i += 1
        yield record
