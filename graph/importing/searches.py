"""One search of a screening log: its method, and for a query run in a place, what PRISMA-S asks
to be recorded (the query, the place and its kind, its date or version, the date it ran, its result
limit, how many items it returned, what it was aimed at and what it sought).

The cell helpers here (one value from a closed list, an entity named by ``kind/slug``, a list of
``;``-separated cells) serve the screening-log importer too.

Examples
--------
>>> choice({"method": "Known-Item-Lookup"}, "method", METHODS)
'KnownItemLookup'
>>> split_cells(" harm/a ; ;harm/b")
['harm/a', 'harm/b']
"""

from __future__ import annotations

import re
from datetime import date

import rdflib
from rdflib import RDF, XSD, Literal, URIRef

from harmgraph.importing.rows import DCTERMS, HG, SCHEMA, URL, CheckContext
from harmgraph.model.slugs import is_slug, slug_of
from harmgraph.rdf.namespaces import ID_IRI

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
#: A whole number written with ASCII digits only (str.isdigit accepts superscripts and others).
NUMBER = re.compile(r"[0-9]+")
#: A search's or a record's id within its review.
RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

SEARCH_FIELDS = (
    "method",
    "query",
    "searched_in",
    "chased_from",
    "organisation",
    "carried_from",
    "place_kind",
    "place_version",
    "search_date",
    "result_limit",
    "results_returned",
    "aimed_at",
    "sought",
)

SOUGHT = {
    "interventions": "SoughtInterventions",
    "evaluations": "SoughtEvaluations",
    "harm-evidence": "SoughtHarmEvidence",
}

PLACE_KINDS = {
    "web-index": "WebIndex",
    "bibliographic-database": "BibliographicDatabase",
    "register": "Register",
    "organisation-website": "OrganisationWebsite",
}

#: The methods that run a query in a place, and so need the place's description.
QUERIED = ("KeywordSearch", "OrganisationSearch", "KnownItemLookup")

METHODS = {
    "keyword-search": "KeywordSearch",
    "organisation-publications": "OrganisationSearch",
    "known-item-lookup": "KnownItemLookup",
    "citation-chasing": "CitationChasing",
    "carried-in": "CarriedIn",
    "added-on-request": "AddedOnRequest",
}


def check_date(row: dict, column: str) -> None:
    """Refuse a cell that is not a real calendar date written YYYY-MM-DD."""
    value = row[column]
    try:
        valid = bool(DATE.match(value)) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(f"{column} {value!r} is not a date written YYYY-MM-DD")


def split_cells(text: str) -> list[str]:
    return [v.strip() for v in text.split(";") if v.strip()]


def choice(row: dict, column: str, allowed: dict[str, str]) -> str:
    value = row.get(column, "").lower()
    if value not in allowed:
        raise ValueError(f"{column} {row.get(column, '')!r} is not one of {', '.join(allowed)}")
    return allowed[value]


def entity_iri(value: str, kind: str, kinds: dict[str, str], column: str) -> str:
    """The IRI of an existing ``kind`` named by ``kind/slug`` or a bare slug."""
    slug = slug_of(value, kind)
    if not is_slug(slug):
        raise ValueError(f"{column}: {value!r} is not a {kind} slug (lower-case, digits, hyphens)")
    iri = ID_IRI + kind + "/" + slug
    if kinds.get(iri) != kind:
        raise ValueError(f"{column}: {value!r} is not a {kind} in the graph")
    return iri


def existing_source(value: str, context: CheckContext) -> str:
    iri = ID_IRI + "source/" + slug_of(value, "source")
    if iri in context.known:
        return iri
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I).lower()
    return context.by_doi.get(doi) or context.by_url.get(value.rstrip("/"), "")


