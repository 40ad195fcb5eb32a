"""The claim contract (claim-spec v1.1) as pydantic models.

Every other part of claimex (backends, store, gold labels, scorer) speaks these
types, so the spec's invariants are enforced here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SPEC_VERSION = "1.1"


class Category(StrEnum):
    """What the claim is worded as (the wording decides, not the metric behind it)."""

    SPEEDUP = "speedup"
    LATENCY = "latency"
    THROUGHPUT = "throughput"
    ACCURACY = "accuracy"
    MEMORY = "memory"
    COST = "cost"
    ENERGY = "energy"
    BANDWIDTH = "bandwidth"
    OTHER = "other"


class Kind(StrEnum):
    """How the number relates to the metric: a level, a factor, a relative or absolute change."""

    ABSOLUTE = "absolute"
    RATIO = "ratio"
    PERCENT_CHANGE = "percent_change"
    DELTA = "delta"


class Bound(StrEnum):
    """How exact the stated number is."""

    EXACT = "exact"
    UP_TO = "up_to"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    APPROX = "approx"
    RANGE = "range"


class Direction(StrEnum):
    """Direction of the metric itself ("2x lower latency" is a decrease)."""

    INCREASE = "increase"
    DECREASE = "decrease"


class Claim(BaseModel):
    """One quantitative result reported by an abstract."""

    model_config = ConfigDict(use_enum_values=False, extra="forbid")

    metric: str = Field(min_length=1, description="What is measured, a short noun phrase.")
    category: Category
    kind: Kind
    value: float = Field(description="The number; the low end of a range.")
    value_max: float | None = Field(default=None, description="High end of a range, else null.")
    bound: Bound = Bound.EXACT
    unit: str = Field(description='Canonical unit: "x" for ratios, "%", "pp", "ms", ...')
    direction: Direction | None = Field(
        default=None, description="increase/decrease for non-absolute kinds, null for absolute."
    )
    baselines: list[str] = Field(default_factory=list)
    system: str | None = None
    hardware: str | None = None
    workload: str | None = None
    condition: str | None = None
    evidence: str = Field(description="Verbatim substring of the abstract containing the number.")

    @field_validator("evidence")
    @classmethod
    def _evidence_not_blank(cls, evidence: str) -> str:
        if not evidence.strip():
            raise ValueError("evidence must be a non-empty verbatim substring of the abstract")
        return evidence

    @field_validator("baselines")
    @classmethod
    def _baselines_not_blank(cls, baselines: list[str]) -> list[str]:
        return [name.strip() for name in baselines if name.strip()]

    @model_validator(mode="after")
    def _spec_invariants(self) -> Claim:
        if self.kind is Kind.RATIO and self.unit != "x":
            raise ValueError(f'a ratio claim has unit "x", got {self.unit!r}')
        if self.kind is Kind.ABSOLUTE and self.direction is not None:
            raise ValueError("an absolute claim has direction null")
        if self.kind is not Kind.ABSOLUTE and self.direction is None:
            raise ValueError(f"a {self.kind.value} claim needs a direction (increase or decrease)")
        if self.bound is Bound.RANGE:
            if self.value_max is None:
                raise ValueError("a range claim needs value_max")
            if not self.value_max > self.value:
                raise ValueError("value_max must be greater than value")
        elif self.value_max is not None:
            raise ValueError('value_max is set only when bound is "range"')
        return self


class Alignment(StrEnum):
    """How a claim's evidence was found in the abstract."""

    EXACT = "exact"
    NORMALISED = "normalised"
    FUZZY = "fuzzy"


class GroundedClaim(Claim):
    """A claim whose evidence has been located in the abstract (what the store keeps)."""

    evidence_start: int = Field(ge=0)
    evidence_end: int = Field(ge=0)
    alignment: Alignment = Alignment.EXACT
    rules: list[str] = Field(
        default_factory=list,
        description="Ids of the extractor rules that produced the claim (empty for the LLM).",
    )


class Paper(BaseModel):
    """One abstract with the metadata its source gave us."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    abstract: str = Field(min_length=1)
    authors: int | None = None
    date: dt.date | None = None
    organisation: str | None = None
    upvotes: int | None = None
    source: str | None = None
