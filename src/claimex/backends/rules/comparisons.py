"""Baselines: what a claim is compared against, from comparison phrases in its sentence.

"compared to X", "over X", "than X", "versus X", "relative to X" introduce a
baseline after them; "outperforms X", "matches X" before the number. A phrase
belongs first to the result right before it; a phrase ending the sentence also
covers the earlier changes ("2.3x higher throughput, 2x lower latency ...,
compared to vLLM"); one opening the sentence ("Compared to X, ...") covers all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from claimex.backends.rules.cues import (
    BASELINE_GENERIC,
    BASELINE_HEAD_NOUNS,
    CHANGES,
    COMPARE_AFTER,
    COMPARE_BEFORE,
    COMPARE_DROP,
    COMPARE_EXAMPLES,
    COMPARE_OWNER,
    COMPARE_STOP,
    METRICS,
    NOT_BASELINES,
)
from claimex.backends.rules.fields import Reading, list_adjacent
from claimex.backends.rules.lexicon import alternation, compile_phrases, load_lexicon
from claimex.model import Kind

_frames = load_lexicon("comparisons")
# "than that achieved by X", "compared to using X alone": words before the baseline.
_SKIP = re.compile(rf"\s*{alternation(_frames['skip'])}", re.IGNORECASE)
# "the same accuracy as X", "comparable latency to X", "on par with X".
_EQUAL_LEVEL = re.compile(
    rf"{alternation(_frames['equal_level'])}(?:\s+(?!as\b|to\b|with\b)[\w-]+){{0,3}}?"
    r"\s+(?:as|to|with)(?![\w-])",
    re.IGNORECASE,
)
# "we compare it with X", "benchmark FooDB against X": an evaluation naming its baseline; the
# object between verb and preposition is one to four words, no punctuation.
_EVALUATION_FRAME = re.compile(
    rf"(?:{alternation(_frames['frame_compare'])}\s+(?:(?!with\b|to\b|against\b)[\w.+-]+\s+){{1,4}}?"
    r"(?:with|to|against)"
    rf"|{alternation(_frames['frame_against'])}\s+(?:(?!against\b)[\w.+-]+\s+){{1,4}}?against)"
    r"(?![\w-])",
    re.IGNORECASE,
)
_FRAME_RULE = ("baseline.evaluation",)
# "(vs. 12 ms for vLLM)", "compared to 60 ms with Cubic": the baseline's own figure first,
# then the baseline; the figure is a condition, the name after it the baseline.
_FIGURE_FIRST = re.compile(
    r"\s*[~≈]?\s?\d[\d.,]*\s?(?:(?P<unit>[A-Za-z/%µ]{1,12})\s)?\s*(?:for|of|by|with|from|in|on)\s+"
)
# "SOTA perplexity of 47.5", "the PostgreSQL latency of 11 ms": the baseline's own level.
# (A figure with a unit is a stop, so the phrase may end at "of".)
_LEVEL_TAIL = re.compile(r"\s+of(?:\s+[~≈<>]?\s?\d[\d.,]*(?:\s?[A-Za-z/%µ]{1,12})?)?\s*$")
_NAME_HEADS = compile_phrases(_frames["name_heads"], case_sensitive=False)
_SUPERLATIVES = compile_phrases(_frames["superlatives"], case_sensitive=False)
# "faster than existing baselines: A, B and C": the names after a list header's colon.
_HEADER_NAMES = re.compile(r":\s*(?P<names>[^.;:()]{2,120}?)\s*(?=[.;]\s|[.;]?$)")
_PREPOSITION = re.compile(
    r"(?<![\w-])(?:for|of|on|in|from|with|by|to|at|over)(?![\w-])", re.IGNORECASE
)
_ET_AL = re.compile(r"\s+et\s+al\b\.?")
# "the learned index from Kraska et al.": a citation closes the described baseline.
_CITED_TAIL = re.compile(r"\s*from\s+[A-Z][\w-]+\s+et\s+al\b\.?")
_NUMBER_FIRST = re.compile(r"[+~<>≈]?\s?\d[\d.,]*(?:\s|%|x\b|$)")
_ACRONYM_PAREN = re.compile(r"\([A-Z][A-Za-z]{0,7}\)")
_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*")
_DROP = re.compile(
    r"^(?:(?:" + "|".join(re.escape(w) for w in COMPARE_DROP) + r")\s+)+", re.IGNORECASE
)
_EXAMPLES_AFTER_COMMA = re.compile(r",\s*(?:such as|including|like|e\.g\.|namely)\s", re.I)
_NAMED = re.compile(r"[A-Z0-9]")
# A name of one system, not of a class ("Whisper-large-v3", "vLLM"; not "DNNs").
_SPECIFIC_NAME = re.compile(r"\d|\w-\w|[a-z][A-Z]")
_CLAUSE_BREAK = re.compile(r";|:\s|,\s*(?:while|whereas|which|but|although|though)\b")
# ", while achieving ...": a participle goes on with the same subject, so a comparison that
# closes the sentence after it still covers the results before it; "while BarNet ..." does not.
_SAME_SUBJECT_WHILE = re.compile(r",\s*while\s+(?:also\s+|still\s+)?[a-z]+ing\b")
# "45.1% of GPU resource": a share, a level read against what the sentence compares it with.
_SHARE_OF = re.compile(r"\s*of\s")
_NOT_A_BASELINE = re.compile(r"\b(?:rather|other)\s+$", re.IGNORECASE)
# "95.1% of the full-precision model's accuracy", "96.8% of the teacher's performance".
_SHARE_OF_BASELINE = re.compile(
    r"\s*of\s+(?:(?:the|its|their|a|an)\s+)?"
    r"(?:(?P<base>[\w.+-]+(?:\s+[\w.+-]+){0,3}?)['’]s?\s"
    r"|(?:[\w-]+\s+){1,3}?of\s+(?:the\s+)?(?P<named>[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)*))"
)  # "96.8% of the teacher's performance", "99.3% of the performance level of ChatGPT"
# "1.5 times the sample efficiency of PPO": a factor of a named system's level.
# "half the number of GPUs" counts a resource: no system named there.
_FACTOR_OF_BASELINE = re.compile(
    r"\s+the\s+(?!(?:number|amount|count)\s)(?:[\w-]+\s+){1,3}?of\s+(?:the\s+)?"
    r"(?P<named>[\w.+-]*[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)*)"
)
# "state-of-the-art systems (FlexGen, Orca)", "systems built on X (A, B)": the names in
# brackets closing a generic phrase or its participle clause.
_NAMES_IN_BRACKETS = re.compile(
    r"(?:\s+(?:\w+ing|\w+ed|built|based)\b[^,;:.()\d]{0,50}?)?\s*\("
    r"(?:(?:e\.g\.|i\.e\.|such as|including|namely),?\s+)?(?P<names>[^()]{2,120}?)\)"
)
_BARE_NUMBER = re.compile(r"(?<![\w.-])\d[\d.,]*(?![\w-])")
_RESPECTIVE_LIST = re.compile(
    r"(?P<names>(?:,\s*(?:and\s+)?[^,;:()%\s][^,;:()%]{0,40}?)+?),?\s+respectively\b"
)
_ELLIPTIC_BEFORE = re.compile(
    r"(?:,\s*|\s+)and\s+(?P<name>[\w.+-]*[A-Z0-9][\w.+-]*(?:\s+[A-Z][\w.+-]*)?)"
    r"\s+by\s+(?=(?:up\s+to\s+|about\s+|over\s+)?[~<>]?\s?\d)"
)
_METRIC_OF = re.compile(r"(?:the\s+)?(?P<metric>[\w-]+(?:\s+[\w-]+)?)\s+of\s+(?:the\s+)?")
_LIST_CONTINUES = re.compile(
    r",\s*(?:and\s+|or\s+)?[\w.+-]*[A-Z][\w.+-]*(?:\s+[A-Z0-9][\w.+-]*)?"
    r"(?=\s*,|\s+(?:and|or)\s|\s+(?:while|with|on|in|at|for|by|across|under|using|when)\b"
    r"|\s*[.;)]|\s*$)"
)
# Between a level and a comparison after it: another clause ("...; ", ": We train", ", and is").
_LEVEL_BREAK = re.compile(r"[;:]|,\s*(?:and|while|whereas|which|but)\b", re.IGNORECASE)
_CONTRAST = re.compile(r",\s*(?:while|whereas|but|although|though)\b", re.IGNORECASE)
# A comparative adjective right after the number: "1.2x faster", "6 times fewer parameters".
_ELIDED_COMPARATIVE = re.compile(
    r"\s*(?:times\s+)?(?:[a-z]+er|more|less|fewer)\b(?!\s+than\b)", re.IGNORECASE
)
_CLAUSE_OPENING = re.compile(r";\s*$")
_RESPECTIVELY_NEXT = re.compile(r"[\s,]*(?:[a-z]+\s*){0,3}?,?\s*respectively\b")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# A described baseline's own prepositional tail; not "on average", "for example".
_NOUN_TAIL = re.compile(
    r"\s*(?:on|for)\s+(?!(?:average|example|instance|all|each|both|most|many|several|long|short)\b)"
    r"[A-Za-z][A-Za-z-]*(?:\s+(?!by\b)[A-Za-z][A-Za-z-]*){0,2}",
    re.IGNORECASE,
)
_PLACE_TAIL = re.compile(r"\s*in\s+the\s+[a-z][\w-]*", re.IGNORECASE)
# "a baseline that interrupts without thinking": a short relative clause ending the clause.
_RELATIVE_TAIL = re.compile(r"\s*that\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}")
# "outperforms X by (up to)" a number: the number itself is a stop, so the piece ends here.
_BY_NUMBER = re.compile(
    r"\s+by(?:\s+(?:up\s+to|about|around|nearly|roughly|approximately|over|at\s+least))?\s*$",
    re.IGNORECASE,
)
_NAMED_WORD = re.compile(r"[A-Z0-9]|\w-\w")
_TRAILING = re.compile(
    r"(?:\s+(?:respectively|alone|of|in|on|at|for|by|with|to|from|and|or))+\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Comparison:
    """A comparison phrase: where its cue starts, where its baseline text ends, the names."""

    start: int
    end: int
    names: tuple[str, ...]
    before_number: bool  # "outperforms X ..." rather than "... than X"
    opening: bool  # "Compared to X, ..." before any result of the sentence
    rules: tuple[str, ...] = ()  # ids of the rules that read the names
    figure_unit: str | None = None  # "compared to 60 ms for Cubic": the baseline figure's unit


def find_comparisons(
    text: str, start: int, end: int, readings: list[Reading], stops: list[int]
) -> list[Comparison]:
    """Comparison phrases in text[start:end]; stops are positions where a baseline must end."""
    found: list[Comparison] = []
    cues = (
        (_EVALUATION_FRAME, False),  # first: its "against" is not a second comparison
        (COMPARE_AFTER, False),
        (COMPARE_BEFORE, True),
        (_EQUAL_LEVEL, False),
    )
    for regex, before_number in cues:
        for cue in regex.finditer(text, start, end):
            if regex is not _EVALUATION_FRAME and any(
                c.start <= cue.start() < c.end for c in found if c.rules[:1] == _FRAME_RULE
            ):
                continue  # "benchmark X against Y": the frame's own preposition
            if _NOT_A_BASELINE.search(text, max(start, cue.start() - 10), cue.start()):
                continue
            why: list[str] = (
                ["baseline.equal-level"]
                if regex is _EQUAL_LEVEL
                else list(_FRAME_RULE)
                if regex is _EVALUATION_FRAME
                else []
            )
            skipped = _SKIP.match(text, cue.end(), end)
            if skipped:
                why.append("baseline.frame-skip")
            base_start = skipped.end() if skipped else cue.end()
            figure = _FIGURE_FIRST.match(text, base_start, end)
            if figure and not any(figure.start() <= r.start < figure.end() for r in readings):
                why.append("baseline.own-figure")
                base_start = figure.end()
            target_end = _target_end(text, base_start, end, stops, why)
            loose = cue.group().lower() in ("over", "against")  # "over the internet"
            names = baseline_names(text[base_start:target_end], must_name=loose, why=why)
            if not names:
                continue
            if figure:  # "60 ms for Cubic and 20 ms for BBR": each figure names its own
                names, target_end = _figure_list(text, base_start, target_end, end, names)
            header = False
            bracketed = _bracketed_names(text, target_end, end, names)
            if bracketed:
                names, target_end = bracketed
                why.append("baseline.bracketed-names")
            elif text[target_end : target_end + 1] == ":":
                listed = _header_names(text, target_end, end, names)
                if listed:  # "than existing baselines: A, B and C"
                    names, target_end = listed
                    why.append("baseline.list-header")
                else:  # "outcompetes X: (1) by 20.7x ..., and (2) by 5.8x": covers the list
                    header = True
                    why.append("baseline.header-covers")
            # "Compared to X, ..." before any result, or opening a clause after ";"
            # "we compare it with X, and the results show ...": covers what follows
            opening = (
                header
                or regex is _EVALUATION_FRAME
                or (
                    text[target_end : target_end + 1] == ","
                    and (
                        not any(r.start < cue.start() for r in readings)
                        or _CLAUSE_OPENING.search(text, max(start, cue.start() - 3), cue.start())
                        is not None
                    )
                )
            )
            unit = (figure.group("unit") or "") if figure else None
            found.append(
                Comparison(cue.start(), target_end, names, before_number, opening, tuple(why), unit)
            )
            if before_number:  # "outperforms A by 2x and B by 3x": B is compared the same way
                for more in _ELLIPTIC_BEFORE.finditer(text, target_end, end):
                    span = more.span("name")
                    found.append(Comparison(span[0], span[1], (more.group("name"),), True, False))
    found.sort(key=lambda c: c.start)
    return found


_NEXT_FIGURE = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|and\s+)(?=[~≈]?\s?\d)"
    + _FIGURE_FIRST.pattern[3:]
    + r"(?P<name>[\w.+-]*[A-Z0-9][\w.+-]*(?:\s+[A-Z][\w.+-]*)?)"
)


def _figure_list(
    text: str, start: int, target_end: int, end: int, names: tuple[str, ...]
) -> tuple[tuple[str, ...], int]:
    """The names of a list of baseline figures after the first one ("and 20 ms for BBR")."""
    found = text.find(names[-1], start, target_end)
    position = found + len(names[-1]) if found >= 0 else target_end
    more = list(names)
    while (listed := _NEXT_FIGURE.match(text, position, end)) is not None:
        more.append(listed.group("name").rstrip("."))
        position = listed.end("name")
    return (tuple(more), position) if len(more) > len(names) else (names, target_end)


def _header_names(
    text: str, position: int, end: int, names: tuple[str, ...]
) -> tuple[tuple[str, ...], int] | None:
    """The names a generic list header announces after its colon, as with "such as"."""
    if not all(BASELINE_GENERIC.search(name) for name in names):
        return None
    match = _HEADER_NAMES.match(text, position, end)
    if match is None or _BARE_NUMBER.search(match.group("names")):
        return None
    inside = baseline_names(match.group("names"))
    if len(inside) < 2 or not all(_NAMED.match(n) or _SPECIFIC_NAME.search(n) for n in inside):
        return None
    return inside, match.end("names")


def _abbreviates(acronym: str, before: str) -> bool:
    """Whether "(LC)" abbreviates the words before it ("loosely-coupled (LC)"), rather than
    naming the system a generic phrase stands for ("the state-of-the-art (NCCL)")."""
    initials = [w[0].lower() for w in re.split(r"[\s-]+", before.strip()) if w][-len(acronym) - 1 :]
    return acronym.strip("()")[0].lower() in initials


def _bracketed_names(
    text: str, position: int, end: int, names: tuple[str, ...]
) -> tuple[tuple[str, ...], int] | None:
    """Names listed in brackets right after a generic baseline phrase, as with "such as"."""
    if not all(BASELINE_GENERIC.search(name) for name in names):
        return None
    match = _NAMES_IN_BRACKETS.match(text, position, end)
    if match is None or _BARE_NUMBER.search(match.group("names")):
        return None  # "(about 0.918)": the baseline's value, not names
    inside = baseline_names(match.group("names"))
    if not inside or not all(_NAMED.match(name) or _SPECIFIC_NAME.search(name) for name in inside):
        return None  # "(measured end to end)": a remark, not names
    return inside, match.end()


def _target_end(text: str, start: int, end: int, stops: list[int], why: list[str]) -> int:
    """Where the baseline after a comparison cue ends: punctuation, a number, a stop word."""
    position = start
    limit = (
        min(end, start + 90, *(s for s in stops if s >= start)) if stops else min(end, start + 90)
    )
    while position < limit:
        char = text[position]
        if char == "," and (listed := _RESPECTIVE_LIST.match(text, position, end)):
            position = listed.end("names")  # "compared to A, B, and C, respectively"
            break
        if char == "," and _LIST_CONTINUES.match(text, position):
            position += 1  # "than vLLM, SGLang, and TensorRT-LLM": the list of names goes on
            continue
        if char == "," and _EXAMPLES_AFTER_COMMA.match(text, position):
            position += 1  # "state-of-the-art systems, such as FasterTransformer and Orca"
            continue
        if char == "." and (cited := _ET_AL.match(text, position - 7)) and cited.end() > position:
            position = cited.end()  # "from Kraska et al. by 2x": the citation's full stop
            continue
        if char in ",;:.[)" and not (char == "." and text[position + 1 : position + 2].isalnum()):
            break
        if char == "(":
            acronym = _ACRONYM_PAREN.match(text, position)
            if acronym is None or not _abbreviates(acronym.group(), text[start:position]):
                break
            position = acronym.end()
            continue
        position += 1
    piece = text[start:position]
    example = COMPARE_EXAMPLES.search(piece)
    stops = [
        found.start()
        for regex in (COMPARE_STOP, COMPARE_AFTER)  # "than X relative to Y": X ends at "relative"
        if (found := regex.search(piece, example.end() if example else 1)) is not None
    ]
    stop = min(stops) if stops else None
    if stop is not None and (cited := _CITED_TAIL.match(piece, stop)):
        why.append("baseline.cited")
        return start + cited.end()  # "the learned index from Kraska et al."
    if stop is not None and _owner(piece.strip()) is None:
        position = start + _kept_tail(piece, stop, _at_clause_end(text, position, end), why)
    return position


def _at_clause_end(text: str, position: int, end: int) -> bool:
    return position >= end or text[position] in ".,;:"


def _kept_tail(piece: str, stop: int, clause_end: bool, why: list[str]) -> int:
    """Where the baseline in piece ends: at the stop word, or after a short tail of a
    described (not named) baseline that ends the clause or comes right before "by N":
    "than serving on dedicated GPUs", "outperforms a commercial LLM for voice-based dialogue
    by 12%"."""
    head = piece[:stop].strip()
    if (
        not head[:1].islower()
        or _NAMED_WORD.search(head.split()[0])
        or NOT_BASELINES.fullmatch(_DROP.sub("", head + " ").strip())  # "than real time"
    ):
        return stop
    tail = _NOUN_TAIL.match(piece, stop)
    if tail is None:
        # "solutions in the industry" closing the clause; not "systems in the X regime by 2x"
        place = _PLACE_TAIL.match(piece, stop) or _RELATIVE_TAIL.match(piece, stop)
        if place and clause_end and not piece[place.end() :].strip():
            why.append("baseline.place-tail")
            return place.end()
        return stop
    rest = piece[tail.end() :]
    if (clause_end and not rest.strip()) or _BY_NUMBER.match(rest):
        return tail.end()
    return stop


