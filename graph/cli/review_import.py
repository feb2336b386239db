"""``harmgraph import`` for a team's own review: a RIS file of one search's records, or an
ASReview LAB export of decisions, added to the review's own file (``--out``).

The review's file is the unit: each import reads it, adds the search's records or the
decisions, validates the result together with the rest of the graph (``--data`` without the
old version of that file), and only then writes the file whole, atomically. A bad entry,
a bad sidecar or a result that does not conform leaves the file as it was.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import click

from harmgraph.errors import InputError
from harmgraph.rdf.export import write_atomic
from harmgraph.rdf.load import kb_dir, load_graph, resolve_paths
from harmgraph.tables import csv_text

#: The exclusion reasons by the names the options take (the screening log's).
REASON_NAMES = (
    "off-topic",
    "no-ai-dimension",
    "no-outcome-data",
    "cannot-be-verified",
    "operational-detail",
    "secondary-report",
)


class Options(NamedTuple):
    """The import command's options that a review import reads."""

    review: str | None
    stage: str
    default_reason: str | None
    skip_bad: bool


def is_review_file(path: Path) -> bool:
    """Whether ``path`` is a RIS file, or a CSV exported by ASReview LAB."""
    if path.suffix.lower() == ".ris":
        return True
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError):
        return False
    return "asreview_label" in header or ("included" in header and "title" in header)


def without(paths: list[Path], replacing: Path | None) -> list[Path]:
    """The files of ``paths`` but ``replacing`` (the file an import rewrites)."""
    if replacing is None:
        return list(paths)
    gone = replacing.resolve()
    return [p for p in resolve_paths(list(paths)) if p.resolve() != gone]


def write_checked(
    problems: list[str], turtle: str, bad: list, out: Path | None, where: str
) -> None:
    """Write an import's Turtle to ``out`` (or stdout), with its bad rows or entries in
    ``OUT.report.csv`` (``where``: the name of their number column); with ``problems`` (the
    validation's lines), print them and exit 1 with nothing written. Every import ends here."""
    if problems:
        for line in problems:
            click.echo(line)
        click.echo("harmgraph: the import does not conform: nothing written", err=True)
        sys.exit(1)
    body = turtle.encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(body)
        return
    write_atomic(out, body)
    if bad:
        report = csv_text([where, "reason"], bad)
        write_atomic(out.with_name(out.name + ".report.csv"), report.encode("utf-8"))


def sidecar_of(path: Path) -> Path:
    """The search's sidecar: ``FILE.ris.toml``, else ``FILE.toml``."""
    for candidate in (path.with_name(path.name + ".toml"), path.with_suffix(".toml")):
        if candidate.is_file():
            return candidate
    raise InputError(
        f"no sidecar describing the search: write {path.name}.toml beside it (its query, where "
        "and when it ran, its review; see docs/own-review.md)",
        path=path,
    )


def run(obj, path: Path, out: Path | None, options: Options, check: Callable) -> None:  # noqa: ANN001
    """Import ``path`` into the review's file ``out`` (or standard output), or exit 1."""
    # rdflib and the importers only when the command runs (start-up time).
    from harmgraph.importing.asreview import import_asreview, is_asreview_ris
    from harmgraph.importing.review_file import parse_sidecar, read_review_file
    from harmgraph.importing.ris import EncodingFailed
    from harmgraph.importing.ris_search import import_ris

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from None
    ris = path.suffix.lower() == ".ris"
    # An ASReview export carries ASReview's labels; a database's export never does.
    decisions = not ris or is_asreview_ris(data.decode("utf-8", errors="replace"))
    sidecar, sidecar_path = {}, path
    if not decisions:
        sidecar_path = sidecar_of(path)
        try:
            sidecar = parse_sidecar(sidecar_path.read_text(encoding="utf-8"), sidecar_path.name)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise InputError(str(error), path=sidecar_path) from None
    elif out is None or not out.is_file():
        raise click.UsageError(
            "decisions go into the review's own file: give it as --out (it must exist)"
        )
    slug = options.review or sidecar.get("review", {}).get("review", "")
    existing = out.read_text(encoding="utf-8") if out is not None and out.is_file() else None
    try:
        review = read_review_file(existing, slug)
    except ValueError as error:
        raise InputError(str(error), path=out if existing is not None else sidecar_path) from None
    # The graph the import is checked against: --data (or the bundled KB) with the review's
    # file as it is now.
    paths = without(obj.data or [kb_dir()], out)
    graph = load_graph([*paths, out] if existing is not None and out is not None else paths)
    try:
        if decisions:
            result = import_asreview(
                data,
                "ris" if ris else "csv",
                graph,
                review,
                stage=options.stage,
                default_reason=options.default_reason,
                skip_bad=options.skip_bad,
            )
        else:
            result = import_ris(data, sidecar, graph, review, skip_bad=options.skip_bad)
    except EncodingFailed as error:
        raise InputError(error.message, path=path, line=error.line) from None
    except ValueError as error:
        raise InputError(str(error), path=path if decisions else sidecar_path) from None
    for line, reason in result.bad:
        click.echo(f"{path}:{line}: {reason}", err=True)
    what = "decision(s)" if decisions else "record(s)"
    if result.bad and not options.skip_bad:
        click.echo(f"harmgraph: {len(result.bad)} bad entr(ies): nothing written", err=True)
        sys.exit(1)
    if not result.good and result.bad:
        click.echo(f"harmgraph: no good entry, {len(result.bad)} bad: nothing written", err=True)
        sys.exit(1)
    problems = check(obj, result.turtle, result.rows, path, replacing=out)
    write_checked(problems, result.turtle, result.bad, out, "line")
    slug = str(review.iri).rsplit("/", 1)[-1]
    if decisions:
        counts = result.counts
        detail = (
            f"{counts['relevant']} relevant, {counts['irrelevant']} irrelevant; "
            f"{counts['unlabelled']} unlabelled left unscreened"
        )
        if counts["unchanged"]:
            detail += f", {counts['unchanged']} already decided at full text"

    else:
        detail = f"{result.duplicates} duplicate(s) of earlier records removed before screening"
    click.echo(
        f"imported {result.good} {what} into review {slug} ({detail})"
        + (f", skipped {len(result.bad)} bad entr(ies)" if result.bad else ""),
        err=True,
    )
