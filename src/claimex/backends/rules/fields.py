"""Field filling: kind, unit, bound, direction, category and metric from the words around a number.

The words right after a number bind tightest ("4.48x more requests", "52% lower
latency"); then a verb or noun leading to it ("reduces latency by 28-71%",
"top-1 accuracy of 93.05%"); then the claim before it in a list ("25.48%, 21.69%,
and 33.28%"); then the nearest metric word earlier in the sentence; then the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimex.backends.rules.cues import (
    ANY_BOUND_WORDS,
    BOUND_AFTER_AT_LEAST,
    BOUND_AFTER_AT_MOST,
    BOUND_BEFORE,
    CHANGE_RIGHT_BEFORE,
    CHANGES,
    COST_CHANGES,
    JOB_WORDS,
    METRICS,
    PEAK_SHARE_AFTER,
    PERCENT_SCORES,
    SIZE_CHANGES,
    UNITLESS_SCORES,
    lower_is_better,
)
from claimex.backends.rules.lexicon import Cue, alternation, load_lexicon
from claimex.backends.rules.mentions import Mention
from claimex.model import Bound, Category, Direction, Kind
from claimex.numbers import RATE_UNIT_SUFFIXES

_clauses = load_lexicon("clauses")
_hints = load_lexicon("metric_hints")
_EMPHASIS = alternation(_clauses["emphasis"])  # "a drop of only 0.3%"

# What ends the phrase after a number: punctuation, a bracket holding a number, or a word
# that starts a comparison, condition or new clause.
_AFTER_STOP = re.compile(
    r"[,;:\[]|\.(?:\s|$)|\(\s*[^)]*\d|(?<=\s)[+~]?\d"  # ... or the next number
    rf"|{alternation(_clauses['after_stops'])}"
    rf"|(?<![\w-])as(?!\s+{alternation(_clauses['as_comparisons'], open_end=True)})(?![\w-])",
    re.IGNORECASE,
)
# The object of "reduces <object> by": stops where a condition or a name's tail starts.
_OBJECT_STOP = re.compile(
    r"[,;:(\[]|(?<![\w-])(?:of|on|for|with|within|under|at|in|across|when|while|from|to|"
    r"compared|over)(?![\w-])",
    re.IGNORECASE,
)
# "per GPU", "perGPU" (not "per joule", "per watt": those make an energy efficiency)
_PER_PHRASE = re.compile(r"\b[Pp]er\s+(?!(?:joule|watt)s?\b)[\w-]+|\bper(?=[A-Z])\w+")
_PAREN_WORDS = re.compile(r"\([^()\d]{0,30}\)")
# "by 2x", "by up to 40%", "by an average of 42%", "by a factor of 2.5", "speedups of 2x".
_CONNECTOR = re.compile(
    rf"\b(?P<conn>by(?:\s+(?:an?\s+)?{alternation(_clauses['aggregates'])}\s+of)?|of)\s+"
    rf"(?:{_EMPHASIS}\s+)?(?:{ANY_BOUND_WORDS}\s*)?\+?$",  # "a drop of only 0.3%"
    re.IGNORECASE,
)
# Change words that can head "<change> of N": "speedups of 2x", "a reduction of 30%".
_NOMINAL_CHANGE = re.compile(
    r"(?:ions?|ments?|ups?|s|increase|decrease|boost|drop|gain|cut|loss)$", re.IGNORECASE
)
# "an accuracy drop of only 0.3%", "accuracy loss (<0.5%)": a change of a percentage metric,
# named before it.
_ACCURACY_CHANGE_OF = re.compile(
    rf"\baccuracy\s+{alternation(_hints['accuracy_changes'], open_end=True)}s?"
    rf"(?:\s+of\s+|\s*\(\s*)(?:{_EMPHASIS}\s+)?(?:{ANY_BOUND_WORDS}\s*)?$",
    re.IGNORECASE,
)
_ACCURACY_LOSS_ASIDE = re.compile(
    rf"\baccuracy\s+{alternation(_hints['accuracy_losses'], open_end=True)}s?\s*\(\s*"
    rf"(?:{ANY_BOUND_WORDS}\s*)?$",
    re.IGNORECASE,
)
_UP_TO = re.compile(r"up\s+to\b", re.IGNORECASE)
_NOUN_CHANGE = re.compile(r"(?:ions?|ments?|ups?|gains?|drops?|loss|increase|decrease)$", re.I)
_NOMINAL_OBJECT = re.compile(r"\s+(?:in|on|to)\s+(?:(?!and\b|or\b)[\w-]+\s+){0,3}?[\w-]+\s*")
_VERB_OBJECT = re.compile(r"\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}?[\w-]+\s*")
_BARE_PERCENT_SCORE = re.compile(r"(?:\s*/\s*\d[\d.]*)*\s*")  # before "WER" in "2.9/6.1 WER"
_ARTICLES = re.compile(r"^(?:(?:the|a|an|its|their|our)\s+)+", re.IGNORECASE)
_FACTOR_BEFORE = re.compile(r"\bfactor\s+of\s+\S*\s*$", re.IGNORECASE)
_APPOSITIVE = re.compile(r"\s*[(,]\s*(?:an?\s+|i\.e\.,?\s+)?")
_ON_BENCHMARK = re.compile(r"\s+on\s+(?:the\s+)?[A-Z][\w-]*[A-Z0-9]")
_RELATIVE_AFTER = re.compile(r"\s*relative(?:ly)?\b", re.IGNORECASE)
_SHARE_AFTER = re.compile(r"\s*of\b", re.IGNORECASE)

# A qualifier of the next list member: "up to 3x and on average 2x lower latency".
_LIST_QUALIFIER = re.compile(r"\s(?:on|in)\s+(?:average|median)\s*$", re.IGNORECASE)

_UNIT_CATEGORIES: dict[str, Category] = {
    "ns": Category.LATENCY,
    "us": Category.LATENCY,
    "ms": Category.LATENCY,
    "s": Category.LATENCY,
    "min": Category.LATENCY,
    "h": Category.COST,
    "d": Category.COST,
    "GPU-h": Category.COST,
    "FPS": Category.THROUGHPUT,
    "GFLOPS": Category.THROUGHPUT,
    "TFLOPS": Category.THROUGHPUT,
    "PFLOPS": Category.THROUGHPUT,
    "KB": Category.MEMORY,
    "MB": Category.MEMORY,
    "GB": Category.MEMORY,
    "TB": Category.MEMORY,
    "TB/s": Category.BANDWIDTH,
    "GB/s": Category.BANDWIDTH,
    "MB/s": Category.BANDWIDTH,
    "Gbps": Category.BANDWIDTH,
    "Mbps": Category.BANDWIDTH,
    "J": Category.ENERGY,
    "mJ": Category.ENERGY,
    "kJ": Category.ENERGY,
    "MJ": Category.ENERGY,
    "Wh": Category.ENERGY,
    "kWh": Category.ENERGY,
    "W": Category.ENERGY,
    "mW": Category.ENERGY,
    "kW": Category.ENERGY,
    "MW": Category.ENERGY,
    "dB": Category.ACCURACY,
    "TOPS": Category.THROUGHPUT,
    "GOPS": Category.THROUGHPUT,
    "$": Category.COST,
}


@dataclass
class Reading:
    """What the words around one result (or one slash group) say about it."""

    start: int
    end: int
    mention: Mention
    category: Category = Category.OTHER
    kind: Kind = Kind.ABSOLUTE
    unit: str = ""
    direction: Direction | None = None
    bound: Bound = Bound.EXACT
    metric: str = ""
    change: str | None = None  # the change-word section that made this a change
    own_metric: bool = False  # a metric word next to the number itself
    guessed: bool = False  # no metric word near the number: category from the sentence or unit
    prefix_bound: bool = False
    after_end: int = 0
    rules: list[str] = field(default_factory=list)  # ids of the rules that set the fields


def read_fields(
    text: str,
    sentence_start: int,
    sentence_end: int,
    window_start: int,
    reading: Reading,
    previous: list[Reading],
) -> Reading:
    """Fill reading's fields from the sentence text; previous: earlier results of the sentence."""
    m = reading.mention
    after_end = _after_end(text, reading.end, sentence_end)
    reading.after_end = after_end
    after = _blank(text, reading.end, after_end)
    before_start = max(window_start, text.rfind(";", sentence_start, reading.start) + 1)
    if previous:
        before_start = max(before_start, min(previous[-1].after_end, reading.start))
    before = text[before_start : reading.start]

    change, own, weak, metric_phrase = _local_cues(
        text, reading, after, before, before_start, sentence_start
    )
    share = m.unit == "%" and _SHARE_AFTER.match(text, reading.end) is not None
    if m.from_span is not None or (share and own is None):
        change = None  # "from A to B" is B's level; "56.9% of the tool calls" a share
    reading.own_metric = own is not None
    reading.change = change.section if change else None
    if (
        m.unit == "%"
        and change is None
        and _ACCURACY_LOSS_ASIDE.search(text, max(before_start, reading.start - 48), reading.start)
    ):
        reading.change = "decrease"  # "with negligible accuracy loss (<0.5%)"

    same_unit = _family(m)
    earlier = next((r for r in reversed(previous) if _family(r.mention) == same_unit), None)
    category, phrase, category_rule = _metric(
        text, sentence_start, reading, previous, earlier, (change, own, weak), share, metric_phrase
    )
    if reading.change in ("speedup", "slowdown"):
        category, category_rule = Category.SPEEDUP, "category.speed-word"
        phrase = phrase if phrase != Category.OTHER.value else ""
    reading.kind, reading.unit, kind_rule = _kind_and_unit(
        reading, category, after + " " + phrase, text
    )
    if _points_of_level(reading, category, earlier, text):
        reading.kind, reading.unit, kind_rule = Kind.DELTA, "pp", "kind.points-of-level"
    if (
        reading.guessed
        and reading.kind is Kind.ABSOLUTE
        and m.unit in ("%", "")
        and _ON_BENCHMARK.match(text, reading.end)
    ):
        # "achieves 86.4% on MMLU"
        category, phrase, category_rule = Category.ACCURACY, "score", "category.benchmark-score"
    if (
        reading.kind is Kind.RATIO
        and category is Category.OTHER
        and phrase == "other"
        and reading.change in (None, "better", "increase")
    ):
        # "outperforms vLLM by 2.1x" with no metric word anywhere: systems abstracts mean speed.
        category, phrase, category_rule = Category.SPEEDUP, "", "category.bare-ratio-speed"
    if reading.kind is Kind.ABSOLUTE and _unit_category(m.unit) is not Category.OTHER:
        category = _absolute_unit_category(m.unit, category, text[sentence_start:sentence_end])
        category_rule = "category.absolute-unit"
    reading.category = category
    reading.metric = _clean_metric(phrase) or category.value
    reading.direction = _direction(reading, phrase)
    reading.bound, reading.prefix_bound = _bound(text, sentence_start, reading, after)
    if earlier is not None and _shares_modifier(text, reading, earlier):
        reading.bound, reading.prefix_bound = earlier.bound, True
        reading.rules.append("bound.shared-modifier")
    reading.rules[:0] = [category_rule, kind_rule]
    return reading


