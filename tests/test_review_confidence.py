"""`claim_confidence`: claims of a rules run and an llm run on the same papers, compared.

Two papers of the example corpus go through the rules backend, then through the llm
backend against the stub server, which answers with the rules' claims, one value changed.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from claimex.readers import read_papers
from claimex.store.runs import load_run_claims
from claimex.testing.openai_stub import Answer, StubOpenAIServer
from conftest import EXAMPLE, Cli
from review_support import query

PAPERS = ("deepspeed-fastgen", "distserve")


@pytest.fixture
def two_backends_db(tmp_path: Path, cli: Cli) -> Path:
    papers = [p for p in read_papers(EXAMPLE) if p.id in PAPERS]
    source = tmp_path / "two.jsonl"
    source.write_text("".join(p.model_dump_json() + "\n" for p in papers))
    db = tmp_path / "two.duckdb"
    assert cli("extract", source, "--db", db, "--backend", "rules").exit_code == 0
    con = duckdb.connect(str(db), read_only=True)
    rules = load_run_claims(con, 1)
    con.close()
    answers = {}
    for paper in papers:
        claims = [c.model_dump(mode="json") for c in rules[paper.id]]
        if paper.id == "deepspeed-fastgen":  # the llm reads 2.3x as 2.4x: one each side
            (changed,) = [c for c in claims if c["value"] == 2.3]
            changed["value"], changed["evidence"] = 2.4, changed["evidence"].replace("2.3", "2.4")
        answers[paper.abstract] = [Answer(claims)]
    (tmp_path / "claimex.toml").write_text("[tool.claimex]\nbackoff_base = 0.001\n")
    with StubOpenAIServer(answers) as server:
        result = cli(
            "extract", "--db", db, "--backend", "llm", "--base-url", server.base_url,
            "--model", "M", env={"OPENAI_API_KEY": None},
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    return db


def test_claims_agreed_by_both_or_found_by_one(two_backends_db: Path) -> None:
    rows = query(
        two_backends_db,
        "SELECT cc.paper_id, cc.backend, c.value, cc.confidence FROM claim_confidence cc"
        " JOIN claims c USING (run_id, paper_id, ordinal) ORDER BY ALL",
    )
    fastgen = [(b, v, conf) for p, b, v, conf in rows if p == "deepspeed-fastgen"]
    assert ("rules", 2.3, "rules only") in fastgen
    assert ("llm", 2.4, "llm only") not in fastgen  # 2.4 is not in the text: not grounded
    assert [r for r in fastgen if r[1] in (2.0, 3.7)] == [
        ("llm", 2.0, "agreed"), ("llm", 3.7, "agreed"),
        ("rules", 2.0, "agreed"), ("rules", 3.7, "agreed"),
    ]  # fmt: skip
    assert {conf for p, _, _, conf in rows if p == "distserve"} == {"agreed"}


def test_single_backend_papers_have_no_confidence(rules_db: Path) -> None:
    assert query(rules_db, "SELECT DISTINCT confidence FROM claim_confidence") == [(None,)]


def test_show_and_the_page_show_confidence(cli: Cli, two_backends_db: Path, tmp_path: Path) -> None:
    result = cli("show", "deepspeed-fastgen", "--run", "1", "--db", two_backends_db, "-f", "json")
    assert result.exit_code == 0, result.output
    shown = {c["value"]: c["confidence"] for c in json.loads(result.stdout)["claims"]}
    assert shown == {2.3: "rules only", 2.0: "agreed", 3.7: "agreed"}
    table = cli("show", "deepspeed-fastgen", "--run", "1", "--db", two_backends_db)
    words = " ".join(table.stdout.split())  # lines wrap at the terminal's width
    assert "confidence: rules only" in words and "confidence: agreed" in words
    out = tmp_path / "r.html"
    assert cli("review", "--out", out, "--run", "1", "--db", two_backends_db).exit_code == 0
    html = out.read_text()
    agreed = query(
        two_backends_db,
        "SELECT count(*) FROM claim_confidence WHERE run_id = 1 AND confidence = 'agreed'",
    )
    assert [(html.count('<td class="confidence-agreed">agreed</td>'),)] == agreed
    assert html.count('<td class="confidence-one">rules only</td>') == 1
