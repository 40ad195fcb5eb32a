"""Prompt files: packaged with claimex, hashed, worked examples valid and not from the eval set."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from claimex.backends.llm.prompts import load_prompt, packaged_prompts_dir
from claimex.errors import ClaimexError, InputError
from claimex.grounding import ground_claim

REPO = Path(__file__).resolve().parents[1]
VERSION = "claims-v1"


@pytest.fixture
def prompt_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped prompt, as prompts_dir/claims-v1."""
    shutil.copytree(REPO / "prompts" / VERSION, tmp_path / "prompts" / VERSION)
    return tmp_path / "prompts"


def test_the_packaged_prompt_is_the_repository_prompt() -> None:
    packaged = load_prompt(VERSION)
    from_repo = load_prompt(VERSION, REPO / "prompts")
    assert packaged_prompts_dir().resolve() == (REPO / "prompts").resolve()
    assert packaged == from_repo
    assert packaged.version == VERSION
    assert re.fullmatch(r"[0-9a-f]{64}", packaged.content_hash)


def test_the_hash_follows_the_content(prompt_copy: Path) -> None:
    before = load_prompt(VERSION, prompt_copy).content_hash
    user = prompt_copy / VERSION / "user.md"
    user.write_text(user.read_text() + "\nAnswer in English.\n")
    assert load_prompt(VERSION, prompt_copy).content_hash != before


def test_worked_examples_are_valid_grounded_and_include_an_empty_answer() -> None:
    prompt = load_prompt(VERSION)
    assert len(prompt.examples) >= 3
    assert any(not e.claims for e in prompt.examples)
    for example in prompt.examples:
        for claim in example.claims:
            grounded = ground_claim(claim, example.abstract)
            assert grounded.alignment == "exact"  # examples quote their abstract verbatim
            assert claim.evidence in prompt.system


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9.%]+", text.lower())


def test_worked_examples_share_no_passage_with_the_eval_papers() -> None:
    """No 6-word run of any example abstract occurs in eval/papers.jsonl."""
    eval_text = " ".join(
        " ".join(words(json.loads(line)["abstract"]))
        for line in (REPO / "eval" / "papers.jsonl").read_text().splitlines()
        if line.strip()
    )
    for example in load_prompt(VERSION).examples:
        tokens = words(example.abstract)
        shingles = {" ".join(tokens[i : i + 6]) for i in range(len(tokens) - 5)}
        assert not [s for s in shingles if s in eval_text]


def test_an_ungrounded_example_is_refused_with_its_line(prompt_copy: Path) -> None:
    examples = prompt_copy / VERSION / "examples.jsonl"
    lines = examples.read_text().splitlines()
    first = json.loads(lines[0])
    first["claims"][0]["value"] = 3.3  # the abstract says "up to 3.2x"
    examples.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    with pytest.raises(InputError, match=r"examples.jsonl:1: bad worked example: value 3.3"):
        load_prompt(VERSION, prompt_copy)


def test_placeholders_are_filled_once_and_nothing_else_is_expanded() -> None:
    title = "{{ abstract }} in a title"
    abstract = "Braces {{ stay }} and {% stay %}; {{ title }} too."
    system, user = load_prompt(VERSION).messages(title, abstract)
    assert f"<title>{title}</title>" in user["content"]
    assert f"<abstract>\n{abstract}\n</abstract>" in user["content"]
    assert "{{" not in system["content"]


def test_the_user_template_must_place_the_abstract(prompt_copy: Path) -> None:
    (prompt_copy / VERSION / "user.md").write_text("<title>{{ title }}</title>\n")
    with pytest.raises(InputError, match=r"user.md: must contain \{\{ abstract \}\}"):
        load_prompt(VERSION, prompt_copy)


def test_an_unknown_version_lists_the_available_ones(prompt_copy: Path) -> None:
    with pytest.raises(ClaimexError, match=r"no such prompt version \(available: claims-v1\)"):
        load_prompt("claims-v9", prompt_copy)