def _metric(
    text: str,
    sentence_start: int,
    reading: Reading,
    previous: list[Reading],
    earlier: Reading | None,
    cues: tuple[Cue | None, Cue | None, Cue | None],
    share: bool,
    metric_phrase: str,
) -> tuple[Category, str, str]:
    """Category and metric phrase, from the nearest evidence there is (see the module doc)."""
    change, own, weak = cues
    m = reading.mention
    if share and PEAK_SHARE_AFTER.match(text, reading.end):
        return Category.THROUGHPUT, metric_phrase or "share of peak", "category.share-of-peak"
    if own is None and share:
        return Category.OTHER, metric_phrase or "share", "category.share"
    if own is None and change is None and earlier is not None:
        # "25.48%, 21.69%, and 33.28%": a list member takes the metric of the one before;
        # from a result further back it is only a guess, which the next member may correct
        # ("twice the size of the DRAM, with a 4-5x and 20-25x increase in speed").
        reading.guessed = earlier.guessed or not list_adjacent(text[earlier.end : reading.start])
        if earlier.change is not None and m.unit == earlier.mention.unit and not m.from_span:
            reading.change = earlier.change
        return earlier.category, earlier.metric, "category.list-member"
    if own is None and weak is None:
        if previous and _APPOSITIVE.fullmatch(text, previous[-1].end, reading.start):
            # "from 3.2 s to 1.1 s (a 65% reduction)": the same result, said again as a change.
            return previous[-1].category, previous[-1].metric, "category.restated-change"
        if change and SIZE_CHANGES.fullmatch(change.text):
            # "8.4x smaller" (claim-spec: memory)
            return Category.MEMORY, "size", "category.size-change"
        if change and COST_CHANGES.fullmatch(change.text):
            return Category.COST, "cost", "category.cost-change"  # "9x cheaper inference"
        if earlier is not None:
            reading.guessed = earlier.guessed
            return earlier.category, earlier.metric, "category.list-member"
    cue = (
        own
        or weak
        or _last(_metrics_not_names(METRICS.finditer(text, sentence_start, reading.start), text, 0))
    )
    reading.guessed = own is None and weak is None
    if cue is None and previous and _unit_category(m.unit) is Category.OTHER:
        # "consumes 0.39 J per token, 3.2x less than a V100": the result before names it.
        return previous[-1].category, previous[-1].metric, "category.previous-result"
    category = Category(cue.section) if cue else _unit_category(m.unit)
    rule = (
        "category.unit"
        if cue is None
        else ("category.metric-word" if own or weak else "category.earlier-metric")
    )
    return category, metric_phrase or (cue.text if cue else category.value), rule


