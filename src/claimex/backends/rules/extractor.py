"""The rules extractor: mentions -> results -> fields -> baselines, names -> claims."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from pydantic import ValidationError

from claimex.backends.rules.comparisons import (
    Comparison,
    Frame,
    assign_baselines,
    evaluation_frame,
    find_comparisons,
    results_frame,
    share_baseline,
)
from claimex.backends.rules.cues import EVALUATION_SETUP
from claimex.backends.rules.document import Document
from claimex.backends.rules.entities import (
    Found,
    find_hardware,
    find_workloads,
    introduced_name,
    subject_before,
    title_name,
)
from claimex.backends.rules.evidence import clause_span, unique_span
from claimex.backends.rules.fields import Reading, adopt_metric, list_adjacent, read_fields
from claimex.backends.rules.mentions import Mention
from claimex.backends.rules.segments import Sentence
from claimex.backends.rules.setup_filter import Role, classify, is_requirement
from claimex.model import Category, Claim, Kind

_CONDITION_LEAD = re.compile(
    r"(?:^|\s)(?:with|at|within|under|for|on|in|using|given|over|than|from)\s+"
    r"(?:(?:an?|the)\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_BASELINE_LIST_GAP = re.compile(r"\s+for\s+[\w.+-]+(?:\s+[\w.+-]+)?\s*(?:,\s*and|,|and)\s+")
_VERB_AFTER = re.compile(r"\s+(?:can\s+)?[a-z]+s\b")  # "ViT-Tiny reaches": a subject
_OWN_SETTING = re.compile(r"\b(?:on|for)\s+(?!average\b|a\s+single\b)(?:the\s+)?[\w-]+")
_CONDITION_SHARE = re.compile(r"\s+of\s+(?:the\s+)?[\w-]+(?:\s+[a-z][\w-]*)?")
_CONDITION_TAIL = re.compile(
    r"(?:-[A-Za-z]+)?(?:\s+[a-z][\w-]*){0,2}?(?:\s+(?:cache|window|budget|"
    r"timeout|videos?|SLOs?|batch(?:es)?|context)\b)"
)


_ELLIPTIC_OBJECT = re.compile(r",?\s+and\s+[\w.+-]+(?:\s+[\w.+-]+)?\s+by\s+(?:up\s+to\s+)?")


@dataclass
class Extracted:
    """Claims from one abstract, and why any candidate was dropped."""

    claims: list[Claim]
    dropped: list[str]
    rules: list[list[str]]  # per claim, the ids of the rules that produced it
    skipped: list[tuple[str, str]]  # (number, rule id) for each number that is not a result


def extract_claims(abstract: str, title: str | None = None) -> Extracted:
    """All claims the rules find in one abstract (not yet grounded)."""
    doc = Document.parse(abstract, title)
    found = Extracted([], [], [], [])
    names = _known_names(doc)
    frame: Frame | None = None  # the comparison the sentence before set for this one
    for sentence in doc.sentences:
        earlier_sentences = list(found.claims)
        drafts = _sentence_claims(doc, sentence, names, found.skipped, frame)
        frame = _next_frame(doc, sentence, drafts)
        for draft, rules in drafts:
            try:
                claim = Claim.model_validate(draft)
            except ValidationError as exc:
                found.dropped.append(f"{draft['evidence']!r}: {exc.errors()[0]['msg']}")
                continue
            # A result repeated in a later sentence is one claim; "29x, 29x, and 3x" are three.
            if not any(_same_result(claim, kept) for kept in earlier_sentences):
                found.claims.append(claim)
                found.rules.append(rules)
    return found


def _next_frame(
    doc: Document, sentence: Sentence, drafts: list[tuple[dict[str, object], list[str]]]
) -> Frame | None:
    """The comparison this sentence sets for the next one's changes (see Frame)."""
    if not drafts:
        return evaluation_frame(doc.text, sentence.start, sentence.end)
    changes = [
        (list(draft["baselines"]), draft["system"])  # type: ignore[call-overload]
        for draft, _ in drafts
        if draft["kind"] is not Kind.ABSOLUTE
    ]
    return results_frame(changes)  # type: ignore[arg-type]


