"""Results versus setup: which number mentions are claims (claim-spec "Not claims").

A mention is a RESULT, SETUP (parameter counts, dataset sizes, hyper-parameters,
names, years: dropped) or a CONDITION (a number a result is held to or measured at:
kept as the condition text of the claims beside it).
"""

from __future__ import annotations

import re
from enum import Enum

from claimex.backends.rules.cues import (
    ANY_BOUND_WORDS,
    CHANGE_RIGHT_BEFORE,
    CHANGES,
    CONFIG_NOUN_AFTER,
    CONFIG_NOUN_BEFORE,
    DATA_OF_AFTER,
    FOLD_ADJECTIVES,
    FOLD_DETERMINER_AFTER,
    HARDWARE_AFTER,
    HARDWARE_WITH_BEFORE,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    METRICS,
    MULTIPLE_OF_CONSTANT_AFTER,
    PERCENT_SCORES,
    REPETITION_AFTER,
    REQUIREMENT_VERBS,
    RUN_VERB_BEFORE,
    SHARE_NOUN_AFTER,
    SHARE_OF_DATA_AFTER,
    TOLERANCE_VERBS,
    UNITLESS_SCORES,
)
from claimex.backends.rules.document import Document
from claimex.backends.rules.lexicon import alternation, load_lexicon
from claimex.backends.rules.mentions import Mention
from claimex.backends.rules.segments import Sentence
from claimex.numbers import RATE_UNIT_SUFFIXES, UNIT_PATTERN


class Role(Enum):
    RESULT = "result"
    SETUP = "setup"
    CONDITION = "condition"


_scores = load_lexicon("scores")
_comparisons = load_lexicon("comparisons")
_setup = load_lexicon("setup")
# "T=5", "NFE=4", "k = 8", "(T>1)": a variable set or compared to a value.
_ASSIGNMENT_BEFORE = re.compile(
    r"(?:[\w\]]\s*=\s*|(?<![A-Za-z])(?:[A-Za-z]|[A-Z][A-Za-z]{1,3}|[A-Za-z]\d)\s*[<>≤≥]\s*)$"
)
_HYPHEN_ADJECTIVE_AFTER = re.compile(r"-(?!fold)[A-Za-z]")
# "a 1-second window", "a 25-MB cache": a quantity used as an adjective configures the setup.
_HYPHEN_UNIT_AFTER = re.compile(rf"-(?:{UNIT_PATTERN})")
# "3.9 higher throughput", "0.7 better perplexity": a bare number with a comparative.
_COMPARATIVE_AFTER = re.compile(rf"^\s+{alternation(_scores['comparatives'])}", re.I)
# "45.2 mAP", "32.1 BLEU", "1.4 BLEU higher", "2.9/6.1 WER": a score named right after its value.
_SCORE_WORD_AFTER = re.compile(
    r"(?:\s*/\s*\d[\d.]*)*\s+(?P<score>[A-Za-z][\w-]*(?:\s+score)?)(?![\w-])"
)
_FUNCTION_WORD_AFTER = re.compile(
    r"\s*(?:in|on|for|with|at|and|while|versus|vs|compared|than|relative|which|when|whereas|"
    r"but|as|against|over|across|after|under|within)\b",
    re.I,
)
# "an FVD of 320": a score word right before its value, so a whole number is the score too.
_ADJACENT_SCORE_BEFORE = re.compile(
    rf"{UNITLESS_SCORES.pattern}\s*(?:of|is|was|=|:)\s*(?:about\s+|around\s+|~\s*)?$", re.I
)
_SCORE_BEFORE = re.compile(
    rf"(?:of|is|was|=|:|to|{alternation(_scores['score_verbs'])}|about|"
    r"around|approximately|roughly|~|\()\s*$",
    re.I,
)
_FACTOR_OF_BEFORE = re.compile(rf"\bfactor\s+of\s+(?:{ANY_BOUND_WORDS}\s*)?$", re.I)
_PAREN_AROUND = re.compile(r"\(\s*(?:[~<>≈]|about|around|approximately|roughly)?\s*$", re.I)
_NEXT_WORDS = re.compile(r"[\s-]+([A-Za-z][\w-]*(?:\s+[a-z][\w-]*)?)")
# Patterns anchored at the end of the text before a number need only its last characters.
_NEAR = 48
_COMPARATORS = frozenset("=<>≤≥")
_BY_BEFORE = re.compile(rf"\bby\s+(?:{ANY_BOUND_WORDS}\s*)?$", re.I)
_FOR_BEFORE = re.compile(rf"\bfor\s+(?:(?:an?|{ANY_BOUND_WORDS})\s*)?$", re.I)
_AT_ON_BEFORE = re.compile(r"(?:^|\s)(at|on)\s+$", re.I)
_WITHIN_OF = re.compile(r"\s*of\b", re.I)
# "instead of 2 hours", "compared to 45 ms for vLLM": a baseline's value right after the cue.
_BASELINE_VALUE_RIGHT_BEFORE = re.compile(
    rf"{alternation(_comparisons['baseline_value_before'])}\s+(?:{ANY_BOUND_WORDS}\s*)?$", re.I
)
# "(vs. 12 ms for vLLM)": a baseline's value opening a bracketed comparison.
_BRACKET_VALUE_RIGHT_BEFORE = re.compile(
    rf"\(\s*{alternation(_comparisons['bracket_value_before'])}\s+(?:{ANY_BOUND_WORDS}\s*)?$",
    re.I,
)
# "compared to SOTA perplexity of 47.5": the level of the baseline named after the cue.
_BASELINE_LEVEL_OF = re.compile(
    rf"(?i:{alternation(_comparisons['baseline_value_before'])})\s+(?:the\s+)?"
    r"[\w.+-]*[A-Z0-9][\w.+-]*(?:['’]s)?(?:\s+[\w.+-]+){0,3}?\s+of\s+$"
)
_PRIOR_BEST_OF = re.compile(
    rf"{alternation(_comparisons['prior_best'])}\s+(?:[\w-]+\s+)?of\s+$", re.I
)
_SHARE_WITHIN = re.compile(
    r"\d%\s+of\s+(?:the\s+|all\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:within|under|below|in)\s+$", re.I
)
_EXTRA_RESOURCE_BEFORE = re.compile(
    rf"{alternation(_setup['extra_verbs'])}\s+(?:an?\s+|only\s+)?"
    rf"{alternation(_setup['extra_words'])}\s*$",
    re.I,
)
# "within 500 ms in more than 60% of turns": a time threshold, then the share meeting it.
_SHARE_AFTER_THRESHOLD = re.compile(
    rf"\s*(?:in|for)\s+(?:{ANY_BOUND_WORDS}\s*)?\d[\d.]*\s*%\s+of\b", re.I
)
_THRESHOLD_BEFORE_SHARE = re.compile(
    rf"\d\s*(?:ms|milliseconds?|seconds?|s|us|µs|minutes?)\s+(?:in|for)\s+(?:{ANY_BOUND_WORDS}\s*)?$",
    re.I,
)
# "15.6x improvement over WiFi-6 (12.5ms)": the baseline's own value, in brackets after its name.
_BASELINE_VALUE_BEFORE = re.compile(
    rf"{alternation(_comparisons['bracket_value_after'])}\s+[^()]{{1,40}}?\(\s*$", re.I
)