def _shares_modifier(text: str, reading: Reading, earlier: Reading) -> bool:
    """One modifier before numbers sharing a metric covers them all: "approximately 600ms in
    theory and 800ms in practice", "up to 29x, 29x, and 3x speedups"."""
    return (
        not reading.prefix_bound
        and reading.bound is Bound.EXACT
        and earlier.prefix_bound
        and not (reading.own_metric and earlier.own_metric)
        and list_adjacent(between := text[earlier.end : reading.start])
        and not _LIST_QUALIFIER.search(between)  # "up to 3x and on average 2x": 2x is exact
    )


def adopt_metric(reading: Reading, other: Reading, text: str) -> None:
    """Take the metric of the next list member: "1GB and 8GB of memory", "2x and 3x speedups"."""
    reading.category, reading.metric, reading.guessed = other.category, other.metric, False
    if reading.change is None:
        reading.change = other.change
    reading.kind, reading.unit, kind_rule = _kind_and_unit(
        reading, reading.category, other.metric, text
    )
    reading.rules[:2] = ["category.next-list-member", kind_rule]
    reading.direction = _direction(reading, other.metric)


def _after_end(text: str, start: int, sentence_end: int) -> int:
    limit = min(sentence_end, start + 70)
    blanked = _blank(text, start, limit)
    stop = _AFTER_STOP.search(blanked)
    return start + (stop.start() if stop else len(blanked))


