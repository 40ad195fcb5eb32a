"""Batch API runs: a paper set as one batch of requests, polled, then collected as one run.

The requests are the llm backend's own (its prompt, settings and request shape,
built by instructor), keyed by paper id; papers whose answer is already in
llm_calls stay out of the file and are stored from the cache at collect. The
batch, its input file and its run are kept in the database (store/batches.py),
so `status` and `collect` need only the batch id, or nothing for the newest.
Collect parses and grounds every result as the interactive backend does, logs
each one in llm_calls, and writes all papers into the batch's run through the
pipeline: rerunning it skips what is stored and logs nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import duckdb
import openai
from openai import OpenAI

from claimex.backends.llm.batchfile import CHAT_ENDPOINT, LineResult, parse_results
from claimex.backends.llm.config import LLMSettings, load_settings, public_url
from claimex.backends.llm.extractor import LOCAL_PLACEHOLDER_KEY, LLMExtractor, api_key_for
from claimex.backends.llm.prompts import load_prompt
from claimex.backends.llm.redaction import Redactor
from claimex.backends.llm.transport import classify
from claimex.errors import ClaimexError, InputError, SettingError
from claimex.model import Paper
from claimex.pipeline import run_extraction
from claimex.stages import Extraction, ExtractionFailed, PaperOutcome, RunResult, RunSpec
from claimex.store import runs, transaction
from claimex.store.batches import (
    BatchPaper,
    BatchRecord,
    add_batch,
    batch_papers,
    count_local,
    get_batch,
    has_batch,
    mark_collected,
    pending_papers,
    set_call,
    update_status,
)
from claimex.store.papers import load_papers

MAX_REQUESTS = 50_000  # OpenAI's limits for one batch input file
MAX_BYTES = 200 * 1024 * 1024
COMPLETION_WINDOW: Final[Literal["24h"]] = "24h"
TERMINAL = frozenset({"completed", "expired", "cancelled", "failed"})
LOCAL_PREFIX = "local-"  # batches written to a file, answered by e.g. `vllm run-batch`
T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """What a new batch holds: request lines, its papers, and the papers it leaves out."""

    run_id: int | None  # the run it fills: the newest of this configuration, else a new one
    lines: list[str]
    papers: list[BatchPaper]
    pending: int  # in the file of a batch not collected yet
    over_limit: int  # past MAX_REQUESTS or MAX_BYTES: for a later batch
    done: int  # stored in the run already

    @property
    def cached(self) -> int:
        return sum(not p.in_file for p in self.papers)

    @cached_property
    def data(self) -> bytes:
        """The request file's bytes."""
        return ("\n".join(self.lines) + "\n").encode()


async def plan_batch(
    con: duckdb.DuckDBPyConnection,
    extractor: LLMExtractor,
    papers: Sequence[Paper],
    max_requests: int = MAX_REQUESTS,
    on_paper: Callable[[], None] | None = None,
    *,
    new_run: bool = False,
) -> Plan:
    """One request line per paper not yet in the run, not cached and in no pending batch.

    Batches of one configuration fill one run, as `claimex extract` runs do (new_run
    starts another); papers already stored in it are left out altogether.
    """
    if not papers:
        raise ClaimexError("no papers to submit; pass a file or run `claimex ingest` first")
    run_id = (
        None if new_run else runs.latest_run_for(con, extractor.run_spec(batch=True).fingerprint)
    )
    done = runs.papers_done(con, run_id) if run_id is not None else set()
    pending = pending_papers(con)
    lines: list[str] = []
    entries: list[BatchPaper] = []
    size = skipped = over = 0
    for paper in papers:
        if on_paper is not None:
            on_paper()
        if paper.id in done:
            continue
        if paper.id in pending:
            skipped += 1
            continue
        request_hash = extractor.request_hash(paper)
        if extractor.cached(paper) is not None:
            entries.append(BatchPaper(paper.id, request_hash, in_file=False))
            continue
        if len(lines) >= max_requests:
            over += 1
            continue
        line = await extractor.batch_line(paper)
        if size + len(line.encode()) + 1 > MAX_BYTES:
            over += 1
            continue
        lines.append(line)
        size += len(line.encode()) + 1
        entries.append(BatchPaper(paper.id, request_hash, in_file=True))
    if not lines:
        reasons = [
            f"{len(done)} are stored in run {run_id}" if done else "",
            f"{skipped} are in a batch not collected yet" if skipped else "",
            f"{len(entries)} are answered in llm_calls (an extraction with {{backend}} llm"
            " stores them without requests)"
            if entries
            else "",
        ]
        # the template holds only counts and run ids besides {backend}: no stray braces
        raise SettingError(
            f"nothing to submit: of {len(papers)} papers, " + "; ".join(r for r in reasons if r)
        )
    return Plan(run_id, lines, entries, skipped, over, len(done))


def open_client(settings: LLMSettings, api_key: str) -> OpenAI:
    """The files/batches client: a few control calls, so the openai client's own retries do."""
    return OpenAI(api_key=api_key, base_url=settings.base_url, timeout=settings.timeout)


