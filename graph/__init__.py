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

The package is layered; each subpackage imports only from those below it (its docstring says
which): ``rdf`` (store, loading, export) at the bottom, then ``shacl`` and ``model``, then
``analysis``, ``importing`` and ``publish``, and ``cli`` on top. This module sits above them all
and imports none of them until a name is asked for.
"""

import importlib

from harmgraph.version import __version__ as __version__

#: The public names, each imported from its module on first access (PEP 562): the CLI imports
#: this package first, and `harmgraph --version` or `--help` must not pay for loading or for the
#: analyses.
_LAZY = {
    "DEFAULT_WEIGHTS": "harmgraph.analysis.priorities",
    "GAP_KINDS": "harmgraph.analysis.gaps",
    "LoadedGraph": "harmgraph.rdf.load",
    "Report": "harmgraph.shacl.validate",
    "build_matrix": "harmgraph.analysis.matrix",
    "build_network": "harmgraph.analysis.network",
    "centrality": "harmgraph.analysis.network",
    "ego_network": "harmgraph.analysis.network",
    "find_gaps": "harmgraph.analysis.gaps",
    "find_paths": "harmgraph.analysis.network",
    "graph_stats": "harmgraph.analysis.stats",
    "load_graph": "harmgraph.rdf.load",
    "rank_priorities": "harmgraph.analysis.priorities",
    "validate_graph": "harmgraph.shacl.validate",
}
#: Short aliases: ``harmgraph.load(paths)`` is ``load_graph``.
_ALIASES = {"load": "load_graph"}


def __getattr__(name: str) -> object:
    """Import a public name from its module the first time it is asked for."""
    target = _ALIASES.get(name, name)
    module = _LAZY.get(target)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = globals()[name] = getattr(importlib.import_module(module), target)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_ALIASES})


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
