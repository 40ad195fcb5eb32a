"""`claimex show` in a terminal: the abstract with evidence highlighted, then the claims.

Everything from the database goes into rich as Text objects, never as markup, so a
title holding "[/i]" prints as written, and without control characters (terminal_safe).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimex.output import terminal_safe
from claimex.review.claims import PaperClaims
from claimex.review.spans import pieces

PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red")
ALIGNMENT_STYLE = {"exact": "green", "normalised": "yellow", "fuzzy": "red"}


def _text(value: object, style: str = "") -> Text:
    return Text(terminal_safe("" if value is None else str(value)), style=style)


def value_text(claim: dict[str, Any]) -> str:
    """The claim's number as a reader writes it: "up to 2.6x", "28-71%"."""
    bound = {"up_to": "up to ", "at_least": ">= ", "at_most": "<= ", "approx": "~"}
    number = f"{claim['value']:g}"
    if claim.get("value_max") is not None:
        number += f"-{claim['value_max']:g}"
    unit = claim["unit"] or ""
    gap = "" if unit in ("x", "%", "") else " "
    return f"{bound.get(claim['bound'], '')}{number}{gap}{unit}"


def highlighted(paper: PaperClaims) -> Text:
    """The abstract, each claim's evidence in its colour, its number after it: [1]."""
    text = Text()
    spans = [(c["evidence_start"], c["evidence_end"]) for c in paper.claims]
    ends = {i: end for i, (_, end) in enumerate(spans)}
    for piece in pieces(len(paper.abstract), spans):
        style = f"bold {PALETTE[piece.claims[-1] % len(PALETTE)]}" if piece.claims else ""
        text.append(terminal_safe(paper.abstract[piece.start : piece.end]), style=style)
        for i in piece.claims:
            if ends[i] == piece.end:
                text.append(f"[{i + 1}]", style="dim")
    return text


def claims_table(paper: PaperClaims) -> Table:
    """One entry per claim, wrapping rather than cutting: number, then two lines of fields."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for i, c in enumerate(paper.claims):
        headline = " ".join(
            part for part in (value_text(c), c["direction"] or "", c["metric"]) if part
        )
        versus = c["system_norm"] or "(unnamed)"
        if c["baselines_norm"]:
            versus += " vs " + ", ".join(c["baselines_norm"])
        details = [c["category"], c["kind"], versus]
        details += [f"on {c['hardware']}"] if c["hardware"] else []
        details += [f"workload {c['workload_norm']}"] if c["workload_norm"] else []
        body = _text(headline, style="bold")
        body.append("\n")
        body.append_text(_text(" · ".join(details)))
        body.append(" · ")
        body.append_text(_text(c["alignment"], style=ALIGNMENT_STYLE.get(c["alignment"], "")))
        if c.get("confidence"):
            body.append(" · ")
            body.append_text(_text(f"confidence: {c['confidence']}"))
        table.add_row(_text(f"[{i + 1}]", style=PALETTE[i % len(PALETTE)]), body)
    return table


def print_paper(paper: PaperClaims, run_label: str, console: Console | None = None) -> None:
    console = console or Console()
    title = _text(paper.paper["title"], style="bold")
    header = _text(f"{paper.paper_id} · {run_label} · {len(paper.claims)} claims", style="dim")
    console.print(Panel(Group(title, header, Text(), highlighted(paper))))
    if paper.claims:
        console.print(claims_table(paper))