def submit(
    con: duckdb.DuckDBPyConnection, extractor: LLMExtractor, plan: Plan, client: OpenAI
) -> BatchRecord:
    """Upload the requests, create the batch, then record it and its run in one transaction."""
    redactor = Redactor(client.api_key)
    uploaded = _api(
        redactor,
        "uploading the requests",
        lambda: client.files.create(file=("claimex-requests.jsonl", plan.data), purpose="batch"),
    )
    created = _api(
        redactor,
        "creating the batch",
        lambda: client.batches.create(
            input_file_id=uploaded.id, endpoint=CHAT_ENDPOINT, completion_window=COMPLETION_WINDOW
        ),
    )
    return _record(con, extractor, plan, created.id, uploaded.id, created.status)


def write_requests(
    con: duckdb.DuckDBPyConnection, extractor: LLMExtractor, plan: Plan, path: Path
) -> BatchRecord:
    """Write the request file (whole or not at all) and record it as a local batch."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(plan.data)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ClaimexError(f"{path}: cannot write the request file ({exc.strerror})") from None
    return _record(con, extractor, plan, None, str(path.resolve()), "written")


def _record(
    con: duckdb.DuckDBPyConnection,
    extractor: LLMExtractor,
    plan: Plan,
    batch_id: str | None,
    input_file_id: str,
    status: str,
) -> BatchRecord:
    settings = extractor.settings
    stored = settings.model_dump(mode="json")
    stored["base_url"] = public_url(settings.base_url)
    if settings.prompts_dir is not None:
        stored["prompts_dir"] = str(settings.prompts_dir.resolve())
    if batch_id is not None and has_batch(con, batch_id):
        raise ClaimexError(
            f"the endpoint answered with batch id {batch_id}, already in this database"
        )
    with transaction(con):
        run_id = plan.run_id
        if run_id is None:
            run_id = runs.create_run(con, extractor.run_spec(batch=True))
        runs.mark_submitted(con, run_id)
        batch_id = batch_id or f"{LOCAL_PREFIX}{count_local(con, LOCAL_PREFIX) + 1}"
        add_batch(
            con,
            batch_id=batch_id,
            run_id=run_id,
            input_file_id=input_file_id,
            base_url=stored["base_url"],
            settings=stored,
            status=status,
            papers=plan.papers,
        )
    return get_batch(con, batch_id)


def is_local(record: BatchRecord) -> bool:
    return record.id.startswith(LOCAL_PREFIX)


def request_builder(
    con: duckdb.DuckDBPyConnection,
    overrides: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    send: bool,
) -> LLMExtractor:
    """The llm backend that builds a new batch's requests; a key only if they are sent."""
    settings = load_settings(overrides, environ=environ)
    key = api_key_for(settings, environ) if send else LOCAL_PLACEHOLDER_KEY
    return LLMExtractor(
        settings, load_prompt(settings.prompt_version, settings.prompts_dir), key, con
    )


def batch_settings(record: BatchRecord, overrides: Mapping[str, Any]) -> LLMSettings:
    """The settings the batch was built with; only where and how to connect may change."""
    return LLMSettings.model_validate({**record.settings, **overrides})


def batch_extractor(
    con: duckdb.DuckDBPyConnection,
    record: BatchRecord,
    settings: LLMSettings,
    api_key: str,
) -> LLMExtractor:
    """An extractor that reads the batch's answers exactly as its requests were built."""
    extractor = LLMExtractor(
        settings, load_prompt(settings.prompt_version, settings.prompts_dir), api_key, con
    )
    if extractor.run_spec(batch=True).fingerprint != runs.run_fingerprint(con, record.run_id):
        raise ClaimexError(
            f"batch {record.id}: its prompt ({settings.prompt_version}) or claimex's answer schema"
            f" changed since it was submitted; its answers cannot be read into run {record.run_id}"
        )
    return extractor


def refresh(
    con: duckdb.DuckDBPyConnection, record: BatchRecord, client: OpenAI
) -> tuple[BatchRecord, list[str]]:
    """The batch as the endpoint reports it now (stored); and its errors, if it failed."""
    redactor = Redactor(client.api_key)
    batch = _api(
        redactor, f"checking batch {record.id}", lambda: client.batches.retrieve(record.id)
    )
    counts = batch.request_counts
    update_status(
        con,
        record.id,
        status=batch.status,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
    )
    errors = [
        redactor.clean(f"line {e.line}: {e.message}" if e.line else str(e.message))
        for e in (batch.errors.data or [] if batch.errors else [])
    ]
    return get_batch(con, record.id), errors


def cancel(con: duckdb.DuckDBPyConnection, record: BatchRecord, client: OpenAI) -> BatchRecord:
    """Ask the endpoint to stop the batch; what it answered so far can still be collected."""
    redactor = Redactor(client.api_key)
    _api(redactor, f"cancelling batch {record.id}", lambda: client.batches.cancel(record.id))
    return refresh(con, record, client)[0]


