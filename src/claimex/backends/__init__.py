"""Extractor backends behind one interface, looked up by name and imported on demand."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from claimex.errors import ClaimexError
from claimex.stages import Backend

# name -> "module:factory"; a factory takes keyword options and returns a Backend.
_REGISTRY: dict[str, str] = {
    "llm": "claimex.backends.llm.extractor:create_llm_extractor",
    "rules": "claimex.backends.rules:create_rules_backend",
}


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def register_backend(name: str, target: str) -> None:
    """Make an extractor available by name; target is "module:factory", imported on first use.

    For backends that live outside claimex (plugins, and test-only extractors that
    tests register for themselves). A name already registered is replaced.
    """
    module_name, _, factory_name = target.partition(":")
    if not module_name or not factory_name:
        raise ValueError(f'backend target must be "module:factory", got {target!r}')
    _REGISTRY[name] = target


def create_backend(name: str, options: Mapping[str, Any] | None = None) -> Backend:
    """Build the named backend; unknown names get a one-line error listing the known ones."""
    target = _REGISTRY.get(name)
    if target is None:
        known = ", ".join(backend_names()) or "none"
        raise ClaimexError(f"unknown backend {name!r} (known: {known})")
    module_name, factory_name = target.split(":")
    factory: Callable[..., Backend] = getattr(importlib.import_module(module_name), factory_name)
    return factory(**dict(options or {}))


__all__ = ["backend_names", "create_backend", "register_backend"]
