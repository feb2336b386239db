"""The evidence-gap map as one self-contained, interactive HTML file.

``harmgraph matrix --format html`` and the site's ``map.html`` both come from
:func:`matrix_html`. The file holds its own style, script and data, and loads nothing: it
works when double-clicked in a downloads folder, with no server and no network.

The script only counts. Everything that needs the graph's logic is worked out here, by the
same functions that build :func:`harmgraph.analysis.matrix.build_matrix`: which rows and columns
each ``addresses`` claim falls into (roll-up of the harm hierarchy included), the values
each filter compares, and which reviews searched each cell. The page then sums claims per
cell for the chosen rows, columns and filters; a browser test checks that its cells equal
``build_matrix`` for several views and filters.

Data reaches the page as JSON inside a ``<script type="application/json">`` element, with
``<``, ``>`` and ``&`` escaped so no label can end the element, and the script writes it
into the page with ``textContent``, never as HTML.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> page = matrix_html(load_graph())
>>> page.startswith("<!DOCTYPE html>") and "<script src=" not in page
True
"""

from __future__ import annotations

from collections.abc import Callable

from harmgraph.analysis.cells import harm_groups
from harmgraph.analysis.entity import review_overview
from harmgraph.analysis.gaps import GAP_MEANINGS, find_gaps
from harmgraph.analysis.matrix import (
    COLS,
    FILTERS,
    ROWS,
    Matrix,
    cols_of,
    filter_options,
    grid,
    matches_filter,
    matrix_cols,
    matrix_rows,
    rows_of,
    year_range,
)
from harmgraph.analysis.summary import KIND_RANK
from harmgraph.errors import UsageError
from harmgraph.model.evidence import CONFIDENCE_NAME, Evidence, local, read_evidence
from harmgraph.publish.escaping import primary_url, safe_url
from harmgraph.publish.templates import SITE_KINDS, TEMPLATES, environment, json_for_script
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI
from harmgraph.version import __version__

#: Views with more cells than this are not drawn (as in the app); the page says so.
CELL_CAP = 20_000

#: Colour and shape per strongest confidence, and the marks for the two kinds of empty cell.
#: Each colour has a contrast of at least 4.5:1 with the white number drawn on it and with
#: the white page (tests/test_site.py works the ratios out from these values).
STYLE = {
    "high": "#1b7837",
    "moderate": "#b35806",
    "low": "#5e3c99",
    "no-evidence": "#595959",
    "searched-broader": "#595959",
    "addressed-broader": "#2f5d8a",
    "not-reviewed": "#6b6b6b",
    "disputes": "#8b0000",
}


def default_href(iri: str) -> str:
    """Where a standalone map links an entity: its IRI, when that is a plain web address."""
    return safe_url(iri)


def map_data(
    graph: LoadedGraph,
    rows: str = "intervention",
    cols: str = "harm",
    filters: dict[str, str] | None = None,
    href: Callable[[str], str] = default_href,
) -> dict[str, object]:
    """Everything the page needs, as plain data: the row and column keys of every view, one
    record per ``addresses`` claim with what the filters compare, the sources, the reviews of
    every cell, and the starting view."""
    if rows not in ROWS or cols not in COLS:
        raise UsageError(f"rows must be one of {ROWS} and cols one of {COLS}")
    evidence = read_evidence(graph)
    options = filter_options(graph)
    filters = _start_filters(filters or {}, options)
    keys = {
        "rows": {kind: matrix_rows(evidence, kind) for kind in ROWS},
        "cols": {kind: matrix_cols(evidence, kind) for kind in COLS},
    }
    claims, sources = _claims(evidence, keys, href)
    views, reviews = _reviews(graph, keys, href)
    return {
        # Harm columns come grouped under their facet (the facet first): the page draws a
        # header per facet over its harms.
        "groups": {
            "harm": [[facet, label, len(harms)] for facet, label, harms in harm_groups(evidence)]
        },
        "gaps": _cell_gaps(graph, keys),
        "meanings": GAP_MEANINGS,
        "version": __version__,
        "start": {"rows": rows, "cols": cols, "filters": filters},
        "cap": CELL_CAP,
        "rows": {k: [[i, label] for i, label in v] for k, v in keys["rows"].items()},
        "cols": {k: [[i, label] for i, label in v] for k, v in keys["cols"].items()},
        "claims": claims,
        "sources": sources,
        "reviews": reviews,
        "reviewed": views,
        "options": {k: [[value, label] for value, label in v] for k, v in options.items()},
        "style": STYLE,
    }


