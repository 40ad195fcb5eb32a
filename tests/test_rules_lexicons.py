"""Lexicons are data: parsed strictly, extensible, and part of the run fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimex.backends.rules import create_rules_backend, rules_fingerprint
from claimex.backends.rules.lexicon import (
    LexiconError,
    folder_digest,
    lexicon_folder,
    load_lexicon,
    parse_lexicon,
    phrase_pattern,
    validate_lexicons,
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
    sections = set(load_lexicon("metrics").sections) - {"size_changes"}  # and only those
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


def _lexicon_copy(tmp_path: Path) -> Path:
    """A real copy of the packaged lexicon files, to break one of them."""
    copy = tmp_path / "lexicons"
    copy.mkdir()
    for entry in lexicon_folder().iterdir():
        if entry.name.endswith(".txt"):
            (copy / entry.name).write_bytes(entry.read_bytes())
    return copy


def _append(path: Path, text: str) -> int:
    """Append text to a file; the line number its first line gets."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, *text.splitlines()]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_the_packaged_lexicons_pass_the_loader() -> None:
    validate_lexicons()  # also run on import: this says it holds for the shipped files


def test_a_misspelt_section_is_refused_with_its_line(tmp_path: Path) -> None:
    copy = _lexicon_copy(tmp_path)
    line = _append(copy / "bounds.txt", "[up_too]\nas many as")
    with pytest.raises(LexiconError) as error:
        validate_lexicons(copy)
    assert str(error.value) == (
        f"lexicon bounds.txt:{line}: [up_too]: unknown section (did you mean [up_to]?): "
        "no rule reads it"
    )


def test_a_section_no_rule_reads_is_refused(tmp_path: Path) -> None:
    copy = _lexicon_copy(tmp_path)
    line = _append(copy / "hardware.txt", "# leftover\n[vendors]\nNVIDIA")
    with pytest.raises(LexiconError, match=rf"^lexicon hardware.txt:{line + 1}: \[vendors\]: "):
        validate_lexicons(copy)


def test_a_section_the_rules_read_must_be_there(tmp_path: Path) -> None:
    copy = _lexicon_copy(tmp_path)
    text = (copy / "polarity.txt").read_text(encoding="utf-8")
    (copy / "polarity.txt").write_text(text.split("[higher_is_better]")[0], encoding="utf-8")
    with pytest.raises(LexiconError, match=r"^lexicon polarity.txt: no \[higher_is_better\]"):
        validate_lexicons(copy)


def test_a_lexicon_no_rule_loads_is_refused(tmp_path: Path) -> None:
    copy = _lexicon_copy(tmp_path)
    (copy / "colours.txt").write_text("[red]\ncrimson\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"^lexicon colours.txt: no rule loads this lexicon$"):
        validate_lexicons(copy)


@pytest.mark.parametrize(
    ("name", "addition", "message"),
    [
        # "trims" would read as a decrease or an increase, whichever section comes first
        ("changes", "[increase]\nTrims", r"\[increase\] 'Trims' is also in \[decrease\]"),
        ("polarity", "[higher_is_better]\ntime", r"\[higher_is_better\] 'time' is also in"),
        ("bounds", "[at_most]\nmore-than", r"\[at_most\] 'more-than' is also in \[at_least\]"),
        ("metrics", "[cost]\nlatency", r"\[cost\] 'latency' is also in \[latency\]"),
        ("comparisons", "[before]\nversus", r"\[before\] 'versus' is also in \[after\]"),
    ],
)
def test_a_phrase_in_two_competing_sections_is_refused(
    tmp_path: Path, name: str, addition: str, message: str
) -> None:
    copy = _lexicon_copy(tmp_path)
    line = _append(copy / f"{name}.txt", addition)
    with pytest.raises(LexiconError, match=rf"^lexicon {name}.txt:{line + 1}: {message}"):
        validate_lexicons(copy)


def test_one_phrase_in_sections_that_do_not_compete_is_fine(tmp_path: Path) -> None:
    copy = _lexicon_copy(tmp_path)
    _append(copy / "hardware.txt", "[chips]\nXPU\n[devices]\nXPU")  # a chip and a device noun
    validate_lexicons(copy)


def test_a_section_a_rule_asks_for_must_be_in_the_file() -> None:
    lexicon = parse_lexicon("t", "[a]\nx\n")
    with pytest.raises(LexiconError, match=r"^lexicon t.txt: no \[b\] section"):
        lexicon["b"]


def test_files_that_are_not_lexicons_are_left_alone(tmp_path: Path) -> None:
    copy = _lexicon_copy(tmp_path)
    (copy / "NOTES.md").write_text("[not a lexicon]\n", encoding="utf-8")
    (copy / "drafts.txt").mkdir()  # a folder, not a file
    validate_lexicons(copy)
