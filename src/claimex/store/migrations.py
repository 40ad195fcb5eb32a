"""Forward-only schema migrations, recorded in `schema_version` (after simonw/llm's pattern).

Append a new function to MIGRATIONS for every schema change; never edit an
applied one. Opening a store applies the ones its file has not seen yet, each
in its own transaction, so a user's file upgrades in place.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def m001_papers(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE papers (
            id VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            abstract VARCHAR NOT NULL,
            authors INTEGER,
            date DATE,
            organisation VARCHAR,
            upvotes INTEGER,
            source VARCHAR,
            ingested_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )


def m002_runs_and_claims(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SEQUENCE runs_id_seq START 1")
    con.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY DEFAULT nextval('runs_id_seq'),
            backend VARCHAR NOT NULL,
            model VARCHAR,
            prompt_version VARCHAR,
            prompt_hash VARCHAR,
            fingerprint VARCHAR NOT NULL,
            config JSON,
            started_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            finished_at TIMESTAMP,
            status VARCHAR NOT NULL DEFAULT 'running',
            papers_ok INTEGER NOT NULL DEFAULT 0,
            papers_failed INTEGER NOT NULL DEFAULT 0,
            claims INTEGER NOT NULL DEFAULT 0,
            claims_dropped INTEGER NOT NULL DEFAULT 0,
            input_tokens BIGINT NOT NULL DEFAULT 0,
            output_tokens BIGINT NOT NULL DEFAULT 0
        )
        """
    )
    con.execute(
        """
        CREATE TABLE paper_runs (
            run_id INTEGER NOT NULL,
            paper_id VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            reason VARCHAR,
            claims INTEGER NOT NULL DEFAULT 0,
            claims_dropped INTEGER NOT NULL DEFAULT 0,
            input_tokens BIGINT NOT NULL DEFAULT 0,
            output_tokens BIGINT NOT NULL DEFAULT 0,
            duration_s DOUBLE,
            finished_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (run_id, paper_id)
        )
        """
    )
    con.execute(
        """
        CREATE TABLE claims (
            run_id INTEGER NOT NULL,
            paper_id VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            metric VARCHAR NOT NULL,
            category VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            value DOUBLE NOT NULL,
            value_max DOUBLE,
            bound VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            direction VARCHAR,
            baselines VARCHAR[] NOT NULL,
            system VARCHAR,
            hardware VARCHAR,
            workload VARCHAR,
            condition VARCHAR,
            evidence VARCHAR NOT NULL,
            evidence_start INTEGER NOT NULL,
            evidence_end INTEGER NOT NULL,
            alignment VARCHAR NOT NULL,
            PRIMARY KEY (run_id, paper_id, ordinal)
        )
        """
    )


def m003_latest_claims_view(con: duckdb.DuckDBPyConnection) -> None:
    """`latest_claims`: each paper's claims from its most recent successful extraction."""
    con.execute(
        """
        CREATE VIEW latest_claims AS
        WITH latest AS (
            SELECT paper_id, arg_max(run_id, finished_at) AS run_id
            FROM paper_runs WHERE status = 'ok' GROUP BY paper_id
        )
        SELECT c.*, p.title
        FROM claims c
        JOIN latest l USING (paper_id, run_id)
        JOIN papers p ON p.id = c.paper_id
        """
    )


def m004_llm_calls(con: duckdb.DuckDBPyConnection) -> None:
    """`llm_calls`: every LLM call's provenance, and the cache a rerun answers from."""
    con.execute("CREATE SEQUENCE llm_calls_id_seq START 1")
    con.execute(
        """
        CREATE TABLE llm_calls (
            id BIGINT PRIMARY KEY DEFAULT nextval('llm_calls_id_seq'),
            request_hash VARCHAR NOT NULL,
            paper_id VARCHAR,
            model VARCHAR NOT NULL,
            mode VARCHAR NOT NULL,
            temperature DOUBLE NOT NULL,
            prompt_version VARCHAR NOT NULL,
            prompt_hash VARCHAR NOT NULL,
            schema_hash VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            reason VARCHAR,
            requests INTEGER NOT NULL,
            http_retries INTEGER NOT NULL,
            reasks INTEGER NOT NULL,
            claims JSON,
            dropped JSON,
            raw_response JSON,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            duration_s DOUBLE NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )
        """
    )
    con.execute("CREATE INDEX llm_calls_request_hash ON llm_calls (request_hash)")


