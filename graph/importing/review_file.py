"""A review's own Turtle file, which each import of a search or of decisions rewrites whole.

A team's review grows one import at a time: the records of each search (a RIS file), then the
decisions of its screeners (an ASReview LAB export). Each import reads the review's file (the
``--out`` file, when it exists), adds to it or changes the decisions in it, and the command
writes it back whole, atomically, once the result conforms. This module reads that file and the
sidecar that describes a search, and holds what both importers share: the review's node, its
records as de-duplication and matching see them, and the triples of a record.

The sidecar is TOML, with two tables whose keys are the screening log's column names (see
``docs/own-review.md``): ``[review]`` (``review``, ``review_title``, ``review_type``, ``date``,
``agent``, ``screeners``, ``harms``, ``interventions``, ``finding``) and ``[search]``
(``search``, ``method``, ``query``, ``searched_in``, ``place_kind``, ``place_version``,
``search_date``, ``result_limit``, ``results_returned``, ``aimed_at``, ``sought``,
``organisation``), and an optional ``encoding`` of the RIS file.

Examples
--------
>>> sidecar = parse_sidecar('encoding = "utf-8"\\n[search]\\naimed_at = ["harm/a", "harm/b"]\\n'
...                         'result_limit = 200\\n', "x.toml")
>>> sidecar["search"]["aimed_at"], sidecar["search"]["result_limit"], sidecar["encoding"]
('harm/a;harm/b', '200', 'utf-8')
>>> parse_sidecar('[search]\\nqeury = "x"\\n', "x.toml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
ValueError: [search] has no key 'qeury' (keys: search, method, query, ...)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection

from harmgraph.importing.rows import BIBO, DCTERMS, HG, PROV, RDFS, SCHEMA, SKOS, URL, new_graph
from harmgraph.importing.screening import REVIEW_TYPES
from harmgraph.importing.searches import NUMBER, check_date, choice, entity_iri, split_cells
from harmgraph.model.slugs import hashed_slug, is_slug, slugify
from harmgraph.rdf.namespaces import ID_IRI
from harmgraph.rdf.store import convert

__all__ = [
    "KnownRecord",
    "ReviewFile",
    "add_review",
    "check_review_slug",
    "parse_sidecar",
    "read_review_file",
    "ntriples",
    "record_triples",
    "write_review",
]


REVIEW_KEYS = (
    "review",
    "review_title",
    "review_type",
    "date",
    "agent",
    "screeners",
    "harms",
    "interventions",
    "finding",
)
SEARCH_KEYS = (
    "search",
    "method",
    "query",
    "searched_in",
    "organisation",
    "place_kind",
    "place_version",
    "search_date",
    "result_limit",
    "results_returned",
    "aimed_at",
    "sought",
)


def parse_sidecar(text: str, name: str) -> dict:
    """The sidecar's ``review`` and ``search`` tables as screening-log cells (lists joined with
    ``;``, numbers as text), and its ``encoding``; a ``ValueError`` for anything else."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not TOML: {error}") from None
    unknown = sorted(set(data) - {"review", "search", "encoding"})
    if unknown:
        raise ValueError(f"unknown key or table {unknown[0]!r} (tables: [review], [search])")
    out: dict = {"encoding": data.get("encoding")}
    if out["encoding"] is not None and not isinstance(out["encoding"], str):
        raise ValueError("'encoding' is the name of an encoding, in quotes")
    for table, keys in (("review", REVIEW_KEYS), ("search", SEARCH_KEYS)):
        given = data.get(table, {})
        if not isinstance(given, dict):
            raise ValueError(f"'{table}' must be a table: [{table}]")
        cells = {}
        for key, value in given.items():
            if key not in keys:
                raise ValueError(f"[{table}] has no key {key!r} (keys: {', '.join(keys)})")
            cells[key] = _cell(table, key, value)
        out[table] = cells
    return out


