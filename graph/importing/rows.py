"""What both importers share: the loop over a CSV's rows, the context each row is checked
against, and sources named by slug, DOI or URL (new ones described by the row).

A row either adds all its triples or none: each row fills a graph of its own, which joins the
output only when the row raised no ``ValueError`` and every IRI in it is one (:func:`check_iris`);
the error becomes the row's reason. Given the :class:`CheckContext`, :func:`import_rows` makes
what a row adds to it all-or-nothing too: an entity a row makes is known to later rows only
once the row is accepted.

Examples
--------
>>> def row_triples(row, out):
...     if not row["name"]:
...         raise ValueError("'name' is empty")
...     return [row["name"]]
>>> result = import_rows("name\\nx\\n\\n", ("name",), row_triples, "t")
>>> result.good, result.rows
(1, {'x': 2})
>>> import_rows("other\\n1\\n", ("name",), row_triples, "t").bad
[(1, 'the header lacks the column(s) name')]
>>> def iri_triples(row, out):
...     out.add((URIRef(row["name"]), RDF.type, RDF.Property))
...     return []
>>> number, reason = import_rows("name\\nhttps://x.org/a b\\n", ("name",), iri_triples, "t").bad[0]
>>> number, reason.startswith("'https://x.org/a b' cannot be an IRI")
(2, True)
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection

from harmgraph.model.evidence import Evidence
from harmgraph.model.slugs import hashed_slug, slug_in
from harmgraph.rdf.namespaces import HG_IRI, ID_IRI, PREFIXES

SOURCE_KINDS = (
    "PeerReviewedArticle",
    "Preprint",
    "Report",
    "Legislation",
    "CourtDecision",
    "Dataset",
    "Guidance",
    "SecondarySummary",
)
DOI = re.compile(r"10\.\d{4,9}/\S+")
#: An http(s) address with none of the characters an IRI may not hold (control characters too).
URL = re.compile(r"https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]+")
#: What no IRI may hold (RFC 3987): spaces and control characters, and <>"{}|\^`.
NOT_IN_IRI = re.compile(r'[\x00-\x20\x7f-\x9f<>"{}|\\^`]')
IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: The columns that describe a new source.
SOURCE_COLUMNS = (
    "source_title",
    "source_year",
    "source_authors",
    "source_publisher",
    "source_kind",
)

HG = rdflib.Namespace(HG_IRI)
SKOS = rdflib.Namespace(PREFIXES["skos"])
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
BIBO = rdflib.Namespace(PREFIXES["bibo"])
SCHEMA = rdflib.Namespace(PREFIXES["schema"])
PROV = rdflib.Namespace(PREFIXES["prov"])
RDFS = rdflib.Namespace(PREFIXES["rdfs"])


@dataclass
class ImportResult:
    """Turtle for the good rows, (row number, reason) for every bad row, and for every
    subject written, the CSV row that made it (so errors can name the row)."""

    turtle: str
    good: int
    bad: list[tuple[int, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    #: (row number, message) for what was imported but looks like a mistake (a new slug close
    #: to an existing one), for stderr.
    warnings: list[tuple[int, str]] = field(default_factory=list)


def new_graph() -> rdflib.Graph:
    """An empty rdflib graph with harmgraph's prefixes bound."""
    graph = rdflib.Graph()
    for prefix in ("hg", "rdf", "skos", "dcterms", "bibo", "schema", "xsd", "prov"):
        graph.bind(prefix, PREFIXES[prefix], override=True)
    for kind in ("harm", "intervention", "source", "claim", "scheme", "review"):
        graph.bind(kind, ID_IRI + kind + "/", override=True)
    return graph


def serialise(graph: rdflib.Graph, title: str) -> str:
    """Turtle for ``graph`` with a one-line comment header (rdflib writes the terms)."""
    body = graph.serialize(format="turtle")
    return f"# {title}\n" + body


def shown(value: str, limit: int = 60) -> str:
    """A cell as a message shows it: quoted, escaped onto one line, cut to ``limit``."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


def check_iris(graph: rdflib.Graph) -> None:
    """Refuse (``ValueError``) a graph holding an IRI that is not one: no scheme, or a
    space, a control character or one of ``<>"{}|\\^```, which no RDF syntax can write."""
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and (not IRI_SCHEME.match(term) or NOT_IN_IRI.search(term)):
                raise ValueError(
                    f"{shown(str(term), 80)} cannot be an IRI: it holds a space, a control "
                    'character or one of <>"{}|\\^`'
                )


