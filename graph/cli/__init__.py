"""The ``harmgraph`` command line: options in, one call into the layers below, output out.

This subpackage is the top layer: it may import from every other subpackage (``publish``,
``importing``, ``analysis``, ``model``, ``shacl``, ``rdf``) and nothing imports it but the package's
``__main__``. :mod:`~harmgraph.cli.group` is the click group, :mod:`~harmgraph.cli.context` what
the commands share, and one module per group of commands adds them (``data``, ``analysis``,
``importing`` with ``review_import``, ``prisma``, ``app``, ``site``). The README and docs/ are
regenerated from the CLI by cog (``make docs``). Exit codes: 0 ok; 1 the data does not conform,
or nothing was found; 2 usage or input error.

rdflib, pyoxigraph, pySHACL, networkx and Jinja2 are imported inside the commands that use them,
so that ``--version``, ``--help`` and the commands that need none of them start fast (a test
checks).
"""

from harmgraph.cli.group import cli, main

__all__ = ["cli", "main"]
