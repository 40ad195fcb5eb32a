"""What the model must return: one object with a list of claims, grounded while it is parsed.

Grounding runs inside pydantic validation so that instructor re-asks the model
with the reason ("evidence ... is not in the abstract") when a claim cannot be
found. On the last allowed attempt the ungrounded claims are dropped instead
(and their reasons kept), so one bad claim never costs the paper its good ones.

The validator finds its abstract in a ContextVar set around each call rather
than in instructor's `context=`: instructor also renders every message as a
Jinja template when given a context, which costs a template compile per
message per call and would rewrite prompt text that happens to look like Jinja.
Each paper runs in its own asyncio task, so each sees its own value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from instructor import openai_schema
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from claimex.grounding import GroundingError, ground_claim
from claimex.model import Claim


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
    def _grounded_in_abstract(self) -> ClaimList:
        check = _current_check.get()
        if check is None:
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


_current_check: ContextVar[GroundingCheck | None] = ContextVar("grounding_check", default=None)


@contextmanager
def grounding(check: GroundingCheck) -> Iterator[GroundingCheck]:
    """Ground every ClaimList validated in this task, inside the block, against check."""
    token = _current_check.set(check)
    try:
        yield check
    finally:
        _current_check.reset(token)


# instructor wraps a plain model in a new ResponseSchema subclass on every call, which
# defeats its schema cache (about 6 ms a request); wrapping once keeps one class.
RESPONSE_MODEL = openai_schema(ClaimList)


@cache
def schema_hash() -> str:
    """SHA-256 of the JSON schema the model is asked to fill (part of every cache key)."""
    schema = json.dumps(RESPONSE_MODEL.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()
