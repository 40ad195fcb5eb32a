"""The hand labels in eval/ are valid: every claim follows the contract and is
grounded in its abstract, and gold and papers cover the same papers one to one."""

from __future__ import annotations

import json

from claimex.evaluate import evaluate
from claimex.model import Claim
from claimex.numbers import value_in_text
from eval_support import GOLD, PAPERS, repo_gold


def _gold_lines() -> list[tuple[int, dict[str, object]]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [(n, json.loads(line)) for n, line in enumerate(lines, start=1) if line.strip()]


def test_every_gold_claim_parses_with_the_claim_model() -> None:
    for number, row in _gold_lines():
        assert set(row) == {"paper_id", "claims"}, f"gold.jsonl:{number}"
        assert isinstance(row["claims"], list), f"gold.jsonl:{number}"
        for item in row["claims"]:
            Claim.model_validate(item)


def test_gold_and_papers_ids_match_one_to_one() -> None:
    gold_ids = [str(row["paper_id"]) for _, row in _gold_lines()]
    paper_ids = [json.loads(line)["id"] for line in PAPERS.read_text().splitlines() if line.strip()]
    assert len(gold_ids) == len(set(gold_ids)), "a paper_id appears twice in gold.jsonl"
    assert len(paper_ids) == len(set(paper_ids)), "an id appears twice in papers.jsonl"
    assert set(gold_ids) == set(paper_ids)
    papers, _ = repo_gold()  # the ids claimex.readers gives are the ids the file states
    assert {p.id for p in papers} == set(paper_ids)


def test_every_evidence_is_verbatim_in_its_abstract_and_writes_the_value() -> None:
    papers, gold = repo_gold()
    abstracts = {p.id: p.abstract for p in papers}
    problems = []
    for paper_id, claims in gold.items():
        for c in claims:
            if c.evidence not in abstracts[paper_id]:
                problems.append(f"{paper_id}: evidence not in abstract: {c.evidence!r}")
            for number in (c.value, c.value_max):
                if number is not None and not value_in_text(number, c.evidence):
                    problems.append(f"{paper_id}: {number:g} not written in {c.evidence!r}")
    assert problems == []


def test_gold_is_not_trivial() -> None:
    """Guards the tests above against a truncated file passing vacuously."""
    papers, gold = repo_gold()
    assert len(papers) == 41
    assert sum(len(c) for c in gold.values()) > 80
    assert sum(1 for c in gold.values() if not c) >= 1  # papers with no result are labelled []


def test_gold_scored_against_itself_is_perfect_on_every_score() -> None:
    papers, gold = repo_gold()
    evaluation = evaluate(papers, gold, gold)
    scores = evaluation.scores
    flat = scores.as_dict()
    assert flat["claim_f1"] == flat["strict_f1"] == flat["grounding_rate"] == 1.0
    for name in ("claim_precision", "claim_recall", "macro_precision", "macro_recall", "macro_f1"):
        assert flat[name] == 1.0, name
    assert set(scores.fields.values()) == {1.0}
    assert all(c.recall == 1.0 for c in scores.category_recall.values())
    assert scores.matched == scores.gold_claims == scores.predicted_claims
    # claims with equal values in one paper (97.7% twice) still pair each with itself
    assert all(p.predicted is p.gold for r in evaluation.results for p in r.pairs)