def _owner(target: str) -> re.Match[str] | None:
    """ "the all-reduce used in DiLoCo" names DiLoCo; "the index from Kraska et al." cites
    authors, so the whole phrase is the baseline."""
    owner = COMPARE_OWNER.match(target)
    return None if owner is None or _ET_AL.match(target, owner.end()) else owner


def baseline_names(
    target: str, *, must_name: bool = True, why: list[str] | None = None
) -> tuple[str, ...]:
    """Names in a compared-against phrase, one per system, as written.

    must_name: the phrase must hold a name or a baseline word; "over" and "against"
    need it ("over the internet"), "compared with full fine-tuning" does not.
    why: collects the ids of the naming rules that applied.
    """
    why = [] if why is None else why
    target = " ".join(target.split()).strip(" -")
    level = _LEVEL_TAIL.search(target)
    if level is not None:  # "SOTA perplexity of 47.5": the name, without its level
        why.append("baseline.own-level")
        target = _without_metric(target[: level.start()])
    bare = _DROP.sub("", target + " ").strip()
    if not bare or _NUMBER_FIRST.match(bare) or NOT_BASELINES.fullmatch(bare):
        return ()  # "than 2x", "less than a 0.2 drop", "faster than real time"
    owner = _owner(target)
    if owner is not None:
        return (owner.group("owner"),)
    example = COMPARE_EXAMPLES.search(target)
    if example is not None and target[example.end() :].strip(" ,"):
        target = target[example.end() :].strip(" ,")
    level_of = _METRIC_OF.match(target)
    if level_of is not None and METRICS.regex.fullmatch(level_of.group("metric")):
        target = target[level_of.end() :]  # "matches the accuracy of full fine-tuning"
    target = _TRAILING.sub("", target)
    if must_name and not (re.search(r"[A-Z0-9]", target) or BASELINE_GENERIC.search(target)):
        return ()  # "over the internet": nothing named, no baseline
    parts = _SPLIT.split(target)
    if _shared_head(parts):
        parts = [target]  # "existing partitioning and routing strategies": one baseline
        why.append("baseline.shared-head")
    names: list[str] = []
    for part in parts:
        name = _name(part, why)
        if not name:
            continue
        if names and name[0].isdigit() and "-" in names[0]:
            name = names[0][: names[0].rfind("-") + 1] + name  # "Qwen3-1.7B/0.6B"
        names.append(name)
    if any(_NAMED.search(name) for name in names):
        # "Clockwork and takes 30% ...": with names present, a plain lowercase word is not one.
        names = [n for n in names if _NAMED.search(n) or BASELINE_GENERIC.search(n)]
    return tuple(names)


