"""The LLM backend: cache first, then one structured call per paper, every call logged."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import duckdb

from claimex.backends.llm.batchfile import LineResult, request_line
from claimex.backends.llm.calllog import CallLog, CallRecord, RequestKey
from claimex.backends.llm.client import CallFailed, CallTrace, ClaimsClient
from claimex.backends.llm.config import LLMSettings, load_settings, public_url
from claimex.backends.llm.prompts import Prompt, load_prompt
from claimex.backends.llm.redaction import Redactor
from claimex.backends.llm.response import schema_hash
from claimex.errors import SettingError
from claimex.model import Claim, Paper
from claimex.stages import Extraction, ExtractionFailed, RunSpec, Status

LOCAL_PLACEHOLDER_KEY = "unused"  # local servers want no key, but the openai client needs one


@dataclass(frozen=True)
class BatchAnswer:
    """A batch result read: the extraction, or the reason there is none; its llm_calls id."""

    extraction: Extraction | None
    reason: str | None
    input_tokens: int
    output_tokens: int
    call_id: int | None


class LLMExtractor:
    """Extracts claims through any OpenAI-compatible chat endpoint."""

    name = "llm"

    def __init__(
        self,
        settings: LLMSettings,
        prompt: Prompt,
        api_key: str,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        self.settings = settings
        self.prompt = prompt
        self._key = RequestKey(
            model=settings.model,
            mode=settings.mode.value,
            temperature=settings.temperature,
            prompt_version=prompt.version,
            prompt_hash=prompt.content_hash,
            schema_hash=schema_hash(),
        )
        self._redactor = Redactor(api_key)
        self._client = ClaimsClient(settings, prompt, api_key, self._redactor)
        self._log = CallLog(con, self._key) if con is not None else None
        self._unlogged: list[CallRecord] = []  # extract's calls, until flush writes them
        self._prefetched: dict[str, Extraction | None] = {}  # request hash -> cached answer

    def run_spec(self, *, batch: bool = False) -> RunSpec:
        """Same answers, same run: the request key plus the re-ask budget.

        A Batch API run (batch=True) has no re-asks, so it is a configuration of its own.
        """
        identity: dict[str, object] = {
            **asdict(self._key),
            "max_retries": 0 if batch else self.settings.max_retries,
        }
        if batch:
            identity["transport"] = "batch"
        fingerprint = hashlib.sha256(
            json.dumps({"backend": self.name, **identity}, sort_keys=True).encode()
        ).hexdigest()
        s = self.settings
        return RunSpec(
            backend=self.name,
            fingerprint=fingerprint,
            model=s.model,
            prompt_version=self.prompt.version,
            prompt_hash=self.prompt.content_hash,
            config={
                **identity,
                "base_url": public_url(s.base_url),
                "api_key_env": s.api_key_env,
                "timeout": s.timeout,
                "http_retries": s.http_retries,
                "cache": s.cache,
            },
        )

    async def aclose(self) -> None:
        self.flush()
        await self._client.aclose()

    def request_hash(self, paper: Paper) -> str:
        return self._key.request_hash(paper.title, paper.abstract)

    def prefetch(self, papers: Sequence[Paper]) -> None:
        """Look up these papers' cached answers in one query, for `extract` to use next.

        Replaces the previous slice's answers, so memory stays bounded by one slice.
        """
        self._prefetched = {}
        if self._log is None or not self.settings.cache:
            return
        hashes = [self.request_hash(paper) for paper in papers]
        found = self._log.lookup_many(hashes)
        for request_hash in hashes:
            cached = found.get(request_hash)
            self._prefetched[request_hash] = (
                None if cached is None else Extraction(cached.claims, cached.dropped)
            )

    def flush(self) -> None:
        """Write the calls `extract` made since the last flush to llm_calls, in one statement."""
        if self._log is not None and self._unlogged:
            calls, self._unlogged = self._unlogged, []
            self._log.record_many(calls)

    def cached(self, paper: Paper) -> Extraction | None:
        """The logged answer to this paper's exact request, when the cache is on."""
        return self._cached(self.request_hash(paper))

    def _cached(self, request_hash: str) -> Extraction | None:
        if self._log is None or not self.settings.cache:
            return None
        if request_hash in self._prefetched:
            return self._prefetched.pop(request_hash)
        cached = self._log.lookup(request_hash)
        return None if cached is None else Extraction(cached.claims, cached.dropped)

    async def extract(self, paper: Paper) -> Extraction:
        """Cached answer or one call; the call is logged at the next flush (or aclose)."""
        request_hash = self.request_hash(paper)
        cached = self._cached(request_hash)
        if cached is not None:
            return cached
        started = time.perf_counter()
        try:
            answer = await self._client.ask(paper.title, paper.abstract)
        except CallFailed as exc:
            trace = exc.trace
            self._unlogged.append(
                self._call(paper, request_hash, started, str(exc), trace, None, [])
            )
            raise ExtractionFailed(str(exc), trace.input_tokens, trace.output_tokens) from None
        trace = answer.trace
        self._unlogged.append(
            self._call(paper, request_hash, started, None, trace, answer.claims, answer.dropped)
        )
        return Extraction(answer.claims, answer.dropped, trace.input_tokens, trace.output_tokens)

    async def batch_line(self, paper: Paper) -> str:
        """The paper's request as a Batch API line: the body `extract` would send first."""
        body = await self._client.request_body(paper.title, paper.abstract)
        return request_line(paper.id, body)

    async def read_batch_answer(
        self, paper: Paper, result: LineResult, *, log: bool = True
    ) -> BatchAnswer:
        """Parse and ground one batch result as `extract` does an answer; log it when asked."""
        started = time.perf_counter()
        reason = None if result.reason is None else self._redactor.clean(result.reason)
        trace = CallTrace(requests=1)  # the batch sent it once; a failed line has no tokens
        answer = None
        if result.completion is not None:
            try:
                answer = await self._client.read_answer(
                    paper.title, paper.abstract, result.completion
                )
                trace = answer.trace
            except CallFailed as exc:
                reason, trace = str(exc), exc.trace
        claims, dropped = (answer.claims, answer.dropped) if answer else (None, [])
        call_id = None
        if log:
            call_id = self._record(
                paper, self.request_hash(paper), started, reason, trace, claims, dropped
            )
        extraction = None
        if answer is not None:
            extraction = Extraction(
                answer.claims, answer.dropped, trace.input_tokens, trace.output_tokens
            )
        return BatchAnswer(extraction, reason, trace.input_tokens, trace.output_tokens, call_id)

    def _record(
        self,
        paper: Paper,
        request_hash: str,
        started: float,
        reason: str | None,
        trace: CallTrace,
        claims: list[Claim] | None,
        dropped: list[str],
    ) -> int | None:
        if self._log is None:
            return None
        return self._log.record(
            self._call(paper, request_hash, started, reason, trace, claims, dropped)
        )

    def _call(
        self,
        paper: Paper,
        request_hash: str,
        started: float,
        reason: str | None,
        trace: CallTrace,
        claims: list[Claim] | None,
        dropped: list[str],
    ) -> CallRecord:
        return CallRecord(
            request_hash=request_hash,
            paper_id=paper.id,
            status=Status.FAILED if reason is not None else Status.OK,
            reason=reason,
            requests=trace.requests,
            http_retries=trace.http_retries,
            reasks=trace.reasks,
            claims=claims,
            dropped=dropped,
            raw_response=trace.raw_response,
            attempts=trace.attempts_json(self._redactor.clean),
            input_tokens=trace.input_tokens,
            output_tokens=trace.output_tokens,
            duration_s=time.perf_counter() - started,
        )


def create_llm_extractor(
    con: duckdb.DuckDBPyConnection | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    **overrides: object,
) -> LLMExtractor:
    """The registry's factory: settings from overrides, environment and ./claimex.toml."""
    environ = os.environ if environ is None else environ
    settings = load_settings(overrides, environ=environ)
    prompt = load_prompt(settings.prompt_version, settings.prompts_dir)
    return LLMExtractor(settings, prompt, api_key_for(settings, environ), con)


def api_key_for(settings: LLMSettings, environ: Mapping[str, str]) -> str:
    """The key in $api_key_env; a placeholder for a local server (base_url) that wants none."""
    api_key = environ.get(settings.api_key_env, "")
    if not api_key:
        if settings.base_url is None:
            raise SettingError(
                "the llm backend needs an API key in ${variable} "
                "(or {base_url} for a local OpenAI-compatible server)",
                variable=settings.api_key_env,
            )
        api_key = LOCAL_PLACEHOLDER_KEY
    return api_key
