"""The rules on the real example corpus: every claim grounded, the example file's results found."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from claimex.backends import create_backend
from claimex.backends.rules import RulesExtractor, extract_claims
from claimex.grounding import ground_claim, is_grounded
from claimex.model import Paper
from claimex.numbers import numbers_in
from claimex.readers import InputFormat, read_papers


@pytest.fixture(scope="module")
def corpus() -> list[Paper]:
    path = Path(__file__).resolve().parents[1] / "examples" / "hf-daily-papers-latency.txt"
    return read_papers(path, InputFormat.AUTO)


def test_every_claim_on_the_corpus_is_grounded(corpus: list[Paper]) -> None:
    total = 0
    for paper in corpus:
        found = extract_claims(paper.abstract, paper.title)
        assert found.dropped == [], paper.id
        for claim in found.claims:
            assert is_grounded(claim, paper.abstract), (paper.id, claim.evidence)
            grounded = ground_claim(claim, paper.abstract)
            assert paper.abstract[grounded.evidence_start : grounded.evidence_end] == claim.evidence
        total += len(found.claims)
    assert total > 50  # the corpus reports dozens of results


def test_papers_without_numbers_give_no_claims(corpus: list[Paper]) -> None:
    quiet = [p for p in corpus if not any(numbers_in(p.abstract))]
    assert quiet, "the corpus has abstracts without any number"
    for paper in quiet:
        assert extract_claims(paper.abstract, paper.title).claims == [], paper.id


def test_headline_results_of_the_corpus(corpus: list[Paper]) -> None:
    by_title = {p.title.split(":")[0]: p for p in corpus}
    expected = {
        "DistServe": {(4.48, "x", "throughput"), (10.2, "x", "latency")},
        "Llumnix": {(10.0, "x", "latency"), (1.5, "x", "speedup"), (36.0, "%", "cost")},
        "SmallThinker": {
            (20.0, "tokens/s", "throughput"),
            (1.0, "GB", "memory"),
            (8.0, "GB", "memory"),
        },
        "MinMo": {(100.0, "ms", "latency"), (600.0, "ms", "latency"), (800.0, "ms", "latency")},
    }
    for name, results in expected.items():
        paper = by_title[name]
        found = {(c.value, c.unit, c.category.value) for c in extract_claims(paper.abstract).claims}
        assert found == results, name


def test_the_registered_backend_is_the_rules_extractor(corpus: list[Paper]) -> None:
    backend = create_backend("rules")
    assert isinstance(backend, RulesExtractor)
    assert backend.run_spec().backend == "rules"
    extraction = asyncio.run(backend.extract(corpus[0]))
    assert extraction.claims == extract_claims(corpus[0].abstract, corpus[0].title).claims
    assert (extraction.input_tokens, extraction.output_tokens) == (0, 0)
