"""Reading an evaluation's papers file and gold file, from anywhere, with located errors.

Papers go through claimex.readers' JSONL reader, so ids follow the same rules
as `claimex ingest`. Gold is one line per paper, {"paper_id": ..., "claims":
[...]}, every claim a valid Claim; every paper needs exactly one gold line (a
paper with no result has "claims": []), so a missing label is never scored as
a false positive by accident.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from claimex.errors import InputError
from claimex.model import Claim, Paper
from claimex.readers import InputFormat, read_papers, read_text
from claimex.readers.jsonl import json_objects


def load_papers_file(path: Path) -> list[Paper]:
    """The papers of a JSONL file, as `claimex ingest` would read them."""
    return read_papers(path, InputFormat.JSONL)


def file_sha256(path: Path) -> str:
    """Fingerprint of a gold file, so a baseline says which labels it was scored against."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None


def _claim_error(exc: ValidationError) -> str:
    problem = exc.errors()[0]
    message = str(problem["msg"]).removeprefix("Value error, ")
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {message}" if where else message


def _parse_claims(path: Path, number: int, raw: object) -> list[Claim]:
    if not isinstance(raw, list):
        raise InputError(path, '"claims" must be a list of claim objects', number)
    claims = []
    for index, item in enumerate(raw, start=1):
        try:
            claims.append(Claim.model_validate(item))
            continue
        except ValidationError as exc:
            problem = _claim_error(exc)
        # raised outside the except block so the ValidationError is not chained: its
        # traceback kept frames (and DuckDB objects) alive until exit in test runs
        raise InputError(path, f"claim {index}: {problem}", number)
    return claims


def load_gold(path: Path, papers: Sequence[Paper]) -> dict[str, list[Claim]]:
    """Gold claims by paper id; InputError (file:line) on anything malformed or inconsistent."""
    known = {paper.id for paper in papers}
    gold: dict[str, list[Claim]] = {}
    first_line: dict[str, int] = {}
    for number, obj in json_objects(path, read_text(path)):
        paper_id = obj.get("paper_id")
        if not isinstance(paper_id, str) or not paper_id:
            raise InputError(path, 'missing "paper_id" (a non-empty string)', number)
        if paper_id in gold:
            raise InputError(
                path,
                f"duplicate paper_id {paper_id!r} (first at line {first_line[paper_id]})",
                number,
            )
        if paper_id not in known:
            raise InputError(path, f"paper_id {paper_id!r} is not in the papers file", number)
        if "claims" not in obj:
            raise InputError(path, 'missing "claims" (use [] for a paper with no result)', number)
        gold[paper_id] = _parse_claims(path, number, obj["claims"])
        first_line[paper_id] = number
    unlabelled = [paper.id for paper in papers if paper.id not in gold]
    if unlabelled:
        shown = ", ".join(repr(i) for i in unlabelled[:3]) + (" ..." if len(unlabelled) > 3 else "")
        raise InputError(
            path,
            f"no line for {len(unlabelled)} paper(s) of the papers file: {shown} "
            '(add {"paper_id": ..., "claims": []} for papers with no result)',
        )
    return gold
