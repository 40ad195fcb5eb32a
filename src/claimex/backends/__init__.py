"""Extractor backends behind one interface, looked up by name and imported on demand."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from claimex.backends.base import Extraction, Extractor
from claimex.errors import ClaimexError

# name -> "module:factory"; a factory takes keyword options and returns an Extractor.
_REGISTRY: dict[str, str] = {}


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def create_backend(name: str, options: Mapping[str, Any] | None = None) -> Extractor:
    """Build the named backend; unknown names get a one-line error listing the known ones."""
    target = _REGISTRY.get(name)
    if target is None:
        known = ", ".join(backend_names()) or "none"
        raise ClaimexError(f"unknown backend {name!r} (known: {known})")
    module_name, factory_name = target.split(":")
    factory: Callable[..., Extractor] = getattr(importlib.import_module(module_name), factory_name)
    return factory(**dict(options or {}))


__all__ = ["Extraction", "Extractor", "backend_names", "create_backend"]
