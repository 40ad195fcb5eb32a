"""Two runs side by side: per paper, the claims one run found and the other did not.

"Found by both" uses the scorer's matching (value, value_max, unit, optimal
one-to-one pairing), so a claim listed here is one the scorer would also see
as different. Only papers both runs extracted successfully are compared; the
rest are listed so a missing paper is not mistaken for missing claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from claimex.evaluate.matching import assign
from claimex.evaluate.sources import RunInfo, run_info
from claimex.model import Claim
from claimex.store.runs import load_run_claims, papers_done


@dataclass(frozen=True)
class PaperDiff:
    paper_id: str
    shared: int
    only_a: list[Claim]
    only_b: list[Claim]


@dataclass(frozen=True)
class RunComparison:
    run_a: RunInfo
    run_b: RunInfo
    papers: list[PaperDiff]
    """Every paper extracted by both runs, in id order (those with no difference included)."""
    only_in_a: list[str]
    only_in_b: list[str]
    """Papers only one of the runs extracted successfully."""

    @property
    def differing(self) -> list[PaperDiff]:
        return [p for p in self.papers if p.only_a or p.only_b]


def compare_runs(con: duckdb.DuckDBPyConnection, run_a: int, run_b: int) -> RunComparison:
    info_a, info_b = run_info(con, run_a), run_info(con, run_b)
    done_a, done_b = papers_done(con, run_a), papers_done(con, run_b)
    both = sorted(done_a & done_b)
    claims_a = load_run_claims(con, run_a, both)
    claims_b = load_run_claims(con, run_b, both)
    diffs = []
    for paper_id in both:
        a, b = claims_a.get(paper_id, []), claims_b.get(paper_id, [])
        pairs = assign(b, a)
        matched_b = {i for i, _ in pairs}
        matched_a = {j for _, j in pairs}
        diffs.append(
            PaperDiff(
                paper_id,
                len(pairs),
                [c for j, c in enumerate(a) if j not in matched_a],
                [c for i, c in enumerate(b) if i not in matched_b],
            )
        )
    return RunComparison(info_a, info_b, diffs, sorted(done_a - done_b), sorted(done_b - done_a))
