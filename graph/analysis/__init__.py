"""The analyses, plain data in and plain data out, sorted and deterministic: gaps, the
evidence-gap matrix, priorities, the network and its paths, counts and the Markdown summary,
the difference between two releases, the description of one entity, and the synthetic graphs
used to test at scale.

It may import ``model``, ``rdf`` and the ground modules, and nothing above.
"""
