"""The curated knowledge base, one Turtle file per kind (package data, edited by hand).

A data package: it holds no code and imports nothing; :func:`harmgraph.rdf.load.kb_dir` finds it
through :mod:`importlib.resources`, in a checkout or an installed wheel.
"""
