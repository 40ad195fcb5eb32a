"""Stable paper ids: a given id wins, else a slug of the title; collisions get -2, -3, ..."""

from __future__ import annotations

import re
from collections.abc import Container

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_SLUG_WORDS = 5


def slugify_title(title: str) -> str:
    """Slug from the part of the title before ':' (first five words, lowercase, dashes)."""
    head = title.split(":", 1)[0]
    words = " ".join(head.split()[:MAX_SLUG_WORDS]).lower()
    return _NON_ALNUM.sub("-", words).strip("-")


def unique_id(base: str, taken: Container[str], counters: dict[str, int] | None = None) -> str:
    """base if free, else the lowest free base-2, base-3, ... (deterministic in input order).

    counters remembers, per base, the suffix the last search stopped at. Ids are
    only ever added to taken, so every lower suffix is still taken and the next
    search can start there: a file of n papers sharing a slug costs O(n), not O(n²).
    """
    if base not in taken:
        return base
    n = counters.get(base, 2) if counters is not None else 2
    while f"{base}-{n}" in taken:
        n += 1
    if counters is not None:
        counters[base] = n + 1
    return f"{base}-{n}"