def _known_names(doc: Document) -> list[str]:
    """The paper's own system, first the name the abstract uses for it.

    The title's name ("DistServe: ...") when the abstract writes it too, else the name
    the abstract introduces ("we propose X"), else the title's name anyway.
    """
    titled = title_name(doc.title)
    if titled and titled.lower() in doc.text.lower():
        return [titled]
    introduced = next(
        (
            name
            for sentence in doc.sentences
            if (name := introduced_name(doc.text, sentence.start, sentence.end))
        ),
        None,
    )
    return [name for name in (introduced, titled) if name]


def _same_result(a: Claim, b: Claim) -> bool:
    """The same result repeated in the abstract is one claim (claim-spec "Splitting rules")."""
    return (
        a.value == b.value
        and a.value_max == b.value_max
        and a.unit == b.unit
        and a.kind is b.kind
        and a.category is b.category
        and a.direction == b.direction
        and a.condition == b.condition
    )


def _sentence_claims(
    doc: Document,
    sentence: Sentence,
    names: list[str],
    skipped: list[tuple[str, str]],
    frame: Frame | None = None,
) -> list[tuple[dict[str, object], list[str]]]:
    """Claim fields for each result in one sentence, with the ids of the rules behind them.

    Numbers that are not results go to skipped with the id of the rule that said so.
    """
    text = doc.text
    mentions = doc.mentions_in(sentence)
    if not mentions:
        return []  # most sentences write no number
    decisions = _roles(doc, sentence, mentions)
    roles = [role for role, _ in decisions]
    role_rule = {id(m): rule for m, (_, rule) in zip(mentions, decisions, strict=True)}
    skipped.extend(
        (text[m.start : m.end], rule)
        for m, (role, rule) in zip(mentions, decisions, strict=True)
        if role is not Role.RESULT
    )
    results = [m for m, role in zip(mentions, roles, strict=True) if role is Role.RESULT]
    if not results:
        return []
    readings = _readings(text, sentence, results)
    stops = [
        m.start
        for m, role in zip(mentions, roles, strict=True)
        if role is Role.RESULT or (m.unit and not m.name_part)
    ]
    comparisons = find_comparisons(text, sentence.start, sentence.end, readings, stops)
    baselines = assign_baselines(text, readings, comparisons)
    hardware, workload_of = _measured_on(doc, sentence, readings, mentions, comparisons, names)
    respective_hw = _respective(text, sentence, readings, hardware)
    conditions = [
        (m, _condition_text(text, sentence, m), role_rule[id(m)])
        for m, role in zip(mentions, roles, strict=True)
        if role is Role.CONDITION
    ]
    drafts = []
    for index, reading in enumerate(readings):
        m = reading.mention
        start, end = unique_span(
            doc.original, sentence, clause_span(text, sentence, reading.start, reading.end)
        )
        own_baseline = share_baseline(text, reading)
        system = subject_before(text, sentence.start, reading.end, names)
        condition, condition_rules = _condition(text, reading, readings, conditions, comparisons)
        claimed_by = system or (names[0] if names else None)
        chosen = own_baseline or baselines[index].names
        framed = not chosen and frame is not None and frame.covers(comparisons, reading, claimed_by)
        if framed and frame is not None:
            chosen = list(frame.names)
        rules = [
            f"number.{m.form}",
            role_rule[id(m)],
            *m.rules,
            *reading.rules,
            *(["baseline.named-factor"] if own_baseline else []),
            *(baselines[index].rules if not own_baseline and baselines[index].names else ()),
            *([frame.rule] if framed and frame is not None else []),
            "system.subject" if system else "system.paper",
            *condition_rules,
        ]
        drafts.append(
            (
                {
                    "metric": reading.metric,
                    "category": reading.category,
                    "kind": reading.kind,
                    "value": m.value,
                    "value_max": m.value_max,
                    "bound": reading.bound,
                    "unit": reading.unit,
                    "direction": reading.direction,
                    # "1.5 times the sample efficiency of PPO" names its own baseline
                    "baselines": chosen,
                    "system": claimed_by,
                    "hardware": respective_hw[index]
                    if respective_hw and reading.category is not Category.ACCURACY
                    else _hardware(reading, hardware),
                    "workload": workload_of[index],
                    "condition": condition,
                    "evidence": doc.original[start:end],
                },
                list(dict.fromkeys(rules)),
            )
        )
    return drafts


def _roles(doc: Document, sentence: Sentence, mentions: list[Mention]) -> list[tuple[Role, str]]:
    roles = [classify(doc, sentence, m) for m in mentions]
    for index in range(1, len(mentions)):
        # "compared to 60 ms for Cubic and 20 ms for BBR": the list of baseline values goes on.
        gap = doc.text[mentions[index - 1].end : mentions[index].start]
        if roles[index - 1][0] is Role.CONDITION and _BASELINE_LIST_GAP.fullmatch(gap):
            roles[index] = (Role.CONDITION, "condition.baseline-value-list")
    return roles


