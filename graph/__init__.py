"""harmgraph: a knowledge graph of the harms of AI-generated child sexual abuse material.

>>> from harmgraph import load_graph, graph_stats
>>> graph_stats(load_graph())["harms"] >= 9
True
"""

from harmgraph.load import LoadedGraph, load_graph
from harmgraph.stats import graph_stats
from harmgraph.validate import Report, validate_graph

__all__ = ["LoadedGraph", "Report", "graph_stats", "load_graph", "validate_graph"]
__version__ = "0.1.0"
