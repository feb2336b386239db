"""The ``harmgraph import`` command: a CSV of coded studies in, conforming Turtle out.

The importers (rdflib) and the validator (pySHACL) are imported when the command runs, not
when the CLI starts."""

from __future__ import annotations

import csv
import dataclasses
import io
import sys
import tempfile
from pathlib import Path

import click

from harmgraph.cli import review_import
from harmgraph.errors import InputError
from harmgraph.rdf.load import kb_dir, load_graph


def register(cli: click.Group, epilog: str) -> None:
    """Add the ``import`` command to the ``harmgraph`` group."""

    @cli.command(name="import", epilog=epilog)
    @click.argument(
        "csv_file", metavar="CLAIMS.csv", type=click.Path(path_type=Path, dir_okay=False)
    )
    @click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="The Turtle file to write (default: standard output).",
    )
    @click.option(
        "--date",
        "date",
        metavar="YYYY-MM-DD",
        default=None,
        help="The day the claims were recorded (their dcterms:created), for the rows of a claims "
        "CSV without a 'date' cell of their own. Needed unless every row has one: the import "
        "never uses today's date, so the same CSV gives the same Turtle on any day.",
    )
    @click.option(
        "--skip-bad",
        is_flag=True,
        help="Write the good rows and report the bad ones (in OUT.report.csv, or on stderr), "
        "instead of writing nothing.",
    )
    @click.option(
        "--review",
        "review",
        default=None,
        help="RIS and ASReview files: the slug of the review the search or the decisions belong "
        "to (default: the sidecar's [review] review, or the one review in --out).",
    )
    @click.option(
        "--stage",
        type=click.Choice(["title-abstract", "full-text"]),
        default="title-abstract",
        show_default=True,
        help="ASReview exports: the stage the labels decide. title-abstract: relevant records "
        "await full-text assessment; full-text: relevant records are included, each as a source.",
    )
    @click.option(
        "--default-reason",
        type=click.Choice(list(review_import.REASON_NAMES)),
        default=None,
        help="ASReview exports: the exclusion reason of a record labelled irrelevant that gives "
        "none (in its note, a 'reason' tag group or a reason column); without it, such a record "
        "is an error.",
    )
    @click.pass_obj
    def import_command(
        obj,
        csv_file: Path,
        out: Path | None,
        date: str | None,
        skip_bad: bool,
        review: str | None,
        stage: str,
        default_reason: str | None,
    ) -> None:
        """Turn a CSV of coded studies (one row per claim), or a screening log (one row per
        candidate a review considered; it has 'review' and 'decision' columns), into Turtle that
        conforms to the shapes together with the graph (--data or the bundled KB). Layouts in
        the README.

        A RIS file (FILE.ris, described by FILE.ris.toml) is the records one search found: each
        entry becomes a record of the review, awaiting screening, or a duplicate of an earlier
        record. An ASReview LAB export (CSV or RIS) holds decisions on a review's records. Both
        add to the review's file given as --out, which is rewritten whole.

        Every bad row is reported with its row number and reason; nothing is written unless all
        rows are good (or --skip-bad). Give the result to any command with --data.
        """
        # rdflib only when the command runs (start-up time).
        from harmgraph.importing.claims import check_date, import_claims
        from harmgraph.importing.screening import import_screening, is_screening_log

        if obj.endpoint:
            raise click.UsageError("import needs the graph as files (--data), not an --endpoint")
        if review_import.is_review_file(csv_file):
            if date is not None:
                raise click.UsageError(
                    "--date is for a claims CSV: a RIS file's search date is in its sidecar"
                )
            options = review_import.Options(review, stage, default_reason, skip_bad)
            review_import.run(obj, csv_file, out, options, check_imported)
            return
        try:
            text = csv_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot be read as UTF-8 CSV: {error}", path=csv_file) from None
        header = next(csv.reader(io.StringIO(text)), [])
        # A screening log (reviews) is told apart from coded claims by its columns.
        screening = is_screening_log(header)
        if screening and date is not None:
            raise click.UsageError(
                "--date is for a claims CSV: a screening log's dates are in its 'date' column"
            )
        if not screening and date is None and "date" not in header:
            raise click.UsageError(
                f"{csv_file} has no 'date' column: give --date YYYY-MM-DD, the day the claims "
                "were recorded (the import never uses today's date)"
            )
        if date is not None:
            try:
                check_date(date, "--date")
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="--date") from None
        base = obj.load()
        result = import_screening(text, base) if screening else import_claims(text, base, date)
        for number, reason in result.bad:
            click.echo(f"{csv_file}:{number}: {reason}", err=True)
        for number, message in result.warnings:
            click.echo(f"{csv_file}:{number}: warning: {message}", err=True)
        if result.bad and not skip_bad:
            click.echo(f"harmgraph: {len(result.bad)} bad row(s): nothing written", err=True)
            sys.exit(1)
        if result.bad and not result.good:
            # --skip-bad writes the good rows; with none, a file would only hide the failure.
            click.echo(
                f"harmgraph: {len(result.bad)} bad row(s) and no good row: nothing written",
                err=True,
            )
            sys.exit(1)
        problems = check_imported(obj, result.turtle, result.rows, csv_file)
        review_import.write_checked(problems, result.turtle, result.bad, out, "row")
        click.echo(
            f"imported {result.good} {'screening row' if screening else 'claim'}(s)"
            + (f", skipped {len(result.bad)} bad row(s)" if result.bad else ""),
            err=True,
        )


def check_imported(
    obj, turtle: str, rows: dict[str, int], csv_file: Path, replacing: Path | None = None
) -> list[str]:
    """Validate imported Turtle together with the graph it joins (without ``replacing``, the
    file it will replace); return its violations, each placed at the CSV row that made the
    entity (never at the temporary file it was checked in)."""
    # rdflib and pySHACL only when the command runs (start-up time).
    from harmgraph.shacl.validate import validate_graph

    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / "imported.ttl"
        staged.write_text(turtle, encoding="utf-8")
        # obj.data holds the bundled folder when --with-bundled was given.
        paths = review_import.without(obj.data or [kb_dir()], replacing)
        report = validate_graph(load_graph([*paths, staged], None))
    lines = []
    for finding in report.violations:
        if finding.file == str(staged):
            row = rows.get(finding.focus)
            where = f"{csv_file}:{row}" if row else str(csv_file)
            finding = dataclasses.replace(finding, file=where, line=0)
        lines.append(str(finding))
    return lines