def classify(doc: Document, sentence: Sentence, mention: Mention) -> tuple[Role, str]:
    """Whether a mention is a result, a condition or setup, and the id of the rule deciding it."""
    text = doc.text
    before = text[max(sentence.start, mention.start - 80) : mention.start]
    after = text[mention.end : min(sentence.end, mention.end + 80)]
    if mention.name_part or mention.glued_right or doc.in_url(mention):
        return (Role.SETUP, "setup.name-part")
    tail = before.rstrip()[-1:]  # cheap tests first: most patterns below need a given ending
    if tail in _COMPARATORS and _ASSIGNMENT_BEFORE.search(before, len(before) - 12):
        return (Role.SETUP, "setup.assignment")
    if mention.form == "numeral" and _HYPHEN_ADJECTIVE_AFTER.match(text, mention.end):
        quantity = mention.unit or _HYPHEN_UNIT_AFTER.match(text, mention.end)
        return (
            (Role.CONDITION, "condition.hyphen-quantity")
            if quantity
            else (Role.SETUP, "setup.hyphen-adjective")
        )  # "1-second window", "16-bit"
    if mention.hyphenated:
        # "a 1-second window" configures; "a 4.2-point BLEU improvement" is a result.
        return (
            (Role.RESULT, "result.hyphen-change")
            if _change_after(after)
            else (Role.CONDITION, "condition.hyphen-quantity")
        )
    if mention.unit_text.endswith("FLOPs"):
        return (
            Role.SETUP,
            "setup.operation-count",
        )  # "0.3 GFLOPs": a model's operation count, like its parameter count
    if mention.multiplier and not mention.unit.endswith(RATE_UNIT_SUFFIXES) and mention.unit != "$":
        return (Role.SETUP, "setup.scaled-count")  # "8B parameters", "1.4 million hours of speech"
    if tail == "f" and _BASELINE_LEVEL_OF.search(before):
        # "42.1 compared to SOTA perplexity of 47.5": the named baseline's level
        return (Role.CONDITION, "condition.baseline-level-of")
    if not mention.unit:
        return (
            (Role.RESULT, "result.unitless")
            if _unitless_result(doc, sentence, mention, before, after)
            else (Role.SETUP, "setup.bare-number")
        )
    if mention.unit == "pp" and not (
        mention.sign
        or _change_after(after)
        or CHANGE_RIGHT_BEFORE.search(before, len(before) - _NEAR)
        or _BY_BEFORE.search(before, len(before) - _NEAR)
    ):
        # "earns one point": points are a claim only as a difference
        return (Role.SETUP, "setup.points-level")
    if mention.unit == "x" and (
        MULTIPLE_OF_CONSTANT_AFTER.match(text, mention.end)
        or _repetition_count(text, mention, before)
    ):
        # "15,000 x g", "washed five times and": no ratio of results
        return (Role.SETUP, "setup.repetition-or-constant")
    if mention.form == "fold" and _fold_adjective(text, mention, after):
        # "double buffering": a technique's name, not a doubling
        return (Role.SETUP, "setup.fold-adjective")
    if mention.form in ("fold", "half") and not _metric_nearby(text, sentence, mention):
        return (
            Role.SETUP,
            "setup.ratio-word-no-metric",
        )  # "doubling the batch size" is a setting, not a result
    if mention.unit in ("s", "min", "h", "d") and DATA_OF_AFTER.match(after):
        return (Role.SETUP, "setup.data-amount")  # "10,000 hours of audio"
    if mention.unit in ("min", "h", "d") and _FOR_BEFORE.search(before, len(before) - _NEAR):
        return (
            Role.CONDITION,
            "condition.run-duration",
        )  # "we train the model for 3 days": how long it ran, not a result
    if _device_count(mention, after) or (
        mention.unit in ("KB", "MB", "GB", "TB") and HARDWARE_AFTER.match(after)
    ):
        # "8x A100 GPUs", "a single 24 GB consumer GPU"
        return (Role.SETUP, "setup.hardware-spec")
    if mention.unit in ("KB", "MB", "GB", "TB") and HARDWARE_WITH_BEFORE.search(before):
        # "an RTX 3090 GPU with 24GB memory": a hardware spec
        return (Role.SETUP, "setup.hardware-spec")
    if _motivation_share(doc, sentence, mention, after):
        return (Role.SETUP, "setup.motivation-share")
    if mention.unit in ("KB", "MB", "GB", "TB") and _EXTRA_RESOURCE_BEFORE.search(
        before, len(before) - _NEAR
    ):
        return (
            Role.CONDITION,
            "condition.extra-resource",
        )  # "with additional 512MB memories": a setting of the run
    if mention.unit == "%" and _THRESHOLD_BEFORE_SHARE.search(before):
        return (
            Role.RESULT,
            "result.share-within-threshold",
        )  # "answers within 500 ms in more than 60% of turns": the share
    if (
        mention.unit == "%"
        and SHARE_OF_DATA_AFTER.match(after)
        and not CHANGE_RIGHT_BEFORE.search(before, len(before) - _NEAR)
    ):
        # "using only 10% of the training data", "pruning 50% of heads"
        return (Role.CONDITION, "condition.data-share")
    if (
        mention.unit == "%"
        and SHARE_NOUN_AFTER.match(after)
        and not _change_after(after)
        and not CHANGE_RIGHT_BEFORE.search(before, len(before) - _NEAR)
    ):
        # "keeping only 2% salient channels": a share the method keeps
        return (Role.CONDITION, "condition.kept-share")
    if is_requirement(text, sentence, mention):
        return (Role.CONDITION, "condition.requirement")
    if after.lstrip().startswith(")") and _BASELINE_VALUE_BEFORE.search(before):
        return (Role.CONDITION, "condition.baseline-own-value")
    if (tail == "." or tail.isalpha()) and _BRACKET_VALUE_RIGHT_BEFORE.search(
        before, len(before) - _NEAR
    ):
        return (Role.CONDITION, "condition.baseline-bracket-value")  # "(vs. 12 ms for vLLM)"
    if tail.isalpha() and _BASELINE_VALUE_RIGHT_BEFORE.search(before, len(before) - _NEAR):
        return (
            Role.CONDITION,
            "condition.baseline-value",
        )  # "in 7.5 minutes instead of 2 hours", "down from 45 ms"
    if tail == "f" and _PRIOR_BEST_OF.search(before, len(before) - _NEAR):
        return (
            Role.CONDITION,
            "condition.prior-best",
        )  # "surpassing the previous best of 52%": the baseline's level
    if mention.unit in ("us", "ms", "s", "min") and (
        ("%" in before and _SHARE_WITHIN.search(before)) or _SHARE_AFTER_THRESHOLD.match(after)
    ):
        # "95% of queries within 100 ms", "within 500 ms in over 60% of turns": the bound the
        # share is within
        return (Role.CONDITION, "condition.threshold-of-share")
    if mention.unit not in ("x", "pp") and not _change_after(after) and _configured(before, after):
        return (Role.CONDITION, "condition.configured")
    return (Role.RESULT, "result.plain")


