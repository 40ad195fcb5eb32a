"""The LLM backend end to end: real openai + instructor clients, a real HTTP server on 127.0.0.1.

Every test scripts the stub server per abstract, runs the real pipeline into a
real DuckDB file and checks what landed in the claims, paper_runs and llm_calls
tables, and what the server saw.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from claimex.backends.llm.config import LLMMode
from claimex.backends.llm.prompts import load_prompt
from claimex.pipeline import run_extraction
from claimex.testing.openai_stub import (
    Answer,
    Fail,
    Malformed,
    RefuseJsonSchema,
    Stall,
    StubOpenAIServer,
)
from llm_support import (
    QUILL,
    QUILL_CLAIMS,
    SURVEY,
    TERN,
    TERN_CLAIMS,
    backend,
    calls,
    extract,
    numbered_copies,
    papers_db,
    stored_claims,
)

EXPECTED = [
    ("quill", 3.1, "x", "3.1x more requests per second", "exact"),
    ("quill", 27.0, "%", "lowers median latency by 27%", "exact"),
    ("tern", 78.4, "%", "TernNet reaches 78.4% top-1 accuracy", "exact"),
    ("tern", 4.0, "x", "4× less memory", "normalised"),
    ("tern", 19.0, "%", "reduces energy usage by 19 percent", "fuzzy"),
]
GOOD = {QUILL.abstract: [Answer(QUILL_CLAIMS)], TERN.abstract: [Answer(TERN_CLAIMS)]}


@pytest.mark.parametrize("mode", list(LLMMode))
def test_right_claims_land_in_every_mode(tmp_path: Path, mode: LLMMode) -> None:
    papers = [QUILL, TERN, SURVEY]
    with StubOpenAIServer({**GOOD, SURVEY.abstract: [Answer([])]}) as server:
        con = papers_db(tmp_path, papers)
        result = extract(con, server, papers, mode=mode)
        bodies = [r.body for r in server.requests]
    assert (result.papers_ok, result.papers_failed, result.claims) == (3, 0, 5)
    assert stored_claims(con) == EXPECTED
    assert len(bodies) == 3  # one request per abstract, no re-asks needed
    for body in bodies:
        assert body["model"] == "stub-model"
        assert body["temperature"] == 0
        if mode is LLMMode.TOOLS:  # one tool holding a list of claims, not parallel calls
            assert [t["function"]["name"] for t in body["tools"]] == ["ClaimList"]
        elif mode is LLMMode.JSON_SCHEMA:
            assert body["response_format"]["type"] == "json_schema"
        elif mode is LLMMode.JSON:
            assert body["response_format"] == {"type": "json_object"}
        else:
            assert "response_format" not in body and "tools" not in body
    row = con.execute(
        "SELECT metric, category, kind, direction, baselines, system, hardware FROM claims"
        " WHERE paper_id = 'quill' AND ordinal = 0"
    ).fetchone()
    assert row == (
        "requests per second",
        "throughput",
        "ratio",
        "increase",
        ["vLLM"],
        "QuillServe",
        "single A100 GPU",
    )


def test_the_prompt_carries_title_abstract_and_rules(tmp_path: Path) -> None:
    with StubOpenAIServer(GOOD) as server:
        con = papers_db(tmp_path, [QUILL])
        extract(con, server, [QUILL])
        (request,) = server.requests
    system, user = request.body["messages"]
    prompt = load_prompt("claims-v1")
    assert system["content"].startswith("You extract quantitative claims")
    assert prompt.examples[0].abstract in system["content"]
    assert f"<title>{QUILL.title}</title>" in user["content"]
    assert f"<abstract>\n{QUILL.abstract}\n</abstract>" in user["content"]


def test_429_with_retry_after_is_waited_for_and_counted(tmp_path: Path) -> None:
    script = {QUILL.abstract: [Fail(429, retry_after=0.3), Answer(QUILL_CLAIMS)]}
    with StubOpenAIServer(script) as server:
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL])
        first, second = server.requests
    assert result.papers_ok == 1
    assert second.received_at - first.received_at >= 0.3  # backoff base is 1 ms: Retry-After won
    (call,) = calls(con, "quill")
    assert (call["status"], call["requests"], call["http_retries"], call["reasks"]) == (
        "ok",
        2,
        1,
        0,
    )


@pytest.mark.parametrize(
    "fault",
    [Fail(500), Fail(503), Stall(0.6), Malformed()],
    ids=["500", "503", "timeout", "malformed-body"],
)
def test_transient_faults_are_retried(tmp_path: Path, fault: object) -> None:
    script = {QUILL.abstract: [fault, fault, Answer(QUILL_CLAIMS)]}
    with StubOpenAIServer(script) as server:  # type: ignore[arg-type]
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL], timeout=0.3)
    assert (result.papers_ok, result.claims) == (1, 2)
    (call,) = calls(con, "quill")
    assert (call["requests"], call["http_retries"]) == (3, 2)
    assert stored_claims(con) == EXPECTED[:2]


def test_persistent_failure_is_recorded_reported_and_retried_next_run(tmp_path: Path) -> None:
    with StubOpenAIServer({**GOOD, QUILL.abstract: [Fail(500)]}) as server:
        con = papers_db(tmp_path, [QUILL, TERN])
        first = extract(con, server, [QUILL, TERN], http_retries=2)
        assert len(server.requests_for(QUILL.abstract)) == 3  # the request and two retries
        server.script(QUILL.abstract, [Answer(QUILL_CLAIMS)])
        server.reset_counts()
        second = extract(con, server, [QUILL, TERN], http_retries=2)
        retried = [r.abstract for r in server.requests]
    assert (first.papers_ok, first.papers_failed) == (1, 1)
    assert first.failures == [("quill", "HTTP 500: scripted 500 (gave up after 2 retries)")]
    assert retried == [QUILL.abstract]  # tern was done; only the failed paper is asked again
    assert (second.run_id, second.papers_ok, second.papers_skipped) == (first.run_id, 1, 1)
    assert stored_claims(con) == EXPECTED
    statuses = [c["status"] for c in calls(con, "quill")]
    assert statuses == ["failed", "ok"]
    assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]


def test_an_answer_failing_validation_is_reasked_once(tmp_path: Path) -> None:
    broken = dict(QUILL_CLAIMS[0], unit="%")  # a ratio must have unit "x"
    script = {QUILL.abstract: [Answer([broken, QUILL_CLAIMS[1]]), Answer(QUILL_CLAIMS)]}
    with StubOpenAIServer(script) as server:
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL])
        first, second = server.requests
    assert (result.papers_ok, result.claims, result.dropped) == (1, 2, 0)
    assert stored_claims(con) == EXPECTED[:2]
    reask = json.dumps(second.body["messages"][len(first.body["messages"]) :])
    assert 'a ratio claim has unit \\"x\\"' in reask
    (call,) = calls(con, "quill")
    assert (call["requests"], call["reasks"]) == (2, 1)
    assert call["input_tokens"] == first.prompt_tokens + second.prompt_tokens
    assert call["output_tokens"] == first.completion_tokens + second.completion_tokens
    run_tokens = con.execute("SELECT input_tokens, output_tokens FROM paper_runs").fetchone()
    assert run_tokens == (call["input_tokens"], call["output_tokens"])


def test_a_value_not_in_the_text_is_reasked_then_dropped(tmp_path: Path) -> None:
    invented = dict(QUILL_CLAIMS[0], value=3.6)  # the evidence says 3.1
    with StubOpenAIServer({QUILL.abstract: [Answer([invented, QUILL_CLAIMS[1]])]}) as server:
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL], max_retries=2)
        requests = server.requests
    assert len(requests) == 3  # the answer and two re-asks, all with the same invented value
    assert "value 3.6 is not written in the evidence" in json.dumps(requests[1].body["messages"])
    assert (result.papers_ok, result.claims, result.dropped) == (1, 1, 1)
    assert stored_claims(con) == [EXPECTED[1]]
    assert con.execute("SELECT count(*) FROM claims WHERE value = 3.6").fetchone() == (0,)
    (call,) = calls(con, "quill")
    assert call["reasks"] == 2
    assert "value 3.6 is not written in the evidence" in json.loads(call["dropped"])[0]
    assert con.execute("SELECT claims_dropped FROM paper_runs").fetchone() == (1,)


def test_every_attempt_is_logged_with_its_messages_answer_tokens_and_error(
    tmp_path: Path,
) -> None:
    invented = dict(QUILL_CLAIMS[0], value=3.6)  # the evidence says 3.1
    replies = [Fail(503), Answer([invented, QUILL_CLAIMS[1]]), Answer(QUILL_CLAIMS)]
    with StubOpenAIServer({QUILL.abstract: replies}) as server:  # type: ignore[dict-item]
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL], max_retries=2)
        sent = [r.body["messages"] for r in server.requests]
        tokens = [(r.prompt_tokens, r.completion_tokens) for r in server.requests]
    assert (result.papers_ok, result.claims) == (1, 2)
    (call,) = calls(con, "quill")
    attempts = json.loads(call["attempts"])
    assert (call["requests"], call["http_retries"], call["reasks"]) == (3, 1, 1)
    assert len(attempts) == 3
    assert attempts[0]["error"] == "HTTP 503: scripted 503"
    assert attempts[0]["response"] is None
    assert attempts[1]["error"].startswith("Value error, these claims are not grounded")
    assert "value 3.6 is not written in the evidence" in attempts[1]["error"]
    assert attempts[2]["error"] is None
    # what each request added: the paper (the system prompt is the run's, by its hash),
    # nothing for the transport retry, then the re-ask with the grounding failure
    assert attempts[0]["messages"] == sent[0][1:]
    assert attempts[1]["messages"] == []
    assert attempts[2]["messages"] == sent[2][len(sent[1]) :]
    assert "value 3.6 is not written" in json.dumps(attempts[2]["messages"])
    answers = [a["response"]["choices"][0]["message"]["tool_calls"] for a in attempts[1:]]
    assert "3.6" in answers[0][0]["function"]["arguments"]
    assert [(a["input_tokens"], a["output_tokens"]) for a in attempts] == tokens
    assert call["input_tokens"] == sum(sent_in for sent_in, _ in tokens)
    assert call["output_tokens"] == sum(out for _, out in tokens)
    assert json.loads(call["raw_response"]) == attempts[2]["response"]


def test_a_claim_copied_from_a_worked_example_never_lands(tmp_path: Path) -> None:
    example = load_prompt("claims-v1").examples[2]
    copied = example.claims[2].model_dump(mode="json")  # "2.4x faster than ... PointFlash"
    with StubOpenAIServer({TERN.abstract: [Answer([*TERN_CLAIMS, copied])]}) as server:
        con = papers_db(tmp_path, [TERN])
        result = extract(con, server, [TERN], max_retries=1)
        reask = json.dumps(server.requests[1].body["messages"])
    assert "is not in the abstract" in reask
    assert (result.claims, result.dropped) == (3, 1)
    assert stored_claims(con) == EXPECTED[2:]
    leaked = "SELECT count(*) FROM claims WHERE evidence LIKE '%PointFlash%' OR value = 2.4"
    assert con.execute(leaked).fetchone() == (0,)


def test_a_reasked_claim_that_gets_fixed_is_kept(tmp_path: Path) -> None:
    misquoted = dict(QUILL_CLAIMS[0], evidence="5.9x more requests per second", value=5.9)
    script = {QUILL.abstract: [Answer([misquoted, QUILL_CLAIMS[1]]), Answer(QUILL_CLAIMS)]}
    with StubOpenAIServer(script) as server:
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL])
    assert (result.claims, result.dropped) == (2, 0)
    assert stored_claims(con) == EXPECTED[:2]


def test_an_answer_that_never_validates_fails_the_paper(tmp_path: Path) -> None:
    broken = dict(QUILL_CLAIMS[0], unit="%")  # a ratio in percent, every time
    with StubOpenAIServer({QUILL.abstract: [Answer([broken])]}) as server:
        con = papers_db(tmp_path, [QUILL])
        result = extract(con, server, [QUILL], max_retries=1)
    assert (result.papers_ok, result.papers_failed) == (0, 1)
    (reason,) = [r for _, r in result.failures]
    assert reason.startswith("no valid answer after 2 attempts: claims.0: Value error")
    assert stored_claims(con) == []
    row = con.execute("SELECT status, reason, input_tokens FROM paper_runs").fetchone()
    assert row is not None and row[:2] == ("failed", reason) and row[2] > 0


def test_the_cache_answers_a_rerun_without_requests(tmp_path: Path) -> None:
    papers = [QUILL, TERN]
    with StubOpenAIServer(GOOD) as server:
        con = papers_db(tmp_path, papers)
        first = extract(con, server, papers)
        assert server.request_count == 2
        server.reset_counts()
        second = extract(con, server, papers, new_run=True)
        assert server.request_count == 0
        third = extract(con, server, papers, new_run=True, cache=False)
        assert server.request_count == 2
    assert len({first.run_id, second.run_id, third.run_id}) == 3
    for result in (first, second, third):
        assert stored_claims(con, result.run_id) == EXPECTED
    assert second.input_tokens == 0  # nothing was spent on the cached run
    assert con.execute("SELECT count(*) FROM llm_calls").fetchone() == (4,)


def test_a_changed_prompt_or_model_misses_the_cache(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(Path(__file__).parents[1] / "prompts" / "claims-v1", prompts / "claims-v1")
    system = prompts / "claims-v1" / "system.md"
    with StubOpenAIServer(GOOD) as server:
        con = papers_db(tmp_path, [QUILL])
        extract(con, server, [QUILL], prompts_dir=prompts)
        extract(con, server, [QUILL], prompts_dir=prompts, new_run=True)
        assert server.request_count == 1
        system.write_text(system.read_text() + "\nKeep metric names short.\n")
        extract(con, server, [QUILL], prompts_dir=prompts, new_run=True)
        assert server.request_count == 2
        extract(con, server, [QUILL], prompts_dir=prompts, new_run=True, model="other-model")
        assert server.request_count == 3
    hashes = con.execute("SELECT DISTINCT prompt_hash FROM runs").fetchall()
    assert len(hashes) == 2


def test_concurrency_really_overlaps_requests(tmp_path: Path) -> None:
    papers = numbered_copies(QUILL, 8)
    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS), latency=0.15) as server:
        con = papers_db(tmp_path, papers)
        result = extract(con, server, papers, concurrency=4)
        assert server.peak_in_flight == 4
        server.reset_counts()
        extract(con, server, papers[:3], concurrency=1, new_run=True, cache=False)
        assert server.peak_in_flight == 1
    assert result.papers_ok == 8


def test_an_interrupted_run_resumes_without_duplicates(tmp_path: Path) -> None:
    papers = numbered_copies(QUILL, 6)
    con = papers_db(tmp_path, papers)

    with StubOpenAIServer(default=lambda _: Answer(QUILL_CLAIMS), latency=0.05) as server:
        extractor = backend(con, server)

        async def interrupted() -> None:
            task = asyncio.current_task()
            done = []

            def on_paper(outcome: object) -> None:
                done.append(outcome)
                if len(done) == 2 and task is not None:
                    task.cancel()  # what Ctrl-C does to asyncio.run's main task

            await run_extraction(con, extractor, papers, concurrency=1, on_paper=on_paper)

        with pytest.raises(asyncio.CancelledError):
            asyncio.run(interrupted())
        status = con.execute("SELECT id, status FROM runs").fetchall()
        assert status == [(1, "interrupted")]
        assert con.execute("SELECT count(*) FROM paper_runs").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM claims").fetchone() == (4,)
        done_before = {r[0] for r in con.execute("SELECT paper_id FROM paper_runs").fetchall()}

        server.wait_idle()  # the cancelled request still gets its (unread) answer
        server.reset_counts()
        result = asyncio.run(run_extraction(con, extractor, papers, concurrency=2))
        asked = {r.abstract for r in server.requests}

    assert (result.run_id, result.papers_skipped, result.papers_ok) == (1, 2, 4)
    assert asked == {p.abstract for p in papers if p.id not in done_before}
    assert len(server.requests) == 4
    assert con.execute("SELECT id, status FROM runs").fetchall() == [(1, "completed")]
    assert con.execute(
        "SELECT count(*), count(DISTINCT (paper_id, ordinal)) FROM claims"
    ).fetchone() == (12, 12)
    assert con.execute("SELECT count(*) FROM paper_runs WHERE status = 'ok'").fetchone() == (6,)


def test_llama_cpp_refuses_json_schema_and_json_mode_works(tmp_path: Path) -> None:
    script = {QUILL.abstract: [RefuseJsonSchema(Answer(QUILL_CLAIMS))]}
    with StubOpenAIServer(script) as server:
        con = papers_db(tmp_path, [QUILL])
        refused = extract(con, server, [QUILL], mode="json_schema")
        accepted = extract(con, server, [QUILL], mode="json")
    (reason,) = [r for _, r in refused.failures]
    assert reason.startswith("HTTP 400: response_format type json_schema is not supported")
    assert reason.endswith("(if the server rejects json_schema, set the mode to json)")
    assert accepted.papers_ok == 1
    assert stored_claims(con, accepted.run_id) == EXPECTED[:2]
