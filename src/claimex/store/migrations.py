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


MIGRATIONS: list[Migration] = [
    m001_papers,
    m002_runs_and_claims,
    m003_latest_claims_view,
    m004_llm_calls,
    m005_batches,
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
