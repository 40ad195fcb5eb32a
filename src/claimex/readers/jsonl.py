"""Reader for JSON Lines (gzip'd or not): one object a line with title and abstract."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from claimex.errors import InputError
from claimex.readers.records import RawRecord, parse_date
from claimex.readers.source import text_lines

METADATA_FIELDS = ("authors", "organisation", "upvotes")


def json_objects(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of text already read."""
    return json_lines(path, enumerate(text.splitlines(), start=1))


def json_lines(
    path: Path, lines: Iterable[tuple[int, str]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; InputError on a line that is not one."""
    for number, line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                path, f"not valid JSON ({exc.msg}, column {exc.colno})", number
            ) from None
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, got {type(obj).__name__}", number)
        yield number, obj


def read_jsonl(path: Path) -> Iterator[RawRecord]:
    for number, obj in json_lines(path, text_lines(path)):
        metadata: dict[str, object] = {k: obj[k] for k in METADATA_FIELDS if obj.get(k) is not None}
        if isinstance(obj.get("date"), str):
            metadata["date"] = parse_date(obj["date"])
        if obj.get("source") is not None:
            metadata["source"] = str(obj["source"])
        yield RawRecord(
            line=number,
            title=obj.get("title"),
            abstract=obj.get("abstract"),
            id=obj.get("id"),
            metadata=metadata,
        )
