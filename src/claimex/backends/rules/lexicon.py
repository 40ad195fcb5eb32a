"""Lexicons: the cue words the rules use, kept as data files so they grow without code changes.

A lexicon file is a list of sections; each section is a list of phrases, one a line:

    # comment
    [latency]
    latency
    latenc*          <- "*" at the end: the word may go on ("latencies")
    time to first token

Phrases match whole words (a hyphenated word is one word); inside a phrase, a space
or a hyphen matches either ("time to first token" = "time-to-first-token"). Which files
are case-sensitive (names of hardware and models) is decided by the code that compiles
them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable


def lexicon_folder() -> Traversable:
    """The packaged lexicons/ folder (package data of claimex.backends.rules)."""
    return resources.files("claimex.backends.rules").joinpath("lexicons")


@dataclass(frozen=True)
class Lexicon:
    """One lexicon file: section name -> phrases, in file order."""

    name: str
    sections: dict[str, tuple[str, ...]]

    def __getitem__(self, section: str) -> tuple[str, ...]:
        return self.sections[section]


def parse_lexicon(name: str, text: str) -> Lexicon:
    """Parse the text of a lexicon file; phrases before any [section] header are an error."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), [])
        elif current is None:
            raise ValueError(f"lexicon {name}:{number}: phrase before any [section] header")
        else:
            current.append(line)
    return Lexicon(name, {key: tuple(values) for key, values in sections.items()})


@cache
def load_lexicon(name: str) -> Lexicon:
    """The packaged lexicon file `<name>.txt`, parsed once per process."""
    text = lexicon_folder().joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return parse_lexicon(name, text)


def folder_digest(folder: Traversable, suffix: str) -> str:
    """sha256 over the name and bytes of each file in folder ending in suffix, in name order."""
    digest = hashlib.sha256()
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(suffix) and entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def lexicon_digest() -> str:
    """A hash of every packaged lexicon file, so a run's fingerprint changes with them."""
    return folder_digest(lexicon_folder(), ".txt")


_SEP = r"[\s-]+"  # between the words of a phrase: "time to first token" = "time-to-first-token"
_STAR = r"[\w-]*"  # "latenc*": the word may go on
_GUARD = r"(?![\w-])"  # a phrase ends at a word's end
_END = ""  # trie key marking "a phrase may end here"


def _atoms(phrase: str, open_end: bool) -> list[str]:
    """A phrase as regex atoms: escaped characters, separators, stars, then its end guard."""
    atoms: list[str] = []
    for index, word in enumerate(re.split(r"(?<=\w)-(?=\w)|\s+", phrase.strip())):
        if index:
            atoms.append(_SEP)
        star = word.endswith("*") and len(word) > 1
        atoms.extend(re.escape(ch) for ch in (word[:-1] if star else word))
        if star:
            atoms.append(_STAR)
    guarded = not open_end and not phrase.endswith("*") and re.search(r"\w$", phrase)
    atoms.append(_GUARD if guarded else "")
    return atoms


def phrase_pattern(phrase: str, *, open_end: bool = False) -> str:
    """A regex for one phrase: whole words, "*" continues a word, spaces match space or hyphen.

    open_end leaves the end unguarded, for names that a version may follow ("Mistral-7B").
    """
    return alternation([phrase], open_end=open_end)


def alternation(phrases: tuple[str, ...] | list[str], *, open_end: bool = False) -> str:
    """A regex matching any of the phrases, the longest where several match.

    The phrases are merged into a trie ("latency|latencies|late" share "late"), which
    Python's regex engine walks far faster than one alternative per phrase: the lexicons
    are matched on every abstract, so this is most of the rules' speed.
    """
    word_start: dict[str, object] = {}
    other_start: dict[str, object] = {}
    for phrase in phrases:
        trie = word_start if re.match(r"\w", phrase) else other_start
        *body, guard = _atoms(phrase, open_end)
        node = trie
        for atom in body:
            node = node.setdefault(atom, {})  # type: ignore[assignment]
        if node.get(_END) != "":  # an unguarded end also covers a guarded one
            node[_END] = guard
    parts = []
    if word_start:
        # A first-character test ahead of the trie lets the engine pass over most positions.
        firsts = sorted(
            {ch for p in phrases if re.match(r"\w", p) for ch in (p[0].lower(), p[0].upper())}
        )
        parts.append(f"(?=[{re.escape(''.join(firsts))}])" + r"(?<![\w-])" + _emit(word_start))
    if other_start:
        parts.append(_emit(other_start))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _emit(node: dict[str, object]) -> str:
    branches = [atom + _emit(child) for atom, child in node.items() if atom != _END]  # type: ignore[arg-type]
    branches.sort(key=lambda branch: branch.startswith(_STAR))  # literal letters before stars
    if _END in node:
        branches.append(str(node[_END]))  # tried last: longer phrases win
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


class SectionMatcher:
    """Finds phrases of several sections at once and says which section each match is from."""

    def __init__(self, sections: dict[str, tuple[str, ...]], *, case_sensitive: bool) -> None:
        self.names = [name for name, phrases in sections.items() if phrases]
        groups = [
            f"(?P<s{index}>{alternation(sections[name])})" for index, name in enumerate(self.names)
        ]
        flags = 0 if case_sensitive else re.IGNORECASE
        firsts = {
            ch
            for phrases in sections.values()
            for p in phrases
            for ch in (p[0].lower(), p[0].upper())
        }
        # One first-character test for all sections, so most positions cost a single check.
        lead = f"(?=[{re.escape(''.join(sorted(firsts)))}])"
        self.regex = re.compile(lead + "(?:" + "|".join(groups) + ")", flags)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[Cue]:
        stop = len(text) if end is None else end
        return [
            Cue(match.start(), match.end(), self.names[int(match.lastgroup[1:])], match.group())
            for match in self.regex.finditer(text, start, stop)
            if match.lastgroup is not None
        ]


@dataclass(frozen=True, slots=True)
class Cue:
    """A lexicon phrase found in the text: its span, its section and the words as written."""

    start: int
    end: int
    section: str
    text: str


def compile_phrases(
    phrases: tuple[str, ...] | list[str], *, case_sensitive: bool
) -> re.Pattern[str]:
    """One regex matching any of the phrases."""
    return re.compile(alternation(phrases), 0 if case_sensitive else re.IGNORECASE)
