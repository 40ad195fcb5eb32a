"""The LLM backend: cache first, then one structured call per paper, every call logged."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import asdict

import duckdb

from claimex.backends.base import Extraction, ExtractionFailed
from claimex.backends.llm.calllog import CallLog, CallRecord, RequestKey
from claimex.backends.llm.client import CallFailed, CallTrace, ClaimsClient
from claimex.backends.llm.config import LLMSettings, load_settings, public_url
from claimex.backends.llm.prompts import Prompt, load_prompt
from claimex.backends.llm.redaction import Redactor
from claimex.backends.llm.response import schema_hash
from claimex.errors import ClaimexError
from claimex.model import Claim, Paper
from claimex.store.runs import RunSpec

LOCAL_PLACEHOLDER_KEY = "unused"  # local servers want no key, but the openai client needs one


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

    def run_spec(self) -> RunSpec:
        """Same answers, same run: the request key plus the re-ask budget."""
        identity = {**asdict(self._key), "max_retries": self.settings.max_retries}
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
        await self._client.aclose()

    async def extract(self, paper: Paper) -> Extraction:
        request_hash = self._key.request_hash(paper.title, paper.abstract)
        if self._log is not None and self.settings.cache:
            cached = self._log.lookup(request_hash)
            if cached is not None:
                return Extraction(cached.claims, cached.dropped)
        started = time.perf_counter()
        try:
            answer = await self._client.ask(paper.title, paper.abstract)
        except CallFailed as exc:
            trace = exc.trace
            self._record(paper, request_hash, started, str(exc), trace, None, [])
            raise ExtractionFailed(str(exc), trace.input_tokens, trace.output_tokens) from None
        trace = answer.trace
        self._record(paper, request_hash, started, None, trace, answer.claims, answer.dropped)
        return Extraction(answer.claims, answer.dropped, trace.input_tokens, trace.output_tokens)

    def _record(
        self,
        paper: Paper,
        request_hash: str,
        started: float,
        reason: str | None,
        trace: CallTrace,
        claims: list[Claim] | None,
        dropped: list[str],
    ) -> None:
        if self._log is None:
            return
        self._log.record(
            CallRecord(
                request_hash=request_hash,
                paper_id=paper.id,
                status="failed" if reason is not None else "ok",
                reason=reason,
                requests=trace.requests,
                http_retries=trace.http_retries,
                reasks=trace.reasks,
                claims=claims,
                dropped=dropped,
                raw_response=trace.raw_response,
                input_tokens=trace.input_tokens,
                output_tokens=trace.output_tokens,
                duration_s=time.perf_counter() - started,
            )
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
    api_key = environ.get(settings.api_key_env, "")
    if not api_key:
        if settings.base_url is None:
            raise ClaimexError(
                f"the llm backend needs an API key in ${settings.api_key_env} "
                "(or --base-url for a local OpenAI-compatible server)"
            )
        api_key = LOCAL_PLACEHOLDER_KEY
    return LLMExtractor(settings, prompt, api_key, con)
