"""The read model of the evidence: claims, entities and hierarchy read once into plain objects
(``evidence``), the reviews, their coverage and screening flow (``reviews``), the SPARQL files
those readers run and the competency questions (``queries``, package data), and the one slug
rule (``slugs``).

It may import ``rdf`` and the ground modules, and nothing above.
"""