def m005_batches(con: duckdb.DuckDBPyConnection) -> None:
    """`batches` and `batch_papers`: Batch API jobs, so status and collect need only the id."""
    con.execute(
        """
        CREATE TABLE batches (
            id VARCHAR PRIMARY KEY,
            run_id INTEGER NOT NULL,
            input_file_id VARCHAR NOT NULL,
            base_url VARCHAR,
            settings JSON NOT NULL,
            requests INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            completed INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            output_file_id VARCHAR,
            error_file_id VARCHAR,
            submitted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            checked_at TIMESTAMP,
            collected_at TIMESTAMP
        )
        """
    )
    con.execute(
        """
        CREATE TABLE batch_papers (
            batch_id VARCHAR NOT NULL,
            paper_id VARCHAR NOT NULL,
            request_hash VARCHAR NOT NULL,
            in_file BOOLEAN NOT NULL,
            call_id BIGINT,
            PRIMARY KEY (batch_id, paper_id)
        )
        """
    )


def m006_entity_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Canonical names beside the verbatim fields (claimex.entities), filled for stored claims."""
    from claimex.entities import DERIVED_COLUMNS, renormalise

    for name, sql_type in DERIVED_COLUMNS.items():
        con.execute(f"ALTER TABLE claims ADD COLUMN {name} {sql_type}")
    renormalise(con)


def m007_comparisons_view(con: duckdb.DuckDBPyConnection) -> None:
    """`comparisons`: one row per (latest claim, baseline), its factor read as "times better".

    A ratio that goes the better way is its value, the other way 1/value; a percent change
    p reads 1 + p/100 up a higher-is-better metric and 1 / (1 - p/100) down a lower-is-better
    one (50% lower latency = 2.0), the reverse for a change the worse way. Levels (absolute)
    and deltas have no factor (NULL).
    """
    con.execute(
        """
        CREATE MACRO times_better(v, kind, direction, lower) AS CASE
            WHEN v IS NULL OR direction IS NULL OR lower IS NULL THEN NULL
            WHEN kind = 'ratio' AND v > 0 THEN
                CASE WHEN (direction = 'decrease') = lower THEN v ELSE 1 / v END
            WHEN kind = 'percent_change' AND direction = 'increase' THEN
                CASE WHEN lower THEN 1 / (1 + v / 100) ELSE 1 + v / 100 END
            WHEN kind = 'percent_change' AND direction = 'decrease' AND v < 100 THEN
                CASE WHEN lower THEN 1 / (1 - v / 100) ELSE 1 - v / 100 END
        END
        """
    )
    con.execute(
        """
        CREATE VIEW comparisons AS
        WITH pairs AS (
            SELECT c.*, unnest(c.baselines_norm) AS baseline,
                   unnest(c.baselines) AS baseline_as_written
            FROM latest_claims c
        )
        SELECT paper_id, title, run_id, ordinal,
               system_norm AS system, baseline, system AS system_as_written,
               baseline_as_written, metric, category, kind, value, value_max, bound, unit,
               direction,
               times_better(value, kind, direction, lower_is_better) AS factor,
               times_better(value_max, kind, direction, lower_is_better) AS factor_max,
               hardware, hardware_model, hardware_count, hardware_vendor,
               workload, workload_norm, evidence
        FROM pairs
        """
    )


def m008_claim_confidence_view(con: duckdb.DuckDBPyConnection) -> None:
    """`claim_confidence`: whether each paper's newest claims of each backend agree.

    Per paper and backend the newest successful run counts. A claim is 'agreed' when
    another backend's claim on the paper has the same value (and range end) within 1%
    in a compatible unit (the scorer's rule, on the stored base-unit values), else
    '<backend> only'; NULL when only one backend has run on the paper.
    """
    con.execute(
        """
        CREATE MACRO values_close(a, b) AS
            (a IS NULL AND b IS NULL)
            OR abs(a - b) <= greatest(0.01 * greatest(abs(a), abs(b)), 1e-12)
        """
    )
    con.execute(
        """
        CREATE VIEW claim_confidence AS
        WITH latest AS (
            SELECT pr.paper_id, r.backend, arg_max(pr.run_id, pr.finished_at) AS run_id
            FROM paper_runs pr JOIN runs r ON r.id = pr.run_id
            WHERE pr.status = 'ok' GROUP BY pr.paper_id, r.backend
        ),
        backends AS (SELECT paper_id, count(*) AS n FROM latest GROUP BY paper_id),
        c AS (
            SELECT c.run_id, c.paper_id, c.ordinal, l.backend, c.unit_base, c.value_base,
                   c.value_max_base
            FROM claims c JOIN latest l USING (paper_id, run_id)
        ),
        matched AS (
            SELECT c.run_id, c.paper_id, c.ordinal,
                   list(DISTINCT o.backend ORDER BY o.backend) AS agreeing_backends
            FROM c JOIN c o ON o.paper_id = c.paper_id AND o.backend <> c.backend
                AND o.unit_base = c.unit_base AND values_close(o.value_base, c.value_base)
                AND values_close(o.value_max_base, c.value_max_base)
            GROUP BY ALL
        )
        SELECT c.run_id, c.paper_id, c.ordinal, c.backend,
               CASE WHEN b.n < 2 THEN NULL
                    WHEN m.agreeing_backends IS NOT NULL THEN 'agreed'
                    ELSE c.backend || ' only' END AS confidence,
               coalesce(m.agreeing_backends, []) AS agreeing_backends
        FROM c JOIN backends b USING (paper_id)
        LEFT JOIN matched m USING (run_id, paper_id, ordinal)
        """
    )


def m009_run_owner(con: duckdb.DuckDBPyConnection) -> None:
    """runs.pid and runs.host: which process runs it, so a killed one's run can be told stale."""
    con.execute("ALTER TABLE runs ADD COLUMN pid INTEGER")
    con.execute("ALTER TABLE runs ADD COLUMN host VARCHAR")


def m010_claim_rules(con: duckdb.DuckDBPyConnection) -> None:
    """`claims.rules`: the ids of the extractor rules behind each claim, to trace a wrong one."""
    con.execute("ALTER TABLE claims ADD COLUMN rules VARCHAR[] DEFAULT []")
    con.execute("UPDATE claims SET rules = [] WHERE rules IS NULL")


def m011_llm_call_attempts(con: duckdb.DuckDBPyConnection) -> None:
    """`llm_calls.attempts`: each HTTP request of a call (re-asks included) with its answer."""
    con.execute("ALTER TABLE llm_calls ADD COLUMN attempts JSON DEFAULT '[]'")
    con.execute("UPDATE llm_calls SET attempts = '[]' WHERE attempts IS NULL")


MIGRATIONS: list[Migration] = [
    m001_papers,
    m002_runs_and_claims,
    m003_latest_claims_view,
    m004_llm_calls,
    m005_batches,
    m006_entity_columns,
    m007_comparisons_view,
    m008_claim_confidence_view,
    m009_run_owner,
    m010_claim_rules,
    m011_llm_call_attempts,
]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The number of migrations this database has applied (0 for a new file)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[str]:
    """Apply pending migrations (up to `upto`, for tests of old files); return their names."""
    applied: list[str] = []
    target = len(MIGRATIONS) if upto is None else upto
    for version in range(schema_version(con) + 1, target + 1):
        migration = MIGRATIONS[version - 1]
        con.execute("BEGIN TRANSACTION")
        try:
            migration(con)
            con.execute(
                "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                [version, migration.__name__],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.__name__)
    return applied
