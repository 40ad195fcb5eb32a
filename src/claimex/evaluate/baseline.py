"""Saved score files and the regression gate that compares a new evaluation with one.

A baseline records the scores with what produced them (backend, model, prompt)
and the gold file's hash, so a later comparison can tell "the extractor got
worse" from "the labels changed".
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimex.errors import ClaimexError, InputError
from claimex.evaluate.metrics import HEADLINE_SCORES, Scores
from claimex.evaluate.session import ScoredRun
from claimex.readers import read_text

FORMAT_VERSION = 1
DEFAULT_TOLERANCE = 0.01
_FLOAT_SLACK = 1e-9  # 0.80 - 0.79 is 0.01000...09 in floats: a drop of exactly the tolerance passes


@dataclass(frozen=True)
class Baseline:
    path: Path
    headline: dict[str, float]
    gold_sha256: str | None
    run: dict[str, Any]


@dataclass(frozen=True)
class Drop:
    """A headline score that fell by more than the tolerance."""

    score: str
    baseline: float
    current: float

    def describe(self) -> str:
        return (
            f"{self.score} dropped from {self.baseline:.3f} to {self.current:.3f} "
            f"({self.current - self.baseline:+.3f})"
        )


def baseline_document(scored: ScoredRun) -> dict[str, Any]:
    """Scores plus what produced them: the run's backend, model, prompt and the gold file's hash."""
    return {
        "claimex_baseline": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "run": asdict(scored.predictions.run),
        "papers": {"path": str(scored.inputs.papers_path), "count": len(scored.inputs.papers)},
        "gold": {"path": str(scored.inputs.gold_path), "sha256": scored.inputs.gold_sha256},
        "scores": scored.evaluation.scores.as_dict(),
    }


def save_baseline(path: Path, document: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ClaimexError(f"{path}: cannot write the baseline ({exc.strerror})") from None


def load_baseline(path: Path) -> Baseline:
    """Read a score file written by save_baseline; InputError when it is not one."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno
        ) from None
    scores = data.get("scores") if isinstance(data, dict) else None
    if not isinstance(scores, dict):
        raise InputError(
            path,
            'not a baseline file (no "scores" object; write one with {save_baseline})',
            names_settings=True,
        )
    headline: dict[str, float] = {}
    for name in HEADLINE_SCORES:
        value = scores.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(path, f'"scores" has no number for {name!r}')
        headline[name] = float(value)
    gold = data.get("gold")
    sha = gold.get("sha256") if isinstance(gold, dict) else None
    run = data.get("run")
    return Baseline(
        path, headline, sha if isinstance(sha, str) else None, run if isinstance(run, dict) else {}
    )


def regressions(scores: Scores, baseline: Baseline, tolerance: float) -> list[Drop]:
    """Headline scores that fell by more than tolerance; gains and small wobbles pass."""
    current = scores.headline()
    return [
        Drop(name, baseline.headline[name], current[name])
        for name in HEADLINE_SCORES
        if baseline.headline[name] - current[name] > tolerance + _FLOAT_SLACK
    ]
