"""Hardware as written -> model, count and vendor ("8 A100 GPUs" -> A100, 8, NVIDIA)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claimex.entities.aliases import Aliases, HardwareModel, clean
from claimex.numbers import TEXTUAL_NUMBERS

_COUNT_WORDS = {"single": 1, "a": 1, "an": 1, "dual": 2, "quad": 4}
# A count in front: "8 A100", "8x H100", "8×A100", "four H100", "a single A100".
_COUNT_BEFORE = re.compile(
    r"^(?:an?\s+)?(?:(?P<digits>\d{1,6})(?:\s*[x×])?|(?P<word>[a-z]+))\s+|^(?P<times>\d{1,6})[x×]",
    re.IGNORECASE,
)
# A count after: "A100 x 8", "H100 ×4".
_COUNT_AFTER = re.compile(r"\s*[x×]\s*(?P<digits>\d{1,6})$", re.IGNORECASE)


@dataclass(frozen=True)
class Hardware:
    model: str | None
    count: int | None
    vendor: str | None


def _word_count(word: str) -> int | None:
    word = word.lower()
    if word in _COUNT_WORDS:
        return _COUNT_WORDS[word]
    value = TEXTUAL_NUMBERS.get(word)
    return int(value) if value is not None and value.is_integer() else None


def _split_count(text: str) -> tuple[int | None, str]:
    """(count, the rest): the count as a number, the rest as written."""
    after = _COUNT_AFTER.search(text)
    if after:
        return int(after["digits"]), text[: after.start()].strip()
    before = _COUNT_BEFORE.match(text)
    if before and before.end() < len(text):
        number = before["digits"] or before["times"]
        count = int(number) if number else _word_count(before["word"])
        if count is not None:
            return count, text[before.end() :].strip()
    return None, text


@cache
def _pattern(models: tuple[HardwareModel, ...]) -> tuple[re.Pattern[str], dict[str, HardwareModel]]:
    """One regex for every spelling, longest first ("Jetson AGX Orin" before "Orin")."""
    by_group: dict[str, HardwareModel] = {}
    parts: list[tuple[int, str]] = []
    for number, model in enumerate(models):
        by_group[f"m{number}"] = model
        spellings = "|".join(
            r"[\s-]*".join(re.escape(word) for word in re.split(r"[\s-]+", spelling))
            for spelling in sorted(model.spellings, key=len, reverse=True)
        )
        parts.append((max(map(len, model.spellings)), f"(?P<m{number}>{spellings})"))
    alternation = "|".join(part for _, part in sorted(parts, key=lambda p: -p[0]))
    regex = rf"(?<![A-Za-z0-9])(?:{alternation})s?(?![A-Za-z0-9])"
    return re.compile(regex, re.IGNORECASE), by_group


def parse_hardware(aliases: Aliases, hardware: str | None) -> Hardware:
    """A listed model is named canonically with its vendor; anything else is kept as written."""
    if hardware is None or not clean(hardware):
        return Hardware(None, None, None)
    count, rest = _split_count(clean(hardware))
    pattern, by_group = _pattern(aliases.hardware)
    found = pattern.search(rest)
    if found is None:
        return Hardware(rest, count, None)
    model = by_group[next(name for name, text in found.groupdict().items() if text)]
    return Hardware(model.model, count, model.vendor)
