"""CSV in, conforming Turtle out, one row at a time, each bad row reported with its number:
coded claims (``claims``), screening logs of reviews (``screening``, ``searches``), and the row
handling both share (``rows``); and a team's own review (issue 21): RIS files of searches read
with rispy (``ris``, ``ris_search``), true de-duplication (``dedup``), ASReview LAB's decisions
(``asreview``) and the review's own file that each of them rewrites (``review_file``).

It may import ``model``, ``shacl``, ``rdf`` and the ground modules, and nothing above.
"""
