"""What both importers share: the loop over a CSV's rows, the context each row is checked
against, and sources named by slug, DOI or URL (new ones described by the row).

A row either adds all its triples or none: each row fills a graph of its own, which joins the
output only when the row raised no ``ValueError``; the error becomes the row's reason.

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
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection

from harmgraph.model.evidence import Evidence
from harmgraph.model.slugs import hashed_slug, slug_of
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

HG = rdflib.Namespace(HG_IRI)
SKOS = rdflib.Namespace(PREFIXES["skos"])
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
BIBO = rdflib.Namespace(PREFIXES["bibo"])
SCHEMA = rdflib.Namespace(PREFIXES["schema"])


@dataclass
class ImportResult:
    """Turtle for the good rows, (row number, reason) for every bad row, and for every
    subject written, the CSV row that made it (so errors can name the row)."""

    turtle: str
    good: int
    bad: list[tuple[int, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


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


def import_rows(
    text: str,
    required: tuple[str, ...],
    row_triples: Callable[[dict[str, str], rdflib.Graph], Iterable[str]],
    title: str,
) -> ImportResult:
    """The loop both importers share: check the header, give each row (cells stripped) to
    ``row_triples`` with an empty graph to fill, and keep the row's triples only when it
    raises no ``ValueError``; the subjects it returns are mapped to their first row."""
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
        try:
            subjects = row_triples(row, staged)
        except ValueError as error:
            bad.append((number, str(error)))
            continue
        out += staged
        for subject in subjects:
            rows.setdefault(subject, number)
        good += 1
    return ImportResult(serialise(out, title), good, bad, rows)


@dataclass
class CheckContext:
    """What each row is checked against: the IRIs already known (the graph's, and those made
    by earlier rows), the intervention types, and the sources by DOI and by address."""

    known: set[str]
    types: set[str]
    by_doi: dict[str, str]
    by_url: dict[str, str]

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


def require(row: dict, columns: tuple[str, ...], why: str) -> None:
    """Refuse the row when one of ``columns`` is empty, saying ``why`` it is needed."""
    for column in columns:
        if not row.get(column):
            raise ValueError(f"{why}, so '{column}' is needed")


def english(value: str) -> Literal:
    """Human text from a cell, tagged as English."""
    return Literal(value, lang="en")


def resolve_source(row: dict, column: str, context: CheckContext, out: rdflib.Graph) -> str:
    """The IRI of the source named in ``row[column]``: an existing source (by slug, DOI or
    URL), or a new one described by the row's ``source_*`` columns, added to ``out``."""
    value = row[column]
    existing = ID_IRI + "source/" + slug_of(value, "source")
    if existing in context.known:
        return existing
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
    subject_doi = url = ""
    if DOI.fullmatch(doi):
        if doi.lower() in context.by_doi:
            return context.by_doi[doi.lower()]
        subject_doi = doi
    elif URL.fullmatch(value):
        if value.rstrip("/") in context.by_url:
            return context.by_url[value.rstrip("/")]
        url = value
    else:
        raise ValueError(
            f"{column} {value!r} is neither a source in the graph nor a DOI or http(s) URL"
        )
    why = f"{column} {value!r} is new"
    require(row, ("source_title", "source_year", "source_kind"), why)
    if not re.fullmatch(r"[12]\d{3}", row["source_year"]):
        raise ValueError(f"source_year {row['source_year']!r} is not a four-digit year")
    if row["source_kind"] not in SOURCE_KINDS:
        raise ValueError(
            f"source_kind {row['source_kind']!r} is not one of {', '.join(SOURCE_KINDS)}"
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
    context.known.add(iri)
    return iri
