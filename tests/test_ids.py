"""Paper id rules: a given id wins, else a title slug; collisions get -2, -3 in input order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimex.errors import InputError
from claimex.readers import read_papers
from claimex.readers.ids import slugify_title, unique_id


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "DistServe: Disaggregating Prefill and Decoding for Goodput-optimized Large Language"
            " Model Serving",
            "distserve",
        ),
        (
            "6G-Enabled Digital Twin Framework for Real-Time Cyber-Physical Systems: An"
            " Experimental Validation with Industrial Bearing Fault Detection",
            "6g-enabled-digital-twin-framework-for",
        ),
        ("PVT++: A Simple End-to-End Latency-Aware Visual Tracking Framework", "pvt"),
        # No ':' -> the whole title, first five words.
        (
            "Scaling Large Language Model Training on Frontier",
            "scaling-large-language-model-training",
        ),
        ("Are We There Yet? A Measurement Study: x", "are-we-there-yet-a"),
        ("  Spaced   Out:  title ", "spaced-out"),
        (
            "Taming Throughput-Latency Tradeoff in LLM Inference",
            "taming-throughput-latency-tradeoff-in-llm",
        ),
        ("???: only punctuation before the colon", ""),
    ],
)
def test_slug_rules(title: str, slug: str) -> None:
    assert slugify_title(title) == slug


def test_ids_of_the_example_corpus_follow_the_rules(example_path: Path) -> None:
    ids = {p.title: p.id for p in read_papers(example_path)}
    for title, paper_id in ids.items():
        assert paper_id == slugify_title(title)  # the corpus has no collisions
    assert ids["PVT++: A Simple End-to-End Latency-Aware Visual Tracking Framework"] == "pvt"


def test_unique_id_suffixes_skip_taken_ones() -> None:
    assert unique_id("a", set()) == "a"
    assert unique_id("a", {"a"}) == "a-2"
    assert unique_id("a", {"a", "a-2", "a-3"}) == "a-4"


def write_jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_different_papers_sharing_a_slug_get_suffixes_in_input_order(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "clash.jsonl",
        {"title": "DistServe: first paper", "abstract": "one"},
        {"title": "DistServe: second paper", "abstract": "two"},
        {"title": "Unrelated: paper", "abstract": "three"},
        {"title": "DistServe: third paper", "abstract": "four"},
    )
    papers = read_papers(path)
    assert [(p.id, p.abstract) for p in papers] == [
        ("distserve", "one"),
        ("distserve-2", "two"),
        ("unrelated", "three"),
        ("distserve-3", "four"),
    ]
    # Deterministic: reading again gives the same ids.
    assert [p.id for p in read_papers(path)] == [p.id for p in papers]


def test_suffix_avoids_an_id_a_title_already_produced(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "clash.jsonl",
        {"title": "A: x", "abstract": "one"},
        {"title": "A 2: y", "abstract": "two"},  # slug "a-2"
        {"title": "A: z", "abstract": "three"},
    )
    assert [p.id for p in read_papers(path)] == ["a", "a-2", "a-3"]


def test_given_id_wins_and_slugs_avoid_it(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "given.jsonl",
        {"id": "distserve", "title": "Something else entirely", "abstract": "one"},
        {"title": "DistServe: the real one", "abstract": "two"},
    )
    assert [p.id for p in read_papers(path)] == ["distserve", "distserve-2"]


def test_exact_repeat_of_a_paper_is_kept_once(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "repeat.jsonl",
        {"title": "DistServe: x", "abstract": "same abstract"},
        {"title": "Llumnix: y", "abstract": "other"},
        {"title": "DistServe:  x", "abstract": "same\nabstract"},  # same after whitespace folding
    )
    assert [p.id for p in read_papers(path)] == ["distserve", "llumnix"]


def test_repeat_with_the_same_given_id_is_kept_once(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "repeat.jsonl",
        {"id": "p1", "title": "T", "abstract": "A"},
        {"id": "p1", "title": "T", "abstract": "A"},
    )
    assert [p.id for p in read_papers(path)] == ["p1"]


def test_same_given_id_for_different_papers_is_an_error(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "dup.jsonl",
        {"id": "p1", "title": "T", "abstract": "A"},
        {"id": "p2", "title": "U", "abstract": "B"},
        {"id": "p1", "title": "T", "abstract": "changed"},
    )
    with pytest.raises(InputError, match=r"duplicate id 'p1' \(first at line 1\)") as info:
        read_papers(path)
    assert info.value.line == 3


def test_title_without_a_slug_gets_a_fallback_id(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "odd.jsonl",
        {"title": "???: a", "abstract": "one"},
        {"title": "!!!", "abstract": "two"},
    )
    assert [p.id for p in read_papers(path)] == ["paper", "paper-2"]


class CountingSet(set[str]):
    """A set that counts membership tests: the unit of work of id assignment."""

    probes = 0

    def __contains__(self, item: object) -> bool:
        self.probes += 1
        return super().__contains__(item)


def test_id_assignment_is_linear_in_the_number_of_colliding_papers() -> None:
    """n papers sharing one slug: a few probes each, not one per earlier paper (was n²/2)."""
    n = 2000
    taken = CountingSet({"t-5"})  # a given id in the middle of the suffixes
    counters: dict[str, int] = {}
    ids = []
    for _ in range(n):
        paper_id = unique_id("t", taken, counters)
        taken.add(paper_id)
        ids.append(paper_id)
    assert ids[:5] == ["t", "t-2", "t-3", "t-4", "t-6"]
    assert ids[-1] == f"t-{n + 1}"
    assert taken.probes <= 3 * n


def test_many_papers_sharing_a_slug_keep_the_same_ids(tmp_path: Path) -> None:
    records = [{"id": "same-3", "title": "Given", "abstract": "given"}]
    records += [{"title": f"Same: paper {i}", "abstract": f"abstract {i}"} for i in range(300)]
    records.append({"title": "Same 2: a title whose slug is taken", "abstract": "late"})
    path = write_jsonl(tmp_path / "same.jsonl", *records)
    expected = ["same-3", "same", "same-2", *(f"same-{k}" for k in range(4, 302)), "same-2-2"]
    assert [p.id for p in read_papers(path)] == expected