def _cell(table: str, key: str, value: object) -> str:
    if isinstance(value, bool) or isinstance(value, (dict, float)):
        raise ValueError(f"[{table}] {key} must be text, a whole number or a list of text")
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise ValueError(f"[{table}] {key} must be a list of text")
        return ";".join(v.strip() for v in value)
    return " ".join(str(value).split()) if key != "query" else str(value).strip()


@dataclass
class KnownRecord:
    """A record already in the review file, as matching sees it."""

    iri: str
    title: str = ""
    year: str = ""
    doi: str = ""
    url: str = ""
    kind: str = ""
    decision: str = ""
    reason: str = ""
    duplicate_of: str = ""
    authors: list[str] = field(default_factory=list)


@dataclass
class ReviewFile:
    """The review's file as read: its triples, and the review's searches and records."""

    graph: rdflib.Graph
    iri: URIRef
    exists: bool
    searches: set[str] = field(default_factory=set)
    records: list[KnownRecord] = field(default_factory=list)


def read_review_file(text: str | None, slug: str) -> ReviewFile:
    """Parse the review's file (``None``: there is none yet) and find review ``slug`` in it (an
    empty slug: the one review the file holds); a ``ValueError`` when the file is not Turtle or
    holds anything but that review."""
    graph = new_graph()
    if text is None:
        return ReviewFile(graph, URIRef(ID_IRI + "review/" + check_review_slug(slug)), False)
    try:
        graph.parse(data=text, format="turtle")
    except Exception as error:  # rdflib raises many kinds of parse errors
        raise ValueError(f"is not Turtle: {str(error).splitlines()[0]}") from None
    reviews = set(graph.subjects(RDF.type, HG.Review))
    if not slug and len(reviews) == 1:
        slug = str(next(iter(reviews))).rsplit("/", 1)[-1]
    iri = URIRef(ID_IRI + "review/" + check_review_slug(slug))
    if reviews != {iri}:
        names = ", ".join(sorted(str(r).rsplit("/", 1)[-1] for r in reviews)) or "no review"
        raise ValueError(
            f"holds {names}, not review {slug!r} alone: give a new file, or review {slug!r}'s own"
        )
    found = ReviewFile(graph, iri, exists=True)
    found.searches = {str(s) for s in graph.objects(iri, HG.method)}
    for node in sorted(graph.objects(iri, HG.screened), key=_natural):
        value = graph.value
        year = value(node, DCTERMS.date)
        authors = value(node, BIBO.authorList)
        found.records.append(
            KnownRecord(
                iri=str(node),
                title=str(value(node, DCTERMS.title) or ""),
                year=str(year)[:4] if year is not None else "",
                doi=str(value(node, BIBO.doi) or ""),
                url=str(value(node, SCHEMA.url) or ""),
                kind=str(value(node, DCTERMS.type) or ""),
                decision=_local(value(node, HG.decision)),
                reason=_local(value(node, HG.exclusionReason)),
                duplicate_of=str(value(node, HG.duplicateOf) or ""),
                authors=[str(a) for a in Collection(graph, authors)] if authors else [],
            )
        )
    return found


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1] if term is not None else ""


def _natural(term: object) -> tuple[str, int, str]:
    head, _, tail = str(term).rpartition("-")
    return (head, int(tail), "") if tail.isdigit() else (str(term), -1, "")


