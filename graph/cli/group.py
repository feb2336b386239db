"""The ``harmgraph`` click group: the options every command shares, and user errors turned
into one line on stderr and an exit code.

The commands live in one module per group of commands (:mod:`~harmgraph.cli.data`,
:mod:`~harmgraph.cli.analysis`, :mod:`~harmgraph.cli.importing`, :mod:`~harmgraph.cli.app`,
:mod:`~harmgraph.cli.site`), added the first time a command is looked up.
"""

from __future__ import annotations

from pathlib import Path

import click

from harmgraph.cli.context import EXIT_CODES, Context
from harmgraph.errors import HarmgraphError
from harmgraph.version import __version__


class Group(click.Group):
    """A click group that turns harmgraph's user errors into one line and an exit code.

    The commands are added the first time a command is looked up (click's lazy-subcommand
    pattern): ``--version`` is handled before that, so it imports no command module at all.
    """

    _added = False

    def _add_commands(self) -> None:
        if not self._added:
            self._added = True
            # Here, not at the top: `harmgraph --version` never needs the commands.
            from harmgraph.cli import analysis, app, data, importing, site

            for module in (data, analysis, app, importing, site):
                module.register(self, EXIT_CODES)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._add_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._add_commands()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HarmgraphError as error:
            click.echo(f"harmgraph: error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=Group, epilog=EXIT_CODES)
# The version from the package itself, not from its installed metadata: reading that costs
# about 50 ms of imports (importlib.metadata) on every `harmgraph --version`.
@click.version_option(__version__, prog_name="harmgraph")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A file or directory of Turtle, N-Triples, JSON-LD or RDF/XML to use instead of the "
    "bundled knowledge base, or added to it with --with-bundled (repeatable; the format comes "
    "from the extension). The ontology is always included.",
)
@click.option(
    "--with-bundled",
    "with_bundled",
    is_flag=True,
    help="Add the --data files to the bundled knowledge base instead of replacing it (your "
    "own claims analysed together with the bundled ones).",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep the graph in an on-disk store in this folder, reused without parsing while the "
    "input files are unchanged (default: in memory).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Read everything from this SPARQL 1.1 query endpoint instead of files; it must hold "
    "build/harmgraph.trig and answer over the union of its graphs.",
)
@click.pass_context
def cli(
    ctx: click.Context,
    data: tuple[Path, ...],
    with_bundled: bool,
    store: Path | None,
    endpoint: str | None,
) -> None:
    """harmgraph: a knowledge graph of the harms of AI-generated child sexual abuse material,
    the interventions that address them, and the evidence behind each link."""
    ctx.obj = Context(data, store, endpoint, with_bundled)


def main() -> None:
    """Entry point of the ``harmgraph`` console script."""
    cli(prog_name="harmgraph")
