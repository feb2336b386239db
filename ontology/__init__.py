"""The ontology, shapes and alignments, shipped inside the package as ``harmgraph.ontology``.

This file only makes the folder a package, so that a wheel carries the Turtle files and
harmgraph finds them through :mod:`importlib.resources`, never through paths relative to a
checkout. The Turtle files are the source of truth.
"""
