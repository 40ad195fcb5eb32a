"""The hand labels in eval/ are valid: every claim follows the contract and is
grounded in its abstract, and gold and papers cover the same papers one to one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimex.evaluate import evaluate, load_gold, load_papers_file
from claimex.model import Claim, Paper
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


# Every further gold set lives in its own directory eval/<set>/ (papers.jsonl + gold.jsonl +
# PROVENANCE.md); the same contract holds for each of them.
GOLD_SETS = sorted(path.parent for path in GOLD.parent.glob("*/gold.jsonl"))


def _load_set(directory: Path) -> tuple[list[Paper], dict[str, list[Claim]]]:
    papers = load_papers_file(directory / "papers.jsonl")
    return papers, load_gold(directory / "gold.jsonl", papers)  # rejects unknown or unlabelled ids


def test_the_gold_sets_are_found() -> None:
    """Guards the parametrised tests below against a glob that matches nothing."""
    names = {d.name for d in GOLD_SETS}
    assert {"infra-dev", "infra-blind", "serving-dev", "serving-blind"} <= names


@pytest.mark.parametrize("directory", GOLD_SETS, ids=lambda d: d.name)
def test_every_gold_set_is_grounded_sourced_and_non_trivial(directory: Path) -> None:
    papers, gold = _load_set(directory)
    lines = (directory / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    raw_ids = [json.loads(line)["id"] for line in lines if line.strip()]
    assert len(raw_ids) == len(set(raw_ids)) == len(papers), f"{directory.name}: duplicate paper id"
    assert all(p.source for p in papers), f"{directory.name}: a paper without a source"
    assert (directory / "PROVENANCE.md").is_file(), f"{directory.name}: no PROVENANCE.md"
    problems = []
    for paper in papers:
        for c in gold[paper.id]:
            if c.evidence not in paper.abstract:
                problems.append(f"{paper.id}: evidence not in abstract: {c.evidence!r}")
            for number in (c.value, c.value_max):
                if number is not None and not value_in_text(number, c.evidence):
                    problems.append(f"{paper.id}: {number:g} not written in {c.evidence!r}")
    assert problems == []
    assert len(papers) >= 10 and sum(len(c) for c in gold.values()) > len(papers)
    flat = evaluate(papers, gold, gold).scores.as_dict()
    assert flat["claim_f1"] == flat["strict_f1"] == flat["grounding_rate"] == 1.0


def test_paper_ids_are_distinct_across_all_gold_sets() -> None:
    seen: dict[str, str] = {p.id: "eval" for p in repo_gold()[0]}
    for directory in GOLD_SETS:
        for paper in load_papers_file(directory / "papers.jsonl"):
            assert paper.id not in seen, f"{paper.id} is in {seen[paper.id]} and {directory.name}"
            seen[paper.id] = directory.name


def test_no_abstract_or_source_is_in_two_gold_sets() -> None:
    """The same paper under two ids would leak a blind half into a dev half (or count twice)."""
    seen: dict[str, str] = {p.abstract: "eval" for p in repo_gold()[0]}
    for directory in GOLD_SETS:
        for paper in load_papers_file(directory / "papers.jsonl"):
            for key in (paper.abstract, f"source {paper.source}"):
                assert key not in seen, f"{paper.id} is in {seen[key]} and {directory.name}"
                seen[key] = directory.name
