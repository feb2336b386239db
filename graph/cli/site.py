"""The ``harmgraph site`` command: validate, then write the static, offline site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harmgraph.cli.context import Context, print_report


def register(cli: click.Group, epilog: str) -> None:
    """Add ``site`` to the ``harmgraph`` group."""

    @cli.command(epilog=epilog)
    @click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("build/site"),
        show_default=True,
        help="The folder to write the site into: new, empty, or a site written here before.",
    )
    @click.option(
        "--base-url",
        "base_url",
        metavar="URL",
        help="Where the site will be published (https://...), never inside the namespace of "
        "the IRIs themselves (that would loop); w3id/.htaccess sends the graph's IRIs there. "
        "Without it, the redirects point at a placeholder to edit.",
    )
    @click.pass_obj
    def site(obj: Context, out: Path, base_url: str | None) -> None:
        """Validate, then write a static, offline site into --out: a page per entity at the path
        of its IRI (id/<kind>/<slug>.html, with .ttl, .jsonld, .rdf and .nt beside it), for every
        IRI of the graph's namespace (agents and concept schemes too), a list per kind, the
        evidence-gap map, the gaps and priorities, the downloads, the ontology's documentation,
        w3id/.htaccess, and an index with a search box. Open index.html from disk or any static
        host. With --endpoint, the graph is first copied from the server into memory.

        Nothing is written when the data does not conform; a previous site stays as it was.
        """
        # Jinja2, rdflib, pySHACL and pyoxigraph only when the command runs (start-up time).
        from harmgraph.publish.site import write_site
        from harmgraph.publish.w3id import check_base_url
        from harmgraph.rdf.endpoint import copy_to_memory
        from harmgraph.shacl.validate import validate_graph

        if base_url is not None:
            check_base_url(base_url)  # before the graph is read: a bad address fails at once
        graph = obj.load()
        if obj.endpoint:
            graph = copy_to_memory(graph)
        report = validate_graph(graph)
        if not report.conforms:
            print_report(report)
            click.echo(f"harmgraph: site refused: nothing written to {out}", err=True)
            sys.exit(1)
        counts = write_site(graph, out, base_url)
        pages = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        click.echo(f"{out}/index.html: {sum(counts.values())} entity pages ({pages})")
        if base_url is None:
            click.echo(
                f"{out}/w3id/.htaccess redirects to a placeholder address: give --base-url with "
                "the address where you publish the site",
                err=True,
            )
        else:
            click.echo(
                f"{out}/w3id/README.md names no contact yet: write the maintainer's name and "
                "address there before registering the redirects at w3id.org",
                err=True,
            )
