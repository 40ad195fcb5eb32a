"""The library API a notebook drives like the CLI: the backend choice (options, environment,
claimex.toml, api_key_env), claimex.Extractor over a real store and the loopback stub,
and errors that name settings as the library does (the CLI spells them as flags).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import claimex
from claimex.backends.choice import choose_backend
from claimex.errors import InputError, SettingError
from claimex.pipeline import run_extraction
from claimex.stages import RunResult
from claimex.store.papers import upsert_papers
from claimex.testing.openai_stub import Answer, StubOpenAIServer
from conftest import Cli
from llm_support import MODEL, QUILL, QUILL_CLAIMS, TERN, TERN_CLAIMS

SCRIPTS = {QUILL.abstract: [Answer(QUILL_CLAIMS)], TERN.abstract: [Answer(TERN_CLAIMS)]}


def test_rules_unless_an_endpoint_or_key_is_configured(tmp_path: Path) -> None:
    none = choose_backend(None, {}, environ={})
    assert (none.name, none.reason()) == ("rules", "no LLM endpoint or API key configured")
    by_env = choose_backend(None, {}, environ={"CLAIMEX_BASE_URL": "http://127.0.0.1:9/v1"})
    assert (by_env.name, by_env.reason()) == ("llm", "CLAIMEX_BASE_URL is set")
    key = choose_backend(None, {}, environ={"OPENAI_API_KEY": "sk-test"})
    assert (key.name, key.reason()) == ("llm", "$OPENAI_API_KEY is set")
    given = choose_backend(None, {"model": "m", "base_url": "http://h/v1"}, environ={})
    assert (given.name, given.reason()) == ("llm", "base_url, model given")
    assert given.reason(lambda name: f"--{name}") == "--base_url, --model given"
    named = choose_backend("rules", {}, environ={"OPENAI_API_KEY": "sk-test"})
    assert (named.name, named.reason(lambda n: f"--{n}")) == ("rules", "--backend rules")


def test_claimex_toml_base_url_and_api_key_env_choose_llm(tmp_path: Path) -> None:
    toml = tmp_path / "claimex.toml"
    toml.write_text('[tool.claimex]\nbase_url = "http://127.0.0.1:9/v1"\n')
    assert choose_backend(None, {}, environ={}).reason() == "claimex.toml sets base_url"
    toml.write_text('[tool.claimex]\napi_key_env = "GROQ_KEY"\n')
    assert choose_backend(None, {}, environ={"OPENAI_API_KEY": "sk"}).name == "rules"
    chosen = choose_backend(None, {}, environ={"GROQ_KEY": "gsk-test"})
    assert (chosen.name, chosen.reason()) == ("llm", "$GROQ_KEY is set")


def test_llm_settings_with_another_backend_name_the_settings() -> None:
    with pytest.raises(SettingError) as caught:
        choose_backend("rules", {"model": "m", "cache": False}, environ={})
    assert str(caught.value) == "cache, model: only for the llm backend, not 'rules'"


def test_extract_and_extractor_choose_llm_from_claimex_toml(tmp_path: Path) -> None:
    with StubOpenAIServer(SCRIPTS) as server:
        (tmp_path / "claimex.toml").write_text(
            f'[tool.claimex]\nbase_url = "{server.base_url}"\nmodel = "{MODEL}"\n'
        )
        found = claimex.extract(QUILL.abstract, title=QUILL.title)
        assert server.request_count == 1
        assert [(c.value, c.unit, c.alignment.value) for c in found] == [
            (3.1, "x", "exact"),
            (27.0, "%", "exact"),
        ]
        store = claimex.open_store(tmp_path / "claims.duckdb")
        upsert_papers(store, [QUILL, TERN])
        extractor = claimex.Extractor(store=store)
        assert (extractor.name, extractor.choice.reason()) == ("llm", "claimex.toml sets base_url")
        result = extractor.run(store)
        assert (result.papers_ok, result.papers_failed, result.claims) == (2, 0, 5)
        rerun = claimex.Extractor(store=store).run(store)  # same settings: same run, all done
        assert (rerun.run_id, rerun.papers_skipped, rerun.claims) == (result.run_id, 2, 0)
        logged = store.execute("SELECT count(*) FROM llm_calls").fetchone()
        assert logged == (2,) and server.request_count == 3


def test_extract_with_options_and_without_config_uses_rules_or_llm(tmp_path: Path) -> None:
    assert claimex.Extractor().name == "rules"
    with StubOpenAIServer(SCRIPTS) as server:
        found = claimex.extract(TERN.abstract, base_url=server.base_url, model=MODEL)
    assert [c.value for c in found] == [78.4, 4.0, 19.0]


def test_missing_key_names_the_setting_in_library_terms() -> None:
    with pytest.raises(SettingError) as caught:
        claimex.extract(QUILL.abstract, backend="llm")
    assert str(caught.value) == (
        "the llm backend needs an API key in $OPENAI_API_KEY "
        "(or base_url for a local OpenAI-compatible server)"
    )


def test_pipeline_errors_name_settings_and_the_cli_spells_flags(
    tmp_path: Path, cli: Cli, example_path: Path
) -> None:
    store = claimex.open_store(tmp_path / "claims.duckdb")
    rules = claimex.Extractor("rules").backend
    with pytest.raises(SettingError, match=r"^concurrency must be at least 1$"):
        asyncio.run(run_extraction(store, rules, [QUILL], concurrency=0))
    with pytest.raises(SettingError, match=r"^resume and new_run exclude each other$"):
        asyncio.run(run_extraction(store, rules, [QUILL], resume=1, new_run=True))
    store.close()
    db = tmp_path / "cli.duckdb"
    both = cli("extract", example_path, "--db", db, "--resume", "1", "--new-run")
    assert both.exit_code == 2
    assert "error: --resume and --new-run exclude each other" in both.stderr
    mixed = cli("extract", example_path, "--db", db, "--backend", "rules", "--no-cache")
    assert mixed.exit_code == 2
    assert "error: --no-cache: only for the llm backend, not 'rules'" in mixed.stderr


LLM_FLAGS = [
    "--model",
    "--base-url",
    "--api-key-env",
    "--mode",
    "--temperature",
    "--max-retries",
    "--timeout",
    "--no-cache",
    "--prompts-dir",
]


def llm_panel(cli: Cli, *command: str) -> tuple[list[str], str]:
    """The flags in a command's "LLM backend" help panel, and the help text before the panels."""
    shown = cli(*command, "--help", env={"COLUMNS": "200"}).stdout
    text, _, panels = shown.partition("╭")
    panel = panels[panels.index("LLM backend") :]
    return re.findall(r"^│ (--[a-z-]+)", panel, re.MULTILINE), text


