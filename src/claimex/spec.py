"""The claim contract's text, shipped with the package so an installed claimex can show it.

The file under resources/spec/ is a link to docs/claim-spec.md in a source tree (one
copy, nothing to drift); the wheel carries its content.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def spec_path() -> Path:
    """claim-spec.md as installed (in a source tree, the link to docs/claim-spec.md)."""
    return Path(str(resources.files("claimex") / "resources" / "spec" / "claim-spec.md"))


def spec_text() -> str:
    """The claim specification (Markdown) that model.py, the prompts and the scorer follow."""
    return spec_path().read_text(encoding="utf-8")
