"""Units, textual numbers and numerals: the one implementation every caller shares.

The rules backend, grounding and the scorer must agree on what "ms" means or
whether "4.48x" contains 4.48; keeping these rules here makes that agreement
structural instead of a convention.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# --- units -------------------------------------------------------------------

_UNIT_ALIASES: dict[str, str] = {
    "x": "x",
    "×": "x",
    "\\times": "x",  # LaTeX, as arXiv abstracts keep it: "2.7$\\times$"
    "times": "x",
    "fold": "x",
    "-fold": "x",
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "percentage": "%",
    "pp": "pp",
    "p.p.": "pp",
    "points": "pp",
    "percentage points": "pp",
    "percentage point": "pp",
    "ns": "ns",
    "nanosecond": "ns",
    "nanoseconds": "ns",
    "us": "us",
    "µs": "us",
    "μs": "us",
    "usec": "us",
    "microsecond": "us",
    "microseconds": "us",
    "ms": "ms",
    "msec": "ms",
    "msecs": "ms",
    "millisecond": "ms",
    "milliseconds": "ms",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "d",
    "day": "d",
    "days": "d",
    "gpu-h": "GPU-h",
    "gpu hours": "GPU-h",
    "gpu hour": "GPU-h",
    "gpu-hours": "GPU-h",
    "fps": "FPS",
    "frames per second": "FPS",
    "frames/s": "FPS",
    "tokens/s": "tokens/s",
    "tokens/sec": "tokens/s",
    "tok/s": "tokens/s",
    "token/s": "tokens/s",
    "tokens per second": "tokens/s",
    "requests/s": "requests/s",
    "req/s": "requests/s",
    "requests per second": "requests/s",
    "qps": "requests/s",
    "rps": "requests/s",
    "queries/s": "requests/s",
    "query/s": "requests/s",
    "request/s": "requests/s",
    "frame/s": "FPS",
    "kb": "KB",
    "mb": "MB",
    "gb": "GB",
    "tb": "TB",
    "kib": "KB",
    "mib": "MB",
    "gib": "GB",
    "tib": "TB",
    "gflops": "GFLOPS",
    "tops": "TOPS",
    "gops": "GOPS",
    "tops/w": "TOPS/W",
    "gops/w": "GOPS/W",
    "tflops/w": "TFLOPS/W",
    "gflops/w": "GFLOPS/W",
    "tops per watt": "TOPS/W",
    "point": "pp",
    "tflops": "TFLOPS",
    "pflops": "PFLOPS",
    "gflop/s": "GFLOPS",
    "tflop/s": "TFLOPS",
    "pflop/s": "PFLOPS",
    "j": "J",
    "mj": "mJ",
    "kj": "kJ",
    "w": "W",
    "mw": "mW",
    "kw": "kW",
    "wh": "Wh",
    "kwh": "kWh",
    "db": "dB",
    "gbps": "Gbps",
    "mbps": "Mbps",
    "tb/s": "TB/s",
    "gb/s": "GB/s",
    "mb/s": "MB/s",
}

# Where letter case is the SI prefix (milli vs mega, bit vs byte), looked up before the
# case-insensitive aliases so "MW" never becomes "mW".
_CASE_SENSITIVE_UNITS: dict[str, str] = {
    "MW": "MW",
    "MJ": "MJ",
    "µJ": "uJ",
    "μJ": "uJ",
    "uJ": "uJ",
    "Mb/s": "Mbps",
    "Gb/s": "Gbps",
}

# Units that measure the same dimension, as a factor to a common base unit.
_SCALES: dict[str, tuple[str, float]] = {
    "ns": ("time", 1e-9),
    "us": ("time", 1e-6),
    "ms": ("time", 1e-3),
    "s": ("time", 1.0),
    "min": ("time", 60.0),
    "h": ("time", 3600.0),
    "d": ("time", 86400.0),
    "KB": ("bytes", 1e3),
    "MB": ("bytes", 1e6),
    "GB": ("bytes", 1e9),
    "TB": ("bytes", 1e12),
    "GFLOPS": ("flops", 1e9),
    "TFLOPS": ("flops", 1e12),
    "PFLOPS": ("flops", 1e15),
    "uJ": ("energy", 1e-6),
    "mJ": ("energy", 1e-3),
    "J": ("energy", 1.0),
    "kJ": ("energy", 1e3),
    "MJ": ("energy", 1e6),
    "Wh": ("energy", 3600.0),
    "kWh": ("energy", 3.6e6),
    "mW": ("power", 1e-3),
    "W": ("power", 1.0),
    "kW": ("power", 1e3),
    "MW": ("power", 1e6),
    "Mbps": ("bitrate", 1e6),
    "Gbps": ("bitrate", 1e9),
}


# "42 µJ/image", "0.3 J/token": energy per item, written "<energy unit>/<item>".
_ENERGY_PER_ITEM = r"(?:[mkµμu]?J|m?Wh)\s*/\s*(?i:[a-z]+)"
_ENERGY_PER_ITEM_RE = re.compile(r"^([mkµμu]?J|m?Wh)\s*/\s*([A-Za-z]+)$")

# Compound units are written in a few shapes; each maps to one spelling, "<unit>/<unit>".
# Floating-point rates and counts: "TFLOPs/s", "petaFLOP/s", "PetaFLOPs", "GFLOP/s" -> "PFLOPS".
_FLOP_PREFIXES = {"g": "G", "giga": "G", "t": "T", "tera": "T", "p": "P", "peta": "P"}
_FLOP_PREFIXES |= {"e": "E", "exa": "E"}
_FLOPS = r"(?:giga|tera|peta|exa|[GTPE])-?FLOPS?(?:\s*/\s*s(?:ec)?|\s+per\s+second)?"
_FLOPS_RE = re.compile(
    r"^(?P<prefix>giga|tera|peta|exa|[gtpe])-?flops?(?:\s*/\s*s(?:ec)?|\s+per\s+second)?$"
)
# A physical unit per area or per year: "W/m2", "W/m^2", "mW m-2", "%/a" -> "W/m2", "mW/m2", "%/a".
_PHYSICAL = r"(?:[mkMG]?W|[mkM]?J|[mkµμu]?g|[mkc]?m|mol|\\?%)"
_PER_WHAT = r"(?:[mkc]?m|a|yr)"
_PHYSICAL_PER = (
    rf"{_PHYSICAL}(?:\s*/\s*{_PER_WHAT}(?:\^?\{{?[23]\}}?)?(?![A-Za-z0-9])"
    rf"|(?:\s{_PER_WHAT}\^?\{{?-[123]\}}?)+)"
)
_PHYSICAL_PER_RE = re.compile(
    rf"^(?P<base>{_PHYSICAL})(?P<per>(?:\s*/\s*{_PER_WHAT}(?:\^?\{{?[23]\}}?)?"
    rf"|(?:\s{_PER_WHAT}\^?\{{?-[123]\}}?)+))$"
)
_PER_PART_RE = re.compile(rf"(?P<what>{_PER_WHAT})\^?\{{?-?(?P<power>[123])?\}}?")
# A count per unit of time: "ops per second", "images/sec", "queries a second", "key-value
# operations per second", "tokens per day" -> "<noun>/s" ("ops/s", "operations/s", "tokens/d").
_TIME_WORDS = {"s": "s", "sec": "s", "second": "s", "min": "min", "minute": "min"}
_TIME_WORDS |= {"h": "h", "hr": "h", "hour": "h", "d": "d", "day": "d"}
_PER_TIME = (
    r"(?:\s*/\s*(?:sec|min|hr|day|[shd])|\s+(?:per|a|an|each)\s+(?:second|sec|minute|min|hour|day))"
)
_COUNT_RATE_RE = re.compile(
    r"^(?:[a-z][\w-]*\s+){0,2}?(?P<noun>[a-z][\w-]*?)\s*(?:/\s*(?P<short>sec|min|hr|day|[shd])"
    r"|(?:per|a|an|each)\s+(?P<word>second|sec|minute|min|hour|day))$",
    re.I,
)
# Words that end a count noun phrase: "20 more requests per second" has no rate unit in it.
_NOT_COUNT_WORD = (
    r"(?!(?:more|fewer|less|higher|lower|and|or|of|in|on|at|for|with|the|than|to|from|by|as"
    r"|per|times|x)\b)"
)
_COUNT_PER_TIME = rf"(?i:[a-z][\w-]*?{_PER_TIME})"
_WORDY_COUNT_PER_TIME = (
    rf"(?i:(?:{_NOT_COUNT_WORD}[a-z][\w-]*\s+){{1,2}}{_NOT_COUNT_WORD}[a-z][\w-]*?{_PER_TIME})"
)

# Canonical units that are rates, whatever the noun counted (claim-spec: "ops/s").
RATE_UNIT_SUFFIXES = ("/s", "/min", "/h", "/d", "FPS", "FLOPS", "bps")


def canonical_unit(unit: str | None) -> str:
    """Map a unit as written ("msec", "×", "percent", "ops per second") to the spec's short form."""
    if unit is None:
        return ""
    cleaned = " ".join(unicodedata.normalize("NFKC", unit).strip().split())
    cleaned = cleaned.replace("\\%", "%")  # LaTeX "\%", as scraped arXiv abstracts write it
    if not cleaned:
        return ""
    if cleaned in _CASE_SENSITIVE_UNITS:
        return _CASE_SENSITIVE_UNITS[cleaned]
    known = _UNIT_ALIASES.get(cleaned.lower(), _UNIT_ALIASES.get(cleaned))
    if known is not None:
        return known
    flops = _FLOPS_RE.match(cleaned.lower())
    if flops is not None:
        return f"{_FLOP_PREFIXES[flops.group('prefix')]}FLOPS"
    physical = _PHYSICAL_PER_RE.match(cleaned)
    if physical is not None:
        base = canonical_unit(physical.group("base")) if physical.group("base") != "m" else "m"
        per = "".join(
            "/"
            + ("a" if part.group("what") == "yr" else part.group("what"))
            + (part.group("power") or "")
            for part in _PER_PART_RE.finditer(physical.group("per"))
        )
        return f"{base}{per}"
    per_item = _ENERGY_PER_ITEM_RE.match(cleaned)
    if per_item is not None and per_item.group(2).lower() not in ("s", "sec"):
        energy = _CASE_SENSITIVE_UNITS.get(per_item.group(1), per_item.group(1))
        return f"{energy}/{per_item.group(2).lower()}"
    rate = _COUNT_RATE_RE.match(cleaned)
    if rate is not None:
        time = _TIME_WORDS[(rate.group("short") or rate.group("word")).lower()]
        per_time = f"{rate.group('noun').lower()}/{time}"
        return _UNIT_ALIASES.get(per_time, per_time)
    return cleaned


