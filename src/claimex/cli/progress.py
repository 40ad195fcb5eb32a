"""The extraction progress bar and run summary, shared by `extract` and `eval --backend`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimex.cli.app import err
from claimex.output import terminal_safe
from claimex.stages import PaperOutcome, RunResult, Status


@contextmanager
def extraction_progress(total: int) -> Iterator[Callable[[PaperOutcome], None]]:
    """A live bar of papers done, claims found, failures and tokens; yields its callback."""
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

    def advance(outcome: PaperOutcome) -> None:
        fields = progress.tasks[0].fields
        progress.update(
            task,
            advance=1,
            claims=fields["claims"] + len(outcome.claims),
            failed=fields["failed"] + (outcome.status != Status.OK),
            tokens=fields["tokens"] + outcome.input_tokens + outcome.output_tokens,
        )

    with progress:
        yield advance


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
