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


def unique_id(base: str, taken: Container[str]) -> str:
    """base if free, else base-2, base-3, ... (deterministic in input order)."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
