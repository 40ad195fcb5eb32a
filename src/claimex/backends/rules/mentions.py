"""Number mentions: every quantity an abstract writes, with its unit, as character spans.

Detection is purely lexical (what is written and where); deciding which mentions
are results is setup_filter's job. Numerals, their units and textual numbers
follow claimex.numbers, the one implementation grounding and the scorer share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import count

from claimex.backends.rules.cues import ANY_BOUND_WORDS
from claimex.backends.rules.lexicon import alternation, load_lexicon
from claimex.numbers import (
    MULTIPLIER_SUFFIX,
    MULTIPLIERS,
    NUMERAL_PATTERN,
    RATE_UNIT_SUFFIXES,
    SCIENTIFIC_PATTERN,
    UNIT_PATTERN,
    canonical_unit,
    magnitude_range,
    parse_numeral,
    textual_value,
    units_compatible,
)

# A numeral (with "$" before it for money), an optional "^exponent", a multiplier word or
# suffix, and a unit, which a hyphen may join ("a 4.2-point gain", "a 1-second window").
_ATOM_RE = re.compile(
    # The leading lookahead lets the engine skip to candidate characters (4x faster).
    rf"(?=[+±$.\d])(?<![\d.,])(?P<sign>[+±](?=[\d.]))?(?P<dollar>\$\s?)?(?P<num>{NUMERAL_PATTERN})"
    rf"(?P<power>{SCIENTIFIC_PATTERN}|\^\{{?(?P<exp>-?\d{{1,2}})\}}?)?"
    rf"(?:\s?(?P<mult>thousand|million|billion|trillion)\b|{MULTIPLIER_SUFFIX})?"
    rf"(?:(?:\s{{0,3}}|(?P<hyphen>-))(?P<unit>{UNIT_PATTERN}))?"  # "2.5 $\times$": spaces
)

_TEXTUAL = load_lexicon("textual")
_CARDINALS = alternation(_TEXTUAL["cardinals"], open_end=True)  # "ten-fold", "four GPU hours"


_MAGNITUDE_COUNT = rf"(?:{alternation(_TEXTUAL['magnitude_counts'])}|\d{{1,2}})"
# "two orders of magnitude"; "two to three orders of magnitude" is a range (100-1000).
_MAGNITUDE_RE = re.compile(
    rf"(?<![\w-])(?:(?:{_MAGNITUDE_COUNT}(?:\s*-\s*|\s+to\s+|\s+or\s+))?"
    rf"{_MAGNITUDE_COUNT}[\s-]+orders?[\s-]+of[\s-]+magnitude|one[\s-]+magnitude)(?![\w-])",
    re.IGNORECASE,
)
# "by a factor of up to three": a number word after "factor of" is a ratio without a unit.
_FACTOR_OF_BEFORE_RE = re.compile(rf"\bfactor\s+of\s+(?:(?:{ANY_BOUND_WORDS})\s+)?$", re.I)
# All number words in one trie; what a word means is looked up after the match.
_NUMBER_WORDS = _TEXTUAL["ratio_words"] + _TEXTUAL["halving_words"] + _TEXTUAL["cardinals"]
_NUMBER_WORD_RE = re.compile(
    f"(?=[{''.join(sorted({w[0].lower() + w[0].upper() for w in _NUMBER_WORDS}))}])(?:"
    + alternation(_TEXTUAL["ratio_words"] + _TEXTUAL["halving_words"])
    + f"|{_CARDINALS})",
    re.IGNORECASE,
)
_FORMS = {
    **{w: "fold" for w in _TEXTUAL["ratio_words"]},
    **{w: "half" for w in _TEXTUAL["halving_words"]},
    **{w: "cardinal" for w in _TEXTUAL["cardinals"]},
}
# A number word counts as a quantity only with a unit after it: "three times", "four GPU hours".
_UNIT_AFTER_WORD_RE = re.compile(rf"[\s-]+(?P<unit>{UNIT_PATTERN})", re.IGNORECASE)

_canonical = cache(canonical_unit)  # a handful of spellings, looked up for every number

# What may sit between the two ends of a range, "1.4-5.9x", "33.1%~62.5%", "2 to 4x".
# LaTeX read as plain text may leave a few spaces: "2.5$\text{-}$3.1", "2$\sim$5x".
_RANGE_GAP_RE = re.compile(r"\s{0,8}-{1,2}\s{0,8}|\s{0,8}~\s{0,8}|\s+to\s+")
_FROM_BEFORE_RE = re.compile(rf"\bfrom\s+(?:{ANY_BOUND_WORDS}\s*)?$", re.IGNORECASE)
# "from >780GB of GPU memory to <48GB": a few words may follow A before "to B".
_FROM_TO_GAP_RE = re.compile(
    rf"(?:\s+[A-Za-z][\w/-]*){{0,4}}\s+to\s+(?:{ANY_BOUND_WORDS}\s*)?", re.IGNORECASE
)
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Mention:
    """A quantity as written: span, value(s), canonical unit and how it was written."""

    start: int
    end: int
    value: float
    value_max: float | None = None
    unit: str = ""
    sign: str = ""
    form: str = "numeral"  # numeral | magnitude | fold | half | cardinal
    multiplier: bool = False  # "1.4 million", "8B": a count, not a measurement, unless a rate
    power: bool = False  # "10^4"
    name_part: bool = False  # inside a name: "Qwen3-1.7B", "CIFAR-10", "A100"
    hyphenated: bool = False  # "a 1-second window": the quantity is used as an adjective
    glued_right: bool = False  # a letter follows the numeral: "5G", "480p", "95th"
    slash: tuple[int, int] | None = None  # (group, position) in "1.3x/1.9x"
    from_span: tuple[int, int] | None = None  # "from A to B": where A is written
    spread: tuple[int, int] | None = None  # "97.2 ± 0.3%": where "± 0.3%" is written
    unit_text: str = ""
    rules: list[str] = field(default_factory=list)  # ids of the number-form rules that read it

    @property
    def decimal(self) -> bool:
        return self.form == "numeral" and not float(self.value).is_integer()


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    num_end: int  # end of numeral, exponent and multiplier (before the unit)
    value: float
    unit: str
    unit_text: str
    sign: str
    scale: float
    power: bool
    hyphenated: bool = False
    name_part: bool = False
    scientific: bool = False
    shared_unit: bool = False  # "at 50 and 100 ms": the unit is written after the last member

    @property
    def multiplier(self) -> bool:
        return self.scale != 1.0


def _atoms(text: str) -> list[_Atom]:
    atoms = []
    for match in _ATOM_RE.finditer(text):
        sign, dollar, num, sci, exp, mult, suffix, hyphen, unit_text = match.group(
            "sign", "dollar", "num", "sci", "exp", "mult", "suffix", "hyphen", "unit"
        )
        value = parse_numeral(num)
        if exp:
            value = value ** int(exp)  # "10^4"
        if sci:
            value *= 10.0 ** int(sci)  # "5 x 10^19"
        written_scale = mult or suffix
        scale = MULTIPLIERS[written_scale.lower()] if written_scale else 1.0
        value *= scale
        last = "suffix" if suffix else "mult" if mult else "power" if exp or sci else "num"
        num_end = match.end(last)
        if unit_text and _is_dimension_x(text, unit_text, match.end()):
            unit_text = None
        end = match.end() if unit_text else num_end
        if dollar:
            unit_text, end = "$", num_end  # "$0.12 per million tokens": the money is the quantity
        atoms.append(
            _Atom(
                match.start(),
                end,
                num_end,
                value,
                _canonical(unit_text) if unit_text else "",
                unit_text or "",
                sign or "",
                scale,
                bool(exp),
                hyphenated=bool(hyphen) and unit_text != "$",
                scientific=bool(sci),
            )
        )
    return atoms


def _is_dimension_x(text: str, unit_text: str, end: int) -> bool:
    """ "3 x 3 convolution", "2x 4": an "x" between two numbers is a dimension, not a ratio."""
    return (
        unit_text in ("x", "X", "\\times") and re.match(r"\s*\d", text[end : end + 3]) is not None
    )


def _mark_name_parts(text: str, atoms: list[_Atom]) -> None:
    """Numbers glued into names ("Qwen3-1.7B", "CIFAR-10", "GPT-4", "ViT-B/16", "A100")."""
    previous: _Atom | None = None
    for index, atom in enumerate(atoms):
        left = text[atom.start - 1] if atom.start else " "
        before = text[atom.start - 2] if atom.start >= 2 else " "
        if left.isalpha():
            # "provide25-33X" (a typo in a real abstract) is a ratio, not a name.
            following = atoms[index + 1] if index + 1 < len(atoms) else None
            ratio = (
                following is not None
                and following.start == atom.end + 1
                and text[atom.end] == "-"
                and following.unit in ("x", "%")
            )
            atom.name_part = not ratio
        elif left in "-_/." and before.isalnum():
            joined_to_number = previous is not None and previous.end == atom.start - 1
            atom.name_part = not joined_to_number or previous is None or previous.name_part
        previous = atom


def detect_mentions(text: str) -> list[Mention]:
    """Every quantity in text (already normalised, offsets kept), in order of position."""
    textual = _textual(text)
    magnitudes = [(m.start, m.end) for m in textual if m.form == "magnitude"]
    atoms = [a for a in _atoms(text) if not any(s <= a.start < e for s, e in magnitudes)]
    _mark_name_parts(text, atoms)
    _share_trailing_units(text, atoms)
    mentions = _group(text, atoms)
    taken = [(m.start, m.end) for m in mentions]
    mentions.extend(m for m in textual if not _overlaps(m, taken))
    mentions.sort(key=lambda m: m.start)
    return _bounded_ranges(text, mentions)


# "10, 20 and 30 ms", "at 50 or 100 ms": list members before the one unit written.
_LIST_GAP_RE = re.compile(r"\s*,\s*")
_LAST_LIST_GAP_RE = re.compile(r"\s*,?\s+(?:and|or)\s+")


def _share_trailing_units(text: str, atoms: list[_Atom]) -> None:
    """Members of a list that write one unit after the last member all have that unit."""
    for index, last in enumerate(atoms):
        if not last.unit or last.name_part or index == 0:
            continue
        members: list[_Atom] = []
        position = index
        gap = _LAST_LIST_GAP_RE
        while position > 0:
            member = atoms[position - 1]
            if (
                member.unit
                or member.name_part
                or member.power
                or text[member.num_end : member.num_end + 1].isalpha()
                or not gap.fullmatch(text, member.end, atoms[position].start)
            ):
                break
            members.append(member)
            position -= 1
            gap = _LIST_GAP_RE
        for member in members:
            member.unit, member.unit_text = last.unit, last.unit_text
            member.shared_unit = True


# "by at least 4x and up to two orders of magnitude": one range, 4-100.
_AT_LEAST_BEFORE_RE = re.compile(r"\bat\s+least\s+$", re.IGNORECASE)
_AND_UP_TO_RE = re.compile(r"\s+(?:and|but)\s+up\s+to\s+", re.IGNORECASE)


def _bounded_ranges(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "at least A and up to B" of one unit is the range A-B."""
    joined: list[Mention] = []
    for mention in mentions:
        low = joined[-1] if joined else None
        if (
            low is not None
            and low.value_max is None
            and mention.value_max is None
            and low.unit == mention.unit != ""
            and low.value < mention.value
            and _AND_UP_TO_RE.fullmatch(text, low.end, mention.start)
            and _AT_LEAST_BEFORE_RE.search(text, max(0, low.start - 12), low.start)
        ):
            low.value_max, low.end = mention.value, mention.end
            low.rules.append("number.bounded-range")
            continue
        joined.append(mention)
    return joined


