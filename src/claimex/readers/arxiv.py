"""Reader for the arXiv metadata snapshot (Kaggle's arxiv-metadata-oai-snapshot.json).

JSON lines with id, title, abstract, categories ("cs.DC cs.LG"), authors_parsed,
versions (v1's `created` is the submission date) and update_date; gzip'd or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimex.readers.jsonl import json_lines
from claimex.readers.records import RawRecord, parse_date
from claimex.readers.source import text_lines

MARKER_FIELDS = ("categories", "versions")


def looks_like_arxiv(first_object: dict[str, Any]) -> bool:
    """The snapshot's records carry categories and a versions list; plain JSONL does not."""
    return all(field in first_object for field in MARKER_FIELDS)


def _submitted(obj: dict[str, Any]) -> dt.date | None:
    versions = obj.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        created = versions[0].get("created")
        if isinstance(created, str):
            try:  # "Mon, 2 Apr 2007 19:18:42 GMT"
                return dt.datetime.strptime(created, "%a, %d %b %Y %H:%M:%S %Z").date()
            except ValueError:
                pass
    update = obj.get("update_date")
    return parse_date(update) if isinstance(update, str) else None


def _author_count(obj: dict[str, Any]) -> int | None:
    parsed = obj.get("authors_parsed")
    return len(parsed) if isinstance(parsed, list) and parsed else None


def read_arxiv(path: Path) -> Iterator[RawRecord]:
    for number, obj in json_lines(path, text_lines(path)):
        metadata: dict[str, object] = {}
        if (date := _submitted(obj)) is not None:
            metadata["date"] = date
        if (authors := _author_count(obj)) is not None:
            metadata["authors"] = authors
        categories = obj.get("categories")
        yield RawRecord(
            line=number,
            title=obj.get("title"),
            abstract=obj.get("abstract"),
            id=obj.get("id"),
            metadata=metadata,
            categories=tuple(categories.split()) if isinstance(categories, str) else (),
        )