def units_compatible(a: str | None, b: str | None) -> bool:
    """True when two units measure the same thing (after canonicalisation and scaling)."""
    ca, cb = canonical_unit(a), canonical_unit(b)
    if ca == cb:
        return True
    sa, sb = _SCALES.get(ca), _SCALES.get(cb)
    return sa is not None and sb is not None and sa[0] == sb[0]


def to_unit(value: float, unit: str | None, target: str | None) -> float:
    """Convert value from unit into target; the two must be compatible."""
    cu, ct = canonical_unit(unit), canonical_unit(target)
    if cu == ct:
        return value
    if not units_compatible(cu, ct):
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return value * _SCALES[cu][1] / _SCALES[ct][1]


def in_base_unit(value: float | None, unit: str | None) -> tuple[str, float | None]:
    """(dimension, value in its base unit): units are compatible exactly when dimensions are
    equal, so stored claims compare in SQL as the scorer compares them ("0.5 s" = "500 ms")."""
    canonical = canonical_unit(unit)
    scale = _SCALES.get(canonical)
    if scale is None:
        return canonical, value
    return scale[0], None if value is None else value * scale[1]


def values_agree(a: float | None, b: float | None, rel_tol: float = 0.01) -> bool:
    """Scorer's value rule: both null, or equal within rel_tol relative."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=1e-12)


# --- textual numbers -----------------------------------------------------------

# Phrases that stand for a number in a claim, longest first when matched.
TEXTUAL_NUMBERS: dict[str, float] = {
    "three orders of magnitude": 1000.0,
    "one magnitude": 10.0,
    "two orders of magnitude": 100.0,
    "an order of magnitude": 10.0,
    "one order of magnitude": 10.0,
    "order of magnitude": 10.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
    "twenty": 20.0,
    "hundred": 100.0,
    "a hundred": 100.0,
    "thousand": 1000.0,
    "twice": 2.0,
    "double": 2.0,
    "doubled": 2.0,
    "doubles": 2.0,
    "doubling": 2.0,
    "triple": 3.0,
    "tripled": 3.0,
    "triples": 3.0,
    "tripling": 3.0,
    "quadruple": 4.0,
    "quadrupled": 4.0,
    "twofold": 2.0,
    "threefold": 3.0,
    "fourfold": 4.0,
    "fivefold": 5.0,
    "tenfold": 10.0,
    "hundredfold": 100.0,
    "half": 2.0,
    "halve": 2.0,
    "halved": 2.0,
    "halves": 2.0,
    "halving": 2.0,
}

# Words of a phrase may be joined by spaces or hyphens ("an order-of-magnitude").
_TEXTUAL_RE = re.compile(
    r"\b("
    + "|".join(
        re.escape(k).replace(r"\ ", r"[\s-]+")
        for k in sorted(TEXTUAL_NUMBERS, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)

# "2 orders of magnitude", "four orders-of-magnitude": a counted number of orders of magnitude;
# "two to three orders of magnitude", "2-3 orders of magnitude": a range of them (100-1000).
_MAGNITUDE_COUNT = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
_MAGNITUDE_RE = re.compile(
    rf"\b(?:(?P<low>{_MAGNITUDE_COUNT})(?:\s*-\s*|\s+to\s+|\s+or\s+))?"
    rf"(?P<count>{_MAGNITUDE_COUNT})[\s-]+orders?[\s-]+of[\s-]+magnitude\b",
    re.I,
)


def _magnitude(count: str) -> float:
    return 10.0 ** (int(count) if count.isdigit() else TEXTUAL_NUMBERS[count.lower()])


def textual_value(phrase: str) -> float | None:
    """The number a textual phrase stands for ("two orders of magnitude" -> 100), else None.

    For a range of magnitudes ("two to three orders of magnitude") it is the low end.
    """
    key = re.sub(r"[\s-]+", " ", phrase.strip()).lower()
    if key in TEXTUAL_NUMBERS:
        return TEXTUAL_NUMBERS[key]
    low, _ = magnitude_range(phrase)
    return low


def magnitude_range(phrase: str) -> tuple[float | None, float | None]:
    """ "two to three orders of magnitude" -> (100, 1000); "two orders ..." -> (100, None)."""
    counted = _MAGNITUDE_RE.fullmatch(phrase.strip())
    if counted is None:
        return None, None
    high = _magnitude(counted.group("count"))
    if counted.group("low") is None:
        return high, None
    low = _magnitude(counted.group("low"))
    return (low, high) if low < high else (high, None)


MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "b": 1e9,
}

# A multiplier suffix: "8B", "2K"; also glued to a count rate, "22.6 KFPS" (22,600 FPS).
_COUNT_RATE = r"(?:FPS|fps|QPS|qps|RPS|rps)(?![A-Za-z0-9])"
MULTIPLIER_SUFFIX = (
    rf"(?:\s(?=[kKM]{_COUNT_RATE}))?(?P<suffix>[kKMB])(?:(?![A-Za-z0-9])|(?={_COUNT_RATE}))"
)
# A numeral as written: thousands separators, decimals, "10^4", a multiplier word or suffix.
# Letters may precede it ("provide25-33X" is a typo seen in a real abstract).
NUMERAL_PATTERN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
# Scientific notation after a numeral: "5 x 10^19", "1.2\times10^{5}", "3 \cdot 10^{-4}".
SCIENTIFIC_PATTERN = r"\s?(?:x|\\times|\\cdot)\s?10\^\{?(?P<sci>[-+]?\d{1,2})\}?"
NUMERAL_RE = re.compile(
    rf"(?<![\d.,])(?P<num>{NUMERAL_PATTERN})"
    rf"(?:{SCIENTIFIC_PATTERN}"
    r"|\^\{?(?P<exp>-?\d+)\}?"
    r"|\s*(?P<mult>thousand|million|billion|trillion)\b"
    rf"|{MULTIPLIER_SUFFIX})?"
)


def parse_numeral(text: str) -> float:
    """Parse "2,931" or "4.48" into a float."""
    return float(text.replace(",", ""))


def normalise_text(text: str) -> str:
    """NFKC plus the substitutions abstracts need (× -> x, unicode minus -> -, nbsp -> space).

    Length-preserving per character after NFKC is not guaranteed, so callers that
    need offsets use grounding's index-mapped normaliser instead.
    """
    out = unicodedata.normalize("NFKC", text)
    return out.translate(CHAR_SUBSTITUTIONS)


CHAR_SUBSTITUTIONS = str.maketrans(
    {
        "×": "x",
        "−": "-",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "∼": "~",
        "〜": "~",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
    }
)


def normalise_keeping_offsets(text: str) -> str:
    """normalise_text character by character, so every offset still points into text.

    Used by code that scans the normalised text and reports spans of the original
    ("×" -> "x", "–" -> "-", fullwidth forms -> ASCII). A character whose NFKC form
    is longer than one character, or a digit (superscript "⁴" must not become "4"),
    is kept as it is. LaTeX that abstracts keep is read too (see _plain_latex).
    """
    if not text.isascii():
        text = _NON_ASCII_RE.sub(_fold_char, text).translate(CHAR_SUBSTITUTIONS)
    if "$" in text or "\\" in text:
        text = _plain_latex(text)
    return text


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _folded(ch: str) -> str:
    """One non-ASCII character's NFKC form when that is one character and not a digit."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 and not folded.isdigit() else ch


