"""harmgraph: a knowledge graph of the harms of AI-generated child sexual abuse material.

The Python API, in the order a researcher uses it:

>>> from harmgraph import load_graph, find_gaps, build_matrix, rank_priorities, find_paths
>>> graph = load_graph()                      # the bundled knowledge base (or a list of paths)
>>> gaps = find_gaps(graph, ["contested"])    # typed gaps, each with an explanation
>>> any("substitute outlet" in g["subject_label"] for g in gaps)
True
>>> m = build_matrix(graph, rows="intervention-type", cols="harm-facet")
>>> ranked = rank_priorities(graph, {"severity": 2, "reach": 1, "enablers": 1, "weakness": 2,
...                                  "stated": 1})
>>> ranked[0]["rank"]
1
"""

import importlib

# Only the loader is imported here, and it is light (no rdflib, no pyoxigraph until a graph is
# loaded): the CLI imports this package first, and `harmgraph --version` or `--help` must not pay
# for the analyses. It is imported eagerly because the submodule `harmgraph.load` would otherwise
# replace the `load` alias below on the package when it is first imported.
from harmgraph.load import LoadedGraph, load_graph

#: Short alias: ``harmgraph.load(paths)``.
load = load_graph

#: The other public names, each imported from its module on first access (PEP 562).
_LAZY = {
    "DEFAULT_WEIGHTS": "harmgraph.priorities",
    "GAP_KINDS": "harmgraph.gaps",
    "Report": "harmgraph.validate",
    "build_matrix": "harmgraph.matrix",
    "build_network": "harmgraph.network",
    "centrality": "harmgraph.network",
    "ego_network": "harmgraph.network",
    "find_gaps": "harmgraph.gaps",
    "find_paths": "harmgraph.network",
    "graph_stats": "harmgraph.stats",
    "rank_priorities": "harmgraph.priorities",
    "validate_graph": "harmgraph.validate",
}


def __getattr__(name: str) -> object:
    """Import a public name from its module the first time it is asked for."""
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = globals()[name] = getattr(importlib.import_module(module), name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DEFAULT_WEIGHTS",
    "GAP_KINDS",
    "LoadedGraph",
    "Report",
    "build_matrix",
    "build_network",
    "centrality",
    "ego_network",
    "find_gaps",
    "find_paths",
    "graph_stats",
    "load",
    "load_graph",
    "rank_priorities",
    "validate_graph",
]
__version__ = "0.2.0"
