"""instructor's async-validator check runs once per accepted class, and still refuses."""

from __future__ import annotations

import importlib

import pytest
from pydantic import BaseModel

import claimex.backends.llm.client  # noqa: F401  (installs the check on import)
from claimex.backends.llm.response import RESPONSE_MODEL
from claimex.backends.llm.validator_check import check_once


class Plain(BaseModel):
    value: int


def test_an_accepted_class_is_checked_once_and_a_refused_one_every_time() -> None:
    seen: list[object] = []

    def check(model: object) -> None:
        seen.append(model)
        if model is not Plain:
            raise ValueError(f"{model!r} refused")

    once = check_once(check)
    for _ in range(3):
        once(Plain)
        with pytest.raises(ValueError, match="refused"):
            once(dict)
    assert seen == [Plain, dict, dict, dict]


def test_instructor_still_refuses_async_validators_after_install() -> None:
    try:
        validators = importlib.import_module("instructor.v2.validation.async_validators")
        patch = importlib.import_module("instructor.v2.core.patch")
    except ImportError:
        pytest.skip("this instructor has no async-validator check")

    class Checked(BaseModel):
        value: int

        @validators.async_field_validator("value")
        async def positive(self, value: int) -> int:
            return value

    for module in (validators, patch):
        assert getattr(module.reject_async_validators, "_claimex_check_once", False)
        module.reject_async_validators(RESPONSE_MODEL)  # claimex's own model passes
        for _ in range(2):
            with pytest.raises(ValueError, match="async validators are not supported"):
                module.reject_async_validators(Checked)
