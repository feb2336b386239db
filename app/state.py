"""The only module of the app with ``st.cache_*``: thin, cached wrappers over ``harmgraph``,
plus the two helpers every page uses to put text from data on screen safely.

The graph to show comes from the environment variable ``HARMGRAPH_DATA`` (paths separated
by ``os.pathsep``; empty means the bundled knowledge base), which ``harmgraph app --data``
sets. Cached functions take the graph as ``_graph`` (not hashed) with its fingerprint.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

import harmgraph
from harmgraph import LoadedGraph
from harmgraph.analysis.cells import harm_groups
from harmgraph.analysis.entity import claim_rows as _claim_rows
from harmgraph.analysis.entity import (
    describe_entity,
    entity_index,
    review_overview,
    strongest_first,
)
from harmgraph.analysis.gaps import GAP_MEANINGS
from harmgraph.analysis.matrix import build_matrix, filter_options, matrix_csv
from harmgraph.analysis.stats import facet_evidence
from harmgraph.model.coverage import review_coverage
from harmgraph.model.evidence import read_evidence, short_id
from harmgraph.model.screening import screening_flow
from harmgraph.publish.cite import sources_as_bibtex, sources_as_ris
from harmgraph.publish.escaping import (
    html_entity_link,
    html_link,
    html_text,
    markdown_text,
)
from harmgraph.publish.prisma import prisma_svg
from harmgraph.rdf.endpoint import connect_endpoint
from harmgraph.rdf.export import export_graph, ontology_version
from harmgraph.rdf.namespaces import ID_IRI

NETWORK_CAP = 300


def query_timeout() -> float:
    """The SPARQL page's time limit in seconds: 10, or HARMGRAPH_QUERY_TIMEOUT."""
    return float(os.environ.get("HARMGRAPH_QUERY_TIMEOUT", "10"))


QUERY_MAX_ROWS = 10_000


ID = ID_IRI
short = short_id
to_csv = matrix_csv


def expand(identifier: str) -> str:
    """The IRI for ``kind/slug`` (instances) or a full IRI given as is."""
    return identifier if identifier.startswith(("http://", "https://")) else ID_IRI + identifier


def data_paths() -> tuple[str, ...]:
    raw = os.environ.get("HARMGRAPH_DATA", "")
    return tuple(p for p in raw.split(os.pathsep) if p)


@st.cache_resource(show_spinner="Loading the graph…")
def get_graph(paths: tuple[str, ...], store: str, endpoint: str) -> LoadedGraph:
    if endpoint:
        return connect_endpoint(endpoint)
    return harmgraph.load_graph([Path(p) for p in paths] or None, Path(store) if store else None)


def graph() -> LoadedGraph:
    return get_graph(
        data_paths(),
        os.environ.get("HARMGRAPH_STORE", ""),
        os.environ.get("HARMGRAPH_ENDPOINT", ""),
    )


def fingerprint() -> str:
    return graph().fingerprint


@st.cache_data(max_entries=8)
def stats(_graph: LoadedGraph, fp: str) -> dict[str, int]:
    return harmgraph.graph_stats(_graph)


@st.cache_data(max_entries=8)
def version(_graph: LoadedGraph, fp: str) -> str:
    return ontology_version(_graph)


@st.cache_data(max_entries=8)
def violations(_graph: LoadedGraph, fp: str) -> list[str]:
    return [str(f) for f in harmgraph.validate_graph(_graph).violations]


@st.cache_data(max_entries=8)
def facets(_graph: LoadedGraph, fp: str) -> list[dict]:
    return facet_evidence(_graph)


@st.cache_data(max_entries=8)
def coverage(_graph: LoadedGraph, fp: str) -> dict:
    return review_coverage(_graph)


@st.cache_data(max_entries=8)
def reviews(_graph: LoadedGraph, fp: str) -> dict:
    """Every review (label, type, strength, records, kappa) and the review types."""
    return review_overview(_graph)


def review_rows(graph: LoadedGraph, fp: str) -> dict[str, dict]:
    """Each review's row of :func:`reviews`, by IRI."""
    return {row["iri"]: row for row in reviews(graph, fp)["reviews"]}


@st.cache_data(max_entries=32)
def flow(_graph: LoadedGraph, fp: str, facet: str) -> dict:
    return screening_flow(_graph, facet or None)


def prisma(flow: dict) -> str:
    """A review's PRISMA 2020 diagram as SVG (its text escaped by the drawing)."""
    return prisma_svg(flow)


MATRIX_CELL_CAP = 20_000


@st.cache_data(max_entries=64)
def matrix(_graph: LoadedGraph, fp: str, rows: str, cols: str, filters: tuple) -> dict:
    built = build_matrix(_graph, rows, cols, dict(filters))
    size = len(built.rows) * len(built.cols)
    if size > MATRIX_CELL_CAP:
        return {"too_large": size, "rows": [], "cols": [], "cells": []}
    return built.as_dict()


@st.cache_data(max_entries=8)
def groups(_graph: LoadedGraph, fp: str) -> list[tuple[str, str, list[str]]]:
    """Every harm grouped under its facet, the facet first, as the map's columns are."""
    return harm_groups(read_evidence(_graph))


@st.cache_data(max_entries=64)
def claim_rows(_graph: LoadedGraph, fp: str, claims: tuple[str, ...]) -> list[dict]:
    """The given claims as rows with their citations, strongest first."""
    return strongest_first(_claim_rows(_graph, list(claims)))


@st.cache_data(max_entries=8)
def options(_graph: LoadedGraph, fp: str) -> dict:
    return filter_options(_graph)


@st.cache_data(max_entries=8)
def gaps(_graph: LoadedGraph, fp: str) -> list[dict]:
    return harmgraph.find_gaps(_graph)