def _start_filters(filters: dict[str, str], options: dict[str, list]) -> dict[str, str]:
    """The filters as the page's controls hold them: each value one the control offers.

    The command line takes a local name, an IRI or a label part (as ``matrix`` does); the
    page has one control per filter, so a value must pick out exactly one of its choices."""
    chosen = {}
    for key, wanted in filters.items():
        if key not in FILTERS:
            raise UsageError(f"unknown filter {key!r}: use one of {', '.join(FILTERS)}")
        if key == "year":
            low, high = year_range(wanted)
            chosen[key] = f"{low}-{high}"
            continue
        values = [value for value, _ in options[key]]
        found = [v for v in values if v == wanted or matches_filter(v, wanted)]
        if len(found) != 1:
            raise UsageError(
                f"filter {key}={wanted!r} matches {len(found)} of the values in this graph; "
                f"use one of: {', '.join(values[:20])}"
            )
        chosen[key] = found[0]
    return chosen


def _claims(
    evidence: Evidence, keys: dict, href: Callable[[str], str]
) -> tuple[list[dict], dict[str, dict]]:
    known_rows = {kind: {i for i, _ in v} for kind, v in keys["rows"].items()}
    known_cols = {kind: {i for i, _ in v} for kind, v in keys["cols"].items()}
    claims, sources = [], {}
    for claim in evidence.claims:
        intervention = evidence.entities.get(claim.subject)
        if claim.predicate != "addresses" or intervention is None:
            continue
        actors = evidence.relations_from.get((claim.subject, "implementedBy"), set()) | (
            evidence.relations_from.get((claim.subject, "targets"), set())
        )
        places = {intervention.jurisdiction} | {
            evidence.entities[s].jurisdiction for s in claim.sources if s in evidence.entities
        }
        claims.append(
            {
                "iri": claim.iri,
                "href": href(claim.iri),
                "text": f"{evidence.label(claim.subject)} addresses {evidence.label(claim.object)}",
                "subject": claim.subject,
                "object": claim.object,
                "direction": claim.direction,
                "confidence": claim.confidence,
                "confidence_name": CONFIDENCE_NAME[claim.confidence],
                "strength": [claim.confidence, KIND_RANK.get(claim.kind, 0), len(claim.sources)],
                "kind": claim.kind,
                "kind_label": evidence.label(claim.kind),
                "sources": sorted(claim.sources),
                "rows": {
                    kind: [r for r in rows_of(evidence, claim.subject, kind) if r in known]
                    for kind, known in known_rows.items()
                },
                "cols": {
                    kind: [c for c in cols_of(evidence, claim.object, kind) if c in known]
                    for kind, known in known_cols.items()
                },
                # The values each filter compares, in the form filter_options offers them.
                "actor": sorted({local(a) for a in actors}),
                "stage": intervention.stage,
                "prevention-level": intervention.level,
                "evidence-kind": claim.kind,
                "jurisdiction": sorted(p for p in places if p),
                "year": sorted(
                    {evidence.source_years[s] for s in claim.sources if s in evidence.source_years}
                ),
            }
        )
        for source in claim.sources:
            if source not in sources:
                year = evidence.source_years.get(source)
                sources[source] = {
                    "title": evidence.label(source),
                    "year": str(year) if year else "",
                    "href": href(source),
                    "link": primary_url(evidence.links.get(source, "")),
                }
    # Strongest first (confidence, then how much the kind of evidence says, then sources): a
    # cell lists its claims in this order, since the page keeps it when it counts.
    claims.sort(key=lambda c: c["iri"])
    claims.sort(key=lambda c: c["strength"], reverse=True)
    return claims, dict(sorted(sources.items()))


