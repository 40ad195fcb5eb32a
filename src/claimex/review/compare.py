"""`claimex compare NAME`: who beats a system, by how much, where; and contradicting claims.

Reads the `comparisons` view; NAME goes through the same alias tables as stored names,
so "vllm" finds "vLLM".
"""

from __future__ import annotations

from typing import Any

import duckdb

from claimex.entities import load_aliases
from claimex.errors import ClaimexError

# A contradiction: A beats B on a category in one claim, B beats A on it in another.
_CONTRADICTIONS = """
SELECT a.system AS winner, a.baseline AS loser, a.category,
       round(a.factor, 2) AS factor, a.paper_id,
       round(b.factor, 2) AS reverse_factor, b.paper_id AS reverse_paper_id
FROM comparisons a JOIN comparisons b
  ON b.system = a.baseline AND b.baseline = a.system AND b.category = a.category
WHERE a.factor > 1 AND b.factor > 1 AND a.baseline = $name
ORDER BY a.category, a.system, a.paper_id, b.paper_id
"""

_AGAINST = """
SELECT coalesce(c.system, '(unnamed)') AS system,
       CASE WHEN c.factor IS NULL THEN NULL
            WHEN c.factor_max IS NOT NULL
            THEN printf('%.3gx-%.3gx', round(c.factor, 2), round(c.factor_max, 2))
            ELSE printf('%.3gx', round(c.factor, 2)) END AS times_better,
       c.metric, c.category,
       concat_ws(' ', c.hardware_count::VARCHAR, c.hardware_model) AS hardware,
       c.hardware_vendor AS vendor, c.workload_norm AS workload, c.paper_id,
       (SELECT string_agg(DISTINCT x.paper_id, ', ' ORDER BY x.paper_id) FROM comparisons x
        WHERE x.system = $name AND x.baseline = c.system AND x.category = c.category
          AND x.factor > 1 AND c.factor > 1) AS contradicted_by
FROM comparisons c
WHERE c.baseline = $name
ORDER BY c.factor DESC NULLS LAST, c.system, c.paper_id, c.ordinal
"""


def canonical_name(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The stored canonical name for NAME, or an error when no claim mentions it."""
    canonical = load_aliases().system(name) or name
    found = con.execute(
        "SELECT 1 FROM comparisons WHERE baseline = $n OR system = $n LIMIT 1", {"n": canonical}
    ).fetchone()
    if not found:
        raise ClaimexError(
            f"{name!r}: no comparison names it as system or baseline"
            ' (see `claimex sql "select distinct baseline from comparisons"`)'
        )
    return canonical


def _query(
    con: duckdb.DuckDBPyConnection, sql: str, name: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = con.execute(sql, {"name": name})
    return [d[0] for d in cursor.description or []], cursor.fetchall()


def beaten_by(con: duckdb.DuckDBPyConnection, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every comparison against `name`, best factor first ("2x" = twice as good as `name`)."""
    return _query(con, _AGAINST, name)


def contradictions(
    con: duckdb.DuckDBPyConnection, name: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Pairs of claims where X beats `name` and `name` beats X on the same category."""
    return _query(con, _CONTRADICTIONS, name)
