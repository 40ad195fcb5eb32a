"""Dead branches: `if` statements of the rules backend that no test and no score needs.

Forces each `if` test in src/claimex/backends/rules/*.py to False, one at a time, in a
copy of the source tree, and asks whether anything notices:

1. the claims the rules extract (every field, the rule ids and the skipped numbers)
   on the in-sample real abstracts (eval/papers.jsonl and the eval/*-dev sets; never
   the blind halves): if they change, so may a score, and the branch is live;
2. else the rules' tests (tests/test_rules_*.py, which hold no blind data).

A branch whose removal changes neither is dead: give it a test on a sentence that
shows why it exists, or delete it. Prints each dead branch (file:line and its test)
and the counts. Each mutant runs in its own process; on 2 busy cores a full pass
takes a while, so --only FILE limits it to one module.

    .venv/bin/python bench/dead_branches.py                  # every module
    .venv/bin/python bench/dead_branches.py --only fields.py
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "src" / "claimex" / "backends" / "rules"

# Run inside each mutant's process: the claims on the in-sample corpora, as JSON.
SNAPSHOT = """
import json, sys
from pathlib import Path
from claimex.backends.rules import extract_claims
root = Path(sys.argv[1]) / "eval"
out = []
for path in [root / "papers.jsonl", *sorted(root.glob("*-dev/papers.jsonl"))]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            paper = json.loads(line)
            found = extract_claims(paper["abstract"], paper["title"])
            out.append([[c.model_dump(mode="json") for c in found.claims], found.rules,
                        found.skipped, found.dropped])
print(json.dumps(out))
"""  # reads only eval/papers.jsonl and eval/*-dev: never a blind half


def if_tests(source: str) -> list[ast.expr]:
    """The test of every `if` statement (an `elif` is one too), in source order."""
    tests = [node.test for node in ast.walk(ast.parse(source)) if isinstance(node, ast.If)]
    return sorted(tests, key=lambda test: (test.lineno, test.col_offset))


def forced_false(source: str, test: ast.expr) -> str:
    """The source with one `if` test replaced by False (line breaks kept, so lines match)."""
    lines = source.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: test.lineno - 1]) + _chars(lines, test, "start")
    end = sum(len(line) for line in lines[: test.end_lineno - 1]) + _chars(lines, test, "end")  # type: ignore[operator]
    spanned = source[start:end]
    return source[:start] + "(False" + "\n" * spanned.count("\n") + ")" + source[end:]


def _chars(lines: list[str], test: ast.expr, which: str) -> int:
    """ast offsets are in UTF-8 bytes; the character offset into that line."""
    if which == "start":
        line, offset = lines[test.lineno - 1], test.col_offset
    else:
        line, offset = lines[test.end_lineno - 1], test.end_col_offset  # type: ignore[index]
    return len(line.encode("utf-8")[:offset].decode("utf-8"))


def snapshot(src: Path) -> str | None:
    """The claims the rules extract with the tree at src, or None if it fails to run."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    run = subprocess.run(
        [sys.executable, "-c", SNAPSHOT, str(ROOT)], env=env, capture_output=True, text=True
    )
    return run.stdout if run.returncode == 0 else None


def tests_pass(src: Path) -> bool:
    """Whether the rules' tests (the copy next to src) pass with the tree at src."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    tests = sorted(str(path) for path in (src.parent / "tests").glob("test_rules_*.py"))
    skip = ["-k", "not installed_command"]  # the one test that reinstalls the package
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests, *skip],
        env=env,
        cwd=src.parent,
        capture_output=True,
        text=True,
    )
    return run.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="one module of backends/rules, e.g. fields.py")
    parser.add_argument("--json", type=Path, help="also write the dead branches here")
    args = parser.parse_args()

    modules = sorted(RULES.glob("*.py"))
    if args.only:
        modules = [RULES / args.only]
    with tempfile.TemporaryDirectory() as scratch:
        # a copy of the tree (tests too, so editing the checkout meanwhile changes nothing)
        src = Path(scratch) / "src"
        shutil.copytree(ROOT / "src", src)
        shutil.copytree(ROOT / "tests", Path(scratch) / "tests")
        for shared in ("eval", "examples", "pyproject.toml"):
            (Path(scratch) / shared).symlink_to(ROOT / shared)
        copy_rules = src / "claimex" / "backends" / "rules"
        reference = snapshot(src)
        if reference is None:
            sys.exit("the unmodified rules do not run")
        started = time.perf_counter()
        total, dead = 0, []
        for module in modules:
            source = module.read_text(encoding="utf-8")
            target = copy_rules / module.name
            for test in if_tests(source):
                total += 1
                target.write_text(forced_false(source, test), encoding="utf-8")
                where = f"{module.name}:{test.lineno}"
                live = snapshot(src) != reference or not tests_pass(src)
                if not live:
                    dead.append({"where": where, "test": ast.unparse(test)})
                    print(f"dead  {where}  if {ast.unparse(test)}", flush=True)
            target.write_text(source, encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(f"{len(dead)} of {total} if statements change no claim and no test ({elapsed:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(dead, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