def _without_metric(target: str) -> str:
    """ "SOTA perplexity" -> "SOTA": the metric words after a baseline's name."""
    words = target.split()
    for cut in (2, 1):
        head = words[:-cut]
        if (
            head
            and _NAMED.search(" ".join(head))
            and METRICS.regex.fullmatch(" ".join(words[-cut:]))
        ):
            return " ".join(head)
    return target


def _shared_head(parts: list[str]) -> bool:
    """Described parts joined by "and" that only the last one's head noun completes."""
    return (
        len(parts) > 1
        and not any(_NAMED.search(part) for part in parts)
        and BASELINE_HEAD_NOUNS.search(parts[-1]) is not None
        and not any(BASELINE_HEAD_NOUNS.search(part) for part in parts[:-1])
    )


def _name(part: str, why: list[str]) -> str:
    part = _DROP.sub("", part.strip()).strip(" .,")
    part = re.sub(r"['’]s?$", "", part)  # "than the teacher's" -> "teacher"
    owner = re.match(r"(.+?)['’]s\s+(.+)$", part)
    if owner is not None and METRICS.regex.fullmatch(owner.group(2)):
        return owner.group(1)  # "the teacher's FID" -> "teacher"
    words = part.split()
    if _SUPERLATIVES.search(part) and not re.search(r"\d|\w-\w", words[-1]):
        why.append("baseline.superlative")
        # "the best existing ConvNet": one member of a class, kept whole; not "the strongest
        # baseline Foo-7B", a name of one system
        return part
    if len(words) >= 2 and words[-1].islower() and _NAME_HEADS.fullmatch(words[-1]):
        run = _capitalised_run(words[:-1])  # the word before the head noun is a name
        if run and not _NAMED.search(" ".join(words[: len(words) - 1 - len(run)])):
            why.append("baseline.name-head")
            return " ".join(run)  # "the open-source BitsAndBytes implementation"
    if (
        len(words) >= 2
        and not _PREPOSITION.search(" ".join(words[:-1]))  # "implementations for GPU"
        and re.search(r"[A-Z0-9]", words[-1])
        and not BASELINE_HEAD_NOUNS.fullmatch(words[-1])
        and not words[0].istitle()  # "Baseline XDL" is the name as written
        and (
            BASELINE_HEAD_NOUNS.search(" ".join(words[:-1]))
            # "the widely used Whisper-large-v3": adjectives before a specific name
            or (_SPECIFIC_NAME.search(words[-1]) and not _NAMED.search(" ".join(words[:-1])))
        )
    ):
        return words[-1]  # "the state-of-the-art LLM serving system vLLM" -> "vLLM"
    return part