def import_rows(
    text: str,
    required: tuple[str, ...],
    row_triples: Callable[[dict[str, str], rdflib.Graph], Iterable[str]],
    title: str,
    *,
    context: CheckContext | None = None,
) -> ImportResult:
    """The loop both importers share: check the header, give each row (cells stripped) to
    ``row_triples`` with an empty graph to fill, and keep the row's triples only when it
    raises no ``ValueError`` and every IRI in them is one; the subjects it returns are mapped
    to their first row. With ``context``, what a row adds to it is kept only when the row is."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        return ImportResult("", 0, [(1, f"the header lacks the column(s) {', '.join(missing)}")])
    out = new_graph()
    bad: list[tuple[int, str]] = []
    rows: dict[str, int] = {}
    good = 0
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        staged = rdflib.Graph()
        if context is not None:
            context.begin_row(number)
        try:
            subjects = row_triples(row, staged)
            # Checked here, on the row, so the row is refused with its number (and --skip-bad
            # can skip it) instead of the serialiser failing on it after every row is read.
            check_iris(staged)
        except ValueError as error:
            bad.append((number, str(error)))
            if context is not None:
                context.end_row(accepted=False)
            continue
        if context is not None:
            context.end_row(accepted=True)
        out += staged
        for subject in subjects:
            rows.setdefault(subject, number)
        good += 1
    warnings = context.warnings if context is not None else []
    return ImportResult(serialise(out, title), good, bad, rows, warnings)


class Made(NamedTuple):
    """An entity a row of this CSV made: the row, and the cells that described it."""

    row: int
    cells: dict[str, str]


@dataclass
class CheckContext:
    """What each row is checked against: the IRIs already known (the graph's, and those made
    by earlier rows), the intervention types, the sources by DOI and by address, and the
    entities earlier rows made, with the cells that described them (:meth:`same_cells`).

    A row adds what it makes with :meth:`add`. Between :meth:`begin_row` and :meth:`end_row`
    (as :func:`import_rows` calls them when given the context) the additions wait for the
    row to be accepted; outside them they count at once."""

    known: set[str]
    types: set[str]
    by_doi: dict[str, str]
    by_url: dict[str, str]
    made: dict[str, Made] = field(default_factory=dict)
    row: int = 0
    pending: list[tuple[str, dict[str, str], str, str]] | None = None
    #: (row, message) for the accepted rows: see :meth:`warn`.
    warnings: list[tuple[int, str]] = field(default_factory=list)
    _row_warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Note something about this row that is imported but may be a mistake; kept only when
        the row is accepted."""
        if self.pending is None:
            self.warnings.append((self.row, message))
        else:
            self._row_warnings.append(message)

    def slugs(self, kind: str) -> list[str]:
        """The slugs of the known IRIs of ``kind`` (the graph's and those earlier rows made)."""
        prefix = ID_IRI + kind + "/"
        return sorted(iri[len(prefix) :] for iri in self.known if iri.startswith(prefix))

    def add(self, iri: str, cells: dict[str, str], doi: str = "", url: str = "") -> None:
        """Record that this row makes ``iri``, described by ``cells`` (and found by ``doi``
        or ``url`` when it is a source)."""
        if self.pending is None:
            self._keep([(iri, cells, doi, url)])
        else:
            self.pending.append((iri, cells, doi, url))

    def begin_row(self, number: int) -> None:
        """Start row ``number``: what it adds waits for :meth:`end_row`."""
        self.row, self.pending, self._row_warnings = number, [], []

    def end_row(self, accepted: bool) -> None:
        """Keep what the row added when it is ``accepted``, else forget it."""
        pending, self.pending = self.pending or [], None
        if accepted:
            self._keep(pending)
            self.warnings += [(self.row, message) for message in self._row_warnings]
        self._row_warnings = []

    def _keep(self, entries: list[tuple[str, dict[str, str], str, str]]) -> None:
        for iri, cells, doi, url in entries:
            self.known.add(iri)
            self.made.setdefault(iri, Made(self.row, cells))
            if doi:
                self.by_doi.setdefault(doi.lower(), iri)
            if url:
                self.by_url.setdefault(url.rstrip("/"), iri)

    def same_cells(self, row: dict, iri: str, what: str) -> None:
        """Refuse a row that names ``iri``, made by an earlier row, with any of its cells
        given differently: name it alone, or repeat its cells exactly."""
        made = self.made.get(iri)
        if made is None:
            return
        for column, value in made.cells.items():
            if row.get(column) and row[column] != value:
                raise ValueError(
                    f"'{column}' differs from row {made.row}, which made {what}: name it "
                    "alone, or repeat its columns exactly"
                )

    @classmethod
    def of(cls, evidence: Evidence, known: set[str]) -> CheckContext:
        """What rows are checked against: ``known`` IRIs, the intervention types, and each
        source by DOI and by address."""
        records = evidence.source_records
        return cls(
            known=known,
            types={e.iri for e in evidence.of_kind("intervention") if e.top},
            by_doi={r["doi"].lower(): r["source"] for r in records if r["doi"]},
            by_url={r["url"].rstrip("/"): r["source"] for r in records if r["url"]},
        )


