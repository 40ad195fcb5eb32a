"""Lexicons are data: parsed strictly, extensible, and part of the run fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimex.backends.rules import create_rules_backend, rules_fingerprint
from claimex.backends.rules.lexicon import (
    folder_digest,
    lexicon_folder,
    load_lexicon,
    parse_lexicon,
    phrase_pattern,
)
from claimex.model import Category
from claimex.numbers import textual_value


def test_parse_sections_comments_and_stars() -> None:
    lexicon = parse_lexicon(
        "t", "# note\n[a]\nlatenc*  # trailing comment\ntime to first token\n\n[b]\nx\n"
    )
    assert lexicon.sections == {"a": ("latenc*", "time to first token"), "b": ("x",)}


def test_a_phrase_before_any_section_is_an_error() -> None:
    with pytest.raises(ValueError, match="t:1: phrase before any"):
        parse_lexicon("t", "orphan\n[a]\n")


def test_phrases_match_whole_words_and_hyphen_spellings() -> None:
    import re

    pattern = re.compile(phrase_pattern("time to first token"), re.I)
    assert pattern.search("lower time-to-first-token")
    assert re.compile(phrase_pattern("latenc*")).search("tail latencies")
    assert not re.compile(phrase_pattern("up")).search("scale-up latency")


def test_metric_sections_are_the_spec_categories() -> None:
    sections = set(load_lexicon("metrics").sections) - {"size_changes"}
    assert sections == {c.value for c in Category}


def test_every_textual_word_has_a_value_in_claimex_numbers() -> None:
    textual = load_lexicon("textual")
    for section in ("ratio_words", "halving_words", "cardinals"):
        for word in textual[section]:
            assert textual_value(word) is not None, word


def test_the_fingerprint_follows_the_lexicon_files(tmp_path: Path) -> None:
    copy = tmp_path / "lexicons"
    copy.mkdir()
    for entry in lexicon_folder().iterdir():
        (copy / entry.name).write_bytes(entry.read_bytes())
    before = folder_digest(copy, ".txt")
    assert before == folder_digest(lexicon_folder(), ".txt")
    with (copy / "hardware.txt").open("a") as handle:
        handle.write("\n[families]\nB300\n")
    assert folder_digest(copy, ".txt") != before


def test_the_run_spec_carries_the_fingerprint() -> None:
    spec = create_rules_backend().run_spec()
    assert spec.backend == "rules"
    assert spec.fingerprint == f"rules-{rules_fingerprint()}"
