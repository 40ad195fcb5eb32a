"""Run instructor's async-validator check once per response model, not six times a call.

instructor 1.17 (instructor.v2) walks the response model's classes looking for
its async validators, which it refuses, six times per structured call (about
1 ms of client CPU a paper on a 2-core box, a fifth of the pipeline's own work
at concurrency 32, where that CPU is what caps throughput). The answer depends
only on the class, so a class that passed is remembered; a class that fails is
checked, and fails, every time. Releases without instructor.v2 have no such
check, and nothing is changed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

_MARK = "_claimex_check_once"
_MODULES = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")


def check_once(check: Callable[[Any], None]) -> Callable[[Any], None]:
    """check, remembering the classes it accepted (anything else is checked every call)."""
    accepted: set[type] = set()

    def checked(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in accepted:
            return
        check(response_model)
        if isinstance(response_model, type):
            accepted.add(response_model)

    setattr(checked, _MARK, True)
    return checked


def install() -> None:
    """Replace instructor's check, where its modules look it up, by check_once of it (once)."""
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            return
        current = getattr(module, "reject_async_validators", None)
        if current is None or getattr(current, _MARK, False):
            continue
        module.__dict__["reject_async_validators"] = check_once(current)
