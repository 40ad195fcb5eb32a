"""Errors a user can act on: each renders as one line naming the file and line or record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Self


class ClaimexError(Exception):
    """Base for errors the CLI reports as one line and exit code 2."""

    def render(self, spell: Callable[[str], str]) -> str:
        """The message with setting names spelled by the front end (see SettingError)."""
        return str(self)


class InputError(ClaimexError):
    """Bad input data, located as precisely as the format allows.

    With names_settings the message names settings as {name}, as a SettingError's does,
    so that each front end spells them its way.
    """

    def __init__(
        self,
        path: Path | str,
        message: str,
        line: int | None = None,
        *,
        names_settings: bool = False,
    ) -> None:
        self.path = str(path)
        self.line = line
        self._template = message if names_settings else None
        self.reason = spelled(message) if names_settings else message
        self._where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{self._where}: {self.reason}")

    def render(self, spell: Callable[[str], str]) -> str:
        if self._template is None:
            return str(self)
        return f"{self._where}: {spelled(self._template, spell)}"


def spelled(template: str, spell: Callable[[str], str] | None = None, /, **values: object) -> str:
    """A message whose {names} are settings, spelled by the caller's front end.

    The library names a setting as its keyword ("concurrency"); the CLI spells the
    same name as its flag ("--concurrency"). `values` fill in verbatim text.
    """

    class _Names(dict[str, object]):
        def __missing__(self, name: str) -> str:
            return spell(name) if spell is not None else name

    return template.format_map(_Names(values))


class SettingError(ClaimexError):
    """A bad combination or value of settings, named so each front end can spell them."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(spelled(template, **values))

    def render(self, spell: Callable[[str], str]) -> str:
        return spelled(self.template, spell, **self.values)

    def cleaned(self, clean: Callable[[str], str]) -> Self:
        """The same error with its text passed through clean (e.g. secrets redacted)."""
        values = {name: clean(str(value)) for name, value in self.values.items()}
        return type(self)(clean(self.template), **values)
