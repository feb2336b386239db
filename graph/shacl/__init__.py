"""SHACL validation: the compiled engine, which turns a shapes graph into SPARQL run in the store
and answers exactly as pySHACL 0.40 does or refuses (``terms``, ``walk``, ``pattern``,
``select``, ``shapes``, ``values``, ``sparql``), ``validate`` (findings placed by file and line,
with either engine), and ``adapter``, the one module that holds every pySHACL internal they call.

It may import ``rdf`` and the ground modules, and nothing above.
"""