def _fold_char(match: re.Match[str]) -> str:
    return _folded(match.group())


# LaTeX symbols written before a number, as the plain symbol at the end of the same span:
# "$\sim$3x" reads "~3x", "\leq 5 ms" "≤ 5 ms", "97.1 \pm 0.2" "97.1 ± 0.2".
_LATEX_SYMBOLS = {"sim": "~", "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥"}
_LATEX_SYMBOLS |= {"pm": "±", "textgreater": ">", "textless": "<", ",": " ", ";": " ", "!": " "}
_LATEX_SYMBOL_RE = re.compile(
    r"\\(?:(?P<name>sim|approx|leq?|geq?|pm|textgreater|textless)(?![A-Za-z])|(?P<space>[,;!]))"
)
# "$...$": a math span, when its content is math and not two amounts of money ("$5 or $10").
_DOLLAR_PAIR_RE = re.compile(r"(?<!\\)\$(?P<content>[^$\n]{1,80}?)(?<!\\)\$")
_MATH_MARKS_RE = re.compile(r"[\\^_{}]")
_MONEY_BEFORE_MONEY_RE = re.compile(r"\d[\d.,]*[kKMB]?\s*(?:[-/]|to|or|and)?\s*")
_WORD_RE = re.compile(r"(?<![\\\w])[A-Za-z]{2,}(?![\w])")


