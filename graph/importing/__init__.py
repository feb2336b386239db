"""CSV in, conforming Turtle out, one row at a time, each bad row reported with its number:
coded claims (``claims``), screening logs of reviews (``screening``), and the row handling
both share (``rows``).

It may import ``model``, ``shacl``, ``rdf`` and the ground modules, and nothing above.
"""
