"""The extraction progress bar and run summary, shared by `extract` and `eval --backend`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from claimex.cli.app import err
from claimex.output import terminal_safe
from claimex.stages import PaperOutcome, RunResult, Status


class ProgressBar:
    """The bar's callbacks: one finished paper (the pipeline), or a batch's tally (--workers)."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def __call__(self, outcome: PaperOutcome) -> None:
        tokens = outcome.input_tokens + outcome.output_tokens
        self._advance(1, len(outcome.claims), int(outcome.status != Status.OK), tokens)

    def batch(self, tally: RunResult) -> None:
        papers = tally.papers_ok + tally.papers_failed
        tokens = tally.input_tokens + tally.output_tokens
        self._advance(papers, tally.claims, tally.papers_failed, tokens)

    def _advance(self, papers: int, claims: int, failed: int, tokens: int) -> None:
        fields = self._progress.tasks[0].fields
        self._progress.update(
            self._task,
            advance=papers,
            claims=fields["claims"] + claims,
            failed=fields["failed"] + failed,
            tokens=fields["tokens"] + tokens,
        )


@contextmanager
def extraction_progress(total: int) -> Iterator[ProgressBar]:
    """A live bar of papers done, claims found, failures and tokens; yields its callbacks."""
    progress = Progress(
        TextColumn("[bold]extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("claims {task.fields[claims]}"),
        TextColumn("failed {task.fields[failed]}"),
        TextColumn("tokens {task.fields[tokens]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # piped stderr would get a stray blank line, not a bar
    )
    task = progress.add_task("extract", total=total, claims=0, failed=0, tokens=0)
    with progress:
        yield ProgressBar(progress, task)


def print_run(result: RunResult) -> None:
    """One line of counts, then one line per failed paper with its reason."""
    for run_id, pid in result.stale_runs:
        err.print(
            f"run {run_id} was left running by process {pid}, which is gone: marked interrupted",
            highlight=False,
        )
    err.print(
        f"run {result.run_id}: {result.papers_ok} papers ok, {result.papers_failed} failed, "
        f"{result.papers_skipped} already done; {result.claims} claims stored, "
        f"{result.dropped} dropped (ungrounded)",
        highlight=False,
    )
    for paper_id, reason in result.failures:
        err.print(
            terminal_safe(f"  failed {paper_id}: {reason}"),
            highlight=False,
            markup=False,
            style="red",
        )