def _measured_on(
    doc: Document,
    sentence: Sentence,
    readings: list[Reading],
    mentions: list[Mention],
    comparisons: list[Comparison],
    names: list[str],
) -> tuple[list[Found], list[str | None]]:
    """Hardware named in the sentence, and each result's workload.

    Names inside a comparison ("faster than a Jetson Xavier NX") are the baseline's, and a
    model that is the subject of a verb ("ViT-Tiny reaches ...") is the system, not the
    workload. With none in the sentence, an evaluation-setup sentence just before counts.
    """
    text = doc.text
    compared = [(c.start, c.end) for c in comparisons]
    unit_spans = [(m.start, m.end) for m in mentions if m.unit and not m.name_part]
    hardware = find_hardware(text, sentence.start, sentence.end, unit_spans + compared)
    workloads = [
        w
        for w in find_workloads(text, sentence.start, sentence.end, compared)
        if w.text not in names and not _VERB_AFTER.match(text, w.end)
    ]
    setup = _setup_sentence(doc, sentence)
    if not hardware and setup is not None:
        hardware = find_hardware(text, setup.start, setup.end, [])[:1]
    workload_of = _workloads(
        text, sentence, readings, workloads, lambda: _previous_workloads(doc, sentence)
    )
    if not workloads and setup is not None and not any(workload_of):
        named = [w.text for w in find_workloads(text, setup.start, setup.end, [])]
        if 0 < len(named) <= 3:
            workload_of = [_joined(named)] * len(readings)
    return hardware, workload_of


def _readings(text: str, sentence: Sentence, results: list[Mention]) -> list[Reading]:
    """One reading per result; members of a slash group share the group's span and fields."""
    readings: list[Reading] = []
    index = 0
    while index < len(results):
        group = [results[index]]
        while (
            group[0].slash is not None
            and index + len(group) < len(results)
            and results[index + len(group)].slash is not None
            and results[index + len(group)].slash[0] == group[0].slash[0]  # type: ignore[index]
        ):
            group.append(results[index + len(group)])
        window_start = readings[-1].end if readings else sentence.start
        first = read_fields(
            text,
            sentence.start,
            sentence.end,
            window_start,
            Reading(group[0].start, group[-1].end, group[0]),
            readings,
        )
        readings.append(first)
        for member in group[1:]:
            twin = Reading(**{**first.__dict__, "mention": member})
            twin.direction = first.direction
            readings.append(twin)
        index += len(group)
    for reading, following in reversed(list(pairwise(readings))):
        if (
            reading.guessed
            and not following.guessed
            and reading.mention.unit == following.mention.unit
            and (
                list_adjacent(between := text[reading.end : following.start])
                or _ELLIPTIC_OBJECT.fullmatch(between) is not None  # "A by 12% and B by 30% in X"
            )
        ):
            adopt_metric(reading, following, text)
    return readings


def _respective(
    text: str, sentence: Sentence, readings: list[Reading], found: list[Found]
) -> list[str]:
    """ "2x and 3x on A and B, respectively": each result's name by position, else []."""
    last_end = readings[-1].end
    respectively = text.find("respectively", last_end, sentence.end)
    trailing = [f.text for f in found if last_end <= f.start < respectively]
    return trailing if respectively >= 0 and len(trailing) == len(readings) else []


def _hardware(reading: Reading, hardware: list[Found]) -> str | None:
    """The hardware named after the result in its sentence, else before it; none for accuracy."""
    if reading.category is Category.ACCURACY or not hardware:
        return None
    following = [h for h in hardware if h.start >= reading.end]
    preceding = [h for h in hardware if h.end <= reading.start]
    chosen = following[0] if following else (preceding[-1] if preceding else None)
    return chosen.text if chosen else None


def _setup_sentence(doc: Document, sentence: Sentence) -> Sentence | None:
    """The sentence before, if it sets up the evaluation whose results this sentence gives."""
    if sentence.index == 0:
        return None
    before = doc.sentences[sentence.index - 1]
    return before if EVALUATION_SETUP.search(doc.text, before.start, before.end) else None


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _previous_workloads(doc: Document, sentence: Sentence) -> list[Found]:
    if sentence.index == 0:
        return []
    before = doc.sentences[sentence.index - 1]
    return find_workloads(doc.text, before.start, before.end, [])