def _blank(text: str, start: int, end: int) -> str:
    """text[start:end] with "(token-level)"-style asides and "per GPU" blanked, offsets kept."""
    piece = text[start:end]
    for pattern in (_PAREN_WORDS, _PER_PHRASE):
        piece = pattern.sub(lambda match: " " * len(match.group()), piece)
    return piece


def _last(cues: list[Cue]) -> Cue | None:
    return cues[-1] if cues else None


def _local_cues(
    text: str, reading: Reading, after: str, before: str, before_start: int, sentence_start: int
) -> tuple[Cue | None, Cue | None, Cue | None, str]:
    """The change word, the metric word next to the number (own), one earlier in its clause
    (weak), and the metric phrase."""
    after_changes = CHANGES.finditer(after)
    after_metrics = _metrics_not_names(METRICS.finditer(after), text, reading.end)
    change = after_changes[0] if after_changes else None
    metric = after_metrics[0] if after_metrics else None
    phrase = _after_phrase(after, after_changes) if metric else ""
    if metric is not None:
        metric = Cue(
            metric.start + reading.end, metric.end + reading.end, metric.section, metric.text
        )
    connector = _CONNECTOR.search(before, len(before) - 48)
    if connector is not None:
        head = _blank(before, 0, connector.start())
        verb = _last(_words_not_names(CHANGES.finditer(head), text, before_start))
        elliptic = False
        if verb is None and connector.group("conn").lower().startswith("by"):
            # "reduces TTFT by 2.8x and end-to-end latency by 35%": the verb said once.
            verb = _last(
                [  # the "up" of "by up to 4x" is a bound, not the verb
                    cue
                    for cue in _words_not_names(
                        CHANGES.finditer(text, sentence_start, before_start), text, 0
                    )
                    if not _UP_TO.match(text, cue.start)
                ]
            )
            elliptic = verb is not None
        if verb is not None and connector.group("conn").lower() == "of":
            # "speedups of 2x", "latency reductions compared to X of 25%"; not "a 2x
            # increase in TFLOPS and a scaling efficiency of 0.94".
            between = head[verb.end :]
            nominal = _NOMINAL_CHANGE.search(verb.text) is not None
            # "improve the average QoE of 9%", "improvements on average QoE of 9%": the
            # object of the change word changes by 9%.
            noun = _NOUN_CHANGE.search(verb.text) is not None
            governed = reading.mention.unit == "%" and (
                (_NOMINAL_OBJECT if noun else _VERB_OBJECT).fullmatch(between) is not None
            )
            verb = verb if governed or (nominal and not METRICS.finditer(between)) else None
        if verb is not None and change is None:
            change = verb
        if verb is not None and connector.group("conn").lower().startswith("by") and metric is None:
            obj_from = 0 if elliptic else verb.end
            obj = head[obj_from:]
            stop = _OBJECT_STOP.search(obj)
            obj = obj[: stop.start()] if stop else obj
            offset = before_start + obj_from
            found = _metrics_not_names(METRICS.finditer(obj), text, offset)
            if found:
                metric = Cue(
                    found[0].start + offset, found[0].end + offset, found[0].section, found[0].text
                )
                phrase = obj.strip()
    if change is None:
        right_before = CHANGE_RIGHT_BEFORE.search(before, len(before) - 48)
        if right_before is not None:  # "saves 40% of GPU memory"
            found = CHANGES.finditer(right_before.group())
            change = Cue(
                found[0].start + before_start + right_before.start(),
                found[0].end + before_start + right_before.start(),
                found[0].section,
                found[0].text,
            )
    weak = None
    if metric is None:
        found = _metrics_not_names(
            METRICS.finditer(_blank(before, 0, len(before))), text, before_start
        )
        if found:
            cue = found[-1]
            weak = Cue(cue.start + before_start, cue.end + before_start, cue.section, cue.text)
            phrase = _phrase_ending_at(before, cue.end)
    return change, metric, weak, phrase


