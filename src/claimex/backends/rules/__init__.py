"""The offline rules backend: deterministic, fast, no network.

Finds result numbers in an abstract and fills the claim fields from cue words
around them. The cue words live in lexicons/*.txt, so extending the rules is
mostly editing data. Also the baseline every LLM configuration must beat.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

from claimex.backends.rules.extractor import Extracted, extract_claims
from claimex.backends.rules.lexicon import folder_digest, lexicon_digest, validate_lexicons
from claimex.model import SPEC_VERSION, Paper
from claimex.stages import Extraction, RunSpec

BACKEND_NAME = "rules"

validate_lexicons()  # every rule module has read its lexicons by now


@cache
def rules_fingerprint() -> str:
    """A hash of everything that decides the rules' output: version, spec, lexicons, source
    (this package and claimex.numbers, whose units and textual numbers it uses).

    Runs are resumed by fingerprint, so changing a lexicon or a rule starts a new run
    instead of mixing claims from two different rule sets.
    """
    from claimex import __version__

    digest = hashlib.sha256(f"{BACKEND_NAME}|{__version__}|spec {SPEC_VERSION}".encode())
    digest.update(lexicon_digest().encode())
    digest.update(folder_digest(resources.files(__name__), ".py").encode())
    digest.update(resources.files("claimex").joinpath("numbers.py").read_bytes())  # units
    return digest.hexdigest()[:16]


class RulesExtractor:
    """The Backend protocol around extract_claims (which does the work synchronously)."""

    name = BACKEND_NAME

    def run_spec(self) -> RunSpec:
        return RunSpec(backend=BACKEND_NAME, fingerprint=f"rules-{rules_fingerprint()}")

    async def extract(self, paper: Paper) -> Extraction:
        return self.extract_now(paper)

    def extract_now(self, paper: Paper) -> Extraction:
        """The extraction without an event loop (the rules do no I/O; see stages.Backend)."""
        found = extract_claims(paper.abstract, paper.title)
        return Extraction(claims=found.claims, dropped=found.dropped, rules=found.rules)


def create_rules_backend() -> RulesExtractor:
    """Factory for the backend registry (the rules take no options)."""
    return RulesExtractor()


__all__ = [
    "Extracted",
    "RulesExtractor",
    "create_rules_backend",
    "extract_claims",
    "rules_fingerprint",
]
