"""Turn a team's screening log (CSV, one row per retrieved item) into reviews that conform.

``harmgraph import`` reads a CSV with ``review`` and ``decision`` columns as a screening log
(the columns are documented in ``docs/import.md``). Rows that share a ``review`` slug make one
``hg:Review``; rows that share a ``search`` id within it are the items one search returned, and
the search's attributes (the query, the place and its kind, its date and result limit, how many
items it returned, what it was aimed at and what it sought) are given on its first row. Each row
with a ``decision`` is one screening record, ``<review>#record-<id>``, found by its search,
``<review>#search-<id>``. A search row with no decision records a search that returned nothing.

A row adds all its triples or none: a review, search or record is registered only once its row
has passed every check, so ``--skip-bad`` never leaves a half-made review behind. The Turtle is
built from RDF terms with rdflib, and every cell that becomes an IRI is checked against the slug
rule or the address rule first, so no cell can break it or add a triple.

Examples
--------
>>> from pathlib import Path
>>> from harmgraph.rdf.load import load_graph
>>> log = Path(__file__).resolve().parents[2] / "examples" / "screening-log.csv"
>>> result = import_screening(log.read_text(encoding="utf-8"), load_graph())
>>> result.bad, result.good
([], 8)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, XSD, Literal, URIRef

from harmgraph.importing.rows import (
    BIBO,
    DCTERMS,
    HG,
    PROV,
    RDFS,
    SCHEMA,
    SKOS,
    URL,
    CheckContext,
    ImportResult,
    import_rows,
    resolve_source,
)
from harmgraph.importing.searches import (
    NUMBER,
    RECORD_ID,
    add_search,
    check_date,
    choice,
    entity_iri,
    existing_source,
    split_cells,
)
from harmgraph.model.evidence import read_evidence
from harmgraph.model.slugs import hashed_slug, is_slug, slug_of, slugify
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI

REQUIRED = ("review", "method")
REASONS = {
    "off-topic": "OffTopic",
    "no-ai-dimension": "NoAIDimension",
    "no-outcome-data": "NoOutcomeData",
    "duplicate": "Duplicate",
    "cannot-be-verified": "CannotBeVerified",
    "operational-detail": "OperationalDetail",
    "secondary-report": "SecondaryReport",
}
DECISIONS = {"included": "Included", "excluded": "Excluded", "supporting": "Supporting"}
REVIEW_TYPES = {
    "rapid-web-scan": "RapidWebScan",
    "rapid-review": "RapidReview",
    "scoping-review": "ScopingReview",
    "systematic-review": "FullSystematicReview",
}
REVIEW_FIELDS = (
    "review_title",
    "harms",
    "interventions",
    "date",
    "agent",
    "review_type",
    "screeners",
    "finding",
    "second_seed",
    "second_date",
    "second_agent",
)


@dataclass
class _Review:
    iri: URIRef
    fields: dict[str, str]
    searches: dict[str, dict[str, str]] = field(default_factory=dict)
    records: set[str] = field(default_factory=set)
    #: Every record id the log gives this review, so that a record may name a later one.
    planned: set[str] = field(default_factory=set)


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
    known_reviews = {iri for iri, kind in kinds.items() if kind == "review"}
    reviews: dict[str, _Review] = {}
    planned, ids = _plan_records(text)
    number = iter(range(2, 10**12))

    def row_triples(row: dict[str, str], staged: rdflib.Graph) -> list[str]:
        # Nothing is registered until the whole row has passed: a bad row leaves no trace.
        record_id = planned.get(next(number), "")
        review, new_review = _review(row, reviews, kinds, staged)
        review.planned = ids.get(row["review"], set())
        search_id, search_fields = add_search(row, review, context, kinds, known_reviews, staged)
        record = _record(row, review, search_id, record_id, context, staged)
        if new_review:
            reviews[row["review"]] = review
        review.searches.setdefault(search_id, search_fields)
        if record:
            review.records.add(record)
        # Every subject the row made, so that a violation on any of them names this row.
        return [str(s) for s in dict.fromkeys(staged.subjects()) if isinstance(s, URIRef)]

    return import_rows(text, REQUIRED, row_triples, "Reviews imported with `harmgraph import`.")


def _plan_records(text: str) -> tuple[dict[int, str], dict[str, set[str]]]:
    """Each candidate row's record id (its ``record`` cell, else its place among its review's
    rows), by row number, and every id each review will have."""
    planned: dict[int, str] = {}
    ids: dict[str, set[str]] = {}
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        slug = (row.get("review") or "").strip()
        seen[slug] = seen.get(slug, 0) + 1
        if (row.get("decision") or "").strip():
            record_id = (row.get("record") or "").strip() or str(seen[slug])
            planned[number] = record_id
            ids.setdefault(slug, set()).add(record_id)
    return planned, ids


def _review(
    row: dict, reviews: dict[str, _Review], kinds: dict[str, str], out: rdflib.Graph
) -> tuple[_Review, bool]:
    slug = row["review"]
    if not is_slug(slug):
        raise ValueError(f"review {slug!r} must be lower-case letters, digits and hyphens")
    review = reviews.get(slug)
    if review is not None:
        for column in REVIEW_FIELDS:
            if row.get(column) and row[column] != review.fields.get(column):
                raise ValueError(
                    f"'{column}' differs from the first row of review {slug!r}: give it once, "
                    "or repeat it exactly"
                )
        return review, False
    for column in ("review_title", "harms", "date", "agent", "review_type"):
        if not row.get(column):
            raise ValueError(f"review {slug!r} starts here, so '{column}' is needed")
    check_date(row, "date")
    kind = choice(row, "review_type", REVIEW_TYPES)
    screeners = row.get("screeners") or "1"
    if not NUMBER.fullmatch(screeners) or int(screeners) < 1:
        raise ValueError(f"screeners {screeners!r} is not a whole number of at least 1")
    iri = URIRef(ID_IRI + "review/" + slug)
    out.add((iri, RDF.type, HG.Review))
    out.add((iri, SKOS.prefLabel, Literal(row["review_title"], lang="en")))
    out.add((iri, DCTERMS.date, Literal(row["date"], datatype=XSD.date)))
    out.add((iri, HG.reviewType, HG[kind]))
    out.add((iri, HG.screenerCount, Literal(int(screeners))))
    if row.get("finding"):
        out.add((iri, DCTERMS.description, Literal(row["finding"], lang="en")))
    for entity_kind, column, predicate in (
        ("harm", "harms", HG.reviewedHarm),
        ("intervention", "interventions", HG.reviewedIntervention),
    ):
        for value in split_cells(row.get(column, "")):
            out.add((iri, predicate, URIRef(entity_iri(value, entity_kind, kinds, column))))
    out.add((iri, PROV.wasAssociatedWith, _agent(row["agent"], out)))
    if row.get("second_seed"):
        _second_screening_node(row, iri, out)
    return _Review(iri, {c: row.get(c, "") for c in REVIEW_FIELDS}), True


def _second_screening_node(row: dict, review: URIRef, out: rdflib.Graph) -> None:
    """The review's second screening: the seed of its random sample, its date and agent."""
    if not NUMBER.fullmatch(row["second_seed"]):
        raise ValueError(f"second_seed {row['second_seed']!r} is not a whole number")
    for column in ("second_date", "second_agent"):
        if not row.get(column):
            raise ValueError(f"a second screening (second_seed) needs '{column}'")
    check_date(row, "second_date")
    node = URIRef(f"{review}#second-screening")
    out.add((review, HG.secondScreening, node))
    out.add((node, RDF.type, HG.SecondScreening))
    out.add((node, HG.sampleSeed, Literal(int(row["second_seed"]))))
    out.add((node, DCTERMS.date, Literal(row["second_date"], datatype=XSD.date)))
    out.add((node, PROV.wasAssociatedWith, _agent(row["second_agent"], out, "second_agent")))


