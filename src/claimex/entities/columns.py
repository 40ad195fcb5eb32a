"""The columns stored beside a claim's verbatim fields, computed in one place.

Filled when a claim is written (store/runs.py) and recomputed for every stored claim
by `claimex normalise` after an alias file changes, and by the migration that added them.
"""

from __future__ import annotations

from typing import Any

import duckdb

from claimex.entities.aliases import Aliases, load_aliases
from claimex.entities.hardware import parse_hardware
from claimex.model import Category
from claimex.numbers import in_base_unit

# name -> DuckDB type, in the order derived_values returns them
DERIVED_COLUMNS: dict[str, str] = {
    "system_norm": "VARCHAR",
    "baselines_norm": "VARCHAR[]",
    "hardware_model": "VARCHAR",
    "hardware_count": "INTEGER",
    "hardware_vendor": "VARCHAR",
    "workload_norm": "VARCHAR",
    "lower_is_better": "BOOLEAN",
    "unit_base": "VARCHAR",
    "value_base": "DOUBLE",
    "value_max_base": "DOUBLE",
}
# Categories whose wording fixes which way is better ("1.9x faster prefill latency" is a
# speedup: more is better); the others follow the metric's words (error, efficiency).
_CATEGORY_LOWER_IS_BETTER = {
    Category.SPEEDUP: False,
    Category.THROUGHPUT: False,
    Category.LATENCY: True,
    Category.COST: True,
    Category.MEMORY: True,
}


MEMO_SIZE = 100_000  # name combinations remembered per alias tables, at most


def derived_values(claim: dict[str, Any], aliases: Aliases | None = None) -> tuple[object, ...]:
    """The DERIVED_COLUMNS of one claim given as a mapping of its fields."""
    aliases = aliases or load_aliases()
    baselines = claim.get("baselines") or ()
    key = (
        claim.get("system"),
        tuple(baselines),
        claim.get("hardware"),
        claim.get("workload"),
        str(claim.get("metric") or ""),
        claim["category"],
    )
    named = aliases.memo.get(key)
    if named is None:
        if len(aliases.memo) >= MEMO_SIZE:
            aliases.memo.clear()
        named = aliases.memo[key] = _named(aliases, *key)
    system, baselines_norm, *rest = named
    unit_base, value_base = in_base_unit(claim["value"], claim["unit"])
    value_max_base = in_base_unit(claim.get("value_max"), claim["unit"])[1]
    return (system, list(baselines_norm), *rest, unit_base, value_base, value_max_base)


def _named(
    aliases: Aliases,
    system: str | None,
    baselines: tuple[str, ...],
    hardware: str | None,
    workload: str | None,
    metric: str,
    category: str,
) -> tuple[Any, ...]:
    """The columns that follow from names alone (all but the base-unit values)."""
    # imported here: the rules package imports the store, which imports this module
    from claimex.backends.rules.cues import lower_is_better

    parsed = parse_hardware(aliases, hardware)
    lower = _CATEGORY_LOWER_IS_BETTER.get(Category(category))
    if lower is None:
        lower = lower_is_better(metric, Category(category))
    return (
        aliases.system(system),
        tuple(aliases.system(name) or name for name in baselines),
        parsed.model,
        parsed.count,
        parsed.vendor,
        aliases.workload(workload),
        lower,
    )


_SOURCE = (
    "system",
    "baselines",
    "hardware",
    "workload",
    "metric",
    "category",
    "value",
    "value_max",
    "unit",
)


def renormalise(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute the derived columns of every stored claim; returns how many changed."""
    aliases = load_aliases()
    rows = con.execute(
        f"SELECT run_id, paper_id, ordinal, {', '.join(_SOURCE)},"
        f" {', '.join(DERIVED_COLUMNS)} FROM claims"
    ).fetchall()
    changed: list[tuple[object, ...]] = []
    for row in rows:
        source = row[3 : 3 + len(_SOURCE)]
        new = derived_values(dict(zip(_SOURCE, source, strict=True)), aliases)
        if new != tuple(row[3 + len(_SOURCE) :]):
            changed.append((*row[:3], *new))
    if changed:
        names = ("run_id", "paper_id", "ordinal", *DERIVED_COLUMNS)
        types = ("INTEGER", "VARCHAR", "INTEGER", *DERIVED_COLUMNS.values())
        unnested = ", ".join(f"unnest(?::{t}[]) AS {n}" for n, t in zip(names, types, strict=True))
        assignments = ", ".join(f"{c} = s.{c}" for c in DERIVED_COLUMNS)
        con.execute(
            f"UPDATE claims SET {assignments} FROM (SELECT {unnested}) s"
            " WHERE claims.run_id = s.run_id AND claims.paper_id = s.paper_id"
            " AND claims.ordinal = s.ordinal",
            [list(column) for column in zip(*changed, strict=True)],
        )
    return len(changed)
