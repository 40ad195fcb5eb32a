"""The files and batches endpoints of the loopback OpenAI stub (the OpenAI Batch API).

Enough of the API for claimex's batch commands to be tested over real HTTP:
upload a JSONL file (POST /v1/files), read it back (GET /v1/files/{id} and
.../content), create a batch over it (POST /v1/batches), poll it (GET
/v1/batches/{id}) and cancel it (POST /v1/batches/{id}/cancel).

A batch reports in_progress for `polls` retrievals, then finishes: each line
is answered by the stub's normal chat logic (scripts and faults included), 200
answers go to the output file and the others to the error file, in the
shapes OpenAI documents. With `expire_after=N` only the first N lines are
answered and the batch expires; the rest get `batch_expired` error lines, as
OpenAI writes them. An input file that is not valid batch input fails the
batch with one error per bad line.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

# answers one request line's body with (HTTP status, response body), as the chat endpoint would
AnswerLine = Callable[[dict[str, Any]], tuple[int, bytes]]
EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int = field(default_factory=lambda: int(time.time()))

    def object(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class StoredBatch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    polls_left: int
    created_at: int = field(default_factory=lambda: int(time.time()))
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "completed": 0, "failed": 0}
    )
    errors: list[dict[str, Any]] = field(default_factory=list)
    finished_at: dict[str, int] = field(default_factory=dict)

    def object(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "request_counts": dict(self.counts),
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "metadata": self.metadata,
            **self.finished_at,
        }


@dataclass
class Reply:
    """An HTTP answer of the files/batches API."""

    status: int
    data: bytes
    content_type: str = "application/json"


def _json(status: int, payload: Mapping[str, Any]) -> Reply:
    return Reply(status, json.dumps(payload).encode())


def _not_found(what: str) -> Reply:
    return _json(404, {"error": {"message": f"No such {what}", "type": "invalid_request_error"}})


class BatchAPI:
    """Files and batches, held in memory; `answer` runs one request line through the stub."""

    def __init__(self, answer: AnswerLine, *, polls: int = 0, expire_after: int | None = None):
        self._answer = answer
        self.polls = polls
        self.expire_after = expire_after
        self._lock = threading.Lock()
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, StoredBatch] = {}

    def handle(self, method: str, path: str, headers: Message, raw: bytes) -> Reply | None:
        """The answer to a files/batches request, or None when the path is not one of them."""
        parts = [p for p in path.split("?")[0].split("/") if p]
        if parts and parts[0] == "v1":
            parts = parts[1:]
        if not parts or parts[0] not in ("files", "batches"):
            return None
        with self._lock:
            if parts[0] == "files":
                return self._files(method, parts[1:], headers, raw)
            return self._batches(method, parts[1:], raw)

    def _files(self, method: str, rest: list[str], headers: Message, raw: bytes) -> Reply:
        if method == "POST" and not rest:
            return self._upload(headers.get("Content-Type", ""), raw)
        stored = self.files.get(rest[0]) if rest else None
        if method != "GET" or stored is None:
            return _not_found("file")
        if rest[1:] == ["content"]:
            return Reply(200, stored.data, "application/octet-stream")
        return _json(200, stored.object())

    def _upload(self, content_type: str, raw: bytes) -> Reply:
        form = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in form.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = (part.get_filename(), payload)
        if "file" not in fields or "purpose" not in fields:
            return _json(400, {"error": {"message": "file and purpose are required"}})
        filename, data = fields["file"]
        stored = self._store(filename or "upload.jsonl", fields["purpose"][1].decode(), data)
        return _json(200, stored.object())

    def _store(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        stored = StoredFile(f"file-{len(self.files) + 1:04d}", filename, purpose, data)
        self.files[stored.id] = stored
        return stored

    def _batches(self, method: str, rest: list[str], raw: bytes) -> Reply:
        if method == "POST" and not rest:
            return self._create(json.loads(raw or b"{}"))
        batch = self.batches.get(rest[0]) if rest else None
        if batch is None:
            return _not_found("batch")
        if method == "POST" and rest[1:] == ["cancel"]:
            if batch.status in ("validating", "in_progress"):
                batch.status = "cancelled"
                batch.finished_at["cancelled_at"] = int(time.time())
            return _json(200, batch.object())
        if method == "GET" and not rest[1:]:
            self._advance(batch)
            return _json(200, batch.object())
        return _not_found("route")

    def _create(self, params: dict[str, Any]) -> Reply:
        input_file = self.files.get(str(params.get("input_file_id")))
        if input_file is None:
            return _not_found("file")
        if input_file.purpose != "batch":
            return _json(400, {"error": {"message": "the input file's purpose must be batch"}})
        batch = StoredBatch(
            id=f"batch_{len(self.batches) + 1:04d}",
            input_file_id=input_file.id,
            endpoint=str(params.get("endpoint")),
            completion_window=str(params.get("completion_window")),
            metadata=params.get("metadata"),
            polls_left=self.polls,
        )
        self.batches[batch.id] = batch
        return _json(200, batch.object())

    def _advance(self, batch: StoredBatch) -> None:
        """One retrieval's worth of progress: in_progress for `polls` looks, then the result."""
        if batch.status == "validating":
            batch.status = "in_progress"
        if batch.status != "in_progress":
            return
        if batch.polls_left > 0:
            batch.polls_left -= 1
            return
        self._run(batch)

    def _run(self, batch: StoredBatch) -> None:
        lines, problems = _validate(self.files[batch.input_file_id].data, batch.endpoint)
        now = int(time.time())
        if problems:
            batch.status = "failed"
            batch.errors = problems
            batch.finished_at["failed_at"] = now
            return
        outputs: list[str] = []
        errors: list[str] = []
        for number, line in enumerate(lines):
            request_id = f"batch_req_{batch.id}_{number}"
            if self.expire_after is not None and number >= self.expire_after:
                error = {"code": "batch_expired", "message": EXPIRED_MESSAGE}
                errors.append(_line(request_id, line["custom_id"], None, error))
                continue
            status, data = self._answer(line["body"])
            try:
                body: object = json.loads(data)
            except json.JSONDecodeError:
                body = data.decode(errors="replace")  # a garbled answer, kept as text
            result = {"status_code": status, "request_id": request_id, "body": body}
            target = outputs if status == 200 else errors
            target.append(_line(request_id, line["custom_id"], result, None))
        batch.counts = {"total": len(lines), "completed": len(outputs), "failed": len(errors)}
        if outputs:
            batch.output_file_id = self._store("output.jsonl", "batch_output", _jsonl(outputs)).id
        if errors:
            batch.error_file_id = self._store("errors.jsonl", "batch_output", _jsonl(errors)).id
        expired = self.expire_after is not None and self.expire_after < len(lines)
        batch.status = "expired" if expired else "completed"
        batch.finished_at["expired_at" if expired else "completed_at"] = now


