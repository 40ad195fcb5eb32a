"""Malformed papers or gold files: one error line naming file and line, exit 2, nothing run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval_support import SMALL_GOLD, run_cli, small_corpus

GOOD_CLAIM = SMALL_GOLD["train"][0].model_dump(mode="json")


def _gold_line(paper_id: str, claims: list[object]) -> str:
    return json.dumps({"paper_id": paper_id, "claims": claims})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"paper_id": "train", "claims": [', "not valid JSON (Expecting value, column 34)"),
        ('["train", []]', "expected a JSON object, got list"),
        ('{"claims": []}', 'missing "paper_id" (a non-empty string)'),
        ('{"paper_id": "train"}', 'missing "claims" (use [] for a paper with no result)'),
        ('{"paper_id": "train", "claims": {}}', '"claims" must be a list of claim objects'),
        (_gold_line("nope", []), "paper_id 'nope' is not in the papers file"),
        (_gold_line("serve", []), "duplicate paper_id 'serve' (first at line 1)"),
        (
            _gold_line("train", [GOOD_CLAIM, {**GOOD_CLAIM, "unit": "ms"}]),
            "claim 2: a ratio claim has unit \"x\", got 'ms'",
        ),
        (
            _gold_line("train", [{**GOOD_CLAIM, "category": "speed"}]),
            "claim 1: category: Input should be 'speedup', 'latency'",
        ),
        (_gold_line("train", [{**GOOD_CLAIM, "evidence": " "}]), "claim 1: evidence:"),
        (_gold_line("train", [{**GOOD_CLAIM, "colour": "red"}]), "claim 1: colour: Extra inputs"),
    ],
)
def test_malformed_gold_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    papers_path, gold_path, _ = small_corpus(tmp_path)
    lines = gold_path.read_text().splitlines()
    assert json.loads(lines[0])["paper_id"] == "serve"
    gold_path.write_text("\n".join([lines[0], "", line, *lines[1:]]) + "\n")  # blank line 2
    result = run_cli("eval", "--backend", "silent", "--papers", papers_path, "--gold", gold_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    error = result.stderr.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith(f"error: {gold_path}:3: {message}")


def test_a_paper_without_a_gold_line_is_an_error(tmp_path: Path) -> None:
    papers_path, gold_path, _ = small_corpus(tmp_path)
    kept = [line for line in gold_path.read_text().splitlines() if '"survey"' not in line]
    gold_path.write_text("\n".join(kept) + "\n")
    result = run_cli("eval", "--backend", "silent", "--papers", papers_path, "--gold", gold_path)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(
        f"error: {gold_path}: no line for 1 paper(s) of the papers file: 'survey'"
    )


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ('{"id": "a", "title": "A", "abstract": "Gets 2x."}\n{"id": "b",\n', 2, "not valid JSON"),
        ('{"id": "a", "title": "A"}\n', 1, "record 'A' has no abstract"),
        (
            '{"id": "a", "title": "A", "abstract": "x"}\n'
            '{"id": "a", "title": "B", "abstract": "y"}\n',
            2,
            "duplicate id 'a' (first at line 1)",
        ),
    ],
)
def test_malformed_papers_file_names_file_and_line(
    tmp_path: Path, content: str, where: int, message: str
) -> None:
    _, gold_path, _ = small_corpus(tmp_path)
    papers_path = tmp_path / "bad-papers.jsonl"
    papers_path.write_text(content)
    result = run_cli("eval", "--backend", "silent", "--papers", papers_path, "--gold", gold_path)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"error: {papers_path}:{where}: {message}")


@pytest.mark.parametrize("which", ["--papers", "--gold"])
def test_missing_file(tmp_path: Path, which: str) -> None:
    papers_path, gold_path, _ = small_corpus(tmp_path)
    paths = {"--papers": papers_path, "--gold": gold_path, which: tmp_path / "absent.jsonl"}
    result = run_cli("eval", "--backend", "silent", *[x for kv in paths.items() for x in kv])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'absent.jsonl'}: no such file"


def test_inputs_are_checked_before_the_backend_is_built(tmp_path: Path) -> None:
    papers_path, gold_path, _ = small_corpus(tmp_path)
    gold_path.write_text("{broken\n")
    result = run_cli("eval", "--backend", "nope", "--papers", papers_path, "--gold", gold_path)
    assert result.exit_code == 2
    assert f"{gold_path}:1: not valid JSON" in result.stderr
    assert "unknown backend" not in result.stderr