def _plain_latex(text: str) -> str:
    """Math delimiters as spaces and symbol macros as their symbol, offsets kept.

    "$2.7\times$" reads " 2.7\times " (a ratio, with the LaTeX "\times" a spelling of "x"),
    "$<$600M" " < 600M" and "$> 10^{19}$" " > 10^{19} ": none of them is money. A "$"
    that opens no math span ("$0.12 per million tokens") stays, as money.
    """
    chars = list(text)
    position = text.find("$")
    while position >= 0:
        pair = _DOLLAR_PAIR_RE.match(text, position)
        if pair is not None and _is_math(pair.group("content"), text[pair.end() : pair.end() + 1]):
            chars[pair.start()] = chars[pair.end() - 1] = " "
            _blank_groups(text, pair.start("content"), pair.end("content"), chars)
            position = text.find("$", pair.end())
        else:
            position = text.find("$", position + 1)
    for macro in _LATEX_SYMBOL_RE.finditer(text):
        symbol = _LATEX_SYMBOLS[macro.group("name") or macro.group("space")]
        width = macro.end() - macro.start()
        chars[macro.start() : macro.end()] = " " * (width - 1) + symbol
    return "".join(chars)


# "\text{-}", "\mathrm{x}": a text macro in math, read as the text it holds.
_TEXT_MACRO_RE = re.compile(r"\\(?:text|textrm|mathrm|mathbf|textbf|mathit|operatorname)(?=\{)")


