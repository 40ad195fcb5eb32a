"""The types passed between stages, in one place: what a backend is and answers, what
identifies a run, what happened to each paper and to a whole run.

Backends, the store, the pipeline and the scorer all speak these types, so none
of them has to import another to exchange results (backends never import the store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from claimex.errors import SettingError
from claimex.model import Claim, GroundedClaim, Paper


class Status(StrEnum):
    """How one paper (or one LLM call) ended; stored as this text."""

    OK = "ok"
    FAILED = "failed"


class RunStatus(StrEnum):
    """Where a run stands; stored as this text in runs.status."""

    SUBMITTED = "submitted"  # a Batch API run waiting for its batch
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"  # finished, but some papers failed (a rerun retries them)
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class RunSpec:
    """What identifies an extraction configuration; equal fingerprints may share a run."""

    backend: str
    fingerprint: str
    model: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    config: dict[str, object] | None = None


@dataclass
class Extraction:
    """A backend's answer for one paper, before grounding.

    `dropped` holds reasons for claims the backend itself discarded (for
    example after failed re-asks), so runs can count them. `rules` holds, per
    claim, the ids of the rules that produced it (empty when the backend has none),
    so a wrong stored claim can be traced to the rule behind it.
    """

    claims: list[Claim]
    dropped: list[str] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    rules: list[list[str]] = field(default_factory=list)


class ExtractionFailed(Exception):
    """A paper the backend could not extract, with the tokens spent trying.

    The message is the reason stored on the paper's outcome, so it must be safe
    to store (no secrets) and fit on one line.
    """

    def __init__(self, reason: str, input_tokens: int = 0, output_tokens: int = 0) -> None:
        super().__init__(reason)
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens


class BackendUnavailable(SettingError):
    """The backend cannot work at all (its endpoint is unreachable): stop the run.

    Unlike ExtractionFailed it is not one paper's outcome; the pipeline marks the
    run interrupted and re-raises, so a rerun resumes once the backend is back.
    """


class Backend(Protocol):
    """Turns one paper into claims. Async so network backends can overlap requests.

    A backend that holds connections may also define `async def aclose(self)`;
    the pipeline awaits it when a run ends, inside the run's event loop. Two more
    optional hooks serve bulk work (see pipeline.py): `prefetch(papers)` before a
    slice of papers is extracted, and `flush()` before each batch of them is written.
    A backend that needs no I/O may define `extract_now(paper) -> Extraction`, the same
    work without an event loop: the Python API calls it for one text, where starting
    an event loop would cost more than the rules' extraction itself.
    """

    name: str

    def run_spec(self) -> RunSpec:
        """Backend, model, prompt and a fingerprint of everything that changes its output."""
        ...

    async def extract(self, paper: Paper) -> Extraction: ...


@dataclass
class PaperOutcome:
    """What happened to one paper in a run: its grounded claims, or why it failed."""

    paper_id: str
    status: Status
    claims: list[GroundedClaim]
    dropped: int = 0
    reason: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    duration_s: float = 0.0


@dataclass
class RunResult:
    """A run's totals over the papers extracted in this invocation."""

    run_id: int
    papers_ok: int = 0
    papers_failed: int = 0
    papers_skipped: int = 0
    claims: int = 0
    dropped: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    stale_runs: list[tuple[int, int]] = field(default_factory=list)  # (run, dead pid) reaped

    def add(self, batch: RunResult) -> None:
        """Add the counts of a batch of this run's papers (a worker's tally of them)."""
        self.papers_ok += batch.papers_ok
        self.papers_failed += batch.papers_failed
        self.claims += batch.claims
        self.dropped += batch.dropped
        self.input_tokens += batch.input_tokens
        self.output_tokens += batch.output_tokens
        self.failures.extend(batch.failures)
