"""A review's records as RIS, for Rayyan, Covidence, ASReview LAB or Zotero, written by rispy.

``harmgraph export --format ris --review REVIEW`` writes one RIS entry per record of the review
that is not a duplicate (duplicates were removed before screening, each naming the record it
copies): its type (``TY``; ``GEN`` when its source file gave none), its title, its authors in
order, its year, DOI and address, the place of the search that found it (``DB``), and its IRI
as ``ID``, which ASReview LAB keeps in its exports so that the decisions come back to the same
record. harmgraph keeps no abstracts (they belong to their publishers, and the graph is CC BY).

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> text = review_as_ris(load_graph(), "offending-pathway-interventions-2026-12")
>>> text.startswith("1.") and "TI  - " in text
True
"""

from __future__ import annotations

from collections import defaultdict

import rispy

from harmgraph.errors import UnknownEntity
from harmgraph.model.queries import read_query
from harmgraph.model.screening import natural_key
from harmgraph.model.slugs import slug_of
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI

__all__ = ["review_as_ris", "review_entries"]


def review_entries(graph: LoadedGraph, review: str) -> list[dict]:
    """The rispy entries of ``review`` (a slug, ``review/slug`` or its IRI), in record order."""
    iri = review if review.startswith(ID_IRI) else ID_IRI + "review/" + slug_of(review, "review")
    store = graph.store
    rows = [r for r in store.query(read_query("review-records")) if r["review"] == iri]
    if not rows and not store.ask(f"ASK {{ <{iri}> a hg:Review }}"):
        raise UnknownEntity(f"{review}: no such review in the graph")
    authors: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in store.query(read_query("record-authors")):
        authors[row["record"]].append((int(row["position"]), row["name"]))
    entries = []
    seen = set()
    for row in sorted(rows, key=lambda r: natural_key(r["record"])):
        if row["record"] in seen or (row["reason"] or "").endswith("#Duplicate"):
            continue
        seen.add(row["record"])
        entry: dict = {"type_of_reference": row["type"] or "GEN", "id": row["record"]}
        entry["title"] = _one_line(row["title"] or "")
        names = [_one_line(name) for _, name in sorted(authors.get(row["record"], []))]
        if names:
            entry["authors"] = names
        if row["year"]:
            entry["year"] = row["year"][:4]
        if row["doi"]:
            entry["doi"] = _one_line(row["doi"])
        if row["url"]:
            entry["urls"] = [_one_line(row["url"])]
        if row["where"]:
            entry["name_of_database"] = _one_line(row["where"])
        entries.append(entry)
    return entries


def review_as_ris(graph: LoadedGraph, review: str) -> str:
    """The records of ``review`` as one RIS text."""
    return rispy.dumps(review_entries(graph, review))


def _one_line(text: str) -> str:
    """RIS is line-based: a value never spans lines."""
    return " ".join(text.split())