def _unitless_result(
    doc: Document, sentence: Sentence, mention: Mention, before: str, after: str
) -> bool:
    """A bare number is a result only as a ratio ("3.9 higher") or a score ("F1 of 0.9")."""
    if mention.form != "numeral" or mention.power:
        return False
    if "factor" in before and _FACTOR_OF_BEFORE.search(before, len(before) - _NEAR):
        return True  # "by a factor of 2.5"
    score_after = _SCORE_WORD_AFTER.match(after)
    if score_after is not None and (
        UNITLESS_SCORES.fullmatch(score := score_after.group("score"))
        or PERCENT_SCORES.fullmatch(score)
    ):
        return True  # "45.2 mAP on COCO", "1.4 BLEU higher than the baseline", "2.9/6.1 WER"
    if _COMPARATIVE_AFTER.match(after):
        # "3.9 higher throughput"; "only 0.12 worse than exact attention" after a perplexity.
        phrase = doc.text[mention.end : min(sentence.end, mention.end + 50)]
        earlier = doc.text[sentence.start : mention.start]
        return METRICS.regex.search(phrase) is not None or bool(UNITLESS_SCORES.search(earlier))
    if mention.from_span is not None or _SCORE_BEFORE.search(before, len(before) - 16):
        # "F1 of 0.92"; for "hit ratio from 0.14 to 0.35" the metric may be a clause back.
        clause = doc.text[sentence.start : mention.start] if mention.from_span else before[-60:]
        adjacent = _ADJACENT_SCORE_BEFORE.search(before, len(before) - _NEAR)
        if UNITLESS_SCORES.search(clause) and (mention.decimal or mention.from_span or adjacent):
            # "F1 of 0.92 on SQuAD", not "a rank of 16 adapters": no noun right after the value
            return not re.match(r"^\s*[A-Za-z]", after) or bool(_FUNCTION_WORD_AFTER.match(after))
    if _dropped_factor(doc.text, sentence, mention, before):
        return True
    if (
        mention.decimal
        and "(" in before[-16:]
        and _PAREN_AROUND.search(before, len(before) - _NEAR)
        and after.lstrip().startswith(")")
    ):
        earlier = doc.text[sentence.start : mention.start]
        return UNITLESS_SCORES.search(earlier) is not None
    return False


