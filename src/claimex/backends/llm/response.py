"""What the model must return: one object with a list of claims, grounded while it is parsed.

Grounding runs inside pydantic validation so that instructor re-asks the model
with the reason ("evidence ... is not in the abstract") when a claim cannot be
found. On the last allowed attempt the ungrounded claims are dropped instead
(and their reasons kept), so one bad claim never costs the paper its good ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from claimex.grounding import GroundingError, ground_claim
from claimex.model import Claim

GROUNDING_CONTEXT = "grounding"


@dataclass
class GroundingCheck:
    """Per-call state the validator needs: the abstract and whether this is the last try."""

    abstract: str
    attempts_allowed: int
    attempts_made: int = 0

    @property
    def last_attempt(self) -> bool:
        return self.attempts_made >= self.attempts_allowed


class ClaimList(BaseModel):
    """Every quantitative result claim the abstract reports (claim-spec v1.1)."""

    model_config = ConfigDict(extra="forbid")

    claims: list[Claim] = Field(
        description="One entry per quantitative result, in order of appearance; [] if none."
    )
    _dropped: list[str] = PrivateAttr(default_factory=list)

    @property
    def dropped(self) -> list[str]:
        """Why claims were removed on the last attempt (empty when all were grounded)."""
        return list(self._dropped)

    @model_validator(mode="after")
    def _grounded_in_abstract(self, info: ValidationInfo) -> ClaimList:
        check = (info.context or {}).get(GROUNDING_CONTEXT)
        if not isinstance(check, GroundingCheck):
            return self
        kept: list[Claim] = []
        problems: list[str] = []
        for number, claim in enumerate(self.claims):
            try:
                ground_claim(claim, check.abstract)
            except GroundingError as exc:
                problems.append(f"claims[{number}] (value {claim.value:g}): {exc}")
            else:
                kept.append(claim)
        if problems and not check.last_attempt:
            raise ValueError(
                "these claims are not grounded in the abstract: "
                + "; ".join(problems)
                + ". Copy each evidence verbatim from the abstract, with the number as written "
                "there, or leave the claim out."
            )
        self.claims = kept
        self._dropped = problems
        return self


@cache
def schema_hash() -> str:
    """SHA-256 of the JSON schema the model is asked to fill (part of every cache key)."""
    schema = json.dumps(ClaimList.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()
