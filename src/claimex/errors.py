"""Errors a user can act on: each renders as one line naming the file and line or record."""

from __future__ import annotations

from pathlib import Path


class ClaimexError(Exception):
    """Base for errors the CLI reports as one line and exit code 2."""


class InputError(ClaimexError):
    """Bad input data, located as precisely as the format allows."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")
