"""The analysis commands of the ``harmgraph`` CLI: matrix, gaps, priorities, path,
neighbours, centrality. Each: options in, one call into ``graph/``, output out.

networkx is imported by the commands that walk the network, not here, so that the others
(and ``--help``) start without it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from harmgraph.analysis.cells import GRAINS
from harmgraph.analysis.diff import diff_graphs, diff_markdown, load_release
from harmgraph.analysis.gaps import GAP_KINDS, find_gaps
from harmgraph.analysis.matrix import COLS, FILTERS, ROWS, build_matrix, matrix_csv, parse_filters
from harmgraph.analysis.priorities import (
    DEFAULT_WEIGHTS,
    check_weights,
    parse_weights,
    rank_priorities,
)
from harmgraph.model.evidence import short_id
from harmgraph.tables import csv_text, format_table


def format_option(choices: tuple[str, ...] = ("table", "csv", "json"), what: str = "the result"):  # noqa: ANN201
    """The ``--format`` option, shared by the analysis commands."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default="table",
        show_default=True,
        help=f"How to print {what}.",
    )


FORMAT = format_option()


def dump_json(data: object) -> str:
    """``data`` as the analysis commands print it: indented, non-ASCII kept as is."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def emit_rows(
    fmt: str, columns: list[str], rows: list[list[object]], data: object, width: int = 70
) -> None:
    """Print ``data`` as JSON, or ``rows`` as CSV or a table."""
    if fmt == "json":
        click.echo(dump_json(data))
    elif fmt == "csv":
        click.echo(csv_text(columns, rows), nl=False)
    else:
        click.echo(format_table(columns, [[str(c) for c in r] for r in rows], width=width))


def register(cli: click.Group, epilog: str) -> None:
    """Add the analysis commands to the ``harmgraph`` group."""

    @cli.command(epilog=epilog)
    @click.option(
        "--rows",
        type=click.Choice(ROWS),
        default="intervention",
        show_default=True,
        help="What the rows are.",
    )
    @click.option(
        "--cols",
        type=click.Choice(COLS),
        default="harm",
        show_default=True,
        help="What the columns are (harm-facet: the top concepts of the harm scheme).",
    )
    @click.option(
        "--filter",
        "filters",
        multiple=True,
        metavar="KEY=VALUE",
        help=f"Keep only matching claims (repeatable); keys: {', '.join(FILTERS)}. "
        "year takes YYYY or YYYY-YYYY.",
    )
    @format_option(("table", "csv", "json", "html"))
    @click.pass_obj
    def matrix(obj, rows: str, cols: str, filters: tuple[str, ...], fmt: str) -> None:
        """The evidence-gap map: one cell per row and column, empty cells included.

        A cell counts the 'addresses' claims, their distinct sources, the strongest
        confidence, the mix of evidence kinds and the directions. Counts roll up the
        harm hierarchy: a claim about a narrower harm also counts for each broader harm
        (rolled_up says how many).

        --format html writes the interactive map as one self-contained page (its own data,
        style and script; it loads nothing), starting at --rows, --cols and --filter:
        harmgraph matrix --format html > map.html
        """
        if fmt == "html":
            # Jinja2 only for the HTML map (start-up time).
            from harmgraph.publish.matrix_html import matrix_html

            filters_given = parse_filters(list(filters))
            click.echo(matrix_html(obj.load(), rows, cols, filters_given), nl=False)
            return
        result = build_matrix(obj.load(), rows, cols, parse_filters(list(filters)))
        data = result.as_dict()
        if fmt == "table":
            header = ["row"] + [str(i + 1) for i in range(len(result.cols))]
            grid = []
            for r_iri, r_label in result.rows:
                marks = []
                for c_iri, _ in result.cols:
                    sources = len(result.cell(r_iri, c_iri).sources)
                    reviewed = bool(result.reviews(r_iri, c_iri))
                    marks.append(str(sources) if sources else "." if reviewed else "?")
                grid.append([r_label[:48]] + marks)
            click.echo(format_table(header, grid, width=48))
            click.echo(
                "\ncells: distinct sources ('.' = a review searched and found no evidence; '?' = "
                "not yet reviewed); counts roll up the harm hierarchy"
            )
            for i, (_, label) in enumerate(result.cols, start=1):
                click.echo(f"{i:>3}  {label}")
            return
        if fmt == "csv":
            click.echo(matrix_csv(data), nl=False)
            return
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))

    @cli.command(epilog=epilog)
    @click.option(
        "--kind",
        "kinds",
        multiple=True,
        type=click.Choice(GAP_KINDS),
        help="Show only these kinds (repeatable; default: all).",
    )
    @click.option(
        "--grain",
        "grains",
        multiple=True,
        type=click.Choice([f"{r}:{c}" for r, c in GRAINS]),
        help="Show empty cells only at these grains of the map, ROWS:COLS (repeatable; "
        "default: every grain).",
    )
    @FORMAT
    @click.pass_obj
    def gaps(obj, kinds: tuple[str, ...], grains: tuple[str, ...], fmt: str) -> None:
        """Typed gaps, each explained in plain words built from the data, naming the searches
        aimed at it and the strength of the review behind it.

        \b
        no-intervention            no intervention is known (a search for any looked)
        broader-only               interventions address only a broader harm
        no-evaluated-intervention  interventions exist, none evaluated
        empty-cell                 a cell of the map a search looked at and found empty
        unevaluated-intervention   no evaluation of this intervention
        unsynthesised              primary studies but no systematic review
        weak-evidence              low-confidence or single-source link
        contested                  claims support and dispute a link
        research-need              stated by a source
        not-reviewed               no search aimed at it yet (our coverage, not the evidence)

        evidence_gap says 'absolute' (no primary study) or 'synthesis' (no review);
        searched_at says whether the search was aimed at the gap itself or at something broader.
        """
        found = find_gaps(obj.load(), list(kinds) or None)
        if grains:
            wanted = {g.replace(":", " x ") for g in grains}
            found = [g for g in found if g["kind"] != "empty-cell" or g["grain"] in wanted]
        # The first six columns are those of earlier releases, in their order; new ones follow.
        rows = [
            [
                g["kind"],
                short_id(g["subject"]),
                short_id(g["object"]) if g["object"] else "",
                g["evidence_gap"],
                short_id(g["source"]) if g["source"] else "",
                g["explanation"],
                g["grain"],
                g["searched_at"],
                g["strength"],
                short_id(g["review"]["iri"]) if g["review"] else "",
                g["pending_kind"],
            ]
            for g in found
        ]
        columns = ["kind", "subject", "object", "evidence_gap", "source", "explanation"]
        columns += ["grain", "searched_at", "strength", "review", "pending_kind"]
        if fmt == "table":
            # The table keeps to what fits a terminal: the explanation names the strength.
            order = [0, 1, 2, 6, 3, 7, 5]
            rows = [[r[i] for i in order] for r in rows]
            columns = [columns[i] for i in order]
        emit_rows(fmt, columns, rows, found, width=400)
        if not found:
            sys.exit(1)

    @cli.command(epilog=epilog)
    @click.option(
        "--weight",
        "weights",
        multiple=True,
        metavar="NAME=VALUE",
        help="Change a criterion's weight (repeatable); defaults: "
        + ", ".join(f"{k}={v:g}" for k, v in DEFAULT_WEIGHTS.items())
        + ".",
    )
    @click.option(
        "--sensitivity",
        is_flag=True,
        help="Also report each gap's best and worst rank when any one weight moves +/-50%.",
    )
    @click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N.")
    @FORMAT
    @click.pass_obj
    def priorities(
        obj, weights: tuple[str, ...], sensitivity: bool, top: int | None, fmt: str
    ) -> None:
        """Rank the gaps for funders by a transparent weighted sum of named criteria.

        Criteria (0-1, from the graph): severity (hg:severity of the harms concerned, with
        its source), reach (actors affected), enablers (technologies enabling them),
        weakness (1 - strongest confidence behind the link), stated (a source calls for
        the work). Each row shows each criterion's contribution (weight x value).
        """
        chosen = parse_weights(list(weights))
        check_weights(chosen)
        ranked = rank_priorities(obj.load(), chosen, with_sensitivity=sensitivity)[:top]
        names = list(DEFAULT_WEIGHTS)
        columns = ["rank", "score", "kind", "subject", "object", *names]
        if sensitivity:
            columns += ["rank_min", "rank_max", "stable"]
        # Only the table cuts labels to fit a terminal; CSV has them whole, and the IRIs.
        cut = (40, 30) if fmt == "table" else (None, None)
        rows = []
        for r in ranked:
            row = [
                r["rank"],
                f"{r['score']:.3f}",
                r["kind"],
                r["subject_label"][: cut[0]],
                r["object_label"][: cut[1]],
                *(f"{r['contributions'][n]:.2f}" for n in names),
            ]
            if sensitivity:
                row += [r["rank_min"], r["rank_max"], "yes" if r["stable"] else "no"]
            if fmt == "csv":
                row += [r["subject"], r["object"] or ""]
            rows.append(row)
        if fmt == "csv":
            columns += ["subject_iri", "object_iri"]
        emit_rows(fmt, columns, rows, ranked)

    @cli.command(epilog=epilog)
    @click.argument("start", metavar="FROM")
    @click.argument("end", metavar="TO")
    @click.option(
        "--max-length",
        type=click.IntRange(1, 6),
        default=4,
        show_default=True,
        help="The most links a path may have.",
    )
    @click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=20,
        show_default=True,
        help="The most paths to print (the shortest first); how many there are is said after "
        "them (on stderr with --format json).",
    )
    @format_option(
        (
            "table",
            "json",
        ),
        "the paths",
    )
    @click.pass_obj
    def path(obj, start: str, end: str, max_length: int, limit: int, fmt: str) -> None:
        """The paths (technology -> harm -> intervention -> actor...) between two entities,
        with the claims on each link. FROM and TO are IRIs, kind/slug or labels."""
        # networkx only for the commands that walk the network (start-up time).
        from harmgraph.analysis.network import search_paths

        result = search_paths(obj.load(), start, end, max_length, limit)
        found = result["paths"]
        if fmt == "json":
            click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        for number, steps in enumerate(found if fmt == "table" else [], start=1):
            click.echo(f"path {number}:")
            for step in steps:
                claims = ", ".join(
                    f"{short_id(c['claim'])} ({c['direction'].lower()}, {c['confidence']})"
                    for c in step["claims"]
                )
                click.echo(
                    f"  {step['from_label']} --{step['relation']}--> {step['to_label']}  [{claims}]"
                )
        if not found:
            click.echo("no path found", err=True)
            sys.exit(1)
        total = f"{result['found']:,}" + ("" if result["complete"] else " or more")
        shown = f"the first {len(found)} shown (--limit)" if len(found) < result["found"] else ""
        summary = f"{total} path(s) of at most {max_length} link(s)" + (
            f"; {shown}" if shown else ""
        )
        click.echo(("\n" if fmt == "table" else "") + summary, err=fmt == "json")

    @cli.command(epilog=epilog)
    @click.argument("entity")
    @click.option(
        "--depth",
        type=click.IntRange(1, 5),
        default=1,
        show_default=True,
        help="How many links away to go.",
    )
    @click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=300,
        show_default=True,
        help="The most nodes to return (the nearest are kept; the rest are counted).",
    )
    @format_option(
        (
            "table",
            "json",
        ),
        "the network",
    )
    @click.pass_obj
    def neighbours(obj, entity: str, depth: int, limit: int, fmt: str) -> None:
        """The ego network of ENTITY (an IRI, kind/slug or label): every entity within
        --depth links, and the links between them with their claims."""
        # networkx only for the commands that walk the network (start-up time).
        from harmgraph.analysis.network import ego_network

        ego = ego_network(obj.load(), entity, depth, limit)
        if fmt == "json":
            click.echo(json.dumps(ego, indent=2, ensure_ascii=False))
            return
        rows = [[n["distance"], n["kind"], n["label"], short_id(n["iri"])] for n in ego["nodes"]]
        click.echo(
            format_table(["distance", "kind", "label", "id"], [[str(c) for c in r] for r in rows])
        )
        click.echo(
            f"\n{len(ego['edges'])} link(s)"
            + (f"; {ego['cut']} node(s) cut by --limit" if ego["cut"] else "")
        )

    @cli.command(epilog=epilog)
    @click.argument("old", type=click.Path(path_type=Path, exists=True))
    @click.argument("new", type=click.Path(path_type=Path, exists=True))
    @format_option(
        (
            "table",
            "json",
            "markdown",
        ),
        "the changes (markdown: a CHANGELOG entry)",
    )
    @click.option("--title", default="Changes", show_default=True, help="The markdown heading.")
    def diff(old: Path, new: Path, fmt: str, title: str) -> None:
        """What changed from OLD to NEW (each a build folder, a knowledge-base folder or an RDF
        file): entities, sources and claims added, removed or changed, and gaps opened or closed.
        Exits 1 when nothing changed."""
        result = diff_graphs(load_release(old), load_release(new))
        if fmt == "json":
            click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        elif fmt == "markdown":
            click.echo(diff_markdown(result, title), nl=False)
        else:
            rows = [
                [kind, change, str(len(items))]
                for kind, parts in result["entities"].items()
                for change, items in parts.items()
                if items
            ]
            rows += [
                ["gap", change, str(len(items))]
                for change, items in result["gaps"].items()
                if items
            ]
            click.echo(format_table(["what", "change", "count"], rows))
        if not any(result["summary"].values()):
            sys.exit(1)

    @cli.command(name="centrality", epilog=epilog)
    @click.option(
        "--top",
        type=click.IntRange(min=1),
        default=10,
        show_default=True,
        help="How many of each to list.",
    )
    @format_option(
        (
            "table",
            "json",
        ),
        "the lists",
    )
    @click.pass_obj
    def centrality_command(obj, top: int, fmt: str) -> None:
        """Where the graph is concentrated: harms enabled by the most technologies,
        interventions covering the most harms, and sources carrying the most claims (with
        the links that rest on that source alone)."""
        # networkx only for the commands that walk the network (start-up time).
        from harmgraph.analysis.network import centrality

        result = centrality(obj.load(), top)
        if fmt == "json":
            click.echo(json.dumps(result, indent=2, ensure_ascii=False))
            return
        for name, rows in result.items():
            click.echo(f"\n{name.replace('_', ' ')}")
            columns = ["count", "label"] + (
                ["sole_source_links"] if name == "sources_by_claims" else []
            )
            table = [
                [str(r["count"]), r["label"][:70]]
                + ([str(r["sole_source_links"])] if "sole_source_links" in r else [])
                for r in rows
            ]
            click.echo(format_table(columns, table, width=70))