def _capitalised_run(words: list[str]) -> list[str]:
    """The words at the end of words that hold a capital ("Hugging Face Accelerate")."""
    run: list[str] = []
    for word in reversed(words):
        if re.search(r"[A-Z]", word) is None:
            break
        run.insert(0, word)
    return run


def share_baseline(text: str, reading: Reading) -> list[str]:
    """The baseline a share or factor is of: "96.8% of the teacher's performance" -> ["teacher"],
    "1.5 times the sample efficiency of PPO" -> ["PPO"]."""
    if reading.kind is Kind.RATIO:
        factor = _FACTOR_OF_BASELINE.match(text, reading.end)
        return [factor.group("named").rstrip(".,;:")] if factor else []
    if reading.unit != "%" or reading.kind is not Kind.ABSOLUTE:
        return []
    match = _SHARE_OF_BASELINE.match(text, reading.end)
    if match is None:
        return []
    return [(match.group("base") or match.group("named")).rstrip(".,;:")]


@dataclass(frozen=True)
class Frame:
    """The baseline a sentence compared its results with, for the changes of the next sentence
    that name none: "Compared to X, A cuts stalls by 54x. For loading, A is 8.8x faster."."""

    names: tuple[str, ...]
    system: str | None  # whose results were compared; None: an evaluation sentence, anyone's
    rule: str

    def covers(
        self, sentence_comparisons: list[Comparison], reading: Reading, system: str | None
    ) -> bool:
        """Whether a result with no baseline of its own takes this frame: a change in a
        sentence that compares nothing, about the same system."""
        return (
            not sentence_comparisons
            and _comparative(reading)
            and (self.system is None or self.system == system)
        )


