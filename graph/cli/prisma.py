"""The ``harmgraph prisma`` command: a review's PRISMA 2020 flow diagram as SVG or PNG.

It is the figure the site and the app show (:mod:`harmgraph.publish.prisma`), drawn from the
review's records, with both of PRISMA 2020's columns, and self-contained: nothing in it is
loaded from anywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harmgraph.cli.context import Context
from harmgraph.rdf.export import write_atomic


def register(cli: click.Group, epilog: str) -> None:
    """Add the ``prisma`` command to the ``harmgraph`` group."""

    @cli.command(epilog=epilog)
    @click.argument("review", metavar="REVIEW")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["svg", "png"]),
        default="svg",
        show_default=True,
        help="One self-contained SVG document, or a PNG image.",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="The file to write (default: standard output).",
    )
    @click.pass_obj
    def prisma(obj: Context, review: str, fmt: str, output: Path | None) -> None:
        """Draw the PRISMA 2020 flow diagram of REVIEW (its slug, review/slug or IRI) from its
        records: records identified by databases, registers and indexes and by other methods,
        duplicates removed, screened, excluded, assessed, and the studies and reports included.
        A review still in progress shows its records awaiting screening or assessment."""
        # The review reader and the drawing only when the command runs (start-up time).
        from harmgraph.model.screening import review_flow
        from harmgraph.publish.prisma import prisma_png, prisma_svg

        flow = review_flow(obj.load(), review)
        data = prisma_svg(flow).encode("utf-8") if fmt == "svg" else prisma_png(flow)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            write_atomic(output, data)
