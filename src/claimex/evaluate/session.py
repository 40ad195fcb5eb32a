"""One evaluation from files to scores: load papers and gold, get predictions, score.

Inputs are loaded (and checked) first, so bad labels cost no extraction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claimex.evaluate.files import file_sha256, load_gold, load_papers_file
from claimex.evaluate.metrics import Evaluation, evaluate
from claimex.evaluate.sources import Predictions, predictions_from_backend, predictions_from_run
from claimex.model import Claim, Paper
from claimex.stages import Backend, PaperOutcome, RunResult
from claimex.store import open_read_only


@dataclass(frozen=True)
class EvalInputs:
    papers_path: Path
    gold_path: Path
    papers: list[Paper]
    gold: dict[str, list[Claim]]
    gold_sha256: str


def load_inputs(papers_path: Path, gold_path: Path) -> EvalInputs:
    papers = load_papers_file(papers_path)
    gold = load_gold(gold_path, papers)
    return EvalInputs(papers_path, gold_path, papers, gold, file_sha256(gold_path))


@dataclass(frozen=True)
class ScoredRun:
    """An evaluation with everything needed to report it and to save it as a baseline."""

    inputs: EvalInputs
    predictions: Predictions
    evaluation: Evaluation
    extraction: RunResult | None = None
    """Counts of the fresh extraction when a backend was run, else None."""


def score_stored_run(inputs: EvalInputs, db: Path | None, run_id: int) -> ScoredRun:
    """Score run_id of the database db on the inputs' papers."""
    con = open_read_only(db)
    try:
        predictions = predictions_from_run(con, run_id, inputs.papers)
    finally:
        con.close()
    return ScoredRun(inputs, predictions, evaluate(inputs.papers, inputs.gold, predictions.claims))


def score_backend(
    inputs: EvalInputs,
    backend: Backend,
    on_paper: Callable[[PaperOutcome], None] | None = None,
) -> ScoredRun:
    """Run backend (see claimex.backends.create_backend) on the inputs' papers in a
    temporary database and score the result."""
    predictions, result = predictions_from_backend(backend, inputs.papers, on_paper)
    return ScoredRun(
        inputs, predictions, evaluate(inputs.papers, inputs.gold, predictions.claims), result
    )