def evaluation_frame(text: str, start: int, end: int) -> Frame | None:
    """The frame a sentence without results sets: "We compare it with X and Y."."""
    frames = [c for c in find_comparisons(text, start, end, [], []) if c.rules[:1] == _FRAME_RULE]
    return Frame(frames[0].names, None, "baseline.evaluation-frame") if len(frames) == 1 else None


def results_frame(changes: list[tuple[list[str], str | None]]) -> Frame | None:
    """The frame a sentence's results set: the one baseline list all its changes share
    (baselines, system per change); none when they differ or name none."""
    lists = {tuple(names) for names, _ in changes}
    systems = {system for _, system in changes}
    if len(lists) != 1 or len(systems) != 1 or not next(iter(lists)):
        return None
    return Frame(next(iter(lists)), next(iter(systems)), "baseline.previous-sentence")


def _comparative(reading: Reading) -> bool:
    return reading.kind is not Kind.ABSOLUTE or reading.mention.from_span is not None


def _is_share(text: str, reading: Reading) -> bool:
    return reading.unit == "%" and _SHARE_OF.match(text, reading.end) is not None


def _takes_following(text: str, reading: Reading, comparison: Comparison) -> bool:
    """Whether a comparison right after a result is that result's: a change's always
    ("2x faster than X"), a level's only within its clause ("reaches 0.8 ms latency, and is
    3x faster than X" leaves the 0.8 ms without one)."""
    return _comparative(reading) or not _LEVEL_BREAK.search(text, reading.end, comparison.start)