def _cell_gaps(graph: LoadedGraph, keys: dict) -> dict[str, dict[str, list[str]]]:
    """The kinds of gap ``harmgraph gaps`` lists for each cell, by view: an empty cell at its
    grain, and a link's gaps (contested, weak evidence, or not yet searched) in the view of
    interventions x harms."""
    views: dict[str, dict[str, list[str]]] = {}
    interventions = {iri for iri, _ in keys["rows"]["intervention"]}
    for gap in find_gaps(graph):
        if not gap["object"]:
            continue
        if gap["grain"]:
            rows, cols = str(gap["grain"]).split(" x ")
        elif gap["subject"] in interventions:
            rows, cols = "intervention", "harm"
        else:
            continue
        cell = views.setdefault(f"{rows}|{cols}", {}).setdefault(
            f"{gap['subject']}\t{gap['object']}", []
        )
        if gap["kind"] not in cell:
            cell.append(gap["kind"])
    return views


def _reviews(
    graph: LoadedGraph, keys: dict, href: Callable[[str], str]
) -> tuple[dict[str, dict[str, list]], list[dict[str, str]]]:
    """For every view small enough to draw, what an empty cell of it is (the status the map's
    grid gives it, the reviews behind it, the words that say why), as ``[status, [review
    indexes], note]`` by cell; a cell with claims is ``filled`` (shown as "no claim matches the
    filters" when the filters leave it empty). A view too large to draw is left out, and the
    page says so instead of guessing."""
    listed: dict[str, int] = {}
    reviews: list[dict[str, str]] = []
    views: dict[str, dict[str, list]] = {}
    evidence = read_evidence(graph)
    strengths = {r["iri"]: r for r in review_overview(graph)["reviews"]}

    def number(iri: str) -> int:
        if iri not in listed:
            listed[iri] = len(reviews)
            about = strengths.get(iri, {})
            reviews.append(
                {
                    "label": evidence.label(iri),
                    "href": href(iri),
                    "strength": str(about.get("strength", "")),
                }
            )
        return listed[iri]

    for rows in ROWS:
        for cols in COLS:
            if len(keys["rows"][rows]) * len(keys["cols"][cols]) > CELL_CAP:
                continue
            # What an empty cell is does not depend on its claims: an empty Matrix with the
            # graph's grid answers it, without counting the claims again.
            matrix = Matrix(
                keys["rows"][rows], keys["cols"][cols], {}, rows, cols, {}, grid(graph, rows, cols)
            )
            cells: dict[str, list] = {}
            for r, _ in matrix.rows:
                for c, _ in matrix.cols:
                    about = matrix.about(r, c)
                    found = list(about["reviews"])  # type: ignore[arg-type]
                    listing = list(about["listed"])  # type: ignore[arg-type]
                    status = str(about["empty_status"])
                    if status != "not-reviewed" or found or listing:
                        status = "filled" if status == "no-match" else status
                        cells[f"{r}\t{c}"] = [
                            status,
                            [number(iri) for iri in found],
                            cell_note(status, about),
                            [number(iri) for iri in listing],
                        ]
            views[f"{rows}|{cols}"] = cells
    return views, reviews


def cell_note(status: str, about: dict[str, object]) -> str:
    """What an empty cell is, in words, naming no review: the page lists the reviews behind it
    as links, each with its strength, right under the note."""
    searched = str(about["searched"])
    return {
        "addressed-broader": str(about["note"]),
        "no-evidence": f"{searched}.",
        "searched-broader": f"No search was aimed at this cell at its grain. {searched}. The "
        "gap, if any, is listed at that broader level.",
        "not-reviewed": "No search was aimed at this cell or at anything broader that contains it.",
        "no-match": "Claims exist here, but none matches the filters.",
    }.get(status, "")


def matrix_html(
    graph: LoadedGraph,
    rows: str = "intervention",
    cols: str = "harm",
    filters: dict[str, str] | None = None,
    href: Callable[[str], str] = default_href,
    nav_root: str | None = None,
) -> str:
    """The map as one HTML page. ``href`` turns an entity IRI into a link (by default the IRI
    itself); ``nav_root`` adds the site's navigation, relative to the page."""
    data = map_data(graph, rows, cols, filters, href)
    return (
        environment()
        .get_template("map.html")
        .render(
            title="Evidence-gap map",
            version=__version__,
            root=nav_root or "",
            in_site=nav_root is not None,
            kinds=SITE_KINDS,
            alternates=[],
            style=(TEMPLATES / "map.css").read_text(encoding="utf-8"),
            script=(TEMPLATES / "map.js").read_text(encoding="utf-8"),
            data=json_for_script(data),
            colours=STYLE,
            id_base=ID_IRI,
        )
    )
