"""Versioned prompt files: loading, checking and hashing them.

A prompt is a directory under prompts/ (see prompts/README.md). Its name is the
version string and a hash over its files is stored on every run, so a claim can
always be traced to the exact text that asked for it. The worked examples are
checked when loaded: each must be a valid claim grounded in its own example
abstract, so the model is never taught a claim that claimex would reject.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from claimex.errors import ClaimexError, InputError
from claimex.grounding import GroundingError, ground_claim
from claimex.model import Claim

SYSTEM_FILE = "system.md"
USER_FILE = "user.md"
EXAMPLES_FILE = "examples.jsonl"
_USER_FIELDS = ("{{ abstract }}", "{{ title }}")
_PLACEHOLDER = re.compile(r"\{\{ (title|abstract) \}\}")


@dataclass(frozen=True)
class Example:
    """A worked example: an invented abstract and the claims it should give."""

    abstract: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Prompt:
    version: str
    content_hash: str
    system: str
    user_template: str
    examples: tuple[Example, ...]

    def messages(self, title: str, abstract: str) -> list[dict[str, str]]:
        """The chat messages for one paper: {{ title }} and {{ abstract }} filled in, once."""
        values = {"title": title, "abstract": abstract}
        user = _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.user_template)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def packaged_prompts_dir() -> Path:
    """prompts/ as shipped: a symlink to the repository's prompts/ in a source tree."""
    return Path(str(resources.files("claimex") / "resources" / "prompts"))


def load_prompt(version: str, prompts_dir: Path | None = None) -> Prompt:
    """Read, check and hash prompts_dir/version (default: the packaged prompts)."""
    root = packaged_prompts_dir() if prompts_dir is None else prompts_dir
    directory = root / version
    if not directory.is_dir():
        available = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        raise ClaimexError(
            f"{directory}: no such prompt version (available: {', '.join(available) or 'none'})"
        )
    system = _read(directory / SYSTEM_FILE)
    user = _read(directory / USER_FILE)
    examples = _read_examples(directory / EXAMPLES_FILE)
    for field in _USER_FIELDS:
        if field not in user:
            raise InputError(directory / USER_FILE, f"must contain {field}")
    return Prompt(
        version=version,
        content_hash=_hash_directory(directory),
        system=system.rstrip() + "\n\n" + _render_examples(examples),
        user_template=user,
        examples=tuple(examples),
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read prompt file ({exc.strerror})") from None


def _read_examples(path: Path) -> list[Example]:
    examples: list[Example] = []
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            abstract = str(record["abstract"])
            claims = [Claim.model_validate(c) for c in record["claims"]]
            for claim in claims:
                ground_claim(claim, abstract)
        except (json.JSONDecodeError, KeyError, TypeError, ValidationError, GroundingError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise InputError(path, f"bad worked example: {message}", number) from None
        examples.append(Example(abstract, tuple(claims)))
    return examples


def _render_examples(examples: list[Example]) -> str:
    """The examples as the system prompt shows them: abstract, then the expected answer."""
    parts = [
        "# Worked examples\n\nThese abstracts were invented to illustrate the rules. "
        "Their claims belong to them only."
    ]
    for number, example in enumerate(examples, start=1):
        claims = ",\n".join(
            "  " + json.dumps(c.model_dump(mode="json"), ensure_ascii=False) for c in example.claims
        )
        answer = '{"claims": [\n' + claims + "\n]}" if claims else '{"claims": []}'
        parts.append(
            f"## Example {number}\n\n"
            f"<example_abstract>\n{example.abstract}\n</example_abstract>\n\n"
            f"Answer:\n{answer}"
        )
    return "\n\n".join(parts) + "\n"


def _hash_directory(directory: Path) -> str:
    """SHA-256 over every file's relative name and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
