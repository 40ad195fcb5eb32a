"""Entity normalisation: canonical names for systems, baselines, hardware and workloads.

The verbatim fields stay as extracted; the canonical ones are stored beside them
(`system_norm`, `baselines_norm`, `hardware_model`, ...), from alias data files a
user can edit (`claimex normalise` rewrites the stored ones after an edit).
"""

from claimex.entities.aliases import ALIASES_ENV, Aliases, load_aliases
from claimex.entities.columns import DERIVED_COLUMNS, derived_values, renormalise

__all__ = [
    "ALIASES_ENV",
    "DERIVED_COLUMNS",
    "Aliases",
    "derived_values",
    "load_aliases",
    "renormalise",
]