# Categories whose change a bare factor can state ("reduces the training time by up to 2.2").
_FACTOR_CATEGORIES = frozenset(
    {"speedup", "latency", "throughput", "memory", "cost", "energy", "bandwidth"}
)
_SPEEDUP_BEFORE = re.compile(rf"\bspeed-?ups?\s+(?:of\s+)?(?:(?:{ANY_BOUND_WORDS})\s*)?$", re.I)
_SPEEDUP_AFTER = re.compile(r"\s+speed-?ups?\b", re.I)


def _dropped_factor(text: str, sentence: Sentence, mention: Mention, before: str) -> bool:
    """ "a speedup of up to 2.73", "1.14-14.3 speedups", "reduces the training time by up to
    2.2": a factor whose "x" the page dropped (a decimal or a range, so no count of items)."""
    if mention.value < 1 or not (mention.decimal or mention.value_max is not None):
        return False
    if _SPEEDUP_BEFORE.search(before, len(before) - _NEAR) or _SPEEDUP_AFTER.match(
        text, mention.end
    ):
        return True
    if not _BY_BEFORE.search(before, len(before) - _NEAR):
        return False
    clause = text[max(sentence.start, text.rfind(";", 0, mention.start) + 1) : mention.start]
    if UNITLESS_SCORES.search(clause) or PERCENT_SCORES.search(clause):
        return False
    metrics = METRICS.finditer(clause)
    return bool(CHANGES.finditer(clause)) and any(
        cue.section in _FACTOR_CATEGORIES for cue in metrics[-1:]
    )


