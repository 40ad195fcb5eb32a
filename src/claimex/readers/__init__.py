"""Input readers, one module per format, chosen by extension and content."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path

from claimex.errors import InputError
from claimex.model import Paper
from claimex.readers.csv_reader import read_csv
from claimex.readers.hf_daily import read_hf_daily
from claimex.readers.jsonl import read_jsonl
from claimex.readers.records import RawRecord, build_papers


class InputFormat(StrEnum):
    AUTO = "auto"
    HF_DAILY = "hf-daily"
    JSONL = "jsonl"
    CSV = "csv"


_READERS: dict[InputFormat, Callable[[Path, str], Iterator[RawRecord]]] = {
    InputFormat.HF_DAILY: read_hf_daily,
    InputFormat.JSONL: read_jsonl,
    InputFormat.CSV: read_csv,
}
_EXTENSIONS = {
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".csv": InputFormat.CSV,
    ".txt": InputFormat.HF_DAILY,
}


def read_text(path: Path) -> str:
    """Read a UTF-8 file, turning OS and decoding failures into one-line InputErrors."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        ) from None
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def detect_format(path: Path, text: str) -> InputFormat:
    """Extension first; otherwise sniff: '{' means JSONL, a title/abstract header means CSV.

    .txt is what people name any text file, so JSON lines saved as .txt (a first
    line that is a JSON object) are read as JSON lines, not as a listing.
    """
    stripped = text.lstrip()
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension is InputFormat.HF_DAILY and _starts_with_json_object(stripped):
        return InputFormat.JSONL
    if by_extension is not None:
        return by_extension
    if stripped.startswith("{"):
        return InputFormat.JSONL
    header = stripped.splitlines()[0].lower()
    if "," in header and "title" in header and "abstract" in header:
        return InputFormat.CSV
    return InputFormat.HF_DAILY


def _starts_with_json_object(text: str) -> bool:
    first = text.split("\n", 1)[0]
    try:
        return first.startswith("{") and isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


def read_papers(path: Path, fmt: InputFormat = InputFormat.AUTO) -> list[Paper]:
    """Read every paper in path; raise InputError naming file and line on bad input."""
    text = read_text(path)
    chosen = detect_format(path, text) if fmt is InputFormat.AUTO else fmt
    return build_papers(path, _READERS[chosen](path, text))


__all__ = ["InputFormat", "detect_format", "read_papers"]
