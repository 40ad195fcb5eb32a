"""claimex: turn research abstracts into a queryable DuckDB table of quantitative claims."""

from importlib.metadata import PackageNotFoundError, version

from claimex.api import Extractor, extract, ingest
from claimex.model import Bound, Category, Claim, Direction, GroundedClaim, Kind, Paper
from claimex.store import open_store

try:
    __version__ = version("claimex")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "Bound",
    "Category",
    "Claim",
    "Direction",
    "Extractor",
    "GroundedClaim",
    "Kind",
    "Paper",
    "__version__",
    "extract",
    "ingest",
    "open_store",
]
