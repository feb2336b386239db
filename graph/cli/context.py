"""What every command of the ``harmgraph`` CLI shares: where the graph comes from (the group's
``--data``, ``--store`` or ``--endpoint``), the exit codes, and how a validation report prints.

The command modules import this, and the group in :mod:`harmgraph.cli.group` imports them only
when a command is looked up, so no command module imports the group back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from harmgraph.rdf.load import LoadedGraph, load_graph

if TYPE_CHECKING:
    from harmgraph.shacl.validate import Report

EXIT_CODES = """\b
Exit codes:
  0  ok
  1  the data does not conform to the shapes, or nothing was found
  2  usage or input error (missing, unreadable or unparseable file, refused query)
"""


class Context:
    """What the group passes to every command: where the graph comes from."""

    def __init__(self, data: tuple[Path, ...], store: Path | None, endpoint: str | None) -> None:
        if endpoint and (data or store):
            raise click.UsageError(
                "--endpoint reads a SPARQL server; it cannot go with --data or --store"
            )
        self.data = list(data)
        self.store = store
        self.endpoint = endpoint

    def load(self, paths: list[Path] | None = None) -> LoadedGraph:
        """The graph: read from the endpoint, or loaded from ``paths``, ``--data`` or the
        bundled knowledge base (in ``--store`` when given)."""
        if self.endpoint:
            if paths:
                raise click.UsageError(
                    "give files with --data, or a server with --endpoint, not both"
                )
            # The endpoint client imports the store (pyoxigraph): only when a server is read.
            from harmgraph.rdf.endpoint import connect_endpoint

            return connect_endpoint(self.endpoint)
        return load_graph(paths or self.data or None, self.store)


def print_report(report: Report) -> None:
    """One line per finding on stdout, then the verdict and the counts on stderr."""
    for finding in report.findings:
        click.echo(str(finding))
    violations = len(report.violations)
    others = len(report.findings) - violations
    status = "conforms" if report.conforms else "does not conform"
    click.echo(f"{status}: {violations} violation(s), {others} warning(s)", err=True)
