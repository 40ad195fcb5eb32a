"""The evaluation harness: score extracted claims against hand labels (claim-spec "Matching").

    inputs = load_inputs(Path("eval/papers.jsonl"), Path("eval/gold.jsonl"))
    scored = score_backend(inputs, create_backend("rules"))  # or score_stored_run(inputs, db, 3)
    scored.evaluation.scores.micro.f1

`evaluate(papers, gold, predictions)` scores in-memory claims without a database.
"""

from claimex.evaluate.baseline import DEFAULT_TOLERANCE, Drop, load_baseline, regressions
from claimex.evaluate.compare import RunComparison, compare_runs
from claimex.evaluate.files import load_gold, load_papers_file
from claimex.evaluate.matching import assign, can_match
from claimex.evaluate.metrics import HEADLINE_SCORES, Evaluation, PaperResult, Scores, evaluate
from claimex.evaluate.session import (
    EvalInputs,
    ScoredRun,
    load_inputs,
    score_backend,
    score_stored_run,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "HEADLINE_SCORES",
    "Drop",
    "EvalInputs",
    "Evaluation",
    "PaperResult",
    "RunComparison",
    "ScoredRun",
    "Scores",
    "assign",
    "can_match",
    "compare_runs",
    "evaluate",
    "load_baseline",
    "load_gold",
    "load_inputs",
    "load_papers_file",
    "regressions",
    "score_backend",
    "score_stored_run",
]
