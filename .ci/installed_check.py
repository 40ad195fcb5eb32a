"""Check an installed (non-editable) claimex: run with the python of a fresh venv that
holds only the built wheel, from a directory outside the source tree.

It proves the wheel carries what the code reads at run time: the rules lexicons (the
rules backend finds claims), the prompts (the llm backend asks with claims-v1), the
claim spec (docs/claim-spec.md itself, which `claimex spec` prints) and its models, and
that `claimex extract` works with both backends, the llm one against the loopback stub
shipped in claimex.testing. Exits non-zero on any failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

import claimex
from claimex.backends.llm.prompts import packaged_prompts_dir
from claimex.backends.rules.lexicon import lexicon_folder
from claimex.model import SPEC_VERSION
from claimex.spec import spec_path, spec_text
from claimex.testing.openai_stub import Answer, StubOpenAIServer

ABSTRACT = "QuillServe answers 3.1x more requests per second than vLLM on a single A100 GPU."
CLAIM = {
    "metric": "requests per second",
    "category": "throughput",
    "kind": "ratio",
    "value": 3.1,
    "value_max": None,
    "bound": "exact",
    "unit": "x",
    "direction": "increase",
    "baselines": ["vLLM"],
    "system": "QuillServe",
    "hardware": "single A100 GPU",
    "workload": None,
    "condition": None,
    "evidence": "3.1x more requests per second than vLLM",
}


def check(condition: bool, what: str, detail: str = "") -> None:
    if not condition:
        sys.exit(f"installed check failed: {what} {detail}".rstrip())
    print(f"ok: {what}")


def extract(workdir: Path, db: Path, *options: str) -> list[tuple[object, ...]]:
    """Run the installed `claimex extract`; the stored (run backend, value, unit, alignment)."""
    claimex_bin = Path(sys.executable).with_name("claimex")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMEX_", "OPENAI_"))}
    command = [str(claimex_bin), "extract", "papers.jsonl", "--db", str(db), *options]
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    check(done.returncode == 0, f"claimex extract {' '.join(options)} exits 0", done.stderr)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT r.backend, c.value, c.unit, c.alignment FROM claims c"
            " JOIN runs r ON r.id = c.run_id ORDER BY c.ordinal"
        ).fetchall()
    finally:
        con.close()


def main() -> None:
    installed = Path(claimex.__file__).resolve().parent
    check(Path(sys.prefix).resolve() in installed.parents, f"claimex imported from {installed}")
    prompts = packaged_prompts_dir()
    check((prompts / "claims-v1" / "system.md").is_file(), f"prompts shipped in {prompts}")
    check(Path(sys.prefix).resolve() in prompts.resolve().parents, "prompts are not a symlink out")
    lexicons = sorted(p.name for p in lexicon_folder().iterdir() if p.name.endswith(".txt"))
    check("metrics.txt" in lexicons, f"rules lexicons shipped: {len(lexicons)} files")
    spec = spec_path()
    check(Path(sys.prefix).resolve() in spec.resolve().parents, f"claim spec shipped in {spec}")
    source_spec = Path(__file__).resolve().parents[1] / "docs" / "claim-spec.md"
    check(spec_text() == source_spec.read_text(encoding="utf-8"), "it is docs/claim-spec.md")
    check(f"(v{SPEC_VERSION})" in spec_text().splitlines()[0], f"spec v{SPEC_VERSION}, as model.py")
    claimex_bin = Path(sys.executable).with_name("claimex")
    printed = subprocess.run([str(claimex_bin), "spec"], capture_output=True, text=True)
    check(printed.returncode == 0 and printed.stdout == spec_text(), "claimex spec prints it")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        paper = {"id": "quill", "title": "QuillServe", "abstract": ABSTRACT}
        (workdir / "papers.jsonl").write_text(json.dumps(paper) + "\n", encoding="utf-8")
        rules = extract(workdir, workdir / "rules.duckdb", "--backend", "rules")
        check(rules == [("rules", 3.1, "x", "exact")], f"rules backend stored {rules}")
        with StubOpenAIServer(default=lambda _: Answer([CLAIM])) as server:
            options = ("--backend", "llm", "--base-url", server.base_url, "--model", "stub")
            llm = extract(workdir, workdir / "llm.duckdb", *options)
            asked = server.requests
        check(llm == [("llm", 3.1, "x", "exact")], f"llm backend stored {llm}")
        check(len(asked) == 1 and asked[0].abstract == ABSTRACT, "the stub was asked once")


if __name__ == "__main__":
    main()
