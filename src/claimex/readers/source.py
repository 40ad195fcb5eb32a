"""Opening input files as a stream of numbered text lines, gzip'd or not.

Readers pull one line at a time, so memory stays flat however large the file;
OS, gzip and UTF-8 failures become one-line InputErrors naming the line.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from claimex.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
_BOM = "\ufeff"
HEAD_BYTES = 65536


def _open_binary(path: Path) -> BinaryIO:
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    if raw.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def head_text(path: Path) -> str:
    """The first few KB as text (decompressed), for format sniffing."""
    with _open_binary(path) as stream:
        try:
            data = stream.read(HEAD_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(path, f"not a readable gzip file ({exc})") from None
    return data.decode("utf-8", errors="ignore").lstrip(_BOM)


def is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as raw:
            return raw.read(2) == GZIP_MAGIC
    except OSError:
        return False


def text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line with its ending) for every line; 'empty file' if all are blank."""
    offset = 0
    number = 0
    blank = True
    with _open_binary(path) as stream:
        while True:
            try:
                data = stream.readline()
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError(path, f"not a readable gzip file ({exc})", number + 1) from None
            if not data:
                break
            number += 1
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                at = offset + exc.start
                raise InputError(
                    path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {at})", number
                ) from None
            offset += len(data)
            if number == 1:
                line = line.lstrip(_BOM)
            blank = blank and not line.strip()
            yield number, line
    if blank:
        raise InputError(path, "empty file")
