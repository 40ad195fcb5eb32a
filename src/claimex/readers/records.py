"""Turn raw records from any reader into validated Papers with stable, unique ids."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from claimex.errors import InputError
from claimex.model import Paper
from claimex.readers.ids import slugify_title, unique_id


@dataclass
class RawRecord:
    """A record as a reader found it, with the line it starts on for error messages."""

    line: int
    title: object  # str when valid; JSON can hold anything, checked in build_papers
    abstract: object
    id: object = None
    metadata: dict[str, object] = field(default_factory=dict)
    categories: tuple[str, ...] = ()  # arXiv-style, for the category filter; not stored


def in_category(categories: tuple[str, ...], wanted: str) -> bool:
    """'cs.DC' matches cs.DC only; 'cs' matches every cs.* category."""
    return any(c == wanted or c.startswith(wanted + ".") for c in categories)


def _digest(title: str, abstract: str) -> bytes:
    """A 16-byte stand-in for a paper's text, so repeat checks keep no abstracts in memory."""
    return hashlib.blake2b(f"{title}\0{abstract}".encode(), digest_size=16).digest()


_JSON_KINDS = {bool: "boolean", int: "number", float: "number", list: "list", dict: "object"}


def _text(value: object) -> str | None:
    """Whitespace-collapsed text without NULs (which DuckDB and terminals mishandle)."""
    if value is None:
        return None
    text = " ".join(str(value).replace("\0", "").split())
    return text or None


def _field(path: Path, record: RawRecord, name: str) -> str | None:
    """A title or abstract as text; a number, list or object there is an input error."""
    value = getattr(record, name)
    if value is not None and not isinstance(value, str):
        kind = _JSON_KINDS.get(type(value), type(value).__name__)
        raise InputError(path, f"{name} must be text, got a {kind}", record.line)
    return _text(value)


def build_papers(
    path: Path, records: Iterable[RawRecord], category: str | None = None
) -> Iterator[Paper]:
    """Validate records, assign ids and drop exact repeats of the same paper, streaming.

    Only ids and 16-byte digests are remembered, so memory grows by a few dozen
    bytes per paper, never with abstract length. category keeps only records in it.
    """
    found = False
    first_line: dict[str, int] = {}
    content_of: dict[str, bytes] = {}
    seen: set[bytes] = set()  # a set, so repeat detection stays linear in file size
    suffixes: dict[str, int] = {}  # and so does id assignment (see unique_id)
    for record in records:
        if category is not None and not in_category(record.categories, category):
            continue
        title, abstract = _field(path, record, "title"), _field(path, record, "abstract")
        if title is None:
            raise InputError(path, "record has no title", record.line)
        if abstract is None:
            raise InputError(path, f"record {title[:60]!r} has no abstract", record.line)
        digest = _digest(title, abstract)
        given = _text(record.id)
        if given is not None:
            if given in content_of:
                if content_of[given] == digest:
                    continue
                raise InputError(
                    path, f"duplicate id {given!r} (first at line {first_line[given]})", record.line
                )
            paper_id = given
        else:
            if digest in seen:
                continue
            paper_id = unique_id(slugify_title(title) or "paper", content_of.keys(), suffixes)
        content_of[paper_id] = digest
        seen.add(digest)
        first_line[paper_id] = record.line
        try:
            paper = Paper.model_validate(
                {"source": str(path), **record.metadata, "id": paper_id}
                | {"title": title, "abstract": abstract}
            )
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise InputError(path, f"bad {where}: {problem['msg']}", record.line) from None
        found = True
        yield paper
    if not found:
        raise InputError(
            path, "no papers found" if category is None else f"no papers in {category}"
        )


def parse_date(text: str) -> dt.date | None:
    """Dates as the Daily Papers page writes them ("Jan 17, 2024") or ISO."""
    for fmt in ("%b %d, %Y", "%Y-%m-%d", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None
