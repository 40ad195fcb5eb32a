"""The DuckDB store: connection, migrations, papers, runs and claims."""

from claimex.store.connection import (
    open_for_queries,
    open_read_only,
    open_store,
    resolve_db_path,
    transaction,
)

__all__ = ["open_for_queries", "open_read_only", "open_store", "resolve_db_path", "transaction"]