def _governs_next(text: str, comparison: Comparison, reading: Reading) -> bool:
    """Whether a comparison with no result before it is the next result's: a change's, or a
    level's when a comparative word leads it ("places more pods than X in over 44% of
    cases"); a bare "over X" is a preposition there ("search over a 50-billion index")."""
    return _comparative(reading) or bool(
        CHANGES.finditer(text, max(0, comparison.start - 40), comparison.start)
    )


def _carried(text: str, comparison: Comparison, reading: Reading) -> bool:
    """Whether an earlier comparison reaches a change with none of its own: across parallel
    clauses ("; at 100 MB, a 15 percent gain"), and across ", while" only to a comparative
    that needs its "than" ("..., while being 1.2x faster"), not to a change verb ("..., while
    cutting memory by 90%")."""
    between = text[comparison.end : reading.start]
    return (
        comparison.opening
        or not _CONTRAST.search(between)
        or bool(_ELIDED_COMPARATIVE.match(text, reading.end))
    )


@dataclass(frozen=True)
class Assigned:
    """The baselines of one result and the ids of the rules that gave them (none: empty)."""

    names: list[str]
    rules: tuple[str, ...]  # the assigning rule first, then the naming rules


def assign_baselines(
    text: str, readings: list[Reading], comparisons: list[Comparison]
) -> list[Assigned]:
    """Baselines for each reading of one sentence (same order)."""
    assigned: list[Assigned | None] = [None] * len(readings)
    owned: set[int] = set()

    def give(index: int, comparison: Comparison, rule: str) -> None:
        if assigned[index] is None:
            assigned[index] = Assigned(
                _for_position(readings[index], comparison.names), (rule, *comparison.rules)
            )

    for comparison in comparisons:  # "5 ms ..., compared to 60 ms for Cubic": same unit
        if comparison.figure_unit is not None:
            same = [
                i
                for i, r in enumerate(readings)
                if r.end <= comparison.start and r.unit.lower() == comparison.figure_unit.lower()
            ]
            if same:
                give(same[-1], comparison, "baseline.comparison")
    comparisons = [c for c in comparisons if c.figure_unit is None]
    for c_index, comparison in enumerate(comparisons):
        if comparison.before_number or comparison.opening:
            continue
        before = [i for i, r in enumerate(readings) if r.end <= comparison.start]
        if before:
            owned.add(c_index)
            if _takes_following(text, readings[before[-1]], comparison):
                give(before[-1], comparison, "baseline.comparison")
    last_end = max((r.end for r in readings), default=0)
    closing = [c for c in comparisons if c.start >= last_end and not c.before_number]
    if closing:
        # ", compared to X" at the end covers the sentence; "... and 11.1% higher accuracy over
        # YOLOv3" covers its own clause ("52% lower latency and"), not one after ", while".
        detached = text[: closing[0].start].rstrip().endswith(",")
        loose = not text.startswith(("than", "as"), closing[0].start)  # not the last one's own
        for index, reading in enumerate(readings):
            between = text[reading.end : closing[0].start]
            if loose:
                between = _SAME_SUBJECT_WHILE.sub(" ", between)
            if not _CLAUSE_BREAK.search(between) or detached:
                if _comparative(reading):
                    give(index, closing[0], "baseline.closing")
                elif detached and _is_share(text, reading):
                    give(index, closing[0], "baseline.closing-share")
    for c_index, comparison in enumerate(comparisons):
        if c_index in owned:
            continue
        nxt = next((c.start for c in comparisons if c.start >= comparison.end), len(text))
        after = [
            i
            for i, r in enumerate(readings)
            if comparison.end <= r.start < nxt and ";" not in text[comparison.end : r.start]
        ]
        rule = "baseline.opening" if comparison.opening else "baseline.comparison"
        if comparison.before_number:
            # "outperforms X by 10-40% on A, 8x on B, and 14x on C": the list goes on.
            after, rule = _one_list(text, readings, after), "baseline.verb"
            if not after:  # "achieves 99.9% accuracy, surpassing X": the result before it
                before = [
                    i
                    for i, r in enumerate(readings)
                    if r.end <= comparison.start
                    and not _CLAUSE_BREAK.search(text[r.end : comparison.start])
                ]
                after, rule = before[-1:], "baseline.verb-after"
        elif not comparison.opening:
            after = [i for i in after[:1] if _governs_next(text, comparison, readings[i])]
        for index in after:
            give(index, comparison, rule)
    for index, reading in enumerate(readings):
        if assigned[index] is not None or not _comparative(reading):
            continue
        earlier = [c for c in comparisons if c.end <= reading.start and _carried(text, c, reading)]
        later = [
            c
            for c in comparisons
            if c.start >= reading.end and not _CLAUSE_BREAK.search(text[reading.end : c.start])
        ]
        nearest = earlier[-1] if earlier else (later[0] if later else None)
        if nearest is not None:
            give(index, nearest, "baseline.carried")
    _pair_respectively(text, readings, comparisons, assigned)
    return [got or Assigned([], ()) for got in assigned]


