"""Alias tables read from data files: the shipped ones, plus a user's folder that extends them.

Files use the lexicon layout (`[section]` headers, one entry a line); an entry is a
canonical name followed by its other spellings, separated by " | ". A user folder named
by $CLAIMEX_ALIASES_DIR may hold files of the same names; its entries are read after the
shipped ones, so a user's spelling wins.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from claimex.errors import ClaimexError, InputError

ALIASES_ENV = "CLAIMEX_ALIASES_DIR"
FILES = ("systems.txt", "workloads.txt", "hardware.txt")

# Citation markers and a leading article are not part of a name: "the vLLM [12]" -> "vLLM".
_CITATION = re.compile(
    r"\s*(?:\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]|\(\s*[^()]*\bet al\.?[^()]*\)|\(\s*\d{4}\s*\))"
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_FOLDED_AWAY = re.compile(r"[\s_\-–]+")


def clean(name: str) -> str:
    """The name as written, without citation markers, a leading article or stray punctuation."""
    name = _ARTICLE.sub("", _CITATION.sub("", name).strip())
    return name.strip(" \t\n,;:")


def fold(name: str) -> str:
    """The matching key: case, spaces, hyphens and underscores do not tell names apart."""
    return _FOLDED_AWAY.sub("", name).casefold()


@dataclass(frozen=True)
class HardwareModel:
    model: str
    vendor: str
    spellings: tuple[str, ...]


@dataclass(frozen=True)
class Aliases:
    """Folded spelling -> canonical name, per kind of entity."""

    systems: dict[str, str]
    workloads: dict[str, str]
    hardware: tuple[HardwareModel, ...]
    # canonical columns already worked out from these tables (entities.columns): a corpus
    # repeats its names, and parsing hardware costs more than the rest of writing a claim
    memo: dict[tuple[Any, ...], tuple[Any, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def system(self, name: str | None) -> str | None:
        return _lookup(self.systems, name)

    def workload(self, name: str | None) -> str | None:
        return _lookup(self.workloads, name)


def _lookup(table: dict[str, str], name: str | None) -> str | None:
    if name is None:
        return None
    cleaned = clean(name)
    if not cleaned:
        return None
    return table.get(fold(cleaned), cleaned)


def _entries(where: str, text: str) -> dict[str, list[list[str]]]:
    """Section -> entries, each entry its spellings (canonical first)."""
    # imported here: the rules package imports the store, which imports this module
    from claimex.backends.rules.lexicon import parse_lexicon

    try:
        lexicon = parse_lexicon(where, text)
    except ValueError as exc:
        # parse_lexicon says "lexicon NAME:LINE: reason"; NAME is the file here
        raise ClaimexError(str(exc).removeprefix("lexicon ")) from None
    return {
        section: [[part.strip() for part in line.split("|") if part.strip()] for line in lines]
        for section, lines in lexicon.sections.items()
    }


def _texts(name: str, user_dir: Path | None) -> list[tuple[str, str]]:
    shipped = resources.files("claimex.entities").joinpath("aliases", name)
    texts = [(f"aliases/{name}", shipped.read_text(encoding="utf-8"))]
    if user_dir is not None and (user_dir / name).is_file():
        path = user_dir / name
        try:
            texts.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot read alias file ({exc})") from None
    return texts


def _name_table(name: str, user_dir: Path | None) -> dict[str, str]:
    table: dict[str, str] = {}
    for where, text in _texts(name, user_dir):
        for entries in _entries(where, text).values():
            for spellings in entries:
                for spelling in spellings:
                    table[fold(clean(spelling))] = spellings[0]
    return table


def _hardware(user_dir: Path | None) -> tuple[HardwareModel, ...]:
    models: dict[str, HardwareModel] = {}
    for where, text in _texts("hardware.txt", user_dir):
        for vendor, entries in _entries(where, text).items():
            for spellings in entries:
                models[fold(spellings[0])] = HardwareModel(spellings[0], vendor, tuple(spellings))
    return tuple(models.values())


def user_aliases_dir() -> Path | None:
    value = os.environ.get(ALIASES_ENV)
    return Path(value) if value else None


def load_aliases() -> Aliases:
    """The alias tables in effect: shipped files extended by $CLAIMEX_ALIASES_DIR."""
    return _load(user_aliases_dir())


@cache
def _load(user_dir: Path | None) -> Aliases:
    return Aliases(
        systems=_name_table("systems.txt", user_dir),
        workloads=_name_table("workloads.txt", user_dir),
        hardware=_hardware(user_dir),
    )