def _workloads(
    text: str,
    sentence: Sentence,
    readings: list[Reading],
    workloads: list[Found],
    previous_sentence: Callable[[], list[Found]],
) -> list[str | None]:
    """The model or dataset each result was measured on ("... on CIFAR-10, ..., respectively")."""
    last_end = readings[-1].end
    respectively = text.find("respectively", last_end, sentence.end)
    if respectively >= 0 and len(readings) > 1:
        trailing = _respective(text, sentence, readings, workloads)
        if trailing:
            return list(trailing)  # "on CIFAR-10, CIFAR-100 and ImageNet, respectively"
        # "Experiments on A and B show ... 5.1% and 5.5%, respectively"; with none in the
        # sentence, "We evaluate on A, B and C. ... respectively"
        leading = [w for w in workloads if w.end <= readings[0].start]
        before = leading if workloads else previous_sentence()
        if len(before) == len(readings):
            return [w.text for w in before]
    first_start = readings[0].start
    chosen: list[str | None] = []
    for reading in readings:
        others = [r for r in readings if r is not reading]
        clause_end = clause_span(text, sentence, reading.start, reading.end)[1]
        following = [
            w
            for w in workloads
            if reading.end <= w.start < clause_end
            and not any(reading.end <= r.start < w.start for r in others)
        ]
        # "2.4x speedup on long-range arena": its own setting, even if no lexicon knows it.
        own_setting = _OWN_SETTING.search(text, reading.end, clause_end) is not None
        preceding = [
            w
            for w in workloads
            if w.end <= reading.start
            and (
                w.end <= first_start
                or not (own_setting or any(w.end <= r.start < reading.start for r in others))
            )
        ]
        pick = following[0] if following else (preceding[-1] if preceding else None)
        chosen.append(pick.text if pick else None)
    return chosen


def _condition_text(text: str, sentence: Sentence, mention: Mention) -> str:
    """The words that make a number a condition: "with a 25 MB cache", "at 100 MB"."""
    if is_requirement(text, sentence, mention):
        start, end = clause_span(text, sentence, mention.start, mention.end)
        return re.sub(r"^(?:while|and)\s+", "", text[start:end], flags=re.IGNORECASE)
    lead = _CONDITION_LEAD.search(text, max(sentence.start, mention.start - 40), mention.start)
    start = lead.start() if lead else mention.start
    tail = _CONDITION_TAIL.match(text, mention.end) or _CONDITION_SHARE.match(text, mention.end)
    end = tail.end() if tail else mention.end
    return text[start:end].strip()


def _condition(
    text: str,
    reading: Reading,
    readings: list[Reading],
    conditions: list[tuple[Mention, str, str]],
    comparisons: list[Comparison],
) -> tuple[str | None, list[str]]:
    """Conditions in the result's part of the sentence, "from A" of "from A to B", "on average",
    and the ids of the rules that put them there."""
    parts: list[str] = []
    rules: list[str] = []
    for mention, words, rule in conditions:
        if _same_part(text, reading, mention) and _belongs(reading, readings, mention, comparisons):
            parts.append(words)
            rules.append(rule)
    if reading.mention.from_span is not None:
        start, end = reading.mention.from_span
        parts.append(f"from {text[start:end]}")
        rules.append("condition.from-level")
    if reading.mention.spread is not None:
        start, end = reading.mention.spread
        parts.append(" ".join(text[start:end].split()))  # "± 0.3%": the value's spread
        rules.append("condition.plus-minus")
    if re.search(r"\bon average\b", text[reading.end : reading.after_end + 12], re.IGNORECASE):
        parts.append("on average")
        rules.append("condition.on-average")
    return "; ".join(dict.fromkeys(parts)) or None, rules


def _same_part(text: str, reading: Reading, mention: Mention) -> bool:
    low, high = sorted((reading.start, mention.start))
    return ";" not in text[low:high]


def _belongs(
    reading: Reading, readings: list[Reading], mention: Mention, comparisons: list[Comparison]
) -> bool:
    """A baseline's value in brackets belongs to the result right before it; others to all."""
    inside = any(c.start <= mention.start <= c.end + 2 for c in comparisons)
    if not inside:
        return True
    before = [r for r in readings if r.end <= mention.start]
    return bool(before) and before[-1] is reading
