"""Turn a team's screening log (CSV, one row per candidate) into reviews that conform.

``harmgraph import`` reads a CSV with a ``decision`` column as a screening log. Each row
is one candidate a review considered, with the way it was found; rows that share a
``review`` slug make one ``hg:Review``. A row with no candidate (empty ``decision``)
records a method that found nothing. The Turtle is built from RDF terms with rdflib, so no
cell can break it or add a triple.

==================  ==============================================================
column              meaning
==================  ==============================================================
review              the review's slug (lower-case letters, digits, hyphens)
review_title        its title (first row of the review; later rows may repeat it)
harms               ``;``-separated harms it covered (``harm/slug``; first row)
interventions       ``;``-separated interventions or types it was limited to
date                ``YYYY-MM-DD``, when it was run (first row)
agent               who ran it: an http(s) IRI, or a name (first row)
method              ``keyword-search``, ``citation-chasing`` or ``organisation-publications``
query               the exact query sent (keyword search; optional for organisations)
searched_in         where the query ran (keyword and organisation searches)
chased_from         citation chasing: a source in the graph (slug, DOI or URL), or a URL
organisation        organisation search: the organisation's name
decision            ``included`` or ``excluded`` (empty: the row only records a method)
reason              excluded: ``off-topic``, ``no-ai-dimension``, ``no-outcome-data``,
                    ``duplicate``, ``cannot-be-verified`` or ``operational-detail``
candidate_title     the candidate's title
candidate_doi       its DOI, or
candidate_url       its address (or ``address_withheld`` saying why neither is given)
source              included: the source in the graph (slug, DOI or URL), or a new one
                    described by ``source_title``, ``source_year``, ``source_kind`` and
                    ``source_authors`` or ``source_publisher`` (as for claims)
claims              included: ``;``-separated claims in the graph that the source produced
note                a short note on the decision
==================  ==============================================================

Examples
--------
>>> from pathlib import Path
>>> from harmgraph.rdf.load import load_graph
>>> log = Path(__file__).resolve().parents[2] / "examples" / "screening-log.csv"
>>> result = import_screening(log.read_text(encoding="utf-8"), load_graph())
>>> result.bad, result.good
([], 4)
"""

from __future__ import annotations

import re

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef

from harmgraph.importing.rows import (
    HG,
    SKOS,
    URL,
    CheckContext,
    ImportResult,
    import_rows,
    resolve_source,
)
from harmgraph.model.evidence import read_evidence
from harmgraph.model.slugs import is_slug, slug_of, slugify
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI, PREFIXES

