"""The static site and the standalone map in a real headless Chromium, opened from file://:
a map cell lists its claims and sources and leads to a source's page, the map's cells equal
``build_matrix`` for several views and filters, the keyboard reaches and opens cells, the
priorities page re-ranks as ``rank_priorities`` does, and no request leaves the folder.

Every check waits for the content it reads (Playwright's ``expect`` and ``wait_for_function``
poll until it is there), never for a fixed time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import HOSTILE_CONFORMING, HOSTILE_LABEL
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_browser import CHROMIUM, browser  # noqa: F401 - the shared Chromium fixture

from conftest import ROOT, run_cli
from harmgraph import build_matrix, load_graph, rank_priorities

#: How long a check waits for its content: generous, so a busy machine is not a failure.
WAIT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    # One test process runs this module, so its Chromium starts once.
    pytest.mark.xdist_group("site-browser"),
    pytest.mark.skipif(not CHROMIUM, reason="no chromium on PATH (.ci/run installs Debian's)"),
]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def site(bundled_site: Path) -> Path:
    """The bundled graph's site, shared with the other tests that read it."""
    return bundled_site


@pytest.fixture(scope="module")
def downloaded_map(tmp_path_factory) -> Path:
    """The map written by `matrix --format html`, alone in a downloads folder."""
    folder = tmp_path_factory.mktemp("Downloads")
    done = run_cli("matrix", "--format", "html")
    assert done.returncode == 0, done.stderr
    path = folder / "harmgraph-map.html"
    path.write_text(done.stdout, encoding="utf-8")
    return path


class Visit:
    """A page opened from disk, with every request it made."""

    def __init__(self, browser, url: str) -> None:  # noqa: F811
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)

    def close(self) -> None:
        self.page.close()


def _inside(folder: Path, urls: list[str]) -> list[str]:
    """The requests that are not for a file inside ``folder``."""
    prefix = folder.resolve().as_uri() + "/"
    return [u for u in urls if not u.startswith(prefix)]


def test_map_cell_lists_claims_and_links_to_a_source_page(browser, site):  # noqa: F811
    visit = Visit(browser, (site / "map.html").as_uri())
    page = visit.page
    cell = page.locator("button.cell[data-status='evidence']").first
    row, col = cell.get_attribute("data-row"), cell.get_attribute("data-col")
    cell.click()
    claims = page.locator("#cell-claims li")
    sources = page.locator("#cell-sources li > a:first-child")
    assert (
        int(cell.get_attribute("data-claims")) > 0 and int(cell.get_attribute("data-sources")) > 0
    )
    expect(claims).to_have_count(int(cell.get_attribute("data-claims")), timeout=WAIT_MS)
    expect(sources).to_have_count(int(cell.get_attribute("data-sources")), timeout=WAIT_MS)
    expect(cell).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "site-map.png"))
    title = sources.first.inner_text()
    href = sources.first.get_attribute("href")
    assert href.startswith("id/source/") and href.endswith(".html"), href
    sources.first.click()
    page.wait_for_load_state()
    assert page.url == (site / href).as_uri()
    assert title.startswith(page.locator("h1").inner_text())
    assert row and col
    assert _inside(site, visit.requests) == [] and visit.errors == []
    visit.close()


VIEWS = [
    ("intervention", "harm", {}),
    ("intervention-type", "harm-facet", {}),
    ("stage", "harm", {}),
    ("intervention-type", "harm", {"stage": "StageLawPolicy"}),
    ("intervention", "harm-facet", {"evidence-kind": "EvaluationTrial"}),
    ("intervention-type", "harm-facet", {"jurisdiction": "GB"}),
    ("stage", "harm-facet", {"year": "2024-2025"}),
    ("intervention-type", "harm", {"actor": "online-platforms", "year": "2023-2026"}),
]


@pytest.mark.parametrize(("rows", "cols", "filters"), VIEWS)
def test_map_cells_equal_build_matrix(browser, downloaded_map, rows, cols, filters):  # noqa: F811
    expected = build_matrix(load_graph(), rows, cols, filters).as_dict()["cells"]
    assert any(c["claims"] for c in expected)
    state = "&".join(f"{k}={v}" for k, v in {"rows": rows, "cols": cols, **filters}.items())
    visit = Visit(browser, downloaded_map.as_uri() + "#" + state)
    expect(visit.page.locator("button.cell")).to_have_count(len(expected), timeout=WAIT_MS)
    found = visit.page.eval_on_selector_all(
        "button.cell",
        """cells => cells.map(c => ({row: c.dataset.row, col: c.dataset.col,
            claims: +c.dataset.claims, sources: +c.dataset.sources, status: c.dataset.status,
            strongest_confidence: c.dataset.strongest, supports: +c.dataset.supports,
            mixed: +c.dataset.mixed, disputes: +c.dataset.disputes,
            rolled_up: +c.dataset.rolled, reviews: +c.dataset.reviews}))""",
    )
    keys = ["row", "col", "claims", "sources", "status", "strongest_confidence"]
    keys += ["supports", "mixed", "disputes", "rolled_up"]
    assert [{k: c[k] for k in keys} | {"reviews": len(c["reviews"])} for c in expected] == found
    assert _inside(downloaded_map.parent, visit.requests) == [] and visit.errors == []
    visit.close()


