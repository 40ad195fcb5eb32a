"""Input readers, one module per format, chosen by extension and content.

Every reader streams records, so a file of any size is read in flat memory;
`iter_papers` is the streaming entry point, `read_papers` its list for small files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path

from claimex.errors import InputError
from claimex.model import Paper
from claimex.readers.arxiv import looks_like_arxiv, read_arxiv
from claimex.readers.csv_reader import read_csv
from claimex.readers.hf_daily import read_hf_daily
from claimex.readers.jsonl import read_jsonl
from claimex.readers.parquet import read_parquet
from claimex.readers.records import RawRecord, build_papers
from claimex.readers.source import head_text, is_gzip

PARQUET_MAGIC = "PAR1"


class InputFormat(StrEnum):
    AUTO = "auto"
    HF_DAILY = "hf-daily"
    JSONL = "jsonl"
    ARXIV = "arxiv"
    CSV = "csv"
    PARQUET = "parquet"


def _read_hf_daily(path: Path) -> Iterator[RawRecord]:
    return read_hf_daily(path, read_text(path))  # a page listing: small, read whole


_READERS: dict[InputFormat, Callable[[Path], Iterator[RawRecord]]] = {
    InputFormat.HF_DAILY: _read_hf_daily,
    InputFormat.JSONL: read_jsonl,
    InputFormat.ARXIV: read_arxiv,
    InputFormat.CSV: read_csv,
    InputFormat.PARQUET: read_parquet,
}
_EXTENSIONS = {
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".json": InputFormat.JSONL,
    ".csv": InputFormat.CSV,
    ".txt": InputFormat.HF_DAILY,
    ".parquet": InputFormat.PARQUET,
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


def _first_object(head: str) -> dict[str, object] | None:
    line = head.split("\n", 1)[0]
    if not line.startswith("{"):
        return None
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def detect_format(path: Path, head: str) -> InputFormat:
    """Extension first (under .gz), JSON lines told apart by their first record; else sniff.

    head is the file's first few KB as text: '{' means JSON lines, a title/abstract
    header means CSV, anything else a Hugging Face Daily Papers listing. .txt is
    what people name any text file, so JSON lines saved as .txt (a first line that
    is a JSON object) are read as JSON lines, not as a listing.
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    by_extension = _EXTENSIONS.get(suffixes[-1]) if suffixes else None
    stripped = head.lstrip()
    first = _first_object(stripped)
    if by_extension is None and stripped.startswith(PARQUET_MAGIC):
        return InputFormat.PARQUET
    if by_extension is None and stripped.startswith("{"):
        by_extension = InputFormat.JSONL
    if by_extension is InputFormat.HF_DAILY and first is not None:
        by_extension = InputFormat.JSONL
    if by_extension is InputFormat.JSONL:
        return InputFormat.ARXIV if first is not None and looks_like_arxiv(first) else by_extension
    if by_extension is not None:
        return by_extension
    header = stripped.splitlines()[0].lower() if stripped else ""
    if "," in header and "title" in header and "abstract" in header:
        return InputFormat.CSV
    return InputFormat.HF_DAILY


def iter_papers(
    path: Path, fmt: InputFormat = InputFormat.AUTO, category: str | None = None
) -> Iterator[Paper]:
    """Stream the papers in path (in category, if given); InputError names file and line."""
    if fmt is InputFormat.AUTO:
        fmt = detect_format(path, head_text(path) if path.is_file() else "")
    if fmt is InputFormat.PARQUET and is_gzip(path):
        raise InputError(path, "a gzip'd Parquet file; Parquet compresses itself, gunzip it")
    return build_papers(path, _READERS[fmt](path), category)


def read_papers(
    path: Path, fmt: InputFormat = InputFormat.AUTO, category: str | None = None
) -> list[Paper]:
    """Every paper in path, as a list (for files that fit in memory)."""
    return list(iter_papers(path, fmt, category))


__all__ = ["InputFormat", "detect_format", "iter_papers", "read_papers"]