def did_you_mean(value: str, choices: Iterable[str], kind: str = "") -> str:
    """`` - did you mean 'kind/x'?`` for the choice closest to ``value`` (difflib), or ``""``.

    >>> did_you_mean("hash-matchin", ["hash-matching", "age-assurance"], "intervention")
    " - did you mean 'intervention/hash-matching'?"
    >>> did_you_mean("something-else", ["hash-matching"])
    ''
    """
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.8)
    return f" - did you mean {(kind + '/' if kind else '') + close[0]!r}?" if close else ""


def require(row: dict, columns: tuple[str, ...], why: str, hint: str = "") -> None:
    """Refuse the row when one of ``columns`` is empty, saying ``why`` it is needed (and
    ``hint``, such as :func:`did_you_mean`'s, after it)."""
    for column in columns:
        if not row.get(column):
            raise ValueError(f"{why}, so '{column}' is needed{hint}")


def english(value: str) -> Literal:
    """Human text from a cell, tagged as English."""
    return Literal(value, lang="en")


def resolve_source(row: dict, column: str, context: CheckContext, out: rdflib.Graph) -> str:
    """The IRI of the source named in ``row[column]``: an existing source (by slug, DOI or
    URL), or a new one described by the row's ``source_*`` columns, added to ``out``."""
    value = row[column]
    slug = slug_in(value, "source")
    existing = ID_IRI + "source/" + slug if slug else ""
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
    subject_doi = url = ""
    if existing in context.known:
        found = existing
    elif DOI.fullmatch(doi):
        found = context.by_doi.get(doi.lower(), "")
        subject_doi = doi
    elif URL.fullmatch(value):
        found = context.by_url.get(value.rstrip("/"), "")
        url = value
    else:
        raise ValueError(
            f"{column} {shown(value)} is neither a source in the graph nor a DOI or http(s) URL"
            + (did_you_mean(slug, context.slugs("source"), "source") if slug else "")
        )
    if found:
        context.same_cells(row, found, f"source {shown(value)}")
        return found
    why = f"{column} {shown(value)} is new"
    require(row, ("source_title", "source_year", "source_kind"), why)
    if not re.fullmatch(r"[12]\d{3}", row["source_year"]):
        raise ValueError(f"source_year {shown(row['source_year'])} is not a four-digit year")
    if row["source_kind"] not in SOURCE_KINDS:
        raise ValueError(
            f"source_kind {shown(row['source_kind'])} is not one of {', '.join(SOURCE_KINDS)}"
        )
    people = [a.strip() for a in row.get("source_authors", "").split(";") if a.strip()]
    if not people and not row.get("source_publisher"):
        raise ValueError(f"{why}, so 'source_authors' or 'source_publisher' is needed")
    iri = ID_IRI + "source/" + hashed_slug(value.lower())
    subject = URIRef(iri)
    out.add((subject, RDF.type, HG.EvidenceSource))
    out.add((subject, DCTERMS.title, english(row["source_title"])))
    for person in people:
        out.add((subject, DCTERMS.creator, Literal(person)))
    if people:
        head = BNode()
        Collection(out, head, [Literal(p) for p in people])
        out.add((subject, BIBO.authorList, head))
    if row.get("source_publisher"):
        out.add((subject, DCTERMS.publisher, Literal(row["source_publisher"])))
    out.add((subject, DCTERMS.date, Literal(row["source_year"], datatype=XSD.gYear)))
    if subject_doi:
        out.add((subject, BIBO.doi, Literal(subject_doi)))
    if url:
        out.add((subject, SCHEMA.url, Literal(url)))
    out.add((subject, HG.sourceKind, HG[row["source_kind"]]))
    context.add(iri, {c: row.get(c, "") for c in SOURCE_COLUMNS}, doi=subject_doi, url=url)
    return iri