def test_downloaded_map_works_alone_and_links_to_iris(browser, downloaded_map):  # noqa: F811
    visit = Visit(browser, downloaded_map.as_uri())
    page = visit.page
    page.locator("button.cell[data-status='evidence']").first.click()
    links = page.locator("#cell-sources li > a:first-child")
    links.first.wait_for(timeout=WAIT_MS)
    assert links.first.get_attribute("href").startswith("https://w3id.org/harmgraph/id/source/")
    assert visit.requests == [downloaded_map.as_uri()] and visit.errors == []
    visit.close()


def test_keyboard_moves_between_cells_and_opens_one(browser, site):  # noqa: F811
    visit = Visit(browser, (site / "map.html").as_uri())
    page = visit.page
    page.locator("#reset").focus()
    page.keyboard.press("Tab")
    first = page.evaluate(
        "document.activeElement.dataset.r + ',' + document.activeElement.dataset.c"
    )
    assert first == "0,0"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert (
        page.evaluate("document.activeElement.dataset.r + ',' + document.activeElement.dataset.c")
        == "1,1"
    )
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    # The details show the cell the keyboard opened: wait for its heading, then read it.
    page.wait_for_function(
        "label => label.startsWith(document.getElementById('details-heading').textContent + ':')",
        arg=label,
        timeout=WAIT_MS,
    )
    heading = page.locator("#details-heading").inner_text()
    assert label.startswith(heading + ":"), (label, heading)
    visit.close()


def test_priorities_page_reranks_as_rank_priorities(browser, site):  # noqa: F811
    weights = {"severity": 0.5, "reach": 4.0, "enablers": 0.0, "weakness": 1.0, "stated": 2.5}
    expected = [(r["kind"], r["subject_label"]) for r in rank_priorities(load_graph(), weights)]
    default = [(r["kind"], r["subject_label"]) for r in rank_priorities(load_graph())]
    assert expected != default
    visit = Visit(browser, (site / "priorities.html").as_uri())
    page = visit.page

    rows_js = (
        "[...document.querySelectorAll('#priorities tbody tr')]"
        ".map(r => [r.dataset.kind, r.cells[3].innerText.split(' → ')[0]])"
    )

    def order() -> list[tuple[str, str]]:
        return [tuple(row) for row in page.evaluate(f"() => {rows_js}")]

    def wait_for_order(wanted: list[tuple[str, str]]) -> None:
        """Wait until the table shows ``wanted`` (a wrong order fails the assert after it)."""
        try:
            page.wait_for_function(
                f"wanted => JSON.stringify({rows_js}) === JSON.stringify(wanted)",
                arg=[list(row) for row in wanted],
                timeout=WAIT_MS,
            )
        except PlaywrightTimeout:
            pass

    wait_for_order(default)
    assert order() == default
    for name, value in weights.items():
        page.fill(f"#w-{name}", str(value))
    wait_for_order(expected)
    assert order() == expected
    assert page.locator("#priorities tbody tr td.rank").first.inner_text() == "1"
    assert _inside(site, visit.requests) == [] and visit.errors == []
    visit.close()


def test_search_finds_a_label_and_its_page_opens(browser, site):  # noqa: F811
    visit = Visit(browser, (site / "index.html").as_uri())
    page = visit.page
    page.fill("#search", "normalisation")
    result = page.locator("#search-results a").first
    result.wait_for()
    result.click()
    page.wait_for_load_state()
    assert "/id/" in page.url and "normalisation" in page.locator("h1").inner_text().lower()
    assert _inside(site, visit.requests) == [] and visit.errors == []
    visit.close()


PAGES = [
    "index.html",
    "map.html",
    "gaps.html",
    "priorities.html",
    "downloads.html",
    "ontology/index.html",
    "ontology/reference.html",
    "ontology/schemes.html",
    "ontology/shapes.html",
    "ontology/alignments.html",
    "id/harm/normalisation.html",
    "id/source.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_the_folder(browser, site, path):  # noqa: F811
    visit = Visit(browser, (site / path).as_uri())
    visit.page.wait_for_load_state("load")
    assert _inside(site, visit.requests) == [], path
    assert visit.errors == [], path
    visit.close()


def test_hostile_labels_on_the_map_are_shown_as_written(browser, tmp_path, mini_with):  # noqa: F811
    folder = mini_with(HOSTILE_CONFORMING, "hostile.ttl")
    out = tmp_path / "site"
    done = run_cli("--data", str(folder), "site", "--out", str(out))
    assert done.returncode == 0, done.stderr
    visit = Visit(browser, (out / "map.html").as_uri() + "#rows=intervention&cols=harm")
    page = visit.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    cell = page.locator(
        "button.cell[data-row='https://w3id.org/harmgraph/id/intervention/hostile']"
        "[data-col='https://w3id.org/harmgraph/id/harm/hostile']"
    )
    expect(cell).to_have_attribute("data-claims", "1", timeout=WAIT_MS)
    cell.click()
    details = page.locator("#details")
    expect(details).to_contain_text(
        f"intervention {HOSTILE_LABEL} addresses {HOSTILE_LABEL}", timeout=WAIT_MS
    )
    expect(details).to_contain_text(f"title {HOSTILE_LABEL}", timeout=WAIT_MS)
    assert HOSTILE_LABEL in page.locator("#map").inner_text()
    assert page.locator("img").count() == 0 and page.locator("b").count() == 0
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if "evil.example" in h or h.startswith("javascript")]
    assert dialogs == [] and visit.errors == []
    assert _inside(out, visit.requests) == []
    visit.close()
