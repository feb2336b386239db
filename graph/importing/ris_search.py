"""A RIS file as the records one search found, added to its review.

``harmgraph import FILE.ris`` reads the file with rispy (:mod:`.ris`) and the search's sidecar
(``FILE.ris.toml``, :mod:`.review_file`): the query, where it ran, its date, result limit and
count, what it was aimed at and sought, and the review it belongs to. Each entry becomes one
screening record, ``<review>#record-<search>-<n>``, found by ``<review>#search-<search>``, with
its title, authors in order, year, DOI and address; every entry is kept, with or without a DOI.

A new record awaits screening (``hg:AwaitingScreening``) until its decision arrives, unless it
is the same record arriving again: then it is excluded as ``hg:Duplicate`` of the first copy
(``hg:duplicateOf``), matched against the review's earlier records and the file's (see
:mod:`.dedup`), and PRISMA 2020 counts it among the duplicates removed before screening.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> ris = ("TY  - JOUR\\nTI  - A study\\nPY  - 2021\\nDO  - 10.1234/A\\nER  - \\n\\n"
...        "TY  - JOUR\\nTI  - A study\\nPY  - 2021\\nDO  - 10.1234/a\\nER  - \\n")
>>> sidecar = {"review": {"review": "own-example", "review_title": "An example",
...     "review_type": "rapid-review", "date": "2026-11-02", "agent": "A team",
...     "harms": "harm/normalisation"},
...     "search": {"query": "x", "searched_in": "A database",
...     "place_kind": "bibliographic-database", "search_date": "2026-11-01",
...     "result_limit": "100", "aimed_at": "harm/normalisation;any-intervention",
...     "sought": "interventions"}}
>>> result = import_ris(ris.encode(), sidecar, load_graph(), read_review_file(None, "own-example"))
>>> result.good, result.bad, result.duplicates
(2, [], 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import rdflib
from rdflib import Literal, URIRef

from harmgraph.importing.dedup import Record, find_duplicates
from harmgraph.importing.review_file import (
    ReviewFile,
    add_review,
    ntriples,
    read_review_file,
    record_triples,
    write_review,
)
from harmgraph.importing.ris import decode_ris, read_ris
from harmgraph.importing.rows import HG, SKOS, CheckContext, ImportResult, check_iris
from harmgraph.importing.searches import RECORD_ID, add_search
from harmgraph.model.evidence import read_evidence
from harmgraph.rdf.load import LoadedGraph

__all__ = ["RisImport", "import_ris", "read_review_file"]

TITLE = "A review's searches and screening records, imported with `harmgraph import`."


@dataclass
class RisImport(ImportResult):
    """An import's result, with the duplicates it marked."""

    duplicates: int = 0


def import_ris(
    data: bytes,
    sidecar: dict,
    graph: LoadedGraph,
    review: ReviewFile,
    *,
    skip_bad: bool = False,
) -> RisImport:
    """Add the search described by ``sidecar`` and one record per entry of the RIS ``data`` to
    ``review`` (checked against ``graph``). A bad sidecar is a ``ValueError``; bad entries are
    (line, reason) in ``bad``, and unless ``skip_bad`` nothing else is built."""
    text = decode_ris(data, sidecar.get("encoding"))
    entries, bad = read_ris(text)
    if bad and not skip_bad:
        return RisImport("", 0, bad)
    evidence = read_evidence(graph)
    kinds = {iri: e.kind for iri, e in evidence.entities.items()}
    known_reviews = {iri for iri, kind in kinds.items() if kind == "review"}
    out = rdflib.Graph()
    if not review.exists:
        if str(review.iri) in known_reviews:
            raise ValueError(
                f"review {review.iri.rsplit('/', 1)[-1]!r} is already in the graph: give its "
                "own file as --out to add this search to it"
            )
        add_review(sidecar["review"], review.iri, kinds, out)
    row = dict(sidecar["search"])
    row.setdefault("method", "keyword-search")
    search_id = row.get("search") or f"s{len(review.searches) + 1}"
    if not RECORD_ID.match(search_id) or len(search_id) > 30:
        raise ValueError(f"[search] search {search_id!r} must be a short id: a-z, 0-9 and -")
    search = URIRef(f"{review.iri}#search-{search_id}")
    if str(search) in review.searches:
        raise ValueError(
            f"[search] search {search_id!r} is already in the review: give this search its own id"
        )
    total = len(entries) + len(bad)
    if row.get("results_returned") and row["results_returned"] != str(total):
        raise ValueError(
            f"[search] results_returned is {row['results_returned']} but the file holds "
            f"{total} entries: export every item the search returned, one entry each"
        )
    row["search"], row["results_returned"] = search_id, str(len(entries))
    context = CheckContext.of(evidence, known=set(evidence.entities))
    holder = SimpleNamespace(iri=review.iri, searches={})
    add_search(row, holder, context, kinds, known_reviews, out)
    if bad:
        lines = ", ".join(str(line) for line, _ in bad[:10]) + (", ..." if len(bad) > 10 else "")
        out.add(
            (
                search,
                SKOS.note,
                Literal(
                    f"{len(bad)} of the {total} entries of the search's RIS file could not be "
                    f"read and are not recorded (at lines {lines}); the import's report lists them."
                ),
            )
        )
    check_iris(out)
    nodes = {e.number: URIRef(f"{review.iri}#record-{search_id}-{e.number}") for e in entries}
    known = [
        Record(r.iri, r.title, r.year, r.doi, r.url)
        for r in review.records
        if r.reason != "Duplicate"
    ]
    new = [Record(str(nodes[e.number]), e.title, e.year, e.doi, e.url) for e in entries]
    duplicates = find_duplicates(known + new)
    where = row.get("searched_in", "")
    no_address = f"the entry in the export of {where} has no DOI and no address"
    rows: dict[str, int] = {str(review.iri): entries[0].line if entries else 1, str(search): 1}
    lines = []
    for entry in entries:
        node = nodes[entry.number]
        triples = record_triples(review.iri, node, search, entry, no_address)
        original = duplicates.get(str(node))
        if original:
            triples += [
                (node, HG.decision, HG.Excluded),
                (node, HG.exclusionReason, HG.Duplicate),
                (node, HG.duplicateOf, URIRef(original)),
            ]
        else:
            triples.append((node, HG.decision, HG.AwaitingScreening))
        lines.append(ntriples(triples))
        rows[str(node)] = entry.line
    whole = review.graph
    whole += out
    return RisImport(
        write_review(whole, "".join(lines), TITLE),
        len(entries),
        bad,
        rows,
        duplicates=sum(1 for e in entries if str(nodes[e.number]) in duplicates),
    )
