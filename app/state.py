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
from harmgraph.analysis.entity import claim_rows as _claim_rows
from harmgraph.analysis.entity import describe_entity, entity_index
from harmgraph.analysis.matrix import build_matrix, filter_options, matrix_csv
from harmgraph.analysis.stats import facet_evidence
from harmgraph.model.coverage import review_coverage
from harmgraph.model.evidence import short_id
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


@st.cache_data(max_entries=64)
def claim_rows(_graph: LoadedGraph, fp: str, claims: tuple[str, ...]) -> list[dict]:
    return _claim_rows(_graph, list(claims))


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


def bullets(items: list[str]) -> str:
    """A list of HTML fragments (each already escaped) as an HTML list."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
