"""Sentences that show why a branch of the rules exists.

bench/dead_branches.py forces each `if` of the rules backend false in turn; these are
the branches that no other test and no claim of the in-sample corpora needed. Each
test is a sentence written for this, whose claims change without the branch.
"""

from __future__ import annotations

from claimex.backends.rules import extract_claims
from claimex.model import Bound, Category, Claim


def claims(text: str, title: str | None = None) -> list[Claim]:
    return extract_claims(text, title).claims


def only(text: str, title: str | None = None) -> Claim:
    (claim,) = claims(text, title)
    return claim


# -- baselines (comparisons.py)


def test_rather_than_names_no_baseline() -> None:
    assert only("Latency drops by 40% using caching rather than Recompute.").baselines == []


def test_names_in_brackets_replace_only_a_generic_baseline() -> None:
    assert only("FooServe is 2x faster than vLLM (PagedAttention).").baselines == ["vLLM"]


def test_a_lowercase_list_before_respectively_is_split_over_the_values() -> None:
    found = claims(
        "It cuts latency by 20%, 30% and 40% compared to orca, vllm, and sglang, respectively."
    )
    assert [c.baselines for c in found] == [["orca"], ["vllm"], ["sglang"]]


def test_examples_after_a_comma_are_the_baselines() -> None:
    claim = only("FooServe is 2x faster than existing systems, such as Orca and vLLM.")
    assert claim.baselines == ["Orca", "vLLM"]


def test_a_level_in_gigabytes_of_a_teacher_is_no_share_of_it() -> None:
    assert only("The student uses 2 GB of the teacher's memory.").baselines == []


# -- sentences, names and evidence


def test_an_em_dash_separates_clauses() -> None:
    found = claims("FooServe cuts latency by 20%—and memory by 30%.")
    assert [(c.value, c.category) for c in found] == [
        (20.0, Category.LATENCY),
        (30.0, Category.MEMORY),
    ]


def test_a_title_head_of_more_than_four_words_is_no_system_name() -> None:
    claim = only("It cuts latency by 20%.", "Fast Efficient Scalable LLM Serving Engine: A Study")
    assert claim.system is None


def test_a_capitalised_introduced_name_is_the_system() -> None:
    claim = only("We propose Janus, a scalable serving system. It cuts latency by 20%.")
    assert claim.system == "Janus"


def test_an_introduced_name_keeps_its_capitalised_words_and_head_noun() -> None:
    claim = only("We present TwinNet Edge framework for serving. It cuts latency by 20%.")
    assert claim.system == "TwinNet Edge framework"


def test_a_bracket_opening_the_clause_is_not_evidence() -> None:
    claim = only("We test it. (Latency drops by 20%; memory is flat) in all runs.")
    assert claim.evidence == "Latency drops by 20%"


def test_evidence_written_twice_is_the_whole_sentence() -> None:
    text = "On A100, it cuts latency by 20%; on H100, it cuts latency by 20%."
    assert [c.evidence for c in claims(text)] == [text, text]


def test_the_first_sentence_takes_no_setup_from_the_last() -> None:
    claim = only("FooServe cuts latency by 20%. We evaluate it on 8 A100 GPUs.")
    assert claim.hardware is None


def test_the_first_sentence_takes_no_workloads_from_the_last() -> None:
    text = "It cuts latency by 20% and 30%, respectively. We evaluate on ImageNet and COCO."
    assert [c.workload for c in claims(text)] == [None, None]


# -- category and bound (fields.py)


def test_energy_per_item_and_per_watt_are_energy() -> None:
    assert only("The chip draws 5 mJ/frame.").category is Category.ENERGY
    assert only("The accelerator delivers 12 GOPS/W.").category is Category.ENERGY


def test_gigabytes_of_bandwidth_are_bandwidth() -> None:
    assert only("The link sustains 40 GB of bandwidth.").category is Category.BANDWIDTH


def test_or_less_after_a_value_is_an_upper_bound() -> None:
    assert only("It needs 2 GB or lower memory.").bound is Bound.AT_MOST