def _validate(data: bytes, endpoint: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The request lines of a batch input file, and what is wrong with it (OpenAI's checks)."""
    lines: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, text in enumerate(data.decode().splitlines(), start=1):
        try:
            line = json.loads(text)
        except json.JSONDecodeError:
            problems.append(_problem(number, "invalid_json_line", "not a JSON object"))
            continue
        custom_id = line.get("custom_id") if isinstance(line, dict) else None
        if not isinstance(custom_id, str) or custom_id in seen:
            problems.append(_problem(number, "invalid_custom_id", "custom_id missing or repeated"))
        elif line.get("method") != "POST" or line.get("url") != endpoint:
            problems.append(_problem(number, "invalid_url", f"must be a POST to {endpoint}"))
        elif not isinstance(line.get("body"), dict):
            problems.append(_problem(number, "invalid_body", "body must be an object"))
        else:
            seen.add(custom_id)
            lines.append(line)
    if not lines and not problems:
        problems.append(_problem(None, "empty_file", "the input file has no requests"))
    return lines, problems


def _problem(line: int | None, code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "line": line, "param": None}


def _line(
    request_id: str, custom_id: str, response: dict[str, Any] | None, error: dict[str, Any] | None
) -> str:
    return json.dumps(
        {"id": request_id, "custom_id": custom_id, "response": response, "error": error}
    )


def _jsonl(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()
