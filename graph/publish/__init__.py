"""What harmgraph publishes for people to read: text from the data made safe (``escaping``), the
templates and their environment, the evidence-gap map and network as self-contained HTML, the
static site and its extra pages, the w3id redirects, the ontology's documentation, the release
files with their VoID description, and the sources as RIS and BibTeX.

It may import ``analysis``, ``model``, ``shacl``, ``rdf`` and the ground modules; only ``cli``
sits above it.
"""
