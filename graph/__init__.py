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

from harmgraph.gaps import GAP_KINDS, find_gaps
from harmgraph.load import LoadedGraph, load_graph
from harmgraph.matrix import build_matrix
from harmgraph.network import build_network, centrality, ego_network, find_paths
from harmgraph.priorities import DEFAULT_WEIGHTS, rank_priorities
from harmgraph.stats import graph_stats
from harmgraph.validate import Report, validate_graph

#: Short alias: ``harmgraph.load(paths)``.
load = load_graph

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
