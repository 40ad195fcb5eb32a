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

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable


def lexicon_folder() -> Traversable:
    """The packaged lexicons/ folder (package data of claimex.backends.rules)."""
    return resources.files("claimex.backends.rules").joinpath("lexicons")


class LexiconError(ValueError):
    """A lexicon file the rules cannot use: "lexicon FILE:LINE: reason"."""


# Sections whose phrases decide between alternatives: a phrase in two of one group would
# be read by whichever section the code happens to try first, so the loader refuses it.
COMPETING: dict[str, tuple[frozenset[str], ...]] = {
    "metrics": (
        frozenset(
            {"speedup", "latency", "throughput", "accuracy", "energy", "bandwidth", "memory"}
            | {"cost", "other"}
        ),
    ),
    "changes": (frozenset({"speedup", "slowdown", "increase", "decrease", "better", "worse"}),),
    "bounds": (frozenset({"up_to", "at_least", "at_most", "approx"}),),
    "polarity": (frozenset({"lower_is_better", "higher_is_better"}),),
    "textual": (frozenset({"ratio_words", "halving_words", "cardinals"}),),
    "scores": (frozenset({"unitless", "percent_when_bare"}),),
    "comparisons": (
        frozenset({"after", "before"}),  # the baseline follows the phrase or the number does
        frozenset({"head_nouns", "not_baselines"}),  # a baseline word or never one
        frozenset({"generic_words", "not_baselines"}),
    ),
}


@dataclass(frozen=True)
class Lexicon:
    """One lexicon file: section name -> phrases, in file order.

    Reading a section (`lexicon[name]`) records it as used, so validate_lexicons can
    refuse a section that no rule reads (a misspelt header, or a leftover).
    """

    name: str
    sections: dict[str, tuple[str, ...]]
    lines: dict[str, int] = field(default_factory=dict)  # section -> its header's line
    phrase_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def __getitem__(self, section: str) -> tuple[str, ...]:
        if section not in self.sections:
            raise LexiconError(f"lexicon {self.name}.txt: no [{section}] section (a rule reads it)")
        self.used.add(section)
        return self.sections[section]


def parse_lexicon(name: str, text: str) -> Lexicon:
    """Parse the text of a lexicon file; phrases before any [section] header are an error."""
    sections: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    phrase_lines: dict[tuple[str, str], int] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
            lines.setdefault(current, number)
        elif current is None:
            raise LexiconError(f"lexicon {name}:{number}: phrase before any [section] header")
        else:
            sections[current].append(line)
            phrase_lines.setdefault((current, line), number)
    return Lexicon(
        name, {key: tuple(values) for key, values in sections.items()}, lines, phrase_lines
    )


def check_competing(lexicon: Lexicon) -> None:
    """Refuse a phrase that a competing section (COMPETING) also matches: "trims" under
    [increase] while [decrease] has "trim*". The error names the later of the two lines."""
    for group in COMPETING.get(lexicon.name, ()):
        sections = [name for name in lexicon.sections if name in group]
        matchers = {
            name: re.compile(alternation(lexicon.sections[name]), re.IGNORECASE)
            for name in sections
        }
        clashes = []
        for section in sections:
            for phrase in lexicon.sections[section]:
                probe = phrase[:-1] if phrase.endswith("*") else phrase  # "trim*" as "trim"
                for other in sections:
                    if other != section and matchers[other].fullmatch(probe):
                        clashes.append(
                            (lexicon.phrase_lines[(section, phrase)], section, phrase, other)
                        )
        if clashes:
            number, section, phrase, other = max(clashes)
            raise LexiconError(
                f"lexicon {lexicon.name}.txt:{number}: [{section}] {phrase!r} is also in "
                f"[{other}], which competes with it"
            )


def _read_lexicon(folder: Traversable, name: str) -> Lexicon:
    lexicon = parse_lexicon(f"{name}.txt", folder.joinpath(f"{name}.txt").read_text("utf-8"))
    lexicon = Lexicon(name, lexicon.sections, lexicon.lines, lexicon.phrase_lines)
    check_competing(lexicon)
    return lexicon


_LOADED: dict[str, Lexicon] = {}


def load_lexicon(name: str) -> Lexicon:
    """The packaged lexicon file `<name>.txt`, parsed and checked once per process."""
    if name not in _LOADED:
        _LOADED[name] = _read_lexicon(lexicon_folder(), name)
    return _LOADED[name]


def validate_lexicons(folder: Traversable | None = None) -> None:
    """Check every lexicon file in folder (default: the packaged ones) against the rules.

    Run once the rules have read their lexicons (the package does it on import): each
    file must be a lexicon the rules load, each section one they read (a misspelt
    [up_too] or a leftover section is refused, naming its line), each section they read
    must be there, and no phrase may sit in two competing sections.
    """
    folder = lexicon_folder() if folder is None else folder
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not (entry.name.endswith(".txt") and entry.is_file()):
            continue
        name = entry.name.removesuffix(".txt")
        if name not in _LOADED:
            raise LexiconError(f"lexicon {entry.name}: no rule loads this lexicon")
        read = _LOADED[name].used
        lexicon = _read_lexicon(folder, name)
        for section, number in lexicon.lines.items():
            if section not in read:
                close = difflib.get_close_matches(section, sorted(read), n=1)
                hint = (
                    f"unknown section (did you mean [{close[0]}]?)" if close else "unused section"
                )
                raise LexiconError(
                    f"lexicon {entry.name}:{number}: [{section}]: {hint}: no rule reads it"
                )
        missing = sorted(read - set(lexicon.sections))
        if missing:
            raise LexiconError(f"lexicon {entry.name}: no [{missing[0]}] section (a rule reads it)")


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
    return "(?:" + "|".join(branches) + ")"


class SectionMatcher:
    """Finds phrases of several sections at once and says which section each match is from.

    Where phrases of two sections match at one place, the first section wins (with its
    longest phrase there). One trie of every section's phrases finds the places, which is
    several times faster than one alternation per section; only at a place found are the
    sections tried, in order, to read which one it is.
    """

    def __init__(self, sections: dict[str, tuple[str, ...]], *, case_sensitive: bool) -> None:
        flags = 0 if case_sensitive else re.IGNORECASE
        named = [(name, phrases) for name, phrases in sections.items() if phrases]
        self.regex = re.compile(alternation([p for _, phrases in named for p in phrases]), flags)
        self._sections = [
            (name, re.compile(alternation(phrases), flags).match) for name, phrases in named
        ]

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[Cue]:
        stop = len(text) if end is None else end
        found: list[Cue] = []
        search = self.regex.search
        while (place := search(text, start, stop)) is not None:
            at = place.start()
            # the first section matching here (one does: the trie holds their phrases)
            name, phrase = next(
                (name, phrase)
                for name, match in self._sections
                if (phrase := match(text, at, stop)) is not None
            )
            found.append(Cue(at, phrase.end(), name, phrase.group()))
            start = phrase.end()
        return found


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