REQUIRED = ("review", "method")
METHODS = {
    "keyword-search": "KeywordSearch",
    "citation-chasing": "CitationChasing",
    "organisation-publications": "OrganisationSearch",
}
REASONS = {
    "off-topic": "OffTopic",
    "no-ai-dimension": "NoAIDimension",
    "no-outcome-data": "NoOutcomeData",
    "duplicate": "Duplicate",
    "cannot-be-verified": "CannotBeVerified",
    "operational-detail": "OperationalDetail",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
PROV = rdflib.Namespace(PREFIXES["prov"])
BIBO = rdflib.Namespace(PREFIXES["bibo"])
SCHEMA = rdflib.Namespace(PREFIXES["schema"])
RDFS = rdflib.Namespace(PREFIXES["rdfs"])
REVIEW_FIELDS = ("review_title", "harms", "interventions", "date", "agent")


def is_screening_log(header: list[str]) -> bool:
    """Whether a CSV header is a screening log's (it has ``review`` and ``decision``)."""
    return "review" in header and "decision" in header


def import_screening(text: str, graph: LoadedGraph) -> ImportResult:
    """Check every row of a screening log against ``graph`` and build the reviews' Turtle."""
    evidence = read_evidence(graph)
    context = CheckContext.of(
        evidence, known=set(evidence.entities) | {c.iri for c in evidence.claims}
    )
    kinds = {iri: e.kind for iri, e in evidence.entities.items()}
    reviews: dict[str, dict] = {}

    def row_triples(row: dict[str, str], staged: rdflib.Graph) -> list[str]:
        review = _review(row, reviews, kinds, staged)
        _method(row, review, context, staged)
        _record(row, review, context, staged)
        return [str(review["iri"])]

    return import_rows(text, REQUIRED, row_triples, "Reviews imported with `harmgraph import`.")


def _review(row: dict, reviews: dict, kinds: dict[str, str], out: rdflib.Graph) -> dict:
    slug = row["review"]
    if not is_slug(slug):
        raise ValueError(f"review {slug!r} must be lower-case letters, digits and hyphens")
    review = reviews.get(slug)
    if review is not None:
        for column in REVIEW_FIELDS:
            if row.get(column) and row[column] != review["fields"].get(column):
                raise ValueError(
                    f"'{column}' differs from the first row of review {slug!r}: give it once, "
                    "or repeat it exactly"
                )
        return review
    for column in ("review_title", "harms", "date", "agent"):
        if not row.get(column):
            raise ValueError(f"review {slug!r} starts here, so '{column}' is needed")
    if not _DATE.match(row["date"]):
        raise ValueError(f"date {row['date']!r} is not YYYY-MM-DD")
    iri = URIRef(ID_IRI + "review/" + slug)
    out.add((iri, RDF.type, HG.Review))
    out.add((iri, SKOS.prefLabel, Literal(row["review_title"], lang="en")))
    out.add((iri, DCTERMS.date, Literal(row["date"], datatype=XSD.date)))
    for kind, column, predicate in (
        ("harm", "harms", HG.reviewedHarm),
        ("intervention", "interventions", HG.reviewedIntervention),
    ):
        for value in filter(None, (v.strip() for v in row.get(column, "").split(";"))):
            entity = ID_IRI + kind + "/" + slug_of(value, kind)
            if kinds.get(entity) != kind:
                raise ValueError(f"{column}: {value!r} is not a {kind} in the graph")
            out.add((iri, predicate, URIRef(entity)))
    out.add((iri, PROV.wasAssociatedWith, _agent(row["agent"], out)))
    review = {"iri": iri, "fields": {c: row.get(c, "") for c in REVIEW_FIELDS}, "methods": {}}
    reviews[slug] = review
    return review


def _agent(value: str, out: rdflib.Graph) -> URIRef:
    if URL.fullmatch(value):
        return URIRef(value)
    agent = URIRef(ID_IRI + "agent/" + slugify(value))
    out.add((agent, RDF.type, PROV.Agent))
    out.add((agent, RDFS.label, Literal(value)))
    return agent


def _method(row: dict, review: dict, context: CheckContext, out: rdflib.Graph) -> None:
    kind = METHODS.get(row["method"].lower())
    if kind is None:
        raise ValueError(f"method {row['method']!r} is not one of {', '.join(METHODS)}")
    key = (
        kind,
        row.get("query", ""),
        row.get("searched_in", ""),
        row.get("chased_from", ""),
        row.get("organisation", ""),
    )
    if key in review["methods"]:
        return
    node = BNode()
    out.add((review["iri"], HG.method, node))
    out.add((node, RDF.type, HG[kind]))
    if kind == "KeywordSearch":
        if not row.get("query") or not row.get("searched_in"):
            raise ValueError("a keyword search needs 'query' (exact text) and 'searched_in'")
    if kind == "OrganisationSearch" and (not row.get("organisation") or not row.get("searched_in")):
        raise ValueError("an organisation search needs 'organisation' and 'searched_in'")
    if kind == "CitationChasing":
        origin = row.get("chased_from", "")
        if not origin:
            raise ValueError("citation chasing needs 'chased_from'")
        found = _existing_source(origin, context)
        if found:
            out.add((node, HG.chasedFrom, URIRef(found)))
        elif URL.fullmatch(origin):
            out.add((node, SCHEMA.url, Literal(origin)))
        else:
            raise ValueError(f"chased_from {origin!r} is neither a source in the graph nor a URL")
    if row.get("query"):
        out.add((node, HG.searchQuery, Literal(row["query"])))
    if row.get("searched_in"):
        out.add((node, HG.searchedIn, Literal(row["searched_in"])))
    if row.get("organisation"):
        out.add((node, HG.organisation, Literal(row["organisation"])))
    review["methods"][key] = node


def _existing_source(value: str, context: CheckContext) -> str:
    iri = ID_IRI + "source/" + slug_of(value, "source")
    if iri in context.known:
        return iri
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I).lower()
    return context.by_doi.get(doi) or context.by_url.get(value.rstrip("/"), "")


def _record(row: dict, review: dict, context: CheckContext, out: rdflib.Graph) -> None:
    decision = row.get("decision", "").lower()
    if not decision:
        if row.get("candidate_title") or row.get("source"):
            raise ValueError("a candidate needs a 'decision': included or excluded")
        return
    if decision not in ("included", "excluded"):
        raise ValueError(f"decision {row['decision']!r} is not included or excluded")
    node = BNode()
    out.add((review["iri"], HG.screened, node))
    out.add((node, RDF.type, HG.ScreeningRecord))
    for column, predicate in (
        ("candidate_title", DCTERMS.title),
        ("candidate_doi", BIBO.doi),
        ("candidate_url", SCHEMA.url),
        ("note", SKOS.note),
        ("address_withheld", HG.addressWithheld),
    ):
        if row.get(column):
            out.add((node, predicate, Literal(row[column])))
    if decision == "included":
        if not row.get("source"):
            raise ValueError("an included candidate needs 'source': the source it became")
        source = resolve_source(row, "source", context, out)
        out.add((node, HG.decision, HG.Included))
        out.add((node, HG.includedSource, URIRef(source)))
        for value in filter(None, (v.strip() for v in row.get("claims", "").split(";"))):
            claim = ID_IRI + "claim/" + slug_of(value, "claim")
            if claim not in context.known:
                raise ValueError(f"claims: {value!r} is not a claim in the graph")
            out.add((node, HG.producedClaim, URIRef(claim)))
        return
    reason = REASONS.get(row.get("reason", "").lower())
    if reason is None:
        raise ValueError(
            f"an excluded candidate needs a 'reason' from the closed list: {', '.join(REASONS)}"
        )
    if row.get("claims") or row.get("source"):
        raise ValueError("an excluded candidate produces no claim and becomes no source")
    if reason != "OperationalDetail" and not row.get("candidate_title"):
        raise ValueError("an excluded candidate needs 'candidate_title'")
    if not (row.get("candidate_doi") or row.get("candidate_url") or row.get("address_withheld")):
        raise ValueError(
            "an excluded candidate needs 'candidate_doi' or 'candidate_url' (or "
            "'address_withheld' saying why neither is recorded)"
        )
    out.add((node, HG.decision, HG.Excluded))
    out.add((node, HG.exclusionReason, HG[reason]))