def wait_until_done(
    con: duckdb.DuckDBPyConnection,
    record: BatchRecord,
    client: OpenAI,
    poll_seconds: float,
    on_status: Callable[[BatchRecord], None],
) -> tuple[BatchRecord, list[str]]:
    """Poll until the batch is completed, expired, cancelled or failed."""
    record, errors = refresh(con, record, client)
    on_status(record)
    while record.status not in TERMINAL:
        time.sleep(poll_seconds)
        before = (record.status, record.completed, record.failed)
        record, errors = refresh(con, record, client)
        if (record.status, record.completed, record.failed) != before:
            on_status(record)
    return record, errors


def download_results(record: BatchRecord, client: OpenAI) -> dict[str, LineResult]:
    """The results in the batch's output and error files, by paper id."""
    if record.status not in TERMINAL:
        raise SettingError(
            "batch {id} is {status} ({done} of {requests} requests done);"
            " collect it when it has finished, or collect with {wait}",
            id=record.id,
            status=record.status,
            done=record.completed + record.failed,
            requests=record.requests,
        )
    redactor = Redactor(client.api_key)
    results: dict[str, LineResult] = {}
    for kind, file_id in (("output", record.output_file_id), ("error", record.error_file_id)):
        if file_id is None:
            continue
        text = _api(
            redactor, f"downloading the {kind} file of batch {record.id}", _content(client, file_id)
        )
        results.update(parse_results(text, f"batch {record.id} {kind} file {file_id}"))
    return results


def read_results_file(path: Path) -> dict[str, LineResult]:
    """Results written by another runner of the request file (`vllm run-batch -o PATH`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read the results file ({exc.strerror})") from None
    return parse_results(text, str(path))


async def collect(
    con: duckdb.DuckDBPyConnection,
    record: BatchRecord,
    extractor: LLMExtractor,
    results: Mapping[str, LineResult],
    *,
    errors: Sequence[str] = (),
    on_paper: Callable[[PaperOutcome], None] | None = None,
) -> RunResult:
    """Ground and store every paper of the batch into its run; safe to rerun."""
    entries = {entry.paper_id: entry for entry in batch_papers(con, record.id)}
    papers = load_papers(con, list(entries))
    answers = _BatchAnswers(con, record, extractor, entries, results, _missing(record, errors))
    result = await run_extraction(con, answers, papers, resume=record.run_id, on_paper=on_paper)
    mark_collected(con, record.id)
    return result


def _missing(record: BatchRecord, errors: Sequence[str]) -> str:
    """Why a paper of the batch has no result line."""
    if record.status == "failed":
        detail = f": {errors[0]}" if errors else ""
        return f"batch {record.id} failed{detail}"
    if record.status in ("expired", "cancelled"):
        return f"no result: batch {record.id} {record.status} before this request ran"
    return f"no result line for this paper in batch {record.id}"


class _BatchAnswers:
    """The pipeline's extractor for a collect: each paper's answer is its batch result."""

    name = "llm"

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        record: BatchRecord,
        extractor: LLMExtractor,
        entries: Mapping[str, BatchPaper],
        results: Mapping[str, LineResult],
        missing: str,
    ) -> None:
        self._con = con.cursor()
        self._record = record
        self._extractor = extractor
        self._entries = entries
        self._results = results
        self._missing = missing

    def run_spec(self) -> RunSpec:
        return self._extractor.run_spec(batch=True)

    async def aclose(self) -> None:
        await self._extractor.aclose()

    def prefetch(self, papers: Sequence[Paper]) -> None:
        """Look up the cached answers of a slice of papers at once (the pipeline's hook)."""
        self._extractor.prefetch(papers)

    async def extract(self, paper: Paper) -> Extraction:
        entry = self._entries[paper.id]
        if self._extractor.request_hash(paper) != entry.request_hash:
            raise ExtractionFailed(
                f"the paper changed after batch {self._record.id} was submitted; submit it again"
            )
        if not entry.in_file:
            cached = self._extractor.cached(paper)
            if cached is None:
                raise ExtractionFailed("its cached answer is gone from llm_calls; submit it again")
            return cached
        result = self._results.get(paper.id) or LineResult(paper.id, None, self._missing)
        answer = await self._extractor.read_batch_answer(paper, result, log=entry.call_id is None)
        if answer.call_id is not None:
            set_call(self._con, self._record.id, paper.id, answer.call_id)
        if answer.extraction is None:
            raise ExtractionFailed(
                answer.reason or "no answer", answer.input_tokens, answer.output_tokens
            )
        return answer.extraction


def _content(client: OpenAI, file_id: str) -> Callable[[], str]:
    return lambda: client.files.content(file_id).text


def _api(redactor: Redactor, what: str, call: Callable[[], T]) -> T:
    """One files/batches call; its failure as one redacted line."""
    try:
        return call()
    except openai.APIError as exc:
        fault = classify(exc)
        detail = fault.description if fault else str(exc)
        raise ClaimexError(redactor.clean(f"{what}: {detail}")) from None
