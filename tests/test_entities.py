"""Entity normalisation: alias files, hardware parsing, the stored columns and `normalise`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from claimex.entities import load_aliases
from claimex.entities.hardware import parse_hardware
from claimex.store.migrations import MIGRATIONS, migrate
from conftest import Cli
from review_support import query


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("vLLM [12]", "vLLM"),
        ("vllm", "vLLM"),
        ("the vLLM", "vLLM"),
        ("Orca (Yu et al., 2022)", "Orca"),
        ("TRT-LLM", "TensorRT-LLM"),
        ("Some New Server", "Some New Server"),  # unknown: as written
        ("MyServe [3, 4]", "MyServe"),
    ],
)
def test_system_names(written: str, canonical: str) -> None:
    assert load_aliases().system(written) == canonical


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Llama 2-70B", "Llama-2-70B"),
        ("LLaMA2-70B", "Llama-2-70B"),
        ("ResNet50", "ResNet-50"),
        ("70B-scale models", "70B-scale models"),
    ],
)
def test_workload_names(written: str, canonical: str) -> None:
    assert load_aliases().workload(written) == canonical


@pytest.mark.parametrize(
    ("written", "model", "count", "vendor"),
    [
        ("8 A100 GPUs", "A100", 8, "NVIDIA"),
        ("single A100 GPU", "A100", 1, "NVIDIA"),
        ("four H100 GPUs", "H100", 4, "NVIDIA"),
        ("8x H100", "H100", 8, "NVIDIA"),
        ("A100 x 8", "A100", 8, "NVIDIA"),
        ("GH200", "GH200", None, "NVIDIA"),
        ("Jetson AGX Orin", "Jetson AGX Orin", None, "NVIDIA"),
        ("Ascend NPUs", "Ascend", None, "Huawei"),
        ("Pixel phone", "Pixel", None, "Google"),
        ("384 GCDs", "GCD", 384, "AMD"),
        ("ordinary consumer CPUs", "ordinary consumer CPUs", None, None),
        ("two mystery boards", "mystery boards", 2, None),
    ],
)
def test_hardware(written: str, model: str, count: int | None, vendor: str | None) -> None:
    parsed = parse_hardware(load_aliases(), written)
    assert (parsed.model, parsed.count, parsed.vendor) == (model, count, vendor)


def test_stored_beside_the_verbatim_fields(rules_db: Path) -> None:
    rows = query(
        rules_db,
        "SELECT hardware, hardware_model, hardware_count, hardware_vendor, workload,"
        " workload_norm, baselines, baselines_norm FROM claims"
        " WHERE paper_id = 'taming-throughput-latency-tradeoff-in-llm' ORDER BY ordinal",
    )
    assert ("8 A100 GPUs", "A100", 8, "NVIDIA") in [r[:4] for r in rows]
    (tpi,) = query(
        rules_db,
        "SELECT workload, workload_norm FROM claims"
        " WHERE paper_id = 'tpi-llm' AND workload = 'Llama 2-70B'",
    )
    assert tpi == ("Llama 2-70B", "Llama-2-70B")
    (compared,) = query(
        rules_db,
        "SELECT baselines, baselines_norm FROM claims"
        " WHERE paper_id = 'tpi-llm' AND category = 'latency' AND value = 90",
    )
    assert compared == (["Transformers", "Galaxy"], ["HuggingFace Transformers", "Galaxy"])
    # every claim has its derived columns; baselines_norm lines up with baselines
    assert query(
        rules_db,
        "SELECT count(*) FROM claims WHERE lower_is_better IS NULL OR unit_base IS NULL"
        " OR len(baselines_norm) <> len(baselines)",
    ) == [(0,)]


def test_user_alias_file_and_normalise_command(
    rules_db: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    aliases = tmp_path / "aliases"
    aliases.mkdir()
    (aliases / "systems.txt").write_text(
        "[names]\nSOTA systems | state-of-the-art systems | state-of-the-art designs\n"
    )
    (aliases / "hardware.txt").write_text("[Acme]\nRoadRunner | RR board\n")
    monkeypatch.setenv("CLAIMEX_ALIASES_DIR", str(aliases))
    before = query(
        rules_db, "SELECT count(*) FROM claims WHERE list_contains(baselines_norm, 'SOTA systems')"
    )
    assert before == [(0,)]
    result = cli("normalise", "--db", rules_db)
    assert result.exit_code == 0, result.output
    changed = int(result.stderr.split()[0])
    expected = query(
        rules_db,
        "SELECT count(*) FROM claims WHERE list_has_any(baselines,"
        " ['state-of-the-art systems', 'state-of-the-art designs'])",
    )
    assert [(changed,)] == expected and changed > 0
    assert (
        query(
            rules_db,
            "SELECT count(*) FROM claims WHERE list_contains(baselines_norm, 'SOTA systems')",
        )
        == expected
    )
    # verbatim untouched; shipped aliases still apply
    assert query(
        rules_db, "SELECT count(*) FROM claims WHERE list_contains(baselines, 'SOTA systems')"
    ) == [(0,)]
    assert parse_hardware(load_aliases(), "2 RR boards").vendor == "Acme"
    assert load_aliases().system("vllm") == "vLLM"
    again = cli("normalise", "--db", rules_db)
    assert again.stderr.startswith("0 claims renormalised")


def test_bad_alias_file_is_one_line_exit_2(
    rules_db: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "workloads.txt").write_text("Llama-2-70B | Llama 2 70B\n")
    monkeypatch.setenv("CLAIMEX_ALIASES_DIR", str(tmp_path))
    result = cli("normalise", "--db", rules_db)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {tmp_path / 'workloads.txt'}:1: phrase before any [section] header"
    )


def test_migration_fills_the_columns_of_an_older_file(tmp_path: Path, rules_db: Path) -> None:
    """A file written before the columns existed gets them filled when it is opened."""
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    before_columns = next(
        i for i, m in enumerate(MIGRATIONS) if m.__name__.endswith("_entity_columns")
    )
    migrate(con, upto=before_columns)
    con.execute(f"ATTACH '{rules_db}' AS src (READ_ONLY)")
    for table in ("papers", "runs", "paper_runs", "claims"):  # the old file's columns only
        info = f"SELECT name FROM pragma_table_info('{table}')"
        columns = ", ".join(r[0] for r in con.execute(info).fetchall())
        con.execute(f"INSERT INTO {table} SELECT {columns} FROM src.{table}")
    con.execute("DETACH src")
    migrate(con)
    con.close()
    derived = "system_norm, baselines_norm, hardware_model, hardware_count, workload_norm"
    order = "ORDER BY run_id, paper_id, ordinal"
    assert query(old, f"SELECT {derived} FROM claims {order}") == query(
        rules_db, f"SELECT {derived} FROM claims {order}"
    )
