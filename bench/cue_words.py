"""Cue words still written in code: English words inside the rules' regexes.

"Cue words are data" (lexicons/*.txt); this counts the words that are still spelled
in a regex of src/claimex/backends/rules/*.py instead: every lowercase word of two or
more letters in the string parts of a re.compile/search/match/... call, after
dropping escapes ("\\s", "\\b") and group names ("(?P<name>"). Some are grammar
(prepositions, articles, "respectively") rather than vocabulary; the count is the
size of what is left to move, per module.

    .venv/bin/python bench/cue_words.py            # counts per module
    .venv/bin/python bench/cue_words.py --words    # and the words
"""

from __future__ import annotations

import argparse
import ast
import re
from collections import Counter
from pathlib import Path

RULES = Path(__file__).resolve().parents[1] / "src" / "claimex" / "backends" / "rules"
_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "sub", "split", "finditer", "findall"}
_NOT_WORDS = re.compile(r"\\[A-Za-z]|\(\?P<\w+>|\(\?P=\w+\)|\{[^}]*\}")


def regex_words(source: str) -> Counter[str]:
    """Words in the literal parts of each regex written in the module."""
    words: Counter[str] = Counter()
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _REGEX_CALLS
            and node.args
        ):
            continue
        for text in _literal_parts(node.args[0]):
            words.update(re.findall(r"(?<![A-Za-z])[a-z]{2,}", _NOT_WORDS.sub(" ", text)))
    return words


def _literal_parts(node: ast.expr) -> list[str]:
    """The text written in a pattern: string constants, f-string text, "+" of those
    (not the code inside an f-string's braces, which reads lexicons)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part for value in node.values for part in _literal_parts(value)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", action="store_true", help="print the words too")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    for module in sorted(RULES.glob("*.py")):
        words = regex_words(module.read_text(encoding="utf-8"))
        total.update(words)
        if words:
            listed = f": {' '.join(sorted(words))}" if args.words else ""
            print(f"{module.name:<18} {len(words):>4} distinct words{listed}")
    print(f"{'all modules':<18} {len(total):>4} distinct words, {sum(total.values())} in all")


if __name__ == "__main__":
    main()
