"""grounding.py: evidence alignment (exact, normalised, fuzzy) and the value-in-evidence check."""

from __future__ import annotations

from typing import Any

import pytest

from claimex.grounding import FUZZY_THRESHOLD, GroundingError, ground_claim, is_grounded, locate
from claimex.model import Alignment, Claim

ABSTRACT = (
    "Our system achieves a 3.2× speedup and reduces latency by 28–71% with "
    "−5\u00a0ms jitter. As a result, DistServe can serve 4.48x more requests "
    "compared to state-of-the-art systems such as Orca and vLLM."
)


def claim(evidence: str, **overrides: Any) -> Claim:
    data: dict[str, Any] = {
        "metric": "speedup",
        "category": "speedup",
        "kind": "ratio",
        "value": 3.2,
        "unit": "x",
        "direction": "increase",
        "evidence": evidence,
    }
    data.update(overrides)
    return Claim.model_validate(data)


@pytest.mark.parametrize(
    ("evidence", "alignment", "verbatim"),
    [
        ("3.2× speedup", Alignment.EXACT, "3.2× speedup"),
        ("3.2x speedup", Alignment.NORMALISED, "3.2× speedup"),
        ("reduces latency by 28-71%", Alignment.NORMALISED, "reduces latency by 28–71%"),
        ("-5 ms jitter", Alignment.NORMALISED, "−5\u00a0ms jitter"),
        (
            "OUR SYSTEM achieves  a 3.2x\nspeedup",
            Alignment.NORMALISED,
            "Our system achieves a 3.2× speedup",
        ),
        (
            "DistServe can serve 4.48x more request compared to state of the art systems",
            Alignment.FUZZY,
            "DistServe can serve 4.48x more requests compared to state-of-the-art systems",
        ),
    ],
)
def test_locate_returns_offsets_of_the_verbatim_slice(
    evidence: str, alignment: Alignment, verbatim: str
) -> None:
    span = locate(evidence, ABSTRACT)
    assert span is not None
    assert span.alignment is alignment
    assert ABSTRACT[span.start : span.end] == verbatim


@pytest.mark.parametrize(
    "evidence",
    [
        "completely different text about caching 5x",
        "DistServe serves requests on TPUs with 9x lower cost and better energy use",
        "",
        "   ",
    ],
)
def test_text_not_in_the_abstract_is_not_located(evidence: str) -> None:
    assert locate(evidence, ABSTRACT) is None


def test_fuzzy_threshold_is_a_score_out_of_100() -> None:
    assert 0 < FUZZY_THRESHOLD <= 100


def test_fuzzy_span_is_widened_to_whole_words_and_numbers() -> None:
    """A fuzzy window as long as the evidence must not cut "4.48x" to "4.4" (claim then lost)."""
    grounded = ground_claim(
        claim("As a result DistServe can serve 4.48", value=4.48, category="throughput"),
        ABSTRACT,
    )
    assert grounded.alignment is Alignment.FUZZY
    assert grounded.evidence == "As a result, DistServe can serve 4.48x"


def test_ground_claim_stores_verbatim_evidence_and_offsets() -> None:
    grounded = ground_claim(claim("3.2x speedup"), ABSTRACT)
    assert grounded.evidence == "3.2× speedup"
    assert ABSTRACT[grounded.evidence_start : grounded.evidence_end] == grounded.evidence
    assert grounded.alignment is Alignment.NORMALISED
    assert grounded.value == 3.2 and grounded.metric == "speedup"


def test_ground_claim_checks_both_ends_of_a_range() -> None:
    evidence = "reduces latency by 28-71%"
    fields = {"kind": "percent_change", "unit": "%", "direction": "decrease", "bound": "range"}
    grounded = ground_claim(claim(evidence, value=28, value_max=71, **fields), ABSTRACT)
    assert grounded.evidence == "reduces latency by 28–71%"
    with pytest.raises(GroundingError, match="value_max 75 is not written in the evidence"):
        ground_claim(claim(evidence, value=28, value_max=75, **fields), ABSTRACT)


def test_ground_claim_rejects_a_value_not_in_the_evidence() -> None:
    with pytest.raises(GroundingError, match=r"value 9\.9 is not written in the evidence"):
        ground_claim(claim("3.2× speedup", value=9.9), ABSTRACT)


def test_ground_claim_rejects_evidence_not_in_the_abstract() -> None:
    with pytest.raises(GroundingError, match="is not in the abstract"):
        ground_claim(claim("a 3.2x speedup on TPUs with half the energy"), ABSTRACT)


def test_fuzzy_match_does_not_accept_a_different_number() -> None:
    # Close wording, but the abstract says 4.48x: the aligned slice does not write 4.5.
    with pytest.raises(GroundingError, match=r"value 4\.5 is not written"):
        ground_claim(claim("DistServe can serve 4.5x more requests", value=4.5), ABSTRACT)


def test_is_grounded_is_strict_verbatim() -> None:
    assert is_grounded(claim("3.2× speedup"), ABSTRACT)
    assert not is_grounded(claim("3.2x speedup"), ABSTRACT)  # normalised is not verbatim
    assert not is_grounded(claim("3.2× speedup", value=3.0), ABSTRACT)