def _words_not_names(cues: list[Cue], text: str, offset: int) -> list[Cue]:
    """The cues that are words, not names: "over Hugging Face Accelerate by 17x" names a
    baseline, so its "Accelerate" is no speed cue. A capital inside a sentence marks a name."""
    return [cue for cue in cues if not _capitalised_inside(text, offset + cue.start)]


def _metrics_not_names(cues: list[Cue], text: str, offset: int) -> list[Cue]:
    """The metric cues that are words, not names: "outperforms ONNX Runtime by 1.48x" names
    a baseline, not a run time. A capitalised word inside a sentence with lower case after
    its capital is a name ("Runtime"); an acronym ("TTFT", "QoE") stays a metric."""
    return [
        cue
        for cue in cues
        if not (
            _capitalised_inside(text, offset + cue.start)
            and text[offset + cue.start + 1 : offset + cue.start + 2].islower()
            and text[offset + cue.start + 1 : offset + cue.end].islower()
        )
    ]


def _capitalised_inside(text: str, position: int) -> bool:
    if not text[position].isupper():
        return False
    index = position - 1
    while index >= 0 and text[index].isspace():
        index -= 1
    return index >= 0 and text[index] not in ".!?:;"


def _after_phrase(after: str, changes: list[Cue]) -> str:
    """The metric words after a number, without the change words leading them."""
    start = 0
    for cue in changes:
        if after[start : cue.start].strip():
            break
        start = cue.end
    words = after[start:].split()
    while words and words[0].lower() in ("in", "of", "the", "a", "an"):
        words = words[1:]
    return " ".join(words[:6])


