"""`claimex review`: the static page, opened in a real headless Chromium.

Needs the Debian packages chromium and chromium-driver (.ci/run installs them); without
them the browser tests are skipped with a message saying so. CLAIMEX_UPDATE_SCREENSHOT=1
makes the screenshot test write docs/review.png, the picture the README shows.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from review_support import query

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "review.png"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="chromium and chromedriver not installed (apt-get install chromium chromium-driver;"
    " .ci/run installs them)",
)


@pytest.fixture
def page(cli: Cli, rules_db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "review.html"
    result = cli("review", "--out", out, "--db", rules_db)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_AVOID_STATS", "true")  # selenium: no usage statistics
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_argument("--window-size=1280,1000")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def test_the_page_is_self_contained(page: Path) -> None:
    html = page.read_text()
    assert "<style>" in html and "<script>" in html
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(""", html)
    # (abstracts may quote URLs as text; the browser test checks nothing is fetched)


def test_bad_run_and_unwritable_output_are_one_line_exit_2(
    cli: Cli, rules_db: Path, tmp_path: Path
) -> None:
    result = cli("review", "--out", tmp_path / "r.html", "--run", "42", "--db", rules_db)
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        "error: run 42: no such run (see `claimex runs`)",
    )
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = cli("review", "--out", blocker / "r.html", "--db", rules_db)
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"error: {blocker / 'r.html'}: cannot write here (Not a directory)"
    )
    assert not (tmp_path / "r.html").exists()


_MARKS_BY_CLAIM = """
const result = {};
document.querySelectorAll("article.paper").forEach(function (paper) {
  const texts = {};
  paper.querySelectorAll("mark").forEach(function (mark) {
    mark.dataset.claims.split(" ").forEach(function (claim) {
      texts[claim] = (texts[claim] || "") + mark.textContent;
    });
  });
  result[paper.dataset.paper] = {
    texts: texts,
    abstract: paper.querySelector(".abstract").textContent,
    colours: Array.from(paper.querySelectorAll("tr.claim")).map(function (row) {
      return [row.className, getComputedStyle(row.cells[0]).borderLeftColor];
    }),
  };
});
return result;
"""


@needs_chromium
def test_highlights_sit_on_the_evidence_characters(
    browser: Any, page: Path, rules_db: Path
) -> None:
    browser.get(page.as_uri())
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    shown = browser.execute_script(_MARKS_BY_CLAIM)
    claims = query(
        rules_db,
        "SELECT c.paper_id, c.evidence, c.evidence_start, c.evidence_end, c.alignment, p.abstract"
        " FROM latest_claims c JOIN papers p ON p.id = c.paper_id"
        " ORDER BY c.paper_id, c.evidence_start, c.ordinal",
    )
    assert set(shown) == {c[0] for c in claims}
    position: dict[str, int] = {}
    for paper_id, evidence, start, end, alignment, abstract in claims:
        index = position.setdefault(paper_id, 0)
        position[paper_id] += 1
        highlighted = shown[paper_id]["texts"][str(index)]
        assert highlighted == abstract[start:end]
        if alignment == "exact":
            assert highlighted == evidence
        # the page shows the whole abstract once labels (claim numbers) are taken out
        assert re.sub(r"\d+", "", shown[paper_id]["abstract"]) == re.sub(r"\d+", "", abstract)
    colours = {cls: colour for p in shown.values() for cls, colour in p["colours"]}
    assert colours["claim align-exact"] == "rgb(64, 145, 108)"


@needs_chromium
def test_a_filter_hides_rows_and_papers(browser: Any, page: Path, rules_db: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(page.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.claim")
    assert len(rows) == query(rules_db, "SELECT count(*) FROM latest_claims")[0][0]
    Select(browser.find_element(By.ID, "filter-category")).select_by_value("throughput")
    visible = [r for r in rows if r.is_displayed()]
    (throughput,) = query(
        rules_db, "SELECT count(*) FROM latest_claims WHERE category = 'throughput'"
    )[0]
    assert len(visible) == throughput and 0 < throughput < len(rows)
    assert all(r.get_attribute("data-category") == '["throughput"]' for r in visible)
    papers = [
        p for p in browser.find_elements(By.CSS_SELECTOR, "article.paper") if p.is_displayed()
    ]
    (with_throughput,) = query(
        rules_db,
        "SELECT count(DISTINCT paper_id) FROM latest_claims WHERE category = 'throughput'",
    )[0]
    assert len(papers) == with_throughput
    assert browser.find_element(By.ID, "shown").text == f"{throughput} of {len(rows)} claims shown"
    Select(browser.find_element(By.ID, "filter-baselines")).select_by_value("vLLM")
    both = [r for r in rows if r.is_displayed()]
    (vllm,) = query(
        rules_db,
        "SELECT count(*) FROM latest_claims WHERE category = 'throughput'"
        " AND list_contains(baselines_norm, 'vLLM')",
    )[0]
    assert len(both) == vllm and 0 < vllm < throughput
    Select(browser.find_element(By.ID, "filter-category")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-baselines")).select_by_value("")
    assert all(r.is_displayed() for r in rows)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_chromium
def test_screenshot(browser: Any, page: Path, tmp_path: Path) -> None:
    """The page renders with highlights; CLAIMEX_UPDATE_SCREENSHOT=1 keeps it for the README."""
    browser.set_window_size(1280, 1000)
    browser.get(page.as_uri())
    mark_colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('mark.align-exact')).backgroundColor"
    )
    assert mark_colour == "rgb(183, 228, 199)"
    shot = browser.get_screenshot_as_png()
    width, height = _png_size(shot)
    assert width >= 1000 and height >= 700 and len(shot) > 50_000
    (tmp_path / "review.png").write_bytes(shot)
    if os.environ.get("CLAIMEX_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.write_bytes(shot)


def test_data_is_escaped_into_the_page(cli: Cli, tmp_path: Path) -> None:
    hostile = "Fast</script><script>alert(1)</script> & <b>bold</b> [/i]"
    papers = tmp_path / "p.jsonl"
    abstract = "EvilServe achieves 2x higher throughput than <img src=x> on 8 A100 GPUs."
    papers.write_text(f'{{"id": "evil", "title": "{hostile}", "abstract": "{abstract}"}}\n')
    db = tmp_path / "e.duckdb"
    assert cli("extract", papers, "--db", db, "--backend", "rules").exit_code == 0
    out = tmp_path / "r.html"
    assert cli("review", "--out", out, "--db", db).exit_code == 0
    html = out.read_text()
    assert "Fast&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "<img" not in html and html.count("<script>") == 1
