"""The ground layer of RDF: namespaces and typed terms, the store (the only module that imports
pyoxigraph) and the same interface over a SPARQL endpoint, loading files into the store
(``load``, the one owner of that), single-format export and atomic writes, and read-only SPARQL
queries with their worker process.

It may import only the package's ground modules (``errors``, ``tables``, ``version``); every
other subpackage builds on it.
"""