def _phrase_ending_at(before: str, end: int) -> str:
    words = re.split(r"[,;:()]", before[:end])[-1].split()
    return " ".join(words[-3:])


def _clean_metric(phrase: str) -> str:
    phrase = _ARTICLES.sub("", " ".join(phrase.split())).strip(" .,;:-")
    return phrase[:80]


def _family(mention: Mention) -> str:
    if mention.unit in ("x", "", "%", "pp"):
        return mention.unit
    return _UNIT_CATEGORIES.get(mention.unit, Category.OTHER).value


def _unit_category(unit: str) -> Category:
    if unit in _UNIT_CATEGORIES:
        return _UNIT_CATEGORIES[unit]
    if re.match(r"(?:[mkuM]?J|m?Wh)/", unit):
        return Category.ENERGY  # "42 uJ/image": energy per item
    if unit.endswith("/W"):
        return Category.ENERGY  # "3.4 TOPS/W": energy efficiency
    if unit.endswith(RATE_UNIT_SUFFIXES):
        return Category.THROUGHPUT  # "tokens/s", "tokens/d": a count per unit of time
    return Category.OTHER


def _absolute_unit_category(unit: str, worded: Category, sentence: str) -> Category:
    """A level with a physical unit is what its unit measures ("0.8 ms" is a latency)."""
    by_unit = _unit_category(unit)
    if by_unit is Category.LATENCY and (worded is Category.COST or JOB_WORDS.search(sentence)):
        return Category.COST if unit in ("min", "h", "d") or worded is Category.COST else by_unit
    if by_unit is Category.MEMORY and worded is Category.BANDWIDTH:
        return worded
    return by_unit