def _blank_groups(text: str, start: int, end: int, chars: list[str]) -> None:
    """Inside math, "{\times}" reads "\times" and "\text{-}" reads "-"; "10^{19}" keeps its
    braces (the exponent needs them)."""
    for macro in _TEXT_MACRO_RE.finditer(text, start, end):
        chars[macro.start() : macro.end()] = " " * (macro.end() - macro.start())
    opened: list[int] = []
    for index in range(start, end):
        if text[index] == "{":
            opened.append(index)
        elif text[index] == "}" and opened:
            first = opened.pop()
            if text[first - 1 : first] not in ("^", "_"):
                chars[first] = chars[index] = " "


def _is_math(content: str, after: str) -> bool:
    """ "2.7\times", "<", "> 10^{19}", "29.6x" are math; "5 or " before "$10" is money."""
    if _MATH_MARKS_RE.search(content):
        return True
    if after.isdigit() and _MONEY_BEFORE_MONEY_RE.fullmatch(content):
        return False  # "$5-$10", "$5 to $10"
    return not content[:1].isspace() and _WORD_RE.search(content) is None


def _unit_spellings() -> list[str]:
    """Every spelling UNIT_PATTERN accepts: each alias, plus its canonical case ("mb" and "MB")."""
    spellings: set[str] = set(_CASE_SENSITIVE_UNITS)
    for alias, canonical in _UNIT_ALIASES.items():
        if alias.isalpha() and len(alias) <= 2:
            spellings.update({alias, canonical})  # "ms", "MB": short units keep their case
        else:
            spellings.add(alias)
    spellings.add("X")  # "5-2500X"
    spellings.discard("d")  # "3D" is not three days
    return sorted(spellings, key=len, reverse=True)


