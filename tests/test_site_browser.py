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


# --- A map and gaps a funder can read (issue 19) ---

PHONE_PAGES = [
    "index.html",
    "id/harm/normalisation.html",
    "id/intervention/hash-matching.html",
    "id/review/grooming-coercion-extortion-interventions-2026-12.html",
    "gaps.html",
    "priorities.html",
    "reviews.html",
    "map.html",
]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_pages_do_not_scroll_sideways_on_a_phone(browser, site, path):  # noqa: F811
    """At 360 px, the page itself never scrolls sideways; a wide table, the PRISMA diagram or
    the map's grid scrolls inside its own box."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto((site / path).as_uri())
    page.locator("main h1").first.wait_for(timeout=WAIT_MS)
    if path == "map.html":
        page.locator("button.cell").first.wait_for(timeout=WAIT_MS)
        assert page.evaluate(
            "() => { const g = document.getElementById('grid'); "
            "return g.scrollWidth > g.clientWidth; }"
        ), "the grid scrolls inside"
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.evaluate("innerWidth"), (path, width)
    page.close()


def test_search_finds_an_alternative_label(browser, site):  # noqa: F811
    visit = Visit(browser, (site / "index.html").as_uri())
    page = visit.page
    page.fill("#search", "sextortion")
    result = page.locator("#search-results li", has_text="sexual extortion").first
    expect(result).to_contain_text("also called sextortion", timeout=WAIT_MS)
    result.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "sexual extortion"
    visit.close()


def test_map_groups_harm_columns_under_their_facet(browser, site):  # noqa: F811
    from harmgraph.analysis.cells import harm_groups
    from harmgraph.model.evidence import read_evidence

    groups = harm_groups(read_evidence(load_graph()))
    visit = Visit(browser, (site / "map.html").as_uri() + "#rows=intervention&cols=harm")
    page = visit.page
    expect(page.locator("#map thead tr.groups th")).to_have_count(len(groups), timeout=WAIT_MS)
    heads = page.eval_on_selector_all(
        "#map thead tr.groups th", "ths => ths.map(t => [t.textContent, +t.colSpan])"
    )
    assert heads == [[label, len(harms)] for _, label, harms in groups]
    cols = page.eval_on_selector_all(
        "button.cell[data-r='0']", "cells => cells.map(c => c.dataset.col)"
    )
    assert cols == [harm for _, _, harms in groups for harm in harms]
    facets = page.eval_on_selector_all(
        "#map thead tr:not(.groups) th.facet", "ths => ths.map(t => t.textContent)"
    )
    assert facets == [label for _, label, _ in groups]
    visit.close()


def test_numbers_in_disputed_diamonds_keep_their_size(browser, site):  # noqa: F811
    """The ring scales a diamond down to fit; its number is scaled back up, so it reads at
    the size of every other bubble's number (it was about 8 px)."""
    visit = Visit(browser, (site / "map.html").as_uri() + "#rows=intervention&cols=harm")
    page = visit.page
    ringed = page.locator(".conf-moderate.ring > span").first
    ringed.wait_for(timeout=WAIT_MS)
    plain = page.locator(".conf-moderate:not(.ring) > span").first
    # The size a number is drawn at: its font size times the scale its transforms leave.
    drawn = [
        locator.evaluate(
            "s => s.getBoundingClientRect().height / s.offsetHeight"
            " * parseFloat(getComputedStyle(s).fontSize)"
        )
        for locator in (ringed, plain)
    ]
    assert plain.evaluate("s => parseFloat(getComputedStyle(s).fontSize)") >= 11
    assert drawn[0] >= drawn[1] * 0.97, drawn
    visit.close()


def test_a_cell_lists_claims_strongest_first_and_links_its_reviews(browser, site):  # noqa: F811
    from harmgraph.analysis.gaps import GAP_MEANINGS

    visit = Visit(browser, (site / "map.html").as_uri() + "#rows=intervention&cols=harm")
    page = visit.page
    page.locator("button.cell[data-claims='6']").first.click()
    claims = page.locator("#cell-claims li")
    expect(claims).to_have_count(6, timeout=WAIT_MS)
    strengths = [
        [int(n) for n in s.split(",")]
        for s in claims.evaluate_all("items => items.map(i => i.dataset.strength)")
    ]
    assert strengths == sorted(strengths, reverse=True) and len(set(map(tuple, strengths))) > 1
    review = page.locator("#cell-reviews li").first
    expect(review).to_contain_text("rapid web scan:", timeout=WAIT_MS)
    assert review.locator("a").get_attribute("href").startswith("id/review/")
    # An evidence gap (x) names its kind in words, and its note names no review.
    page.locator("button.cell[data-status='no-evidence']").first.click()
    meaning = GAP_MEANINGS["empty-cell"]
    expect(page.locator("#cell-gaps li").first).to_have_text(
        meaning[0].upper() + meaning[1:], timeout=WAIT_MS
    )
    note = page.locator("#cell-note").inner_text()
    assert note.startswith("Not found by ") and "review" not in note, note
    visit.close()


def test_network_labels_are_readable_when_it_opens(browser, tmp_path):  # noqa: F811
    """Fitting a large network to its frame shrank labels to a few pixels (or vis hid them):
    it now opens at a zoom where node labels are at least 14 px and edge labels 12 px."""
    from harmgraph.analysis.network import ego_network
    from harmgraph.publish.network_html import network_html

    drawing = ego_network(load_graph(), "harm/offending-pathway", 2)
    assert len(drawing["nodes"]) > 20
    path = tmp_path / "network.html"
    path.write_text(network_html(drawing), encoding="utf-8")
    visit = Visit(browser, path.as_uri())
    page = visit.page
    page.wait_for_function(
        "() => typeof network !== 'undefined' && network.physics.options.enabled === false",
        timeout=WAIT_MS,
    )
    node, edge = page.evaluate(
        "[network.getScale() * data.options.nodes.font.size,"
        " network.getScale() * data.options.edges.font.size]"
    )
    assert node >= 14 - 0.01 and edge >= 12 - 0.01, (node, edge)
    assert visit.errors == []
    visit.close()
