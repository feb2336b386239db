"""The site's pages beyond the entities: the map, the priorities and the downloads.

Each function writes its page into a site folder that :func:`harmgraph.publish.site.write_site` is
building; see there for the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from harmgraph.analysis.priorities import DEFAULT_WEIGHTS, criteria, rank_rows
from harmgraph.model.evidence import read_evidence
from harmgraph.model.reviews import read_reviews
from harmgraph.model.screening import prisma_flow
from harmgraph.publish.matrix_html import matrix_html
from harmgraph.publish.prisma import prisma_svg
from harmgraph.publish.release import build_release
from harmgraph.publish.templates import TEMPLATES, json_for_script
from harmgraph.rdf.export import DISTRIBUTIONS
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.store import FORMATS

#: What each priority criterion measures, in words, for the page.
CRITERIA_TEXT = {
    "severity": "the highest severity of the harms concerned",
    "reach": "how many actor roles those harms affect",
    "enablers": "how many technology categories enable them",
    "weakness": "how weak the strongest evidence behind the link is",
    "stated": "whether a source states the need",
}


def write_map(graph: LoadedGraph, out: Path, href: Callable[[str], str]) -> None:
    """``map.html``: the evidence-gap map, linking claims, sources and reviews to their pages."""
    (out / "map.html").write_text(matrix_html(graph, href=href, nav_root=""), encoding="utf-8")


def write_priorities(
    env: jinja2.Environment,
    common: dict,
    graph: LoadedGraph,
    out: Path,
    link: Callable[..., dict[str, str]],
) -> None:
    """``priorities.html`` at the default weights, and the data its script re-ranks with."""
    raw = criteria(graph)
    ranked = rank_rows(raw)
    # rank_priorities keeps criteria's order in its rows' identities: match them by gap.
    index_of = {(r["kind"], r["subject"], r["object"]): i for i, r in enumerate(raw)}
    rows = [
        {
            "index": index_of[(r["kind"], r["subject"], r["object"])],
            "rank": r["rank"],
            "score": r["score"],
            "kind": r["kind"],
            "subject": link(r["subject"], "", r["subject_label"]),
            "object": link(r["object"], "", r["object_label"]) if r["object"] else None,
            "explanation": r["explanation"],
            "criteria": r["criteria"],
        }
        for r in ranked
    ]
    data = {
        "names": list(DEFAULT_WEIGHTS),
        "defaults": DEFAULT_WEIGHTS,
        "rows": [
            {
                "kind": r["kind"],
                "label": str(r["subject_label"]).lower(),
                "object": r["object"],
                "raw": r["raw"],
            }
            for r in raw
        ],
    }
    (out / "priorities.js").write_bytes((TEMPLATES / "priorities.js").read_bytes())
    (out / "priorities.html").write_text(
        env.get_template("priorities.html").render(
            **common,
            root="",
            title="Priorities",
            rows=rows,
            weights=list(DEFAULT_WEIGHTS.items()),
            criteria_text=list(CRITERIA_TEXT.items()),
            data=json_for_script(data),
        ),
        encoding="utf-8",
    )


def write_downloads(env: jinja2.Environment, common: dict, graph: LoadedGraph, out: Path) -> None:
    """``downloads/`` (every distribution and ``void.ttl``, as ``harmgraph build`` writes
    them, and each review's PRISMA 2020 flow diagram) and ``downloads.html`` listing them."""
    paths = build_release(graph, out / "downloads")
    media = {f"harmgraph.{p.suffix[1:]}": t for p, t in _media(paths).items()}
    files = [
        {
            "name": path.name,
            "href": f"downloads/{path.name}",
            "format": media.get(path.name, "VoID and DCAT description (Turtle)"),
            "size": f"{path.stat().st_size:,} bytes",
        }
        for path in paths
    ]
    files += _prisma_figures(graph, out / "downloads")
    (out / "downloads.html").write_text(
        env.get_template("downloads.html").render(
            **common, root="", title="Downloads", files=files
        ),
        encoding="utf-8",
    )


def _prisma_figures(graph: LoadedGraph, folder: Path) -> list[dict[str, str]]:
    """One PRISMA 2020 flow diagram per review, as ``harmgraph prisma REVIEW`` draws it."""
    evidence = read_evidence(graph)
    labels = dict(evidence.value_labels)
    files = []
    for review in sorted(read_reviews(graph), key=lambda r: r.iri):
        name = f"prisma-{review.iri.rsplit('/', 1)[-1]}.svg"
        path = folder / name
        path.write_text(prisma_svg(prisma_flow(review, labels)), encoding="utf-8")
        files.append(
            {
                "name": name,
                "href": f"downloads/{name}",
                "format": f"PRISMA 2020 flow diagram of the review '{review.label}' (SVG)",
                "size": f"{path.stat().st_size:,} bytes",
            }
        )
    return files


def _media(paths: list[Path]) -> dict[Path, str]:
    by_suffix = {FORMATS[fmt][1]: DISTRIBUTIONS[fmt] for fmt in DISTRIBUTIONS}
    return {p: by_suffix[p.suffix[1:]] for p in paths if p.suffix[1:] in by_suffix}
