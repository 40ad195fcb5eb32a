"""`claimex review`: one self-contained HTML page (inline CSS and JS, nothing fetched).

Each paper's abstract is cut at its claims' evidence offsets (spans.pieces); each piece
is a <mark> naming the claims that cover it, coloured by the alignment of its last
claim, so the highlighted characters are exactly the stored offsets; a claim's number
follows its evidence as <sup>. Claim rows carry
their category, system and baselines for the page's filters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import Any

from claimex.review.claims import PaperClaims
from claimex.review.spans import pieces
from claimex.review.terminal import value_text

_FILTERS = (("category", "Category"), ("system", "System"), ("baselines", "Baseline"))


def _asset(name: str) -> str:
    return resources.files("claimex").joinpath("resources", "review", name).read_text("utf-8")


def _attr(values: Sequence[str]) -> str:
    return escape(json.dumps(list(values), ensure_ascii=False), quote=True)


def _filter_values(claim: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "category": [claim["category"]],
        "system": [claim["system_norm"]] if claim["system_norm"] else [],
        "baselines": list(claim["baselines_norm"] or []),
    }


def _abstract(paper: PaperClaims) -> str:
    text = paper.abstract
    spans = [(c["evidence_start"], c["evidence_end"]) for c in paper.claims]
    out = []
    for piece in pieces(len(text), spans):
        labels = "".join(
            f'<sup class="n">{i + 1}</sup>' for i in piece.claims if spans[i][1] == piece.end
        )
        chunk = escape(text[piece.start : piece.end], quote=False)
        if piece.claims:
            alignment = paper.claims[piece.claims[-1]]["alignment"]
            covering = " ".join(str(i) for i in piece.claims)
            out.append(f'<mark class="align-{alignment}" data-claims="{covering}">{chunk}</mark>')
        else:
            out.append(chunk)
        out.append(labels)
    return "".join(out)


def _confidence_cell(claim: dict[str, Any]) -> str:
    confidence = claim.get("confidence")
    if not confidence:
        return "<td></td>"
    css = "confidence-agreed" if confidence == "agreed" else "confidence-one"
    return f'<td class="{css}">{escape(confidence)}</td>'


def _claims_table(paper: PaperClaims, with_confidence: bool) -> str:
    head = ["#", "metric", "category", "value", "direction", "system", "baselines"]
    head += ["hardware", "workload", "alignment", *(["confidence"] if with_confidence else [])]
    rows = []
    for i, c in enumerate(paper.claims):
        data = " ".join(f"data-{k}='{_attr(v)}'" for k, v in _filter_values(c).items())
        cells = [
            str(i + 1),
            c["metric"],
            c["category"],
            value_text(c),
            c["direction"] or "",
            c["system_norm"] or "",
            ", ".join(c["baselines_norm"] or []),
            c["hardware"] or "",
            c["workload_norm"] or "",
            c["alignment"],
        ]
        row = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        if with_confidence:
            row += _confidence_cell(c)
        rows.append(
            f'<tr class="claim align-{escape(c["alignment"])}" data-claim="{i}" {data}>{row}</tr>'
        )
    header = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(rows)
    return f'<table class="claims"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def _paper(paper: PaperClaims, with_confidence: bool) -> str:
    meta = [paper.paper_id]
    for key in ("date", "organisation"):
        if paper.paper.get(key):
            meta.append(str(paper.paper[key]))
    meta.append(f"{len(paper.claims)} claims")
    return (
        f'<article class="paper" data-paper="{escape(paper.paper_id)}">'
        f"<h2>{escape(str(paper.paper['title']))}</h2>"
        f'<p class="meta">{escape(" · ".join(meta))}</p>'
        f'<p class="abstract">{_abstract(paper)}</p>'
        f"{_claims_table(paper, with_confidence) if paper.claims else ''}</article>"
    )


def _select(field: str, label: str, papers: Sequence[PaperClaims]) -> str:
    values = sorted(
        {v for p in papers for c in p.claims for v in _filter_values(c)[field]}, key=str.casefold
    )
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (
        f'<label>{label}<select id="filter-{field}" data-field="{field}">'
        f'<option value="">all</option>{options}</select></label>'
    )


def render_page(papers: Sequence[PaperClaims], source: str) -> str:
    """The whole page as one string; `source` says which claims ("latest claims", "run 3")."""
    shown = [p for p in papers if p.claims]
    with_confidence = any(c.get("confidence") for p in shown for c in p.claims)
    claims = sum(len(p.claims) for p in shown)
    filters = "".join(_select(field, label, shown) for field, label in _FILTERS)
    legend = "".join(
        f'<span class="align-{a}">{a}</span> ' for a in ("exact", "normalised", "fuzzy")
    )
    body = "".join(_paper(p, with_confidence) for p in shown)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>claimex review</title><style>{_asset('review.css')}</style></head><body>"
        f'<header><h1>claimex review</h1><p class="summary">{len(shown)} papers with'
        f" {claims} claims ({escape(source)}); {len(papers) - len(shown)} papers without"
        f' claims not shown</p><div id="filters">{filters}<span id="shown"></span></div>'
        f'<p class="legend">evidence alignment: {legend}</p></header>'
        f"<main>{body}</main><script>{_asset('review.js')}</script></body></html>\n"
    )