@st.cache_data(max_entries=32)
def priorities(_graph: LoadedGraph, fp: str, weights: tuple) -> list[dict]:
    return harmgraph.rank_priorities(_graph, dict(weights), with_sensitivity=True)


@st.cache_data(max_entries=8)
def entities(_graph: LoadedGraph, fp: str) -> list[dict]:
    return entity_index(_graph)


@st.cache_data(max_entries=128)
def entity(_graph: LoadedGraph, fp: str, name: str) -> dict:
    return describe_entity(_graph, name)


@st.cache_data(max_entries=64)
def ego(_graph: LoadedGraph, fp: str, name: str, depth: int) -> dict:
    # networkx (about 0.2 s of imports) and rdflib's SPARQL parser are imported by the pages
    # that use them, not by the first page a visitor opens.
    from harmgraph.analysis.network import ego_network

    return ego_network(_graph, name, depth, NETWORK_CAP)


@st.cache_data(max_entries=64)
def paths(_graph: LoadedGraph, fp: str, start: str, end: str) -> list:
    from harmgraph.analysis.network import find_paths

    return find_paths(_graph, start, end)


@st.cache_data(max_entries=64)
def network_page(_graph: LoadedGraph, fp: str, drawing: dict) -> str:
    from harmgraph.publish.network_html import network_html

    return network_html(drawing)


def paths_drawing(found: list, index: list[dict]) -> dict:
    from harmgraph.publish.network_html import paths_as_ego

    kinds = {row["iri"]: row["kind"] for row in index}
    return paths_as_ego(found, kinds)


@st.cache_data(max_entries=8)
def export(_graph: LoadedGraph, fp: str, fmt: str) -> bytes:
    return export_graph(_graph, fmt)


@st.cache_data(max_entries=2)
def map_file(_graph: LoadedGraph, fp: str) -> str:
    from harmgraph.publish.matrix_html import matrix_html

    return matrix_html(_graph)


@st.cache_data(max_entries=8)
def citations(_graph: LoadedGraph, fp: str, fmt: str) -> str:
    return sources_as_ris(_graph) if fmt == "ris" else sources_as_bibtex(_graph)


def examples() -> list[tuple[str, str]]:
    from harmgraph.model.queries import example_queries

    return example_queries()


def run_sparql(text: str) -> tuple[list[str], list[list[str]], bool]:
    """Run a user query in the graph's query worker (a separate process, never a fork)."""
    from harmgraph.rdf.query import select_limited

    return select_limited(graph(), text, query_timeout(), QUERY_MAX_ROWS)


# ------------------------------------------------------------------ safe text from data

#: Escaped text for the few places that must be Markdown (alerts); data prose goes through
#: :func:`show` instead, because Markdown turns any address in a text into a live link.
md = markdown_text
text = html_text
link = html_link
entity_link = html_entity_link

_HEADING_SIZES = {1: "2.75rem", 2: "2.25rem", 3: "1.5rem"}


def show(*fragments: str) -> None:
    """Put HTML built from escaped data (:func:`text`, :func:`link`, :func:`entity_link`) on
    the page. st.html renders no Markdown, so nothing in the data becomes a link or an image."""
    st.html("".join(fragments))


def heading(value: object, level: int = 1) -> None:
    """A heading whose text comes from the data."""
    size = _HEADING_SIZES.get(level, "1.25rem")
    st.html(
        f'<h{level} style="font-size:{size};font-weight:700;margin:0 0 0.5rem 0">'
        f"{html_text(value)}</h{level}>"
    )


def meaning(kind: str) -> str:
    """A gap's kind in plain words, with a capital: never a code such as ``empty-cell``."""
    words = GAP_MEANINGS.get(kind, kind)
    return words[:1].upper() + words[1:]


def review_link(iri: str, rows: dict[str, dict]) -> str:
    """A review named once, as a link to its page (its queries are there, not here)."""
    row = rows.get(iri, {})
    return html_entity_link(row.get("label", short_id(iri)), short_id(iri))


def gap_html(gap: dict, rows: dict[str, dict], kind: bool = True, review: bool = True) -> str:
    """A gap as every page shows it: its kind in plain words, what it is about (links), what
    the graph holds, and who looked: the weakest review as a link with its strength, the others
    as links; for a coverage gap, the reviews that list its harm without searching it.

    ``kind=False`` leaves the kind out (a page that groups gaps by kind says it once), and
    ``review=False`` leaves the review out (a page that groups them by review names it once)."""
    about = html_entity_link(gap["subject_label"], short_id(gap["subject"]))
    if gap["object"]:
        about += " → " + html_entity_link(gap["object_label"], short_id(gap["object"]))
    head = f"<strong>{html_text(meaning(gap['kind']))}</strong>: {about}" if kind else about
    parts = [head, html_text(gap["finding"])]
    if review and gap["review"]:
        more = [review_link(iri, rows) for iri in gap["reviews"][1:]]
        parts.append(
            "<small>"
            + html_text(gap["searched"] or "Searched")
            + ", in review "
            + review_link(gap["review"]["iri"], rows)
            + (f" and {len(more)} more ({'; '.join(more)})" if more else "")
            + ": "
            + html_text(gap["review"]["strength"])
            + ".</small>"
        )
    elif review and gap["listed_by"]:
        parts.append(
            "<small>Listed in the scope of "
            + "; ".join(review_link(iri, rows) for iri in gap["listed_by"])
            + ", but none of their searches was aimed at it.</small>"
        )
    elif not review and gap["searched"]:
        parts.append(f"<small>{html_text(gap['searched'])}.</small>")
    return "<br>".join(parts)


def bullets(items: list[str]) -> str:
    """A list of HTML fragments (each already escaped) as an HTML list."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
