"""The claim contract's validators (claim-spec v1.1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from claimex.model import (
    SPEC_VERSION,
    Bound,
    Category,
    Claim,
    Direction,
    GroundedClaim,
    Kind,
    Paper,
)
from claimex.spec import spec_path, spec_text
from conftest import Cli


def claim(**overrides: Any) -> Claim:
    data: dict[str, Any] = {
        "metric": "requests served within SLO",
        "category": "throughput",
        "kind": "ratio",
        "value": 4.48,
        "unit": "x",
        "direction": "increase",
        "baselines": ["state-of-the-art systems"],
        "system": "DistServe",
        "evidence": "DistServe can serve 4.48x more requests",
    }
    data.update(overrides)
    return Claim.model_validate(data)


def test_a_valid_claim_parses_into_enums() -> None:
    c = claim()
    assert (c.category, c.kind, c.bound, c.direction) == (
        Category.THROUGHPUT,
        Kind.RATIO,
        Bound.EXACT,
        Direction.INCREASE,
    )
    assert c.value_max is None and c.hardware is None


def test_every_spec_field_is_on_the_model() -> None:
    spec_fields = [
        "metric",
        "category",
        "kind",
        "value",
        "value_max",
        "bound",
        "unit",
        "direction",
        "baselines",
        "system",
        "hardware",
        "workload",
        "condition",
        "evidence",
    ]
    assert list(Claim.model_fields) == spec_fields
    assert set(GroundedClaim.model_fields) - set(spec_fields) == {
        "evidence_start",
        "evidence_end",
        "alignment",
        "rules",
    }


@pytest.mark.parametrize("unit", ["%", "times", "×", ""])
def test_ratio_needs_unit_x(unit: str) -> None:
    with pytest.raises(ValidationError, match='a ratio claim has unit "x"'):
        claim(unit=unit)


def test_range_needs_value_max_above_value() -> None:
    ok = claim(kind="percent_change", unit="%", value=28, value_max=71, bound="range")
    assert (ok.value, ok.value_max) == (28, 71)
    with pytest.raises(ValidationError, match="a range claim needs value_max"):
        claim(bound="range")
    for value_max in (4.48, 1.0):
        with pytest.raises(ValidationError, match="value_max must be greater than value"):
            claim(bound="range", value_max=value_max)


def test_value_max_only_with_range() -> None:
    with pytest.raises(ValidationError, match='value_max is set only when bound is "range"'):
        claim(value_max=9.0, bound="up_to")


def test_absolute_has_no_direction() -> None:
    level = claim(kind="absolute", unit="ms", value=0.8, direction=None, category="latency")
    assert level.direction is None
    with pytest.raises(ValidationError, match="an absolute claim has direction null"):
        claim(kind="absolute", unit="ms", direction="decrease")


@pytest.mark.parametrize(
    ("kind", "unit"), [("ratio", "x"), ("percent_change", "%"), ("delta", "pp")]
)
def test_non_absolute_needs_a_direction(kind: str, unit: str) -> None:
    with pytest.raises(ValidationError, match=f"a {kind} claim needs a direction"):
        claim(kind=kind, unit=unit, direction=None)


@pytest.mark.parametrize("evidence", ["", "   ", "\n\t"])
def test_evidence_must_not_be_blank(evidence: str) -> None:
    with pytest.raises(ValidationError, match="evidence must be a non-empty"):
        claim(evidence=evidence)


def test_blank_baselines_are_dropped_and_names_stripped() -> None:
    assert claim(baselines=[" Orca ", "", "  ", "vLLM"]).baselines == ["Orca", "vLLM"]


@pytest.mark.parametrize(
    "bad",
    [
        {"category": "speed"},
        {"kind": "factor"},
        {"bound": "roughly"},
        {"direction": "up"},
        {"metric": ""},
        {"value": "a lot"},
        {"confidence": 0.9},  # fields outside the spec are refused
    ],
)
def test_values_outside_the_spec_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        claim(**bad)


def test_claim_round_trips_through_json() -> None:
    c = claim(kind="percent_change", unit="%", value=28, value_max=71, bound="range")
    assert Claim.model_validate_json(c.model_dump_json()) == c


def test_paper_requires_id_title_abstract() -> None:
    Paper(id="p", title="T", abstract="A")
    for missing in ("id", "title", "abstract"):
        data = {"id": "p", "title": "T", "abstract": "A", missing: ""}
        with pytest.raises(ValidationError):
            Paper.model_validate(data)


def test_the_spec_ships_as_one_file_that_claimex_spec_prints(cli: Cli) -> None:
    docs = Path(__file__).parents[1] / "docs" / "claim-spec.md"
    assert spec_path().resolve() == docs.resolve()  # a link in the source tree, not a copy
    assert spec_text() == docs.read_text(encoding="utf-8")
    assert spec_text().startswith(f"# Claim specification (v{SPEC_VERSION})\n")
    printed = cli("spec")
    assert printed.exit_code == 0 and printed.stdout == spec_text()