def add_search(
    row: dict,
    review,  # noqa: ANN001 - the importer's review
    context: CheckContext,
    kinds: dict[str, str],
    known_reviews: set[str],
    out: rdflib.Graph,
) -> tuple[str, dict[str, str]]:
    """The id of the row's search, adding the search when this is its first row."""
    fields = {c: row.get(c, "") for c in SEARCH_FIELDS}
    search_id = row.get("search", "")
    if not search_id:
        # No search id: the row continues the latest search of its review whose cells it
        # repeats (or leaves empty); otherwise it starts a new one, numbered in order.
        given = {c: v for c, v in fields.items() if v}
        earlier = [
            i for i, f in review.searches.items() if all(f[c] == v for c, v in given.items())
        ]
        search_id = earlier[-1] if earlier and given else f"m{len(review.searches) + 1}"
    if not RECORD_ID.match(search_id):
        raise ValueError(f"search {search_id!r} must be lower-case letters, digits and hyphens")
    first = review.searches.get(search_id)
    if first is not None:
        for column, value in fields.items():
            if value and value != first[column]:
                raise ValueError(
                    f"'{column}' differs from the first row of search {search_id!r}: give it "
                    "once, or repeat it exactly"
                )
        return search_id, first
    kind = choice(row, "method", METHODS)
    node = URIRef(f"{review.iri}#search-{search_id}")
    out.add((review.iri, HG.method, node))
    out.add((node, RDF.type, HG[kind]))
    if kind in QUERIED:
        add_place(row, kind, node, kinds, out)
    elif kind == "CitationChasing":
        origin = row.get("chased_from", "")
        if not origin:
            raise ValueError("citation chasing needs 'chased_from'")
        found = existing_source(origin, context)
        if found:
            out.add((node, HG.chasedFrom, URIRef(found)))
        elif URL.fullmatch(origin):
            out.add((node, SCHEMA.url, Literal(origin)))
        else:
            raise ValueError(f"chased_from {origin!r} is neither a source in the graph nor a URL")
    elif kind == "CarriedIn" and row.get("carried_from"):
        origin = ID_IRI + "review/" + slug_of(row["carried_from"], "review")
        if origin not in known_reviews:
            raise ValueError(f"carried_from {row['carried_from']!r} is not a review in the graph")
        out.add((node, HG.carriedFrom, URIRef(origin)))
    if row.get("organisation"):
        out.add((node, HG.organisation, Literal(row["organisation"])))
    return search_id, fields


def add_place(row: dict, kind: str, node: URIRef, kinds: dict[str, str], out: rdflib.Graph) -> None:
    """The attributes of a search that ran a query in a place (PRISMA-S)."""
    need = ["query", "searched_in", "place_kind", "search_date", "result_limit"]
    if kind == "OrganisationSearch":
        need = ["organisation", "searched_in", "place_kind", "search_date", "result_limit"]
    for column in need:
        if not row.get(column):
            raise ValueError(f"a {METHOD_WORDS[kind]} needs '{column}'")
    check_date(row, "search_date")
    for column in ("result_limit", "results_returned"):
        if row.get(column) and not NUMBER.fullmatch(row[column]):
            raise ValueError(f"{column} {row[column]!r} is not a whole number")
    out.add((node, HG.placeKind, HG[choice(row, "place_kind", PLACE_KINDS)]))
    out.add((node, HG.searchedIn, Literal(row["searched_in"])))
    out.add((node, DCTERMS.date, Literal(row["search_date"], datatype=XSD.date)))
    out.add((node, HG.resultLimit, Literal(int(row["result_limit"]))))
    if row.get("results_returned"):
        out.add((node, HG.resultsReturned, Literal(int(row["results_returned"]))))
    if row.get("place_version"):
        out.add((node, HG.placeVersion, Literal(row["place_version"])))
    if row.get("query"):
        out.add((node, HG.searchQuery, Literal(row["query"])))
    if kind == "KnownItemLookup":
        if row.get("aimed_at") or row.get("sought"):
            raise ValueError(
                "a known-item look-up verifies an item already known: leave 'aimed_at' and "
                "'sought' empty"
            )
        return
    targets = split_cells(row.get("aimed_at", ""))
    if not targets:
        raise ValueError(
            "a search for evidence needs 'aimed_at': harm/slug, intervention/slug or "
            "any-intervention, ';'-separated"
        )
    for value in targets:
        if value.lower() == "any-intervention":
            out.add((node, HG.aimedAt, HG.AnyIntervention))
            continue
        kind_of = value.split("/", 1)[0] if "/" in value else ""
        if kind_of not in ("harm", "intervention"):
            raise ValueError(
                f"aimed_at: {value!r} is not harm/slug, intervention/slug or any-intervention"
            )
        out.add((node, HG.aimedAt, URIRef(entity_iri(value, kind_of, kinds, "aimed_at"))))
    out.add((node, HG.sought, HG[choice(row, "sought", SOUGHT)]))


METHOD_WORDS = {
    "KeywordSearch": "keyword search",
    "OrganisationSearch": "organisation search",
    "KnownItemLookup": "known-item look-up",
}
