"""The only module of the app with ``st.cache_*``: thin, cached wrappers over ``harmgraph``.

The graph to show comes from the environment variable ``HARMGRAPH_DATA`` (paths
separated by ``os.pathsep``; empty means the bundled knowledge base), which
``harmgraph app --data ...`` sets.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from harmgraph import LoadedGraph, graph_stats, load_graph, validate_graph


def data_paths() -> tuple[str, ...]:
    raw = os.environ.get("HARMGRAPH_DATA", "")
    return tuple(p for p in raw.split(os.pathsep) if p)


@st.cache_resource(show_spinner="Loading the graph…")
def get_graph(paths: tuple[str, ...]) -> LoadedGraph:
    return load_graph([Path(p) for p in paths] or None)


def graph() -> LoadedGraph:
    return get_graph(data_paths())


@st.cache_data(max_entries=8)
def stats(_graph: LoadedGraph, fingerprint: str) -> dict[str, int]:
    return graph_stats(_graph)


@st.cache_data(max_entries=8)
def violations(_graph: LoadedGraph, fingerprint: str) -> list[str]:
    return [str(f) for f in validate_graph(_graph).violations]
