"""The site's pages beyond the entities: the map, the priorities, the review overview and the
downloads, and :func:`gap_view`, the one way every page shows a gap.

Each function writes its page into a site folder that :func:`harmgraph.publish.site.write_site` is
building; see there for the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from harmgraph.analysis.entity import review_overview
from harmgraph.analysis.gaps import GAP_MEANINGS
from harmgraph.analysis.priorities import DEFAULT_WEIGHTS, criteria, rank_rows
from harmgraph.model.coverage import review_coverage
from harmgraph.model.evidence import read_evidence
from harmgraph.model.reviews import read_reviews
from harmgraph.model.screening import prisma_flow, screening_flow
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


def gap_view(gap: dict, link: Callable[..., dict[str, str]], root: str) -> dict[str, object]:
    """A gap as a page shows it: its kind in plain words, what it is about (links), what the
    graph holds, and the searches behind it with the weakest review named once, as a link,
    with its strength; the other reviews as links; for a coverage gap, the reviews that list
    its harm without searching it. The review's queries are on the review's page only."""
    review = gap["review"] or {}
    return {
        "kind": gap["kind"],
        "meaning": GAP_MEANINGS[gap["kind"]],
        "subject": link(gap["subject"], root, gap["subject_label"]),
        "object": link(gap["object"], root, gap["object_label"]) if gap["object"] else None,
        "source": link(gap["source"], root, gap["source_label"]) if gap["source"] else None,
        "finding": gap["finding"],
        "searched": gap["searched"],
        "review": link(review["iri"], root, review["label"]) if review else None,
        "strength": review.get("strength", ""),
        "more_reviews": [link(iri, root) for iri in gap["reviews"][1:]],
        "listed_by": [link(iri, root) for iri in gap["listed_by"]],
        "evidence_gap": gap["evidence_gap"],
    }


def write_reviews(
    env: jinja2.Environment,
    common: dict,
    graph: LoadedGraph,
    out: Path,
    link: Callable[..., dict[str, str]],
) -> None:
    """``reviews.html``: how much of the map the searches reached, how strong the reviews are
    (their types and what "nothing found" may claim), the screening flow of them all, and a
    table of every review."""
    overview = review_overview(graph)
    cover = review_coverage(graph)
    rows = [{**r, "link": link(r["iri"], "", r["label"])} for r in overview["reviews"]]
    facets = [{**f, "link": link(f["iri"], "", f["label"])} for f in cover["facets"]]
    (out / "reviews.html").write_text(
        env.get_template("reviews.html").render(
            **common,
            root="",
            title="Reviews: what was searched, and how strongly",
            cover=cover,
            facets=facets,
            types=overview["types"],
            flow=screening_flow(graph),
            reviews=rows,
        ),
        encoding="utf-8",
    )


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
            "gap": gap_view(r, link, ""),
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