def _one_list(text: str, readings: list[Reading], indices: list[int]) -> list[int]:
    """The first of indices and the members listed right after it ("10-40%, 8x, and 14x")."""
    listed = indices[:1]
    for index in indices[1:]:
        if index != listed[-1] + 1 or not list_adjacent(
            text[readings[listed[-1]].end : readings[index].start]
        ):
            break
        listed.append(index)
    return listed


def _pair_respectively(
    text: str,
    readings: list[Reading],
    comparisons: list[Comparison],
    assigned: list[Assigned | None],
) -> None:
    """ "2x, 3x and 4x ... compared to A, B and C, respectively": one baseline per value."""
    for comparison in comparisons:
        names = list(comparison.names)
        sharing = [i for i, got in enumerate(assigned) if got is not None and got.names == names]
        if len(names) < 2 or len(sharing) != len(names):
            continue
        # "respectively" right after the names, or right after the values ("Compared with A
        # and B, it cuts latency by 41% and 28%, respectively")
        after_values = _RESPECTIVELY_NEXT.match(text, readings[sharing[-1]].end)
        if after_values or _RESPECTIVELY.search(text, comparison.end, comparison.end + 40):
            rule = "baseline.respectively"
        elif _by_position(text, comparison, [readings[i] for i in sharing]):
            rule = "baseline.by-position"
        else:
            continue
        for index, name in zip(sharing, names, strict=True):
            assigned[index] = Assigned([name], (rule, *comparison.rules))


def _by_position(text: str, comparison: Comparison, listed: list[Reading]) -> bool:
    """ "over A, B, and C by up to 17x, 17x, and 2x": a list of values right after a list of
    names, one value per name, pairs them by position even without "respectively"."""
    return _BY_NUMBER.fullmatch(" " + text[comparison.end : listed[0].start]) is not None and all(
        list_adjacent(text[a.end : b.start]) for a, b in pairwise(listed)
    )


def _for_position(reading: Reading, names: tuple[str, ...]) -> list[str]:
    """Members of a slash pair take the baseline at their position ("Qwen3-1.7B/0.6B")."""
    slash = reading.mention.slash
    if slash is not None and len(names) > 1 and slash[1] < len(names):
        return [names[slash[1]]]
    return list(names)
