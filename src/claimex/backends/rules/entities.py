"""System, hardware and workload: names found around a result, from lexicons and patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimex.backends.rules.cues import BASELINE_HEAD_NOUNS, INTRODUCERS, NOT_NAMES, RESULT_VERBS
from claimex.backends.rules.lexicon import alternation, load_lexicon

_hardware = load_lexicon("hardware")
_workloads = load_lexicon("workloads")
_systems = load_lexicon("systems")
_counts = tuple(w for w in load_lexicon("textual")["cardinals"] if "hundred" not in w)
_COUNT = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{alternation(_counts)}|single|multiple)\s+"
_QUALIFIERS = rf"(?:{alternation(_hardware['qualifiers'])}\s+)"
_DEVICE = alternation(_hardware["devices"])
# "per GPU", "number of GPUs": no hardware after these words (one fixed-width look-behind each).
_NOT_AFTER = "".join(f"(?<!{re.escape(words)} )" for words in _hardware["not_after"])
# What may follow a family name: "A100-80GB", "Snapdragon 8 Gen 2", "Xavier NX", "Orin AGX".
_MODEL_SUFFIX = (
    r"(?:[\s-](?:Gen\s?\d+|\d+(?:GB)?|Pro|Max|Ultra|Plus|Mini|Nano|NX|AGX|SXM\d?|PCIe|Ti))*"
)
# "8 A100 GPUs", "a single H100", "384 GCDs", "ordinary consumer CPUs", "GPU" (a chip alone).
_HARDWARE_RE = re.compile(
    r"(?<![\w-])" + _NOT_AFTER + "(?:"
    rf"(?:{_COUNT})?{_QUALIFIERS}{{0,3}}{alternation(_hardware['families'], open_end=True)}"
    rf"{_MODEL_SUFFIX}(?:\s+{_DEVICE})?"
    rf"|{_COUNT}{_QUALIFIERS}{{0,3}}{_DEVICE}"
    rf"|{_QUALIFIERS}{{1,3}}{_DEVICE}"
    rf"|{alternation(_hardware['chips'])}(?!\s+{alternation(_hardware['not_before'])}\b)"
    r")(?![\w-])(?!\s+(?:clusters?|hours?|memory|kernels?)\b)",  # "two GPU clusters"
)
_SIZE = r"\d+(?:\.\d+)?[BMK]"
# A version and size after a family name: "2-70B", "-7B", "3.2-1B", "V2", "v3", "-103".
_VERSION = (
    r"(?:[-\s]?[vV]?\d(?:[\w.]*\w)?(?:-[\w.]*\w)*)?"
    r"(?:-(?:large|base|small|tiny|mini|medium|huge|xl|xxl|Large|Base|Small|Tiny|XL|XXL))?"
)
_WORKLOAD_RE = re.compile(
    rf"(?<![\w-])(?:{_SIZE}(?:-parameter)?\s+{alternation(_workloads['model_families'])}\s+models?"
    rf"|{alternation(_workloads['model_families'], open_end=True)}{_VERSION}"
    rf"(?:\s+{alternation(_workloads['model_suffixes'])})?"
    rf"|{_SIZE}-(?:parameter|scale)\s+models?"
    rf"|{alternation(_workloads['datasets'], open_end=True)}{_VERSION}"
    rf"(?:\s+{alternation(_workloads['dataset_suffixes'])})?"
    r")(?![\w-])",
)
# Cheap first tests: the words every hardware or workload match must contain.
_HARDWARE_HINT = re.compile(
    alternation(_hardware["families"] + _hardware["devices"] + _hardware["chips"], open_end=True)
)
_WORKLOAD_HINT = re.compile(
    alternation(_workloads["model_families"] + _workloads["datasets"], open_end=True)
    + rf"|{_SIZE}-(?:parameter|scale)"
)
_NAME_TOKEN = r"[A-Za-z][\w+.-]*"
# A token that reads as a name: inner capitals or digits ("DistServe", "GH200", "semi-PD"),
# or a dotted lowercase name ("llm.npu").
_NAME_LIKE = re.compile(
    r"^(?=.*[A-Za-z])(?:.+[A-Z0-9+].*|[A-Z]{2,}s?|[a-z][a-z0-9]+\.[a-z][a-z0-9]+)$"
)
_SUBJECT_RE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME_TOKEN})(?=\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+))",
)
_PRIOR_WORK_RE = re.compile(
    rf"\b{alternation(_systems['prior_work'])}\s+(?P<what>[\w-]+(?:\s+[\w-]+){{0,2}}?\s+"
    r"(?:systems?|methods?|approaches|algorithms?|models?|solutions?|frameworks?|networks?))\b",
    re.IGNORECASE,
)
_PART_CLAUSE = re.compile(r"\b(?:that|which|who|to|by|with|using|integrating)\b")
_APPOSITIVE_NAME = re.compile(
    r"\b(?:[Oo]ur|[Tt]he\s+proposed)\s+(?:[\w-]+\s+){0,2}?"
    rf"{alternation(_systems['own_heads'])},\s+(?P<name>{_NAME_TOKEN}),"
)
_INTRO_SKIP = frozenset({"a", "an", "the", "novel", "new", "here", "simple"})
# The name introduced comes before the clause goes on ("... for ZeRO++ to reduce").
_INTRO_CLAUSE_END = re.compile(r",|\b(?:for|to|of|with|that|which|by|on|in|from)\b")
_OBJECT_BEFORE = re.compile(r"\b(?:on|for|with|using|than|over|to|of|in|from|by)\s+$", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_EXTENSION = re.compile(r"((?:\s+[A-Z][\w-]*)*)(\s+[a-z]+)?")  # every part optional: it matches
_TITLE_CUT = re.compile(
    r"\s+(?:for|with|via|on|in|of|and|from|to|is|are|at|by|towards?|through|using|under)\s.*$",
)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str


def find_hardware(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[Found]:
    """Hardware as written ("8 A100 GPUs", "single A100 GPU"), outside the skipped spans."""
    if _HARDWARE_HINT.search(text, start, end) is None:
        return []  # most sentences name no hardware; the full pattern is slow to rule that out
    return _found(_HARDWARE_RE, text, start, end, skip)


def find_workloads(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[Found]:
    """Models and datasets ("Llama 2-70B", "20B GPT model", "ImageNet"), outside skipped spans."""
    if _WORKLOAD_HINT.search(text, start, end) is None:
        return []
    return _found(_WORKLOAD_RE, text, start, end, skip)


def _found(
    regex: re.Pattern[str],
    text: str,
    start: int,
    end: int,
    skip: list[tuple[int, int]],
) -> list[Found]:
    """Matches outside the skipped spans, as written but without a leading article."""
    found = []
    for match in regex.finditer(text, start, end):
        if any(s < match.end() and match.start() < e for s, e in skip):
            continue
        written = _ARTICLE.sub("", match.group())
        found.append(Found(match.start(), match.end(), written))
    return found


def is_name_like(token: str) -> bool:
    return bool(_NAME_LIKE.match(token)) and token not in NOT_NAMES


def _names_something(words: list[str]) -> bool:
    """ "Stream RAG", "Streaming DiLoCo": a phrase with one name-like word names a system."""
    if len(words) == 1:
        return is_name_like(words[0])
    return any(_NAME_LIKE.match(word) for word in words)


def title_name(title: str | None) -> str | None:
    """The system a title names before its colon ("DistServe: ..."), if it reads as a name."""
    if not title or ":" not in title:
        return None
    head = _TITLE_CUT.sub("", title.split(":", 1)[0].strip())
    words = head.split()
    if not words or len(words) > 4:
        return None
    if len(words) == 1 and words[0][:1].isupper():
        return words[0]
    return head if _names_something(words) else None


def introduced_name(text: str, start: int, end: int) -> str | None:
    """The name a sentence gives the paper's method ("we propose Janus, ...", "(Streaming RAG)",
    "Our approach, Janus, ...")."""
    appositive = _APPOSITIVE_NAME.search(text, start, end)
    if appositive is not None and (
        is_name_like(name := appositive.group("name"))
        or (name[:1].isupper() and name not in NOT_NAMES)
    ):
        return appositive.group("name")
    for cue in INTRODUCERS.finditer(text, start, end):
        window = text[cue.end() : min(end, cue.end() + 120)]
        clause = _INTRO_CLAUSE_END.split(window, 1)[0]
        # "we propose X (XS)"; not "an approach that integrates attention (MoChA)", a part.
        paren = re.search(r"\(([^()]{2,30})\)", _PART_CLAUSE.split(window.split(",", 1)[0], 1)[0])
        if paren and _names_something(paren.group(1).split()):
            return paren.group(1).strip()
        words = [w.strip(",.:;()") for w in clause.split()]
        first = next((w for w in words if w.lower() not in _INTRO_SKIP), "")
        if first[:1].isupper() and first not in NOT_NAMES:
            return _extend(first, window)  # "we propose Janus, a scalable MoE inference system"
        for token in words[:10]:
            if is_name_like(token):
                return _extend(token, window)
    return None


def _extend(name: str, window: str) -> str:
    """ "6G-enabled Digital Twin framework": a name with its capitalised words and head noun."""
    after = window[window.find(name) + len(name) :]
    extra = _EXTENSION.match(after)
    assert extra is not None
    words = extra.group(1) or ""
    head = extra.group(2) or ""
    if words and head and BASELINE_HEAD_NOUNS.fullmatch(head.strip()):
        return name + words + head
    return name + words if words else name


@lru_cache(maxsize=1 << 16)
def _is_result_verb(word: str) -> bool:
    """Asked for every word of a sentence before a result: remembered per word."""
    return RESULT_VERBS.fullmatch(word) is not None


def subject_before(text: str, start: int, end: int, known: list[str]) -> str | None:
    """The name right before a result verb in text[start:end] ("DistServe can serve 4.48x")."""
    subject = None
    for match in _SUBJECT_RE.finditer(text, start, end):
        if not _is_result_verb(match.group("verb")) or _OBJECT_BEFORE.search(
            text, max(start, match.start() - 8), match.start()
        ):
            continue  # "Experiments on Llama-2-13B show": a model run on, not the subject
        name = match.group("name").rstrip(".,")
        for candidate in known:
            if name == candidate or name.rstrip("s") == candidate:
                subject = candidate
                break
        else:
            if is_name_like(name) or (name[:1].isupper() and name not in NOT_NAMES):
                subject = name
    if subject is None:
        prior = _PRIOR_WORK_RE.search(text, start, end)
        if prior is not None:
            return prior.group("what")
    return subject