def _agent(value: str, out: rdflib.Graph, column: str = "agent") -> URIRef:
    if URL.fullmatch(value):
        return URIRef(value)
    if value.lower().startswith(("http://", "https://")):
        raise ValueError(f"{column} {value!r} is not a valid http(s) address")
    # A name with no ASCII letter or digit gets a slug hashed from it, so that two such names
    # never become one agent.
    agent = URIRef(ID_IRI + "agent/" + (slugify(value, fallback="") or hashed_slug(value)))
    out.add((agent, RDF.type, PROV.Agent))
    out.add((agent, RDFS.label, Literal(value)))
    return agent


def _record_ref(review: _Review, value: str, column: str) -> URIRef:
    """A record of the same review named by its id in ``column`` (earlier or later)."""
    if not RECORD_ID.match(value):
        raise ValueError(f"{column} {value!r} must be a record id of this review")
    if value not in review.planned:
        raise ValueError(
            f"{column} {value!r} names no record of review {review.iri.split('/')[-1]!r}"
        )
    return URIRef(f"{review.iri}#record-{value}")


def _record(
    row: dict,
    review: _Review,
    search_id: str,
    record_id: str,
    context: CheckContext,
    out: rdflib.Graph,
) -> str:
    """Add the row's screening record; return its id (empty for a search with no item)."""
    decision = row.get("decision", "").lower()
    if not decision:
        if row.get("candidate_title") or row.get("source"):
            raise ValueError("a candidate needs a 'decision': included, supporting or excluded")
        return ""
    decision_term = choice(row, "decision", DECISIONS)
    if not RECORD_ID.match(record_id):
        raise ValueError(f"record {record_id!r} must be lower-case letters, digits and hyphens")
    if record_id in review.records:
        raise ValueError(f"record {record_id!r} is already used in this review")
    node = URIRef(f"{review.iri}#record-{record_id}")
    out.add((review.iri, HG.screened, node))
    out.add((node, RDF.type, HG.ScreeningRecord))
    out.add((node, HG.foundBy, URIRef(f"{review.iri}#search-{search_id}")))
    out.add((node, HG.decision, HG[decision_term]))
    if row.get("candidate_url") and not URL.fullmatch(row["candidate_url"]):
        raise ValueError(f"candidate_url {row['candidate_url']!r} is not an http(s) address")
    for column, predicate in (
        ("candidate_title", DCTERMS.title),
        ("candidate_doi", BIBO.doi),
        ("candidate_url", SCHEMA.url),
        ("note", SKOS.note),
        ("address_withheld", HG.addressWithheld),
        ("address_not_recorded", HG.addressNotRecorded),
    ):
        if row.get(column):
            out.add((node, predicate, Literal(row[column])))
    if row.get("duplicate_of"):
        out.add((node, HG.duplicateOf, _record_ref(review, row["duplicate_of"], "duplicate_of")))
    if row.get("report_of"):
        value = row["report_of"]
        if value.startswith("source/"):
            found = existing_source(value, context)
            if not found:
                raise ValueError(f"report_of {value!r} is not a source in the graph")
            out.add((node, HG.reportOf, URIRef(found)))
        else:
            out.add((node, HG.reportOf, _record_ref(review, value, "report_of")))
    _second_screening(row, node, out)
    if decision_term == "Included":
        if not row.get("source"):
            raise ValueError("an included candidate needs 'source': the source it became")
        source = resolve_source(row, "source", context, out)
        out.add((node, HG.includedSource, URIRef(source)))
        for value in split_cells(row.get("claims", "")):
            claim = ID_IRI + "claim/" + slug_of(value, "claim")
            if not is_slug(slug_of(value, "claim")) or claim not in context.known:
                raise ValueError(f"claims: {value!r} is not a claim in the graph")
            out.add((node, HG.producedClaim, URIRef(claim)))
        return record_id
    if row.get("claims") or row.get("source"):
        raise ValueError(
            f"a {decision} candidate produces no claim and becomes no source of its own"
        )
    if decision_term == "Supporting":
        if not row.get("report_of"):
            raise ValueError("a supporting report needs 'report_of': the included record")
        return record_id
    reason = REASONS.get(row.get("reason", "").lower())
    if reason is None:
        raise ValueError(
            f"an excluded candidate needs a 'reason' from the closed list: {', '.join(REASONS)}"
        )
    if reason == "Duplicate" and not row.get("duplicate_of"):
        raise ValueError("a duplicate needs 'duplicate_of': the record it copies")
    if reason != "OperationalDetail" and not row.get("candidate_title"):
        raise ValueError("an excluded candidate needs 'candidate_title'")
    if not any(
        row.get(c)
        for c in ("candidate_doi", "candidate_url", "address_withheld", "address_not_recorded")
    ):
        raise ValueError(
            "an excluded candidate needs 'candidate_doi' or 'candidate_url' (or "
            "'address_withheld' or 'address_not_recorded' saying why neither is recorded)"
        )
    out.add((node, HG.exclusionReason, HG[reason]))
    return record_id


def _second_screening(row: dict, node: URIRef, out: rdflib.Graph) -> None:
    """Both screeners' decisions on a sampled record, and how a disagreement was resolved."""
    if not row.get("second_decision"):
        if row.get("first_decision") or row.get("second_reason") or row.get("resolution"):
            raise ValueError(
                "'first_decision', 'second_reason' and 'resolution' go with a 'second_decision'"
            )
        return
    first = choice(row, "first_decision", DECISIONS)
    second = choice(row, "second_decision", DECISIONS)
    out.add((node, HG.firstDecision, HG[first]))
    out.add((node, HG.secondDecision, HG[second]))
    if row.get("second_reason"):
        out.add((node, HG.secondReason, HG[choice(row, "second_reason", REASONS)]))
    if first != second:
        if not row.get("resolution"):
            raise ValueError("the screeners disagree, so 'resolution' is needed")
        out.add((node, HG.resolution, Literal(row["resolution"], lang="en")))
