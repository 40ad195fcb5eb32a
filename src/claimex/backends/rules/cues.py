"""The lexicons compiled into matchers, once per process (the rules share these)."""

from __future__ import annotations

import re

from claimex.backends.rules.lexicon import (
    SectionMatcher,
    alternation,
    compile_phrases,
    load_lexicon,
)
from claimex.model import Category

_metrics = load_lexicon("metrics")
# One section per spec category, named by it, tried in this order where two match at one
# place: "memory bandwidth" (bandwidth) before "memory".
METRIC_SECTIONS = (
    *(Category.SPEEDUP, Category.LATENCY, Category.THROUGHPUT, Category.ACCURACY),
    *(Category.ENERGY, Category.BANDWIDTH, Category.MEMORY, Category.COST, Category.OTHER),
)
METRICS = SectionMatcher(
    {category.value: _metrics[category.value] for category in METRIC_SECTIONS},
    case_sensitive=False,
)
SIZE_CHANGES = compile_phrases(_metrics["size_changes"], case_sensitive=False)
_hints = load_lexicon("metric_hints")
COST_CHANGES = compile_phrases(_hints["cost_changes"], case_sensitive=False)
# A time written as hours of work is a job's cost; as seconds of waiting, a latency.
JOB_WORDS = compile_phrases(_hints["job_words"], case_sensitive=False)
# "% of (the) (GPU's) peak ...": the share's object is the hardware's peak.
PEAK_SHARE_AFTER = re.compile(
    rf"\s*of\s+(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+){{0,2}}?{alternation(_hints['peak_shares'])}",
    re.IGNORECASE,
)
# The change sections, in the order a match is tried; fields.py reads a change by its section.
CHANGE_SECTIONS = ("speedup", "slowdown", "increase", "decrease", "better", "worse")
_changes = load_lexicon("changes")
CHANGES = SectionMatcher({name: _changes[name] for name in CHANGE_SECTIONS}, case_sensitive=False)
LOWER_IS_BETTER = compile_phrases(load_lexicon("polarity")["lower_is_better"], case_sensitive=False)
HIGHER_IS_BETTER = compile_phrases(
    load_lexicon("polarity")["higher_is_better"], case_sensitive=False
)
LOWER_BETTER_CATEGORIES = frozenset(
    {Category.LATENCY, Category.MEMORY, Category.COST, Category.ENERGY, Category.BANDWIDTH}
)


def lower_is_better(metric: str, category: Category) -> bool:
    """Whether less of this metric is an improvement: its words decide, else its category.

    Shared by the rules' direction reading and the "times better" of the comparisons view.
    """
    if metric and HIGHER_IS_BETTER.search(metric):
        return False
    if metric and LOWER_IS_BETTER.search(metric):
        return True
    return category in LOWER_BETTER_CATEGORIES


UNITLESS_SCORES = compile_phrases(load_lexicon("scores")["unitless"], case_sensitive=False)
PERCENT_SCORES = compile_phrases(load_lexicon("scores")["percent_when_bare"], case_sensitive=False)

_bounds = load_lexicon("bounds")
_BOUND_SECTIONS = ("up_to", "at_least", "at_most", "approx")  # each a Bound value
# A bound word right before a number: "by up to 2x", "over +5.5%", "(>30 seconds)".
BOUND_BEFORE = re.compile(
    "|".join(f"(?P<{name}>{alternation(_bounds[name])})" for name in _BOUND_SECTIONS).join(
        ("(?:", r")\s*(?:an?\s+)?$")
    ),  # "less than a 0.2 drop"
    re.IGNORECASE,
)
BOUND_AFTER_AT_LEAST = re.compile(
    r"^\s*(?:\+(?!\w)|or\s+(?:more|higher|greater|above|better))", re.I
)
BOUND_AFTER_AT_MOST = re.compile(r"^\s*or\s+(?:less|lower|fewer|below)", re.I)
ANY_BOUND_WORDS = alternation(tuple(p for name in _BOUND_SECTIONS for p in _bounds[name]))
# A change verb right before a number: "saves 40% of GPU memory", "cuts up to 3x".
CHANGE_RIGHT_BEFORE = re.compile(
    rf"(?:{CHANGES.regex.pattern})\s+(?:{ANY_BOUND_WORDS}\s*)?\+?$", re.IGNORECASE
)

