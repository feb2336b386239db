"""What every command of the ``harmgraph`` CLI shares: where the graph comes from (the group's
``--data``, ``--store`` or ``--endpoint``), the exit codes, and how a validation report prints.

The command modules import this, and the group in :mod:`harmgraph.cli.group` imports them only
when a command is looked up, so no command module imports the group back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from harmgraph.rdf.load import LoadedGraph, kb_dir, load_graph, unknown_references

if TYPE_CHECKING:
    from harmgraph.shacl.validate import Report

EXIT_CODES = """\b
Exit codes:
  0  ok
  1  the data does not conform to the shapes, or nothing was found
  2  usage or input error (missing, unreadable or unparseable file, refused query)
"""


#: The most unknown references printed one by one; the rest are counted.
SHOWN_UNKNOWN = 10


class Context:
    """What the group passes to every command: where the graph comes from.

    ``data`` holds every data path a command reads: ``--data``, after the bundled knowledge
    base's folder when ``--with-bundled`` is given (so the app, the query worker and the
    import check read the same files); empty for the bundled knowledge base alone.
    """

    def __init__(
        self,
        data: tuple[Path, ...],
        store: Path | None,
        endpoint: str | None,
        with_bundled: bool = False,
    ) -> None:
        if endpoint and (data or store or with_bundled):
            raise click.UsageError(
                "--endpoint reads a SPARQL server; it cannot go with --data, --with-bundled "
                "or --store"
            )
        self.data = [kb_dir(), *data] if with_bundled and data else list(data)
        self.with_bundled = with_bundled
        self.store = store
        self.endpoint = endpoint

    def load(self, paths: list[Path] | None = None, warn: bool = True) -> LoadedGraph:
        """The graph: read from the endpoint, or loaded from ``paths``, ``--data`` or the
        bundled knowledge base (in ``--store`` when given).

        With data of the user's own, and ``warn``, every harm, intervention or other entity
        that it names and the loaded graph lacks is listed on stderr (a warning: the command
        goes on)."""
        if self.endpoint:
            if paths:
                raise click.UsageError(
                    "give files with --data, or a server with --endpoint, not both"
                )
            # The endpoint client imports the store (pyoxigraph): only when a server is read.
            from harmgraph.rdf.endpoint import connect_endpoint

            return connect_endpoint(self.endpoint)
        # A command's own paths (validate's) are added to the bundled graph as --data is.
        given = ([kb_dir(), *paths] if self.with_bundled else paths) if paths else self.data
        graph = load_graph(given or None, self.store)
        if given and warn:
            self.warn_unknown(graph)
        return graph

    def warn_unknown(self, graph: LoadedGraph) -> None:
        """One line on stderr per entity the data names and the graph lacks, then the fix."""
        # Here, not at the top: the short IRIs come from the model layer's evidence module.
        from harmgraph.model.evidence import short_id

        found = unknown_references(graph, limit=1000)
        if not found:
            return
        # In the order of the files, so the lines read like a compiler's.
        found.sort(key=lambda r: (str(r.path or ""), r.line or 0, r.value))
        for ref in found[:SHOWN_UNKNOWN]:
            where = f"{ref.path}:{ref.line}: " if ref.path else ""
            click.echo(
                f"{where}warning: {short_id(ref.entity)}: names {short_id(ref.value)} "
                f"({ref.property}), which the loaded graph lacks",
                err=True,
            )
        more = len(found) - SHOWN_UNKNOWN
        if more > 0:
            click.echo(f"warning: ... and {more}{'+' if len(found) == 1000 else ''} more", err=True)
        hint = (
            "add them to your data"
            if self.with_bundled or any(p.resolve() == kb_dir().resolve() for p in self.data)
            else "--data replaces the bundled knowledge base: add --with-bundled to add your "
            "data to it, or add them to your data"
        )
        entities = len({ref.value for ref in found})
        click.echo(
            f"harmgraph: warning: the data names {entities}"
            f"{'+' if len(found) == 1000 else ''} entities that the loaded graph lacks "
            f"(no type): the analyses know nothing about them - {hint}",
            err=True,
        )


def print_report(report: Report) -> None:
    """One line per finding on stdout, then the verdict and the counts on stderr."""
    for finding in report.findings:
        click.echo(str(finding))
    violations = len(report.violations)
    others = len(report.findings) - violations
    status = "conforms" if report.conforms else "does not conform"
    click.echo(f"{status}: {violations} violation(s), {others} warning(s)", err=True)
