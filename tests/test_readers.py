"""Readers on real files: the HF Daily Papers listing, JSONL, CSV, and format detection."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from claimex.errors import InputError
from claimex.model import Paper
from claimex.readers import InputFormat, detect_format, read_papers

# --- HF Daily Papers: the shipped example ----------------------------------------


@pytest.fixture
def example_papers(example_path: Path) -> dict[str, Paper]:
    papers = read_papers(example_path)
    return {p.id: p for p in papers}


def test_example_has_41_papers_in_file_order(example_path: Path) -> None:
    papers = read_papers(example_path)
    assert len(papers) == 41
    assert len({p.id for p in papers}) == 41
    text = example_path.read_text(encoding="utf-8")
    # File order is kept: each title appears later in the text than the previous one.
    positions = [text.index(p.title) for p in papers]
    assert positions == sorted(positions)
    assert papers[0].title.startswith("DistServe: Disaggregating Prefill")
    assert papers[-1].title.startswith("SmallThinker: A Family of Efficient")


def test_example_header_lines_are_not_papers(example_papers: dict[str, Paper]) -> None:
    titles = {p.title for p in example_papers.values()}
    for header in ("new", "Get trending papers in your email inbox!", "Subscribe",
                   "Daily Papers", "byAK and the research community", "Jan 5"):  # fmt: skip
        assert header not in titles
    for paper in example_papers.values():
        assert "Subscribe" not in paper.abstract


def test_example_metadata_counts_match_the_raw_footer_lines(
    example_path: Path, example_papers: dict[str, Paper]
) -> None:
    lines = example_path.read_text(encoding="utf-8").splitlines()
    author_lines = [ln for ln in lines if re.fullmatch(r"\s*•\s*\d+ authors", ln)]
    separator_lines = [ln for ln in lines if ln.strip() == "·"]
    upvoted_dates = [ln for ln in lines if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d+", ln)]
    papers = list(example_papers.values())
    assert sum(p.authors is not None for p in papers) == len(author_lines)
    assert sum(p.date is not None for p in papers) == len(separator_lines)
    assert sum(p.upvotes is not None for p in papers) == len(upvoted_dates)
    author_counts = [int(re.sub(r"\D", "", ln)) for ln in author_lines]
    assert sum(p.authors for p in papers if p.authors) == sum(author_counts)


def test_footer_with_authors_date_and_upvotes(example_papers: dict[str, Paper]) -> None:
    distserve = example_papers["distserve"]
    assert (distserve.authors, distserve.date, distserve.upvotes) == (8, dt.date(2024, 1, 17), 1)
    assert distserve.organisation is None
    assert distserve.abstract.startswith("DistServe improves the performance")
    assert distserve.abstract.endswith("within latency constraints for > 90% of requests.")
    minmo = example_papers["minmo"]
    assert (minmo.authors, minmo.date, minmo.upvotes) == (36, dt.date(2025, 1, 10), 8)


def test_footer_with_authors_and_date_but_no_upvotes(example_papers: dict[str, Paper]) -> None:
    help_ = example_papers["help"]
    assert (help_.authors, help_.date, help_.upvotes) == (4, dt.date(2021, 6, 16), None)
    jitserve = example_papers["jitserve"]
    assert (jitserve.authors, jitserve.date, jitserve.upvotes) == (8, dt.date(2025, 4, 24), None)


@pytest.mark.parametrize(
    ("paper_id", "organisation", "date", "upvotes"),
    [
        ("nemotron-flash", "NVIDIA", dt.date(2025, 11, 24), 2),
        ("noloco", "Gensyn", dt.date(2025, 6, 12), 2),
        ("soundreactor", "Sony", dt.date(2025, 10, 2), 2),
        ("voice-evaluation-of-reasoning-ability", "Adobe", dt.date(2025, 9, 30), 2),
    ],
)
def test_footer_with_organisation_instead_of_authors(
    example_papers: dict[str, Paper],
    paper_id: str,
    organisation: str,
    date: dt.date,
    upvotes: int,
) -> None:
    paper = example_papers[paper_id]
    assert paper.organisation == organisation
    assert paper.authors is None
    assert (paper.date, paper.upvotes) == (date, upvotes)


def test_entry_without_footer_does_not_swallow_the_next_paper(
    example_papers: dict[str, Paper],
) -> None:
    janus = example_papers["janus"]
    assert janus.title == "Janus: Disaggregating Attention and Experts for Scalable MoE Inference"
    assert janus.abstract.startswith("Large Mixture-of-Experts (MoE) model inference")
    assert (janus.authors, janus.date, janus.upvotes, janus.organisation) == (None,) * 4
    first = example_papers["first"]  # the entry right after Janus keeps its own footer
    assert first.title.startswith("FiRST: Finetuning Router-Selective Transformers")
    assert (first.authors, first.date) == (4, dt.date(2024, 10, 16))


def test_every_paper_records_its_source_file(
    example_path: Path, example_papers: dict[str, Paper]
) -> None:
    assert {p.source for p in example_papers.values()} == {str(example_path)}


# --- HF Daily Papers: synthetic listings ---------------------------------------

ABSTRACT = (
    "We present a system that is evaluated on many workloads and shows that careful design "
    "of the scheduler reduces tail latency by 2.5x compared to the baseline serving stack."
)


def hf_listing(*entries: str, header: str = "new\n\nDaily Papers\n\nJan 5\n\n") -> str:
    return header + "\n\n".join(entries) + "\n"


def test_hf_listing_synthetic_footers(tmp_path: Path) -> None:
    path = tmp_path / "listing.txt"
    path.write_text(
        hf_listing(
            f"Alpha: First\n\n{ABSTRACT}\n\n  • 1 author\n·\nMar 4, 2024 12",
            f"Beta Two Three Four Five Six: Second\n\n{ABSTRACT} Beta.\n\n"
            "meta-llama Meta Llama\n·\nFeb 29, 2024",
            f"Gamma\n\n{ABSTRACT} Gamma.",
        ),
        encoding="utf-8",
    )
    alpha, beta, gamma = read_papers(path)
    assert (alpha.id, alpha.authors, alpha.date, alpha.upvotes) == (
        "alpha",
        1,
        dt.date(2024, 3, 4),
        12,
    )
    assert (beta.id, beta.organisation, beta.date, beta.upvotes) == (
        "beta-two-three-four-five",
        "Meta Llama",
        dt.date(2024, 2, 29),
        None,
    )
    assert (gamma.id, gamma.abstract) == ("gamma", f"{ABSTRACT} Gamma.")


def test_hf_malformed_block_after_papers_start_names_its_line(tmp_path: Path) -> None:
    text = hf_listing(
        f"Alpha: First\n\n{ABSTRACT}\n\n  • 3 authors\n·\nMar 4, 2024",
        "stray text that is neither a title nor a footer\nover two lines",
        f"Beta: Second\n\n{ABSTRACT}",
    )
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    stray_line = text.splitlines().index("stray text that is neither a title nor a footer") + 1
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert info.value.line == stray_line
    assert str(info.value).startswith(f"{path}:{stray_line}: ")


def test_hf_title_without_abstract_at_end_is_an_error(tmp_path: Path) -> None:
    text = hf_listing(f"Alpha: First\n\n{ABSTRACT}", "Dangling title with no abstract")
    path = tmp_path / "dangling.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert info.value.line == len(text.splitlines())


def test_hf_text_with_only_header_lines_has_no_papers(tmp_path: Path) -> None:
    path = tmp_path / "header.txt"
    path.write_text("new\n\nDaily Papers\n\nJan 5\n", encoding="utf-8")
    with pytest.raises(InputError, match="no papers found"):
        read_papers(path)


# --- JSONL -------------------------------------------------------------------------


def write_jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_jsonl_given_id_source_and_metadata(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "papers.jsonl",
        {
            "id": "custom-id",
            "title": "DistServe: Disaggregating",
            "abstract": "Serves  4.48x\nmore requests.",
            "source": "arxiv:2401.09670",
            "authors": 8,
            "date": "2024-01-17",
            "upvotes": 3,
            "organisation": "PKU",
            "ignored_extra": [1, 2],
        },
        {"title": "Llumnix: Dynamic Scheduling", "abstract": "Improves tail latency by 10x."},
    )
    first, second = read_papers(path)
    assert first.id == "custom-id"  # a given id wins over the slug
    assert first.source == "arxiv:2401.09670"  # the record's source wins over the file
    assert (first.authors, first.date, first.upvotes, first.organisation) == (
        8,
        dt.date(2024, 1, 17),
        3,
        "PKU",
    )
    assert first.abstract == "Serves 4.48x more requests."  # whitespace runs collapsed
    assert second.id == "llumnix"
    assert second.source == str(path)
    assert (second.authors, second.date) == (None, None)


def test_jsonl_blank_lines_are_skipped_and_errors_count_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text('{"title": "A", "abstract": "a"}\n\n   \n{"title": "B"}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert info.value.line == 4
    assert "no abstract" in info.value.reason


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "array.jsonl"
    path.write_text('{"title": "A", "abstract": "a"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON object") as info:
        read_papers(path)
    assert info.value.line == 2


# --- CSV -----------------------------------------------------------------------------


def test_csv_with_quoted_commas_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "papers.csv"
    path.write_text(
        "Title,Abstract,venue\n"
        '"Sarathi-Serve: Taming Throughput, Latency","Improves serving capacity\n'
        'by 2.6x, on one A100 GPU.",OSDI\n'
        'FastSwitch: Context Switching,"Quotes ""inside"" survive.",\n',
        encoding="utf-8",
    )
    first, second = read_papers(path)
    assert first.title == "Sarathi-Serve: Taming Throughput, Latency"
    assert first.abstract == "Improves serving capacity by 2.6x, on one A100 GPU."
    assert first.id == "sarathi-serve"
    assert second.abstract == 'Quotes "inside" survive.'
    assert second.id == "fastswitch"
    assert second.source == str(path)


def test_csv_id_and_source_columns(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(
        "id,title,abstract,source\np-1,Some Title,An abstract.,mylist\n,Other: x,Another one.,\n",
        encoding="utf-8",
    )
    first, second = read_papers(path)
    assert (first.id, first.source) == ("p-1", "mylist")
    assert (second.id, second.source) == ("other", str(path))


def test_csv_error_line_accounts_for_multiline_rows(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('title,abstract\nA,"line one\nline two\nline three"\nB,\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert info.value.line == 5  # header 1, row A on 2-4, row B on 5
    assert "'B' has no abstract" in info.value.reason


# --- format detection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jsonl", InputFormat.JSONL),
        ("a.NDJSON", InputFormat.JSONL),
        ("a.csv", InputFormat.CSV),
    ],
)
def test_format_by_extension(name: str, expected: InputFormat) -> None:
    for content in ('{"title": "x"}', "title,abstract\nx,y", "Some title\n\nAn abstract."):
        assert detect_format(Path(name), content) is expected


def test_txt_is_a_listing_unless_it_holds_json_lines(tmp_path: Path) -> None:
    """Issue 12 point 7: JSON lines saved as .txt were read as a listing: "no papers found"."""
    path = tmp_path / "looks-like-jsonl.txt"
    path.write_text('\n{"title": "A: b", "abstract": "text"}\n', encoding="utf-8")
    assert detect_format(path, path.read_text()) is InputFormat.JSONL
    (paper,) = read_papers(path)
    assert (paper.id, paper.abstract) == ("a", "text")
    for listing in ("Some title\n\nAn abstract.", "{not json} title\n\nAn abstract."):
        assert detect_format(path, listing) is InputFormat.HF_DAILY
    # ... and --format overrides the content.
    with pytest.raises(InputError, match="no papers found"):
        read_papers(path, InputFormat.HF_DAILY)


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("abstract", 42, "number"),
        ("abstract", ["a", "list"], "list"),
        ("abstract", {"text": "x"}, "object"),
        ("title", 3.5, "number"),
        ("title", True, "boolean"),
    ],
)
def test_non_string_title_or_abstract_is_an_error(
    tmp_path: Path, field: str, value: object, kind: str
) -> None:
    record: dict[str, object] = {"title": "T: x", "abstract": "Text."} | {field: value}
    path = tmp_path / "typed.jsonl"
    path.write_text('{"title": "Ok", "abstract": "fine"}\n' + json.dumps(record) + "\n")
    with pytest.raises(InputError) as info:
        read_papers(path)
    assert str(info.value) == f"{path}:2: {field} must be text, got a {kind}"


def test_nul_characters_are_stripped(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "nul.jsonl", {"title": "N\u0000ul: x", "abstract": "a\u0000b c"})
    (paper,) = read_papers(path)
    assert (paper.id, paper.title, paper.abstract) == ("nul", "Nul: x", "ab c")


def test_format_by_content_for_files_without_extension(tmp_path: Path, example_path: Path) -> None:
    jsonl = write_jsonl(tmp_path / "records", {"title": "J: x", "abstract": "json abstract"})
    csv_file = tmp_path / "table"
    csv_file.write_text("id,title,abstract\nc1,C: x,csv abstract\n", encoding="utf-8")
    listing = tmp_path / "listing"
    listing.write_bytes(example_path.read_bytes())

    assert detect_format(jsonl, jsonl.read_text()) is InputFormat.JSONL
    assert detect_format(csv_file, csv_file.read_text()) is InputFormat.CSV
    assert detect_format(listing, listing.read_text()) is InputFormat.HF_DAILY
    assert [p.id for p in read_papers(jsonl)] == ["j"]
    assert [p.id for p in read_papers(csv_file)] == ["c1"]
    assert len(read_papers(listing)) == 41


def test_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("title,abstract\nÜber: x,Schnell.\n".encode("utf-8-sig"))
    (paper,) = read_papers(path)
    assert paper.title == "Über: x"