_comparisons = load_lexicon("comparisons")
COMPARE_AFTER = compile_phrases(_comparisons["after"], case_sensitive=False)
COMPARE_BEFORE = compile_phrases(_comparisons["before"], case_sensitive=False)
COMPARE_STOP = compile_phrases(_comparisons["stop"], case_sensitive=False)
COMPARE_EXAMPLES = compile_phrases(_comparisons["examples"], case_sensitive=False)
COMPARE_DROP = _comparisons["drop"]
NOT_BASELINES = compile_phrases(_comparisons["not_baselines"], case_sensitive=False)
COMPARE_OWNER = re.compile(
    rf"^(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+{alternation(_comparisons['owner'])}\s+"
    r"(?P<owner>[\w.+-]*[A-Z0-9][\w.+-]*)",
)
BASELINE_HEAD_NOUNS = compile_phrases(_comparisons["head_nouns"], case_sensitive=False)
BASELINE_GENERIC = compile_phrases(
    _comparisons["head_nouns"] + _comparisons["generic_words"], case_sensitive=False
)

_setup = load_lexicon("setup")
CONFIG_NOUN_AFTER = re.compile(
    rf"^\s*(?:(?!per\b)[\w-]+\s+)?{alternation(_setup['config_nouns'])}", re.IGNORECASE
)
CONFIG_NOUN_BEFORE = re.compile(
    rf"{alternation(_setup['config_nouns'] + _setup['hyperparameters'])}"
    rf"\s*(?:\(|of|is|was|are|were|=|:|set to)?\s*(?:{ANY_BOUND_WORDS})?\s*$",
    re.IGNORECASE,
)
DATA_OF_AFTER = re.compile(
    rf"^\s*of\s+(?:the\s+)?(?:[\w-]+\s+)?{alternation(_setup['data_nouns'])}", re.IGNORECASE
)
SHARE_OF_DATA_AFTER = re.compile(
    rf"^\s*of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){{0,3}}?"
    rf"{alternation(_setup['data_nouns'] + _setup['share_nouns'])}",
    re.IGNORECASE,
)
REQUIREMENT_VERBS = compile_phrases(_setup["requirement_verbs"], case_sensitive=False)
TOLERANCE_VERBS = compile_phrases(_setup["tolerance_verbs"], case_sensitive=False)
RUN_VERB_BEFORE = re.compile(rf"{alternation(_setup['run_verbs'])}\s+(?:at|on)\s+$", re.I)
CONTRIBUTION = compile_phrases(_setup["contribution"], case_sensitive=False)
EVALUATION_SETUP = compile_phrases(_setup["evaluation_setup"], case_sensitive=False)

_hardware = load_lexicon("hardware")
# "a single 24 GB consumer GPU": a quantity describing hardware is setup, not a result.
HARDWARE_AFTER = re.compile(
    r"^\s*(?!(?:on|with|using|for|per|in|at|across|of|and|or|to)\b)(?:[\w-]+\s+){0,2}?"
    rf"(?:{alternation(_hardware['families'])}|{alternation(_hardware['chips'])})(?![\w-])"
)

_not_claims = load_lexicon("not_claims")
# "an RTX 3090 GPU with 24GB memory": a memory size that a named piece of hardware comes with.
HARDWARE_WITH_BEFORE = re.compile(
    rf"(?:{alternation(_hardware['families'])}|{alternation(_hardware['chips'])})"
    rf"(?:\s+[\w-]+){{0,2}}?\s+{alternation(_not_claims['hardware_with'])}\s+(?:an?\s+|only\s+)?$"
)
REPETITION_AFTER = re.compile(
    rf"\s*(?:[,;.)]|$|{alternation(_not_claims['repetition_after'])})", re.IGNORECASE
)
MULTIPLE_OF_CONSTANT_AFTER = re.compile(
    rf"\s*{alternation(_not_claims['multiple_of_constant'])}(?![\w-])"
)
FOLD_ADJECTIVES = compile_phrases(_not_claims["fold_adjectives"], case_sensitive=False)
FOLD_DETERMINER_AFTER = re.compile(
    rf"\s+{alternation(_not_claims['fold_determiners'])}", re.IGNORECASE
)
# "keeping only 2% salient channels": a share of the model or data right before its noun.
SHARE_NOUN_AFTER = re.compile(
    rf"^\s*(?:[\w-]+\s+){{0,2}}?{alternation(_setup['share_nouns'])}", re.IGNORECASE
)

_systems = load_lexicon("systems")
INTRODUCERS = compile_phrases(_systems["introducers"], case_sensitive=False)
RESULT_VERBS = compile_phrases(_systems["result_verbs"], case_sensitive=False)
NOT_NAMES = frozenset(_systems["not_names"])
