"""Time every page of the app in headless Chromium against a bare Streamlit page, in one run.

    python bench/app_pages.py [--data FILE ...] [--entity ID] [--rounds 3]
                              [--out bench/app-results.json]

It starts ``harmgraph app`` (the bundled graph, or ``--data``) and, as the baseline, a
one-line Streamlit script served the same way, then opens each page in Debian's Chromium
(``chromium`` on PATH, driven by Playwright) and measures the time from navigation until the
page's own content is on screen. The first visit of the first page is the *cold* start (the
graph is loaded and the caches are filled); the other visits are *warm*, the median of
``--rounds``. It prints a table with each page's ratio to the bare page and writes JSON.

The network page is opened at depth 3 around ``--entity`` (default ``harm/offending-pathway``),
the largest view the app draws, and the number of nodes it drew is reported; the entity page
opens the same entity. For a synthetic graph give one of its harms, e.g. ``--entity harm/h0``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or ""
#: Each page, the URL that opens it and a text that appears once its content is drawn.
PAGES = {
    "overview": ("/", "Harm facets and their evidence"),
    "matrix": ("/matrix?rows=intervention-type&cols=harm-facet", "Evidence-gap map"),
    "gaps": ("/gaps", "gap(s)"),
    "priorities": ("/priorities", "Score = sum of weight"),
    "network": ("/network?mode=ego&id={entity}&depth=3", "node(s)"),
    "entity": ("/entity?id={entity}", "Relations and their claims"),
    "sparql": ("/sparql", "Read-only SPARQL"),
    "downloads": ("/downloads", "All sources as RIS"),
}
BASELINE = 'import streamlit as st\nst.title("Baseline")\nst.write("bare page ready")\n'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args: list[str], port: int) -> tuple[subprocess.Popen, str]:
    """Start ``args`` (which must bind ``port`` on 127.0.0.1) and wait until it is healthy."""
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server {args} did not become healthy within 120 s")


def visit(browser, url: str, text: str) -> tuple[float, str]:  # noqa: ANN001
    """Seconds from navigation until ``text`` is visible, and the page's text after it."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    start = time.perf_counter()
    page.goto(url)
    page.get_by_text(text, exact=False).first.wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    body = page.inner_text("body")
    page.close()
    return seconds, body


def count_triples(paths: list[Path]) -> int:
    """The triples the app shows (ontology and data), counted by the harmgraph CLI."""
    args = [sys.executable, "-m", "harmgraph"]
    for path in paths:
        args += ["--data", str(path)]
    out = subprocess.run([*args, "stats", "--format", "json"], capture_output=True, check=True)
    return json.loads(out.stdout)["triples"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", default=[])
    parser.add_argument("--entity", default="harm/offending-pathway")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "app-results.json")
    args = parser.parse_args()
    if not CHROMIUM:
        raise SystemExit("no chromium on PATH: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    harmgraph = [sys.executable, "-m", "harmgraph"]
    for path in args.data:
        harmgraph += ["--data", str(path)]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        streamlit = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
            "--server.address=127.0.0.1",
        ]
        port = free_port()
        app, app_base = serve([*harmgraph, "app", "--port", str(port)], port)
        port = free_port()
        bare, bare_base = serve([*streamlit, f"--server.port={port}"], port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
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
                bare_cold, _ = visit(browser, bare_base, "bare page ready")
                bare_warm = statistics.median(
                    visit(browser, bare_base, "bare page ready")[0] for _ in range(args.rounds)
                )
                path, text = PAGES["overview"]
                cold, _ = visit(browser, app_base + path, text)
                pages = {}
                for name, (path, text) in PAGES.items():
                    timings, body = [], ""
                    for _ in range(args.rounds):
                        url = app_base + path.format(entity=args.entity)
                        seconds, body = visit(browser, url, text)
                        timings.append(seconds)
                    pages[name] = {"warm_seconds": round(statistics.median(timings), 3)}
                    if name == "network":
                        line = next((ln for ln in body.splitlines() if "node(s)," in ln), "unknown")
                        pages[name]["drawn"] = line.strip()
                browser.close()
        finally:
            for process in (app, bare):
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "data": [p.name for p in args.data] or ["bundled"],
        "data_args": [
            *(f"--data {p.name}" for p in args.data),
            *(["--entity", args.entity] if args.data else []),
        ],
        "triples": count_triples(args.data),
        "baseline": {"cold_seconds": round(bare_cold, 3), "warm_seconds": round(bare_warm, 3)},
        "first_page_cold_seconds": round(cold, 3),
        # The target of issue 14: the first page, cold, at most twice the bare page's cold start.
        "first_page_vs_bare_page_cold": round(cold / max(bare_cold, 1e-6), 2),
        "pages": pages,
    }
    for entry in pages.values():
        entry["vs_bare_page"] = round(entry["warm_seconds"] / max(bare_warm, 1e-6), 1)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"data: {', '.join(report['data'])}")
    print(
        f"first page, cold (graph loaded, caches filled): {cold:.2f} s; "
        f"bare Streamlit page: cold {bare_cold:.2f} s, warm {bare_warm:.2f} s; "
        f"first page / bare page, cold: {report['first_page_vs_bare_page_cold']:.2f}x "
        "(target: at most 2x)"
    )
    print(f"{'page':<12} {'warm':>8} {'x bare page':>12}")
    for name, entry in pages.items():
        print(f"{name:<12} {entry['warm_seconds']:>7.2f}s {entry['vs_bare_page']:>11.1f}x")
    print(f"network at depth 3: {pages['network'].get('drawn')}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
