"""Serialise a graph in one format, and write files atomically.

The release set that ``harmgraph build`` writes (every distribution and its VoID description)
is :mod:`harmgraph.publish.release`, which needs the graph's counts.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> text = export_graph(load_graph(), "turtle").decode()
>>> "hg:Harm" in text
True
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from harmgraph.rdf.load import LoadedGraph, read_file, shapes_file
from harmgraph.rdf.namespaces import ONTOLOGY_IRI

#: The release files ``harmgraph build`` writes, with their media types.
DISTRIBUTIONS: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
}


def export_graph(graph: LoadedGraph, fmt: str) -> bytes:
    """Serialise ontology and data together; TriG also carries the shapes as a named graph."""
    if fmt not in DISTRIBUTIONS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "trig":
        if graph.store.count("shapes") == 0:
            read_file(graph.store, shapes_file(), "shapes")
        return graph.store.dump("trig", graphs=("ontology", "data", "shapes"))
    return graph.store.dump(fmt)


def ontology_version(graph: LoadedGraph) -> str:
    """Return the ontology's ``owl:versionInfo``."""
    rows = graph.store.query(
        f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> owl:versionInfo ?v }}", graph="ontology"
    )
    return rows[0]["v"] if rows else "unknown"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
