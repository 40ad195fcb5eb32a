"""The one small interface every extractor implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from claimex.errors import ClaimexError
from claimex.model import Claim, Paper
from claimex.store.runs import RunSpec


@dataclass
class Extraction:
    """A backend's answer for one paper, before grounding.

    `dropped` holds reasons for claims the backend itself discarded (for
    example after failed re-asks), so runs can count them.
    """

    claims: list[Claim]
    dropped: list[str] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0


class ExtractionFailed(Exception):
    """A paper the backend could not extract, with the tokens spent trying.

    The message is the reason stored on the paper's outcome, so it must be safe
    to store (no secrets) and fit on one line.
    """

    def __init__(self, reason: str, input_tokens: int = 0, output_tokens: int = 0) -> None:
        super().__init__(reason)
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens


class BackendUnavailable(ClaimexError):
    """The backend cannot work at all (its endpoint is unreachable): stop the run.

    Unlike ExtractionFailed it is not one paper's outcome; the pipeline marks the
    run interrupted and re-raises, so a rerun resumes once the backend is back.
    """


class Extractor(Protocol):
    """Turns one paper into claims. Async so network backends can overlap requests.

    A backend that holds connections may also define `async def aclose(self)`;
    the pipeline awaits it when a run ends, inside the run's event loop.
    """

    name: str

    def run_spec(self) -> RunSpec:
        """Backend, model, prompt and a fingerprint of everything that changes its output."""
        ...

    async def extract(self, paper: Paper) -> Extraction: ...