def _spelling_pattern(spelling: str) -> str:
    escaped = re.escape(spelling).replace(r"\ ", r"\s+").replace("%", r"\\?%")
    if spelling.isalpha() and len(spelling) <= 2:
        return escaped
    return f"(?i:{escaped})"


# A unit written right after a number: a compound unit, any alias above, or a count per unit
# of time ("ops per second"). Alphanumeric units must end at a word edge: "2x2" and "3 sets"
# hold no unit. A count noun with modifiers ("key-value operations per second") comes last, so
# a shorter unit at the same place wins ("4x more requests per second" is a ratio).
UNIT_PATTERN = (
    rf"(?:(?i:{_FLOPS})|{_PHYSICAL_PER}|{_ENERGY_PER_ITEM}|{_COUNT_PER_TIME}"
    + "|"
    + "|".join(_spelling_pattern(s) for s in _unit_spellings())
    + rf"|{_WORDY_COUNT_PER_TIME})(?![A-Za-z0-9])"
)


def numbers_in(text: str) -> Iterator[float]:
    """Every value a reader could take from text: numerals, with multipliers, and words."""
    norm = normalise_text(text)
    for match in NUMERAL_RE.finditer(norm):
        base = parse_numeral(match.group("num"))
        yield base
        if match.group("sci"):
            yield base * 10.0 ** int(match.group("sci"))
        if match.group("exp"):
            yield base ** int(match.group("exp"))
        multiplier = match.group("mult") or match.group("suffix")
        if multiplier:
            yield base * MULTIPLIERS[multiplier.lower()]
    for match in _TEXTUAL_RE.finditer(norm):
        yield TEXTUAL_NUMBERS[re.sub(r"[\s-]+", " ", match.group(1)).lower()]
    for match in _MAGNITUDE_RE.finditer(norm):
        yield _magnitude(match.group("count"))
        if match.group("low"):
            yield _magnitude(match.group("low"))


def value_in_text(value: float, text: str) -> bool:
    """True when text writes value (as digits, with a multiplier word, or as a textual number)."""
    return any(
        math.isclose(value, found, rel_tol=1e-9, abs_tol=1e-12) for found in numbers_in(text)
    )
