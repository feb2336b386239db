"""The app in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
every page opens, a bubble click lists its sources, a shareable URL reopens its view,
hostile labels show as text, and no page asks any host but 127.0.0.1.
Screenshots go to tests/artifacts/ (ignored by git) for a person to look at."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import MINI, PREFIXES, ROOT, stop

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (.ci/run installs it)"
    ),
]
PAGES = ["overview", "matrix", "gaps", "priorities", "network", "entity", "sparql", "downloads"]

HOSTILE = """
harm:hostile
    a hg:Harm, skos:Concept ;
    skos:prefLabel "<img src=x onerror=alert(1)> hostile <script>alert(2)</script>"@en ;
    skos:definition "A label that tries to run code: <b onmouseover=alert(3)>bold</b> \\u202Eright-to-left"@en ;
    skos:inScheme scheme:harm ;
    skos:topConceptOf scheme:harm .

source:hostile
    a hg:EvidenceSource ;
    dcterms:title "<script>alert(4)</script> a hostile title"@en ;
    dcterms:publisher "Nobody" ;
    dcterms:date "2024"^^xsd:gYear ;
    schema:url "javascript:alert(5)" ;
    hg:sourceKind hg:Report .

claim:hostile
    a hg:Claim ;
    rdf:subject technology:tech-x ;
    rdf:predicate hg:enables ;
    rdf:object harm:hostile ;
    hg:citation [ a hg:Citation ; hg:source source:hostile ; hg:locator "<img src=y onerror=alert(6)>" ] ;
    hg:evidenceKind hg:ExpertOpinion ;
    hg:direction hg:Supports ;
    hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "Only here to test escaping of hostile text."@en ;
    dcterms:created "2026-11-24"^^xsd:date .
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(data: list[Path]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [sys.executable, "-m", "harmgraph"]
    for path in data:
        args += ["--data", str(path)]
    process = subprocess.Popen(
        [*args, "app", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise RuntimeError("the app did not become healthy within 60 s")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def bundled():
    process, base = start_app([])
    yield base
    stop(process)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "mini.ttl").write_text(
        (MINI / "mini.ttl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "hostile.ttl").write_text(PREFIXES + HOSTILE, encoding="utf-8")
    process, base = start_app([folder])
    yield base
    stop(process)


class Visit:
    """A page that records every request's host and any JavaScript dialog."""

    def __init__(self, browser, base: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.hosts: set[str] = set()
        self.dialogs: list[str] = []
        self.page.on(
            "request", lambda r: self.hosts.add(urlparse(r.url).hostname or r.url.split(":")[0])
        )
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.base = base

    def open(self, path: str, wait_text: str | None = None) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
        if wait_text:
            self.page.get_by_text(wait_text, exact=False).first.wait_for(timeout=30_000)
        self.page.wait_for_timeout(800)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.page.close()


TITLES = {
    "overview": "Harm facets and their evidence",
    "matrix": "Evidence-gap map",
    "gaps": "gap(s)",
    "priorities": "Score = sum of weight",
    "network": "node(s)",
    "entity": "Relations and their claims",
    "sparql": "Read-only SPARQL",
    "downloads": "All sources as RIS",
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_and_stays_local(browser, bundled, page):
    visit = Visit(browser, bundled)
    visit.open(f"/{page}", TITLES[page])
    if page == "network":
        visit.page.frame_locator("iframe").first.locator("canvas").first.wait_for(timeout=30_000)
        visit.page.wait_for_timeout(1500)
    visit.shot(page)
    assert visit.hosts <= {"127.0.0.1"}, visit.hosts
    assert not visit.page.get_by_text("Traceback").count()
    visit.close()


def test_clicking_a_bubble_lists_its_sources(browser, bundled):
    visit = Visit(browser, bundled)
    visit.open("/matrix?rows=intervention-type&cols=harm-facet", "Evidence-gap map")
    visit.page.wait_for_selector(
        ".js-plotly-plot .scatterlayer .trace .points path", timeout=30_000
    )
    bubbles = visit.page.locator(".js-plotly-plot .scatterlayer .trace:nth-child(n+2) .points path")
    assert bubbles.count() > 0
    bubbles.first.click(force=True)
    visit.page.get_by_text("claim(s) from", exact=False).first.wait_for(timeout=30_000)
    assert "cell=" in visit.page.url
    shared = visit.page.url
    visit.shot("matrix-selected")
    visit.close()

    again = Visit(browser, bundled)
    again.open(shared[len(bundled) :], "claim(s) from")
    assert again.hosts <= {"127.0.0.1"}
    again.close()


def test_shareable_entity_url_reopens_the_view(browser, bundled):
    visit = Visit(browser, bundled)
    visit.open("/entity?id=intervention/synthetic-material-as-substitute-outlet", "contested")
    heading = visit.page.locator("h1").first.inner_text()
    assert heading.startswith("synthetic material as a substitute outlet")
    visit.close()


def test_hostile_labels_render_as_text(browser, hostile):
    visit = Visit(browser, hostile)
    visit.open("/entity?id=harm/hostile")
    visit.page.locator("h1", has_text="hostile").first.wait_for(timeout=30_000)
    assert visit.page.get_by_text("does not fully conform", exact=False).count()
    body = visit.page.locator("[data-testid='stMain']").inner_text()
    assert "<img src=x onerror=alert(1)>" in body
    assert "<script>alert(2)</script>" in body
    assert visit.page.locator("img[src='x'], img[src='y']").count() == 0
    assert visit.page.locator("a[href^='javascript']").count() == 0
    visit.open("/gaps", "gap(s)")
    visit.open("/network?mode=ego&id=harm/hostile&depth=1", "node(s)")
    frame = visit.page.frame_locator("iframe").first
    frame.locator("canvas").first.wait_for(timeout=30_000)
    visit.page.wait_for_timeout(1500)
    visit.shot("hostile-network")
    assert visit.dialogs == []
    assert visit.hosts <= {"127.0.0.1"}
    visit.close()