def test_extract_eval_and_batch_submit_share_the_llm_options(cli: Cli) -> None:
    for command in (["extract"], ["eval"]):
        assert llm_panel(cli, *command)[0] == LLM_FLAGS, command
    flags, shown = llm_panel(cli, "batch", "submit")
    assert flags == [f for f in LLM_FLAGS if f != "--max-retries"]
    assert "Not here: --max-retries: a batch request gets one answer, so nothing is re-asked" in (
        " ".join(shown.split())
    )
    refused = cli("batch", "submit", "--max-retries", "3")
    # click 8.4 words it "No such option: --x", click 8.5 "No such option '--x'"
    assert refused.exit_code == 2
    assert re.search(r"No such option:? '?--max-retries\b", refused.stderr), refused.stderr


def readme_api_example() -> str:
    """The first python block of the README's "Python API" section, as users copy it."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Python API") :]
    return section[section.index("```python\n") + 10 : section.index("\n```\n")]


def test_the_readme_example_runs_and_a_rerun_resumes(tmp_path: Path, example_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    shutil.copy(example_path, tmp_path / "examples" / example_path.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMEX_", "OPENAI_"))}
    code = readme_api_example()

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    first, again = run(), run()
    with duckdb.connect(str(tmp_path / "claims.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM claims").fetchone()
        papers = con.execute("SELECT count(*) FROM papers").fetchone()
    assert stored is not None and papers == (41,)
    assert first[0] == "[(2.1, 'x', ['vLLM'], '8 A100 GPUs')]"
    assert first[1:] == [
        "rules backend: no LLM endpoint or API key configured",
        f"run 1: 41 papers, {stored[0]} claims",
        f"({stored[0]},)",
    ]
    assert again[2] == "run 1: 0 papers, 0 claims"  # all done: the rerun skips every paper


def test_extractor_runs_rules_in_worker_batches_and_an_interrupted_run_resumes(
    tmp_path: Path, example_path: Path
) -> None:
    whole = claimex.open_store(tmp_path / "whole.duckdb")
    claimex.ingest(whole, example_path)
    claimex.Extractor("rules").run(whole, batch_size=41)
    expected = stored_claims(whole)
    store = claimex.open_store(tmp_path / "claims.duckdb")
    (counts,) = claimex.ingest(store, example_path)
    assert (counts.total, counts.new) == (41, 41)
    batches: list[int] = []

    def stop_after_two(tally: RunResult) -> None:
        batches.append(tally.papers_ok + tally.papers_failed)
        if len(batches) == 2:
            raise KeyboardInterrupt

    extractor = claimex.Extractor("rules")
    with pytest.raises(KeyboardInterrupt):
        extractor.run(store, workers=2, batch_size=5, on_batch=stop_after_two)
    assert store.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    kept = store.execute("SELECT count(*) FROM paper_runs WHERE status = 'ok'").fetchone()
    assert batches == [5, 5] and kept == (10,)  # whole batches only
    rerun = extractor.run(store, workers=2, batch_size=5)
    assert (rerun.run_id, rerun.papers_skipped, rerun.papers_ok) == (1, 10, 31)
    assert stored_claims(store) == expected
    assert store.execute("SELECT status FROM runs").fetchall() == [("completed",)]


def stored_claims(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT paper_id, ordinal, value, unit, evidence FROM claims ORDER BY ALL"
    ).fetchall()


def test_workers_are_for_the_rules_backend_in_both_spellings(
    tmp_path: Path, cli: Cli, example_path: Path
) -> None:
    store = claimex.open_store(tmp_path / "claims.duckdb")
    llm = claimex.Extractor(base_url="http://127.0.0.1:9/v1", model=MODEL, store=store)
    with pytest.raises(SettingError, match=r"^workers is for the rules backend; use concurrency$"):
        llm.run(store, workers=2)
    store.close()
    url = ("--base-url", "http://127.0.0.1:9/v1", "--model", MODEL)
    result = cli("extract", example_path, "--db", tmp_path / "cli.duckdb", *url, "--workers", "2")
    assert result.exit_code == 2
    assert "error: --workers is for the rules backend; use --concurrency" in result.stderr


def test_ingest_of_a_bad_file_writes_nothing_from_any_file(
    tmp_path: Path, example_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "T", "abstract": "A 2x speedup."}\n{not json\n')
    store = claimex.open_store(tmp_path / "claims.duckdb")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: "):
        claimex.ingest(store, example_path, bad)
    assert store.execute("SELECT count(*) FROM papers").fetchone() == (0,)
    (counts,) = claimex.ingest(store, example_path)
    assert (counts.new, counts.unchanged) == (41, 0)
    (again,) = claimex.ingest(store, example_path)
    assert (again.new, again.unchanged) == (0, 41)
