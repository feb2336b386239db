"""Take the screenshots the docs show, in headless Chromium (the `chromium` on PATH).

    .venv/bin/python docs/screenshots.py

It writes the site of the bundled graph into a temporary folder and starts the app on a free
port, then saves, into docs/: site-map.png, site-gaps.png, site-review.png and
site-intervention.png (docs/site.md, docs/reviews-and-gaps.md), and evidence-gap-map.png and
network.png (docs/app.md). It stops the app when done. Run it after a change to what the
pages show; nothing runs it automatically.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
WIDTH = 1280


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        harmgraph = [sys.executable, "-m", "harmgraph"]
        subprocess.run([*harmgraph, "site", "--out", str(site)], check=True, cwd=ROOT)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        app = subprocess.Popen(
            [*harmgraph, "app", "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/_stcore/health")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), args=["--no-sandbox"]
                )
                site_shots(browser, site)
                app_shots(browser, f"http://127.0.0.1:{port}")
                browser.close()
        finally:
            app.terminate()
            app.wait(30)


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def clip(page, top: str, bottom: str, path: Path, pad: int = 12) -> None:  # noqa: ANN001
    """Save the part of the page from the top of ``top`` to the bottom of ``bottom``."""
    # Page coordinates (a clip of a full-page shot is in them), not the viewport's.
    where = (
        "e => { const r = e.getBoundingClientRect();"
        " return [r.top + scrollY, r.bottom + scrollY]; }"
    )
    first = page.locator(top).first.evaluate(where)
    last = page.locator(bottom).first.evaluate(where)
    box = {
        "x": 0,
        "y": max(first[0] - pad, 0),
        "width": WIDTH,
        "height": last[1] - first[0] + 2 * pad,
    }
    page.screenshot(path=str(path), clip=box, full_page=True)


def site_shots(browser, site: Path) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    page.goto((site / "map.html").as_uri() + "#rows=intervention&cols=harm")
    cell = page.locator(
        "button.cell[data-row$='/grooming-detection-in-conversations']"
        "[data-col$='/grooming-facilitation']"
    )
    cell.click()
    page.locator("#cell-reviews li").first.wait_for()
    page.evaluate("document.getElementById('grid').scrollTop = 0")
    clip(page, "#status", "#details", DOCS / "site-map.png")

    page.goto((site / "gaps.html").as_uri())
    clip(page, "#empty-cell h2", "#empty-cell li.gap:nth-of-type(4)", DOCS / "site-gaps.png")

    page.goto((site / "id/review/grooming-coercion-extortion-interventions-2026-12.html").as_uri())
    clip(page, "main h1", "figure.prisma", DOCS / "site-review.png")

    page.goto((site / "id/intervention/hash-matching.html").as_uri())
    clip(page, "main h1", "ul.addresses", DOCS / "site-intervention.png")
    page.close()


def app_shots(browser, base: str) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": WIDTH, "height": 1900})
    ran = "[data-testid='stApp'][data-test-script-state='notRunning']"
    page.goto(
        base + "/matrix?rows=intervention-type&cols=harm"
        "&cell=intervention/law-and-regulation|harm/legal-and-enforcement-gaps"
    )
    page.wait_for_selector(ran, timeout=120_000)
    page.get_by_text("claim(s) from", exact=False).first.wait_for(timeout=120_000)
    page.screenshot(path=str(DOCS / "evidence-gap-map.png"))

    page.set_viewport_size({"width": WIDTH, "height": 1250})
    page.goto(base + "/network?mode=ego&id=harm/offending-pathway&depth=2")
    page.wait_for_selector(ran, timeout=120_000)
    frame = page.locator("iframe").first.element_handle().content_frame()
    frame.wait_for_function(
        "() => typeof network !== 'undefined' && network.physics.options.enabled === false",
        timeout=120_000,
    )
    page.screenshot(path=str(DOCS / "network.png"))
    page.close()


if __name__ == "__main__":
    main()