def add_review(cells: dict[str, str], iri: URIRef, kinds: dict[str, str], out: rdflib.Graph):
    """The review's node from the sidecar's ``[review]`` cells (a ``ValueError`` names the
    first missing or bad one)."""
    for key in ("review_title", "review_type", "date", "agent", "harms"):
        if not cells.get(key):
            raise ValueError(f"[review] needs '{key}' for a new review")
    check_date(cells, "date")
    screeners = cells.get("screeners") or "1"
    if not NUMBER.fullmatch(screeners) or int(screeners) < 1:
        raise ValueError(f"[review] screeners {screeners!r} is not a whole number of at least 1")
    out.add((iri, RDF.type, HG.Review))
    out.add((iri, SKOS.prefLabel, Literal(cells["review_title"], lang="en")))
    out.add((iri, DCTERMS.date, Literal(cells["date"], datatype=XSD.date)))
    out.add((iri, HG.reviewType, HG[choice(cells, "review_type", REVIEW_TYPES)]))
    out.add((iri, HG.screenerCount, Literal(int(screeners))))
    if cells.get("finding"):
        out.add((iri, DCTERMS.description, Literal(cells["finding"], lang="en")))
    for kind, key, predicate in (
        ("harm", "harms", HG.reviewedHarm),
        ("intervention", "interventions", HG.reviewedIntervention),
    ):
        for value in split_cells(cells.get(key, "")):
            out.add((iri, predicate, URIRef(entity_iri(value, kind, kinds, key))))
    agent = cells["agent"]
    if URL.fullmatch(agent):
        out.add((iri, PROV.wasAssociatedWith, URIRef(agent)))
    elif agent.lower().startswith(("http://", "https://")):
        raise ValueError(f"[review] agent {agent!r} is not a valid http(s) address")
    else:
        # The same agent IRI as the screening log gives the same name.
        node = URIRef(ID_IRI + "agent/" + (slugify(agent, fallback="") or hashed_slug(agent)))
        out.add((node, RDF.type, PROV.Agent))
        out.add((node, RDFS.label, Literal(agent)))
        out.add((iri, PROV.wasAssociatedWith, node))


def check_review_slug(slug: str) -> str:
    if not slug:
        raise ValueError("no review: give --review SLUG, or 'review' in the sidecar's [review]")
    if not is_slug(slug):
        raise ValueError(f"review {slug!r} must be lower-case letters, digits and hyphens")
    return slug


def record_triples(
    review: URIRef,
    node: URIRef,
    search: URIRef,
    entry,  # noqa: ANN001 - a RisEntry
    no_address: str,
) -> list[tuple]:
    """The triples of a screening record of one retrieved item: its title, its authors in
    order, its year, DOI, address and type (``no_address`` says why it has no address, when it
    has none)."""
    out = [
        (review, HG.screened, node),
        (node, RDF.type, HG.ScreeningRecord),
        (node, HG.foundBy, search),
        (node, DCTERMS.title, Literal(entry.title)),
    ]
    if entry.authors:
        out += [(node, DCTERMS.creator, Literal(name)) for name in entry.authors]
        # Named after the record, so that importing the same file twice gives the same Turtle.
        local = str(node).rsplit("#", 1)[-1]
        cells = [BNode(f"{local}-author-{n}") for n in range(1, len(entry.authors) + 1)]
        out.append((node, BIBO.authorList, cells[0]))
        for cell, name, rest in zip(cells, entry.authors, [*cells[1:], RDF.nil], strict=True):
            out += [(cell, RDF.first, Literal(name)), (cell, RDF.rest, rest)]
    if entry.year:
        out.append((node, DCTERMS.date, Literal(entry.year, datatype=XSD.gYear)))
    if entry.kind:
        out.append((node, DCTERMS.type, Literal(entry.kind)))
    if entry.doi:
        out.append((node, BIBO.doi, Literal(entry.doi)))
    if entry.url:
        out.append((node, SCHEMA.url, Literal(entry.url)))
    if not entry.doi and not entry.url:
        out.append((node, HG.addressNotRecorded, Literal(no_address)))
    return out


def ntriples(triples) -> str:  # noqa: ANN001 - rdflib triples
    """N-Triples for rdflib ``triples``, each term written by rdflib (escaped as N-Triples
    requires), without building a graph: a review of 50,000 records is too many triples for
    an rdflib graph to hold and serialise quickly."""
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)


def write_review(graph: rdflib.Graph, more: str, title: str) -> str:
    """The review's file: ``graph``'s triples and the N-Triples ``more``, as Turtle with
    harmgraph's prefixes (serialised by pyoxigraph), under a one-line comment."""
    # Sorted, so that each subject's triples are written together, in the same order each time.
    body = "".join(sorted(set((graph.serialize(format="nt") + more).splitlines(keepends=True))))
    return f"# {title}\n" + convert(body.encode("utf-8"), "ntriples", "turtle").decode("utf-8")