def _repetition_count(text: str, mention: Mention, before: str) -> bool:
    """ "washed five times and": "N times" with no change or metric word in its clause and
    none after it counts repetitions ("five times faster", "speedup of 5 times" are ratios)."""
    if not text[mention.start : mention.end].lower().endswith("times"):
        return False
    if not REPETITION_AFTER.match(text, mention.end):
        return False
    clause = re.split(r"[,;:(]", before)[-1]
    return not CHANGES.finditer(clause) and METRICS.regex.search(clause) is None


def _fold_adjective(text: str, mention: Mention, after: str) -> bool:
    """ "double buffering": a fold adjective whose next word is no metric, change or determiner."""
    if not FOLD_ADJECTIVES.fullmatch(text, mention.start, mention.end):
        return False
    word = re.match(r"\s+([a-z][\w-]*)", after)
    return (
        word is not None
        and not FOLD_DETERMINER_AFTER.match(after)
        and not CHANGES.finditer(word.group(1))
        and METRICS.regex.match(word.group(1)) is None
    )


def _metric_nearby(text: str, sentence: Sentence, mention: Mention) -> bool:
    window = text[max(sentence.start, mention.start - 60) : min(sentence.end, mention.end + 50)]
    return METRICS.regex.search(window) is not None


def _change_after(after: str) -> bool:
    head = re.split(
        r"[,;:()]|(?<![\w-])(?:than|over|compared|with|while|and|on|for)(?![\w-])",
        after,
        maxsplit=1,
    )[0]
    return bool(CHANGES.finditer(head[:40]))


def _device_count(mention: Mention, after: str) -> bool:
    return mention.unit == "x" and re.match(r"\s*(?:[A-Z][\w-]*\d|[GCNT]PUs?\b)", after) is not None


def _motivation_share(doc: Document, sentence: Sentence, mention: Mention, after: str) -> bool:
    """ "Over 70% of user requests ..." before the paper says what it does: motivation."""
    return (
        mention.unit == "%"
        and _WITHIN_OF.match(after) is not None  # "% of ...": a share
        and not _change_after(after)
        and sentence.index < doc.contribution_sentence
    )


def is_requirement(text: str, sentence: Sentence, mention: Mention) -> bool:
    """ "while staying within latency constraints for > 90% of requests": held to, not achieved."""
    clause_start = max(
        sentence.start,
        text.rfind(",", sentence.start, mention.start) + 1,
        text.rfind(";", sentence.start, mention.start) + 1,
        text.rfind(" while ", sentence.start, mention.start) + 1,
    )
    clause = text[clause_start : mention.start]
    opening = re.match(r"\s*(?:while\s+|and\s+|by\s+|all\s+)*(\S+)", clause, re.I)
    if opening and REQUIREMENT_VERBS.fullmatch(opening.group(1)):
        return True
    # "maintaining model accuracy to within 99.99% of the baseline": a tolerance.
    return (
        mention.unit == "%"
        and re.search(r"\bwithin\s*$", clause, re.I) is not None
        and _WITHIN_OF.match(text, mention.end) is not None
        and TOLERANCE_VERBS.search(clause) is not None
    )


def _metric_word_at(text: str, position: int) -> bool:
    """ "95% SLO attainment", "a 90% cache hit rate": the setting's noun heads a metric."""
    word = _NEXT_WORDS.match(text, position)
    return word is not None and (
        METRICS.regex.match(word.group(1)) is not None
        or HIGHER_IS_BETTER.match(word.group(1)) is not None
        or LOWER_IS_BETTER.match(word.group(1)) is not None
    )


def _configured(before: str, after: str) -> bool:
    """A quantity that configures the setup: "a 25 MB cache", "at 100 MB", "timeout of 5 ms"."""
    noun = CONFIG_NOUN_AFTER.match(after)
    if noun is not None and not _metric_word_at(after, noun.end()):
        return True
    if CONFIG_NOUN_BEFORE.search(before, len(before) - _NEAR):
        return True
    preposition = _AT_ON_BEFORE.search(before, len(before) - _NEAR)
    return preposition is not None and RUN_VERB_BEFORE.search(before, len(before) - _NEAR) is None