def _overlaps(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(mention.start < end and start < mention.end for start, end in spans)


def _single(text: str, atom: _Atom) -> Mention:
    after = text[atom.num_end : atom.num_end + 1]
    return Mention(
        atom.start,
        atom.end,
        atom.value,
        unit=atom.unit,
        unit_text=atom.unit_text,
        sign=atom.sign,
        multiplier=atom.multiplier,
        power=atom.power,
        hyphenated=atom.hyphenated,
        name_part=atom.name_part,
        glued_right=not atom.unit and after.isalpha(),
        rules=_form_rules(atom),
    )


def _form_rules(atom: _Atom) -> list[str]:
    """Ids of the number-form rules behind an atom's value and unit (registry "number.*")."""
    rules = []
    if atom.shared_unit:
        rules.append("number.shared-unit")  # "1050 and 1170 s"
    if "\\" in atom.unit_text:
        rules.append("number.latex")  # "$2.31\times$"
    if atom.scientific:
        rules.append("number.scientific")  # "5 \times 10^{19}"
    if "/" in atom.unit or "FLOP" in atom.unit_text.upper():
        rules.append("number.compound-unit")  # "740 TFLOPs/s", "3.2 W/m2", "GB/s"
    if atom.multiplier and atom.unit.endswith(RATE_UNIT_SUFFIXES):
        rules.append("number.count-rate")  # "14 million key-value operations per second"
    return rules


def _units_fit(first: _Atom, second: _Atom) -> bool:
    return not first.unit or first.unit == second.unit


def _units_convert(first: _Atom, second: _Atom) -> bool:
    """ "from 3 days to 76 minutes": two spellings of one quantity, so one result."""
    return bool(first.unit and second.unit) and units_compatible(first.unit, second.unit)


def _group(text: str, atoms: list[_Atom]) -> list[Mention]:
    """Join atoms into ranges ("1.4-5.9x"), slash pairs ("1.3x/1.9x") and "from A to B"."""
    mentions: list[Mention] = []
    groups = count()
    i = 0
    while i < len(atoms):
        first = atoms[i]
        second = atoms[i + 1] if i + 1 < len(atoms) else None
        if second is None or first.name_part or second.sign == "+":
            mentions.append(_single(text, first))
            i += 1
            continue
        gap = text[first.end : second.start]
        if (second.sign == "±" and not gap.strip()) or _PLUS_MINUS_GAP_RE.fullmatch(gap):
            mention = _single(text, first)  # "97.2 ± 0.3%": the value is 97.2
            if not mention.unit:
                mention.unit, mention.unit_text = second.unit, second.unit_text
            mention.spread = (first.end + len(gap) - len(gap.lstrip()), second.end)
            mention.end = second.end
            mention.rules.append("number.plus-minus")
            mentions.append(mention)
            i += 2
            continue
        before = text[max(0, first.start - 16) : first.start]
        from_to = _FROM_BEFORE_RE.search(before) and _FROM_TO_GAP_RE.fullmatch(gap)
        if from_to and _is_range_from_to(text, first, second):
            mention = _single(text, second)  # "ranging from 30 to 130 ms", "from 1.5x up to 6.5x"
            if not mention.unit:
                mention.unit, mention.unit_text = first.unit, first.unit_text
            low = first.value * second.scale if first.scale == 1.0 else first.value
            mention.start, mention.value, mention.value_max = first.start, low, second.value
            mention.rules.append("number.range-from-to")
            mentions.append(mention)
            i += 2
            continue
        if not (_units_fit(first, second) or (from_to and _units_convert(first, second))):
            mentions.append(_single(text, first))
            i += 1
            continue
        if from_to:
            mention = _single(text, second)
            if not mention.unit:
                mention.unit, mention.unit_text = first.unit, first.unit_text
            mention.from_span = (first.start, first.end)
            mentions.append(mention)
            i += 2
        elif first.value / first.scale < second.value / second.scale and (
            _RANGE_GAP_RE.fullmatch(gap)
            or (_BETWEEN_BEFORE_RE.search(before) and re.fullmatch(r"\s+and\s+", gap))
        ):
            mention = _single(text, second)
            low = first.value * second.scale if first.scale == 1.0 else first.value
            mention.start, mention.value, mention.value_max = first.start, low, second.value
            mention.multiplier = first.multiplier or second.multiplier
            mentions.append(mention)
            i += 2
        elif gap == "/":
            group = next(groups)
            members = [first, second]
            while (
                i + len(members) < len(atoms)
                and text[members[-1].end : atoms[i + len(members)].start] == "/"
            ):
                members.append(atoms[i + len(members)])
            unit = members[-1].unit
            for position, atom in enumerate(members):
                mention = _single(text, atom)
                mention.unit = mention.unit or unit
                mention.slash = (group, position)
                mentions.append(mention)
            i += len(members)
        else:
            mentions.append(_single(text, first))
            i += 1
    return mentions


# "97.2 ± 0.3", "97.2 +/- 0.3": a value and its spread (the "±" may be read as the sign).
_PLUS_MINUS_GAP_RE = re.compile(r"\s*(?:±|\+\s?/\s?-|\+-)\s*")
# "ranging from", "varies from", "speedups that span from": the two ends are a range.
_RANGE_VERB_BEFORE_RE = re.compile(
    r"\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|spann?(?:s|ed|ing)?)\s+"
    r"(?:(?:between|from)\s+)?$",
    re.IGNORECASE,
)


def _is_range_from_to(text: str, first: _Atom, second: _Atom) -> bool:
    """ "from A to B" is a range after a range verb, or for two factors (a ratio is no level
    that moves from A to B); else B is the level reached and A the baseline's."""
    if first.value / first.scale >= second.value / second.scale:
        return False
    from_at = text.rfind("from", max(0, first.start - 16), first.start)
    if _RANGE_VERB_BEFORE_RE.search(text, max(0, from_at - 30), from_at):
        return True
    return second.unit == "x" and first.unit in ("", "x")


def _textual(text: str) -> list[Mention]:
    """Numbers written as words: magnitudes, factor words, number words with a unit."""
    found: list[tuple[int, int, str, str, str]] = []
    if "agnitude" in text:  # the magnitude pattern is the slow one; most abstracts lack it
        found += [
            (m.start(), m.end(), m.group(), "magnitude", "x") for m in _MAGNITUDE_RE.finditer(text)
        ]
    for match in _NUMBER_WORD_RE.finditer(text):
        word = match.group()
        form = _FORMS.get(" ".join(word.lower().split()), "cardinal")
        if form != "cardinal":
            found.append((match.start(), match.end(), word, form, "x"))
            continue
        written = _UNIT_AFTER_WORD_RE.match(text, match.end())
        if written is not None and len(written.group("unit")) >= 2:  # "two s" is no unit
            found.append(
                (match.start(), written.end(), word, form, canonical_unit(written.group("unit")))
            )
        elif _FACTOR_OF_BEFORE_RE.search(text, max(0, match.start() - 30), match.start()):
            found.append((match.start(), match.end(), word, form, "x"))
    mentions = []
    for start, end, phrase, form, unit in found:
        value, value_max = magnitude_range(phrase) if form == "magnitude" else (None, None)
        value = value if value is not None else textual_value(phrase)
        if value is not None:
            mention = Mention(start, end, value, value_max, unit=unit, form=form, unit_text=unit)
            if value_max is not None:
                mention.rules.append("number.magnitude-range")  # "two to three orders of ..."
            elif form == "cardinal" and end == start + len(phrase) and unit == "x":
                mention.rules.append("number.factor-word")  # "a factor of up to three"
            mentions.append(mention)
    mentions.sort(key=lambda m: m.start)
    return mentions