def _kind_and_unit(
    reading: Reading, category: Category, after: str, text: str
) -> tuple[Kind, str, str]:
    m = reading.mention
    changed = reading.change is not None
    if m.unit == "x" or m.form in ("magnitude", "fold", "half"):
        return Kind.RATIO, "x", "kind.ratio"
    if m.unit == "pp":
        return Kind.DELTA, "pp", "kind.points"
    if m.unit == "%":
        if m.sign == "+":
            return Kind.DELTA, "pp", "kind.signed-percent"
        if not changed:
            return Kind.ABSOLUTE, "%", "kind.percent-level"
        if (
            category is Category.ACCURACY
            and (
                reading.own_metric
                or _ACCURACY_CHANGE_OF.search(text, max(0, reading.start - 48), reading.start)
            )
            and not UNITLESS_SCORES.search(after)
            and _RELATIVE_AFTER.match(text, reading.end) is None
        ):
            # "11.1% higher accuracy", "a 0.1% WER increase": points of a percentage metric
            return Kind.DELTA, "pp", "kind.accuracy-points"
        return Kind.PERCENT_CHANGE, "%", "kind.percent-change"
    if not m.unit:
        factor = _FACTOR_BEFORE.search(text, max(0, reading.start - 30), reading.start)
        if factor or (changed and not UNITLESS_SCORES.search(after)):
            return (
                Kind.RATIO,
                "x",
                "kind.bare-ratio",
            )  # "3.9 higher throughput", "by a factor of 2.5"
        bare = _BARE_PERCENT_SCORE.match(after)
        if bare and PERCENT_SCORES.match(after, bare.end()):
            return (
                (Kind.DELTA, "pp", "kind.bare-percent-score")
                if changed
                else (Kind.ABSOLUTE, "%", "kind.bare-percent-score")
            )  # "2.9/6.1 WER"
        return (
            (Kind.DELTA, "", "kind.score-change")
            if changed
            else (Kind.ABSOLUTE, "", "kind.score-level")
        )
    return (
        (Kind.DELTA, m.unit, "kind.unit-change")
        if changed
        else (Kind.ABSOLUTE, m.unit, "kind.unit-level")
    )


def _points_of_level(
    reading: Reading, category: Category, earlier: Reading | None, text: str
) -> bool:
    """A change after a percentage accuracy level, with no metric of its own, is in points:
    "78.4% accuracy on X, 1.2% higher than Y" (claim-spec: a delta of a percentage metric)."""
    return (
        reading.kind is Kind.PERCENT_CHANGE
        and category is Category.ACCURACY
        and not reading.own_metric
        and earlier is not None
        and earlier.kind is Kind.ABSOLUTE
        and earlier.unit == "%"
        and earlier.category is Category.ACCURACY
        and _RELATIVE_AFTER.match(text, reading.end) is None
    )


def _direction(reading: Reading, phrase: str) -> Direction | None:
    if reading.kind is Kind.ABSOLUTE:
        return None
    change = reading.change
    if change in ("speedup", "increase"):
        return Direction.INCREASE
    if change in ("slowdown", "decrease"):
        return Direction.DECREASE
    lower_better = lower_is_better(phrase, reading.category)
    if change == "better":
        return Direction.DECREASE if lower_better else Direction.INCREASE
    if change == "worse":
        return Direction.INCREASE if lower_better else Direction.DECREASE
    if reading.mention.form == "half" or reading.mention.value < 1:
        return Direction.DECREASE
    return Direction.INCREASE


def _bound(text: str, sentence_start: int, reading: Reading, after: str) -> tuple[Bound, bool]:
    m = reading.mention
    if m.value_max is not None:
        return Bound.RANGE, False
    prefix = BOUND_BEFORE.search(text, max(sentence_start, reading.start - 30), reading.start)
    if prefix is not None and prefix.lastgroup:
        return Bound(prefix.lastgroup), True
    following = text[reading.end : reading.end + 20]
    if BOUND_AFTER_AT_LEAST.match(following):
        return Bound.AT_LEAST, False  # "2x or more"
    if BOUND_AFTER_AT_MOST.match(following):
        return Bound.AT_MOST, False
    if m.form == "magnitude" or m.power:
        return Bound.APPROX, False
    return Bound.EXACT, False


def list_adjacent(between: str) -> bool:
    """Only a list separator (and a short condition) between two numbers: "... and", ", ",
    "up to 3x and on average 2x lower latency"."""
    words = _LIST_QUALIFIER.sub("", between).replace(",", " , ").split()
    return (
        0 < len(words) <= 5
        and words[-1].lower() in (",", "and", "or")
        and not CHANGES.finditer(between)
        and not METRICS.finditer(between)
    )
