"""The Python API: claimex.extract(text, title=None, backend="rules")."""

from __future__ import annotations

import asyncio

import pytest

import claimex
from claimex.errors import ClaimexError
from claimex.model import GroundedClaim

ABSTRACT = (  # examples/hf-daily-papers-latency.txt, DistServe (last sentence)
    "Our evaluations show that on various popular LLMs, applications, and latency requirements, "
    "DistServe can serve 4.48x more requests or 10.2x tighter SLO, compared to state-of-the-art "
    "systems, while staying within latency constraints for > 90% of requests."
)


def test_extract_returns_grounded_claims_with_offsets() -> None:
    found = claimex.extract(ABSTRACT, title="DistServe: Disaggregating Prefill and Decoding")
    assert [(c.value, c.unit, c.category.value) for c in found] == [
        (4.48, "x", "throughput"),
        (10.2, "x", "latency"),
    ]
    for claim in found:
        assert isinstance(claim, GroundedClaim)
        assert ABSTRACT[claim.evidence_start : claim.evidence_end] == claim.evidence
        assert claim.system == "DistServe"


def test_extract_without_a_title() -> None:
    (claim,) = claimex.extract("Our kernels run 2.5x faster than cuBLAS on H100.")
    assert (claim.value, claim.category.value, claim.baselines) == (2.5, "speedup", ["cuBLAS"])


def test_extract_works_inside_a_running_event_loop() -> None:
    async def inside() -> list[GroundedClaim]:
        return claimex.extract(ABSTRACT)  # e.g. called from a notebook cell

    assert len(asyncio.run(inside())) == 2


def test_extract_rejects_empty_text_and_unknown_backends() -> None:
    with pytest.raises(ClaimexError, match="empty"):
        claimex.extract("   ")
    with pytest.raises(ClaimexError, match="unknown backend 'nope'"):
        claimex.extract(ABSTRACT, backend="nope")


def test_text_without_results_gives_no_claims() -> None:
    assert claimex.extract("We release a dataset of 10,000 prompts collected in 2023.") == []


def test_the_rules_need_no_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # starting one per text cost more than the extraction (bench/bench_rules.py --real)
    def no_loop(coroutine: object) -> None:
        raise AssertionError("the rules backend started an event loop")

    monkeypatch.setattr("claimex.api._run", no_loop)
    assert len(claimex.extract(ABSTRACT)) == 2
