"""Rule ids: every rule is listed with examples that fire it, and stored claims name their rules."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import duckdb
import pytest

from claimex.backends.rules import extract_claims
from claimex.backends.rules.registry import RULES, RULES_BY_ID
from claimex.backends.rules.setup_filter import classify
from conftest import Cli

EVAL_PAPERS = Path(__file__).resolve().parents[1] / "eval" / "papers.jsonl"


def fired(text: str) -> set[str]:
    """The ids of the rules that fired on text: behind a claim, or dropping a number."""
    found = extract_claims(text)
    return {rule for rules in found.rules for rule in rules} | {rule for _, rule in found.skipped}


@pytest.mark.parametrize(
    ("rule_id", "example"),
    [(rule.id, example) for rule in RULES for example in rule.examples],
)
def test_each_example_fires_its_rule(rule_id: str, example: str) -> None:
    assert rule_id in fired(example)


def test_rule_ids_are_unique_and_each_has_an_example() -> None:
    assert len(RULES_BY_ID) == len(RULES)
    assert all(rule.examples and rule.description for rule in RULES)


def test_every_rule_id_the_extractor_records_is_listed() -> None:
    seen: set[str] = set()
    for line in EVAL_PAPERS.read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        seen |= fired(paper["abstract"])
    assert seen - set(RULES_BY_ID) == set()
    assert len(seen) > 30  # the corpus exercises most rules


def test_each_claim_lists_the_rules_that_set_its_fields() -> None:
    found = extract_claims("FooServe cuts latency by 35% compared to vLLM.")
    ((rules),) = found.rules
    assert rules[:2] == ["number.numeral", "result.plain"]
    assert {"category.metric-word", "kind.percent-change", "baseline.comparison"} <= set(rules)
    assert "system.subject" in rules


def test_stored_claims_keep_their_rule_ids(cli: Cli, tmp_path: Path, example_path: Path) -> None:
    db = tmp_path / "claims.duckdb"
    result = cli("extract", example_path, "--backend", "rules", "--db", db)
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT rules FROM claims").fetchall()
    finally:
        con.close()
    assert len(rows) > 50
    for (rules,) in rows:
        assert rules and set(rules) <= set(RULES_BY_ID)
        assert rules[1].startswith("result.")  # the rule that made the number a result


def test_rules_list_prints_every_rule_with_its_examples(cli: Cli) -> None:
    result = cli("rules", "list")
    assert result.exit_code == 0, result.output
    for rule in RULES:
        assert (
            f"{rule.id}  [{rule.field}, {rule.stage} priority {rule.priority}]  {rule.description}"
            in result.stdout
        )
        for example in rule.examples:
            assert f"    e.g. {example}" in result.stdout


def test_role_priorities_are_the_order_classify_tries_the_rules() -> None:
    # the first id each branch of classify returns, in source order, then the one rule
    # applied after it (a baseline value list goes on)
    ids = re.findall(r'"((?:setup|result|condition)\.[a-z-]+)"', inspect.getsource(classify))
    tried = [*dict.fromkeys(ids), "condition.baseline-value-list"]
    roles = sorted((rule for rule in RULES if rule.stage == "role"), key=lambda r: r.priority)
    assert [rule.id for rule in roles] == tried
    assert [rule.priority for rule in roles] == list(range(1, len(roles) + 1))


def test_every_rule_has_a_stage_a_field_and_a_priority() -> None:
    for rule in RULES:
        assert rule.stage and rule.field and rule.priority >= 1
    firsts = {rule.stage for rule in RULES if rule.priority == 1}
    assert firsts == {rule.stage for rule in RULES}
