"""The data commands of the ``harmgraph`` CLI: validate, build, export, query, stats, synth.
Each: options in, one call into the layers below, output out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from harmgraph.analysis.stats import MEANINGS, graph_stats
from harmgraph.analysis.synth import synthesise
from harmgraph.cli import prisma
from harmgraph.cli.context import Context, print_report
from harmgraph.publish.cite import CITATION_FORMATS
from harmgraph.publish.release import build_release
from harmgraph.rdf.export import DISTRIBUTIONS, export_graph, write_atomic
from harmgraph.rdf.load import format_of, resolve_paths
from harmgraph.tables import format_table


def register(cli: click.Group, epilog: str) -> None:
    """Add the data commands to the ``harmgraph`` group (and ``prisma``, from its module)."""
    prisma.register(cli, epilog)

    @cli.command(epilog=epilog)
    @click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="One line per finding, or a JSON list.",
    )
    @click.option(
        "--engine",
        type=click.Choice(["sparql", "pyshacl"]),
        default="sparql",
        show_default=True,
        help="sparql: shapes compiled to SPARQL and run in the store (fast at scale; shapes it "
        "cannot answer exactly as pySHACL does go to pySHACL, with a note on stderr); "
        "pyshacl: every constraint through the pySHACL reference engine.",
    )
    @click.option(
        "--shapes",
        "shapes",
        type=click.Path(path_type=Path),
        default=None,
        help="A SHACL shapes file (Turtle, N-Triples, JSON-LD or RDF/XML) to validate against "
        "instead of ontology/shapes.ttl.",
    )
    @click.pass_obj
    def validate(
        obj: Context, paths: tuple[Path, ...], fmt: str, engine: str, shapes: Path | None
    ) -> None:
        """Check PATHS (default: --data or the bundled knowledge base) against the SHACL shapes.

        Prints one line per finding: file:line: severity: entity: message (shape) [path = value].
        """
        # rdflib and pySHACL only when the command runs (start-up time).
        from harmgraph.shacl.validate import read_shapes, validate_graph

        if shapes is not None:
            read_shapes(shapes)  # a bad shapes file fails before a large graph is loaded
        # No warning about unknown entities here: the shapes report each as a violation.
        report = validate_graph(obj.load(list(paths), warn=False), engine, shapes=shapes)
        if report.note:
            click.echo(f"harmgraph: note: {report.note}", err=True)
        if fmt == "json":
            click.echo(json.dumps([f.as_dict() for f in report.findings], indent=2))
        else:
            print_report(report)
        sys.exit(0 if report.conforms else 1)

    @cli.command(epilog=epilog)
    @click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path),
        default=Path("build"),
        show_default=True,
        help="The folder to write the release files into.",
    )
    @click.pass_obj
    def build(obj: Context, out: Path) -> None:
        """Validate, then write harmgraph.{ttl,nt,jsonld,rdf,trig} and void.ttl into --out.

        Nothing is written when the data does not conform; the previous files stay as they were.
        """
        # rdflib and pySHACL only when the command runs (start-up time).
        from harmgraph.shacl.validate import validate_graph

        graph = obj.load()
        report = validate_graph(graph)
        if not report.conforms:
            print_report(report)
            click.echo(f"harmgraph: build refused: nothing written to {out}", err=True)
            sys.exit(1)
        for path in build_release(graph, out):
            click.echo(str(path))

    @cli.command(epilog=epilog)
    @click.option(
        "--format",
        "fmt",
        type=click.Choice([*DISTRIBUTIONS, *CITATION_FORMATS]),
        required=True,
        help="The serialisation to write; ris and bibtex write the evidence sources as citations "
        "(authors in the order of each source's record), the files the app's Downloads page "
        "offers.",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=None,
        help="The file to write (default: standard output).",
    )
    @click.option(
        "--review",
        "review",
        default=None,
        metavar="REVIEW",
        help="With --format ris: write this review's records instead (its slug), for Rayyan, "
        "Covidence, ASReview LAB or Zotero; each record's IRI is its ID, and duplicates are left "
        "out.",
    )
    @click.pass_obj
    def export(obj: Context, fmt: str, output: Path | None, review: str | None) -> None:
        """Write the ontology and data in one RDF serialisation (TriG adds the shapes), the
        evidence sources as RIS or BibTeX citations, or a review's records as RIS."""
        if review is not None and fmt != "ris":
            raise click.UsageError("--review writes a review's records as RIS: use --format ris")
        graph = obj.load()
        if review is not None:
            # rispy only for this export (start-up time).
            from harmgraph.publish.ris_out import review_as_ris

            data = review_as_ris(graph, review).encode("utf-8")
        elif fmt in CITATION_FORMATS:
            data = CITATION_FORMATS[fmt](graph).encode("utf-8")
        else:
            data = export_graph(graph, fmt)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            write_atomic(output, data)

    @cli.command(epilog=epilog)
    @click.argument("sparql", required=False)
    @click.option(
        "--file",
        "file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Read the query from this .rq file instead.",
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="How to print the results.",
    )
    @click.option(
        "--max-rows",
        type=click.IntRange(min=1),
        default=10_000,
        show_default=True,
        help="Print at most this many rows (JSON says 'truncated' when the cap was hit).",
    )
    @click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=10.0,
        show_default=True,
        help="Stop the query after this many seconds (exit 2).",
    )
    @click.pass_obj
    def query(
        obj: Context, sparql: str | None, file: Path | None, fmt: str, max_rows: int, timeout: float
    ) -> None:
        """Run a read-only SPARQL query over the graph (all hg:, skos:, dcterms:... prefixes are
        predeclared). Updates, LOAD and SERVICE are refused with exit 2."""
        # rdflib's SPARQL parser only when a query runs (start-up time).
        from harmgraph.rdf.query import run_query
        from harmgraph.rdf.query_worker import QueryWorker

        if (sparql is None) == (file is None):
            raise click.UsageError("give a query or --file F.rq, not both and not neither")
        if file is not None:
            try:
                sparql = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise click.FileError(str(file), hint=str(error)) from None
        assert sparql is not None
        if obj.endpoint or obj.store:
            # The endpoint answers with the time limit as its HTTP limit; an on-disk store is
            # built (or reused) here and then opened read-only by the query worker.
            click.echo(run_query(obj.load(), sparql, fmt, max_rows, timeout))
            return
        # In memory, only the worker needs the graph: load it there, not twice.
        worker = QueryWorker(resolve_paths(obj.data or None))
        try:
            click.echo(run_query(worker, sparql, fmt, max_rows, timeout))
        finally:
            worker.close()

    @cli.command(epilog=epilog)
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "markdown"]),
        default="table",
        show_default=True,
        help="How to print the counts (markdown: a summary with the mix of sources and claims, "
        "the harm facets and their strongest evidence, and the gap counts).",
    )
    @click.pass_obj
    def stats(obj: Context, fmt: str) -> None:
        """Count what the graph holds: triples, harms, technologies, actors, interventions,
        sources, claims and gaps. The table says what each count counts: harm facets are
        counted among the harms, and intervention types among the interventions."""
        if fmt == "markdown":
            # The summary only for its format (start-up time).
            from harmgraph.analysis.summary import graph_summary_markdown

            click.echo(graph_summary_markdown(obj.load()))
            return
        counts = graph_stats(obj.load())
        if fmt == "json":
            click.echo(json.dumps(counts, indent=2))
        else:
            rows = [[k, str(v), MEANINGS.get(k, "")] for k, v in counts.items()]
            click.echo(format_table(["what", "count", "counted"], rows, width=100))

    @cli.command(epilog=epilog)
    @click.option(
        "--triples",
        type=click.IntRange(min=1000),
        required=True,
        help="About how many triples to write (at least 1000).",
    )
    @click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
    @click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        required=True,
        help="The file to write; the format comes from the extension (.nt is fastest).",
    )
    def synth(triples: int, seed: int, output: Path) -> None:
        """Write a synthetic graph that conforms to the shapes, with the curated graph's
        proportions and a known number of gaps of each kind.

        The expected gap counts are printed as JSON and written beside the output as
        OUTPUT.expected.json, so that analysis results at size can be checked.
        """
        # pyoxigraph only when the command runs (start-up time).
        from harmgraph.rdf.store import convert

        fmt = format_of(output)
        text, expected = synthesise(triples, seed)
        data = (
            text.encode("utf-8")
            if fmt == "ntriples"
            else convert(text.encode("utf-8"), "ntriples", fmt)
        )
        write_atomic(output, data)
        summary = json.dumps(
            {"triples_written": text.count(" .\n"), "expected_gaps": expected}, indent=2
        )
        write_atomic(output.with_name(output.name + ".expected.json"), summary.encode("utf-8"))
        click.echo(summary)
