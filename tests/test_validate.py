"""Every shape has a passing case (the mini graph, the bundled graph) and a failing case.

The list of shapes comes from ontology/shapes.ttl: every named node shape, property shape and
SPARQL constraint must have a case below. A case adds inline Turtle to the mini graph and must
produce a violation (a warning, for a shape of that severity) that names the shape it is for, with
both engines. The review cases start from a good review in the review model of issue 18 (a type,
screeners, a named search with its place, date, limit, count, aims and what it sought, records
each found by one method, a second screening) and spoil one property each. A node shape whose only
constraints are its property shapes and SPARQL constraints cannot be named by a finding itself:
its case names the shape reached through it that fires, for a focus node only it targets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from conftest import MINI, PREFIXES, run_cli
from harmgraph import load_graph, validate_graph
from harmgraph.rdf.load import shapes_file
from harmgraph.shacl.validate import short

MORE_PREFIXES = """
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix review: <https://w3id.org/harmgraph/id/review/> .
"""

GOOD_SOURCE = """
    dcterms:title "A title"@en ; dcterms:creator "Tester, Ada" ; dcterms:date "2024"^^xsd:gYear ;
    hg:sourceKind hg:Report ; schema:url "https://example.org/x" """

GOOD_CLAIM = """
    hg:evidenceKind hg:MonitoringData ; hg:direction hg:Supports ; hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "A reason that is long enough."@en ; dcterms:created "2026-11-24"^^xsd:date """

CLAIM = (
    "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:enables ; "
    'rdf:object harm:facet-b ; hg:citation [ a hg:Citation ; hg:source source:src-1 ; hg:locator "p. 1" ] ;'
)

#: A review in the review model (issue 18) that passes every shape and every quality check,
#: node by node, to be spoilt one property at a time. A value of None removes a property.
REVIEW = {
    "a": "hg:Review",
    "skos:prefLabel": '"a review"@en',
    "hg:reviewType": "hg:RapidWebScan",
    "hg:screenerCount": "1",
    "hg:reviewedHarm": "harm:facet-b",
    "dcterms:date": '"2026-11-29"^^xsd:date',
    "prov:wasAssociatedWith": "<https://w3id.org/harmgraph/id/agent/editors>",
    "hg:method": "review:r\\#search-1",
    "hg:screened": "review:r\\#record-1",
    "hg:secondScreening": "review:r\\#second-screening",
}
#: Its one search: a keyword search with its place, date, limit, count, aims and what it sought.
SEARCH = {
    "a": "hg:KeywordSearch",
    "hg:searchQuery": '"interventions for facet B"',
    "hg:searchedIn": '"a test index of web pages"',
    "hg:placeKind": "hg:WebIndex",
    "hg:placeVersion": '"no index date stated"',
    "dcterms:date": '"2026-11-29"^^xsd:date',
    "hg:resultLimit": "8",
    "hg:resultsReturned": "1",
    "hg:aimedAt": "harm:facet-b, hg:AnyIntervention",
    "hg:sought": "hg:SoughtInterventions",
}
#: The good search of each other kind, found by the same record.
SEARCH_OF_KIND = {
    "hg:KeywordSearch": SEARCH,
    "hg:OrganisationSearch": {
        **SEARCH,
        "a": "hg:OrganisationSearch",
        "hg:searchQuery": None,
        "hg:organisation": '"Test Organisation"',
        "hg:placeKind": "hg:OrganisationWebsite",
    },
    "hg:KnownItemLookup": {
        **SEARCH,
        "a": "hg:KnownItemLookup",
        "hg:searchQuery": '"A test source with a DOI"',
        "hg:aimedAt": None,
        "hg:sought": None,
    },
    "hg:CitationChasing": {"a": "hg:CitationChasing", "hg:chasedFrom": "source:src-1"},
    "hg:CarriedIn": {"a": "hg:CarriedIn", "hg:carriedFrom": "review:r1"},
    "hg:AddedOnRequest": {"a": "hg:AddedOnRequest"},
}
#: Its one record: one retrieved item, found by the search, excluded, screened twice.
RECORD = {
    "a": "hg:ScreeningRecord",
    "hg:foundBy": "review:r\\#search-1",
    "hg:decision": "hg:Excluded",
    "hg:exclusionReason": "hg:OffTopic",
    "dcterms:title": '"an unrelated page"',
    "schema:url": '"https://example.org/t"',
    "hg:firstDecision": "hg:Excluded",
    "hg:secondDecision": "hg:Excluded",
}
#: Its second screening.
SECOND = {
    "a": "hg:SecondScreening",
    "hg:sampleSeed": "7",
    "dcterms:date": '"2026-11-30"^^xsd:date',
    "prov:wasAssociatedWith": "<https://w3id.org/harmgraph/id/agent/second-screener>",
}
#: A record that is included, for the cases that need one (a supporting report names it).
INCLUDED = {
    "a": "hg:ScreeningRecord",
    "hg:foundBy": "review:r\\#search-1",
    "hg:decision": "hg:Included",
    "hg:includedSource": "source:src-1",
    "hg:firstDecision": "hg:Included",
    "hg:secondDecision": "hg:Included",
}
#: A supporting report of the included record: the journal version, the page used to verify it.
SUPPORTING = {
    "a": "hg:ScreeningRecord",
    "hg:foundBy": "review:r\\#search-1",
    "hg:decision": "hg:Supporting",
    "hg:reportOf": "review:r\\#record-1",
    "dcterms:title": '"the same study, as published"',
    "schema:url": '"https://example.org/published"',
    "hg:firstDecision": "hg:Supporting",
    "hg:secondDecision": "hg:Supporting",
}

#: A record retrieved but not yet screened (a team's review in progress, issue 21).
AWAITING = {
    "a": "hg:ScreeningRecord",
    "hg:foundBy": "review:r\\#search-1",
    "hg:decision": "hg:AwaitingScreening",
    "dcterms:title": '"a study still to be screened"',
    "schema:url": '"https://example.org/awaiting"',
}


def node(subject: str, fields: dict[str, str | None]) -> str:
    """Turtle for ``subject`` with ``fields`` (properties whose value is None left out)."""
    body = " ;\n    ".join(f"{k} {v}" for k, v in fields.items() if v is not None)
    return f"{subject}\n    {body} .\n"


def changed(template: dict[str, str | None], changes: dict[str, str | None] | None) -> dict:
    return {**template, **(changes or {})}


def review(
    review: dict[str, str | None] | None = None,
    search: dict[str, str | None] | None = None,
    record: dict[str, str | None] | None = None,
    second: dict[str, str | None] | None = None,
    *,
    records: list[dict[str, str | None]] | None = None,
    extra: str = "",
) -> str:
    """The good review ``review:r`` with some properties of its nodes changed.

    ``records`` replaces its one record by several (``review:r#record-1``, ``-2``, ...); the
    review then screens all of them and its search returned that many.
    """
    records = records if records is not None else [changed(RECORD, record)]
    ids = [f"review:r\\#record-{n}" for n in range(1, len(records) + 1)]
    review_fields = changed({**REVIEW, "hg:screened": ", ".join(ids)}, review)
    search_fields = changed({**SEARCH, "hg:resultsReturned": str(len(records))}, search)
    parts = [
        node("review:r", review_fields),
        node("review:r\\#search-1", search_fields),
        *(node(i, fields) for i, fields in zip(ids, records, strict=True)),
        node("review:r\\#second-screening", changed(SECOND, second)),
        extra,
    ]
    return MORE_PREFIXES + "\n".join(parts)


def search(kind: str, **changes: str | None) -> str:
    """The good review whose search is the good search of ``kind``, with some properties changed
    (keys written ``hg__organisation`` for ``hg:organisation``; None removes one)."""
    fields = {k.replace("__", ":"): v for k, v in changes.items()}
    template = SEARCH_OF_KIND[kind]
    # A search of another kind keeps none of the keyword search's properties it does not have.
    return review(search={**dict.fromkeys(SEARCH), **template, **fields})


def supporting(**changes: str | None) -> str:
    """The good review with an included record and a supporting report of it, the report's
    properties changed (keys written ``hg__reportOf`` for ``hg:reportOf``)."""
    fields = {k.replace("__", ":"): v for k, v in changes.items()}
    return review(records=[INCLUDED, changed(SUPPORTING, fields)])


class Case(NamedTuple):
    """A failing case: the shape it is for, the Turtle added to the mini graph, a fragment of
    the message; for a node shape without constraints of its own, the shape reached through it
    that fires; where one constraint has several branches, the path or value (shortened) of the
    finding that tells the branch apart; and the severity of the finding."""

    shape: str
    turtle: str
    message: str
    fired: str | None = None
    path: str | None = None
    value: str | None = None
    severity: str = "violation"


_CASES: dict[str, tuple] = {
    # ------------------------------------------------------------ node shapes
    "harm-no-definition": (
        "hgsh:HarmShape",
        'harm:x a hg:Harm ; skos:prefLabel "x"@en ; skos:inScheme scheme:harm ; skos:topConceptOf scheme:harm .',
        "skos:definition",
        "hgsh:definition",
    ),
    "technology-no-definition": (
        "hgsh:TechnologyShape",
        'technology:y a hg:Technology ; skos:prefLabel "y"@en ; skos:inScheme scheme:technology ; '
        "skos:topConceptOf scheme:technology .",
        "skos:definition",
        "hgsh:definition",
    ),
    "actor-no-definition": (
        "hgsh:ActorShape",
        'actor:y a hg:Actor ; skos:prefLabel "y"@en ; skos:inScheme scheme:actor ; skos:topConceptOf scheme:actor .',
        "skos:definition",
        "hgsh:definition",
    ),
    "intervention-no-definition": (
        "hgsh:InterventionShape",
        'intervention:y a hg:Intervention ; skos:prefLabel "y"@en ; skos:inScheme scheme:intervention ; '
        "skos:topConceptOf scheme:intervention .",
        "skos:definition",
        "hgsh:definition",
    ),
    "source-no-author": (
        "hgsh:EvidenceSourceShape",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:date "2024"^^xsd:gYear ; '
        'hg:sourceKind hg:Report ; schema:url "https://example.org/y" .',
        "dcterms:creator",
        None,
    ),
    "claim-no-subject": (
        "hgsh:ClaimShape",
        "claim:x a hg:Claim ; rdf:predicate hg:enables ; rdf:object harm:facet-b ; "
        'hg:citation [ a hg:Citation ; hg:source source:src-1 ; hg:locator "p. 1" ] ;'
        + GOOD_CLAIM
        + ".",
        "rdf:subject",
        "hgsh:Claim-subject",
    ),
    "citation-no-locator": (
        "hgsh:CitationShape",
        "source:src-1 hg:extraCitation [ a hg:Citation ; hg:source source:src-1 ] .",
        "hg:locator",
        "hgsh:Citation-locator",
    ),
    "gap-no-description": (
        "hgsh:GapShape",
        'gap:x a hg:Gap ; skos:prefLabel "x"@en ; hg:source source:src-1 ; hg:concerns harm:facet-b .',
        "dcterms:description",
        "hgsh:Gap-description",
    ),
    "direct-relation-without-claim": (
        "hgsh:DirectRelationBacked",
        "technology:tech-x hg:enables harm:facet-b .",
        "no hg:Claim behind it",
        "hgsh:DirectRelation-needs-claim",
    ),
    "harm-broader-cycle": (
        "hgsh:BroaderAcyclic",
        "harm:facet-a skos:broader harm:narrow-a .",
        "cycle",
        "hgsh:Broader-no-cycle",
    ),
    "harm-severity-without-source": (
        "hgsh:HarmSeverityHasSource",
        "harm:facet-a hg:severity 4 .",
        "severitySource",
        "hgsh:HarmSeverity-needs-source",
    ),
    # The node shapes of reviews, searches, records and second screenings: with the reviews below.
    # ------------------------------------------------------------ labels and definitions
    "harm-two-english-labels": (
        "hgsh:prefLabel-unique",
        'harm:facet-a skos:prefLabel "another"@en .',
        "one preferred label per language",
        None,
    ),
    "harm-no-label": (
        "hgsh:prefLabel-en",
        'harm:x a hg:Harm ; skos:definition "d"@en ; skos:inScheme scheme:harm ; skos:topConceptOf scheme:harm .',
        "exactly one skos:prefLabel in English",
        None,
    ),
    "harm-definition-without-language": (
        "hgsh:definition",
        'harm:facet-a skos:definition "untagged" .',
        "tagged with a language",
        None,
    ),
    "harm-alt-label-without-language": (
        "hgsh:altLabel-text",
        'harm:facet-a skos:altLabel "untagged" .',
        "skos:altLabel",
        None,
    ),
    # ------------------------------------------------------------ harms
    "harm-not-in-scheme": (
        "hgsh:Harm-inScheme",
        'harm:x a hg:Harm ; skos:prefLabel "x"@en ; skos:definition "d"@en ; skos:topConceptOf scheme:harm .',
        "harm concept scheme",
        None,
    ),
    "harm-broader-typo": (
        "hgsh:Harm-broader",
        "harm:narrow-a skos:broader harm:facet-aa .",
        "another harm that exists",
        None,
    ),
    "harm-affects-unknown-actor": (
        "hgsh:Harm-affects",
        "harm:facet-a hg:affects actor:nobody .",
        "hg:affects",
        None,
    ),
    "harm-perpetrated-by-unknown-actor": (
        "hgsh:Harm-perpetratedBy",
        "harm:facet-a hg:perpetratedBy actor:nobody .",
        "hg:perpetratedBy",
        None,
    ),
    "harm-severity-out-of-range": (
        "hgsh:Harm-severity",
        "harm:facet-a hg:severity 9 ; hg:severitySource source:src-1 .",
        "from 1 to 5",
        None,
    ),
    "harm-severity-source-unknown": (
        "hgsh:Harm-severitySource",
        "harm:facet-a hg:severity 3 ; hg:severitySource source:nowhere .",
        "hg:severitySource",
        None,
    ),
    # ------------------------------------------------------------ technologies and actors
    "technology-not-in-scheme": (
        "hgsh:Technology-inScheme",
        'technology:y a hg:Technology ; skos:prefLabel "y"@en ; skos:definition "d"@en .',
        "technology concept scheme",
        None,
    ),
    "technology-broader-not-a-technology": (
        "hgsh:Technology-broader",
        "technology:tech-x skos:broader harm:facet-a .",
        "another technology",
        None,
    ),
    "direct-relation-dangling": (
        "hgsh:Technology-enables",
        "technology:tech-x hg:enables harm:does-not-exist .",
        "harm that exists",
        None,
    ),
    "actor-not-in-scheme": (
        "hgsh:Actor-inScheme",
        'actor:y a hg:Actor ; skos:prefLabel "y"@en ; skos:definition "d"@en .',
        "actor concept scheme",
        None,
    ),
    "actor-broader-not-an-actor": (
        "hgsh:Actor-broader",
        "actor:actor-p skos:broader harm:facet-a .",
        "another actor",
        None,
    ),
    # ------------------------------------------------------------ interventions
    "intervention-not-in-scheme": (
        "hgsh:Intervention-inScheme",
        'intervention:y a hg:Intervention ; skos:prefLabel "y"@en ; skos:definition "d"@en ; '
        "skos:topConceptOf scheme:intervention .",
        "intervention concept scheme",
        None,
    ),
    "intervention-broader-not-an-intervention": (
        "hgsh:Intervention-broader",
        "intervention:int-i skos:broader harm:facet-a .",
        "skos:broader of an intervention",
        None,
    ),
    "intervention-addresses-unknown-harm": (
        "hgsh:Intervention-addresses",
        "intervention:int-i hg:addresses harm:nothing .",
        "hg:addresses",
        None,
    ),
    "intervention-implemented-by-unknown-actor": (
        "hgsh:Intervention-implementedBy",
        "intervention:int-i hg:implementedBy actor:nobody .",
        "hg:implementedBy",
        None,
    ),
    "intervention-targets-a-harm": (
        "hgsh:Intervention-targets",
        "intervention:int-i hg:targets harm:facet-a .",
        "a technology or an actor",
        None,
    ),
    "intervention-unknown-stage": (
        "hgsh:Intervention-stage",
        "intervention:int-i hg:lifecycleStage hg:StageNowhere .",
        "lifecycle stages",
        None,
    ),
    "intervention-unknown-prevention-level": (
        "hgsh:Intervention-preventionLevel",
        "intervention:int-i hg:preventionLevel hg:QuaternaryPrevention .",
        "hg:PrimaryPrevention",
        None,
    ),
    "intervention-bad-jurisdiction": (
        "hgsh:Intervention-jurisdiction",
        'intervention:int-i hg:jurisdiction "United Kingdom" .',
        "ISO 3166-1",
        None,
    ),
    "intervention-no-stage": (
        "hgsh:Intervention-needs-stage",
        'intervention:y a hg:Intervention ; skos:prefLabel "y"@en ; skos:definition "d"@en ; '
        "skos:inScheme scheme:intervention ; skos:broader intervention:type-t .",
        "hg:lifecycleStage",
        None,
    ),
    # ------------------------------------------------------------ evidence sources
    "source-two-titles": (
        "hgsh:Source-title",
        'source:src-1 dcterms:title "Another title"@en .',
        "exactly one dcterms:title",
        None,
    ),
    "source-no-date": (
        "hgsh:Source-date",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'hg:sourceKind hg:Report ; schema:url "https://example.org/y" .',
        "dcterms:date",
        None,
    ),
    "source-bad-doi": (
        "hgsh:Source-doi",
        "source:s a hg:EvidenceSource ;" + GOOD_SOURCE + '; bibo:doi "https://doi.org/10.1/x" .',
        "bare DOI",
        None,
    ),
    "source-bad-url": (
        "hgsh:Source-url",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Report ; schema:url "ftp://x" .',
        "https://",
        None,
    ),
    "source-unknown-kind": (
        "hgsh:Source-kind",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Blog ; schema:url "https://example.org/y" .',
        "hg:sourceKind",
        None,
    ),
    "source-bad-jurisdiction": (
        "hgsh:Source-jurisdiction",
        'source:src-2 hg:jurisdiction "England" .',
        "ISO 3166-1",
        None,
    ),
    "source-two-author-lists": (
        "hgsh:Source-authorList",
        'source:src-1 bibo:authorList ( "Tester, Ada" ), ( "Tester, Ada" ) .',
        "at most one bibo:authorList",
        None,
    ),
    "source-authors-not-ordered": (
        "hgsh:Source-authors-ordered",
        'source:src-1 dcterms:creator "Second, Bob" .',
        "order of the authors",
        None,
    ),
    "source-no-identifier": (
        "hgsh:Source-needs-identifier",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Report .',
        "bibo:doi or a schema:url",
        None,
    ),
    # ------------------------------------------------------------ claims and citations
    "claim-literal-subject": (
        "hgsh:Claim-subject",
        CLAIM.replace("rdf:subject technology:tech-x", 'rdf:subject "technology X"')
        + GOOD_CLAIM
        + ".",
        "the IRI of the entity",
        None,
    ),
    "claim-unknown-relation": (
        "hgsh:Claim-predicate",
        CLAIM.replace("hg:enables", "hg:causes") + GOOD_CLAIM + ".",
        "rdf:predicate",
        None,
    ),
    "claim-literal-object": (
        "hgsh:Claim-object",
        CLAIM.replace("rdf:object harm:facet-b", 'rdf:object "facet B"') + GOOD_CLAIM + ".",
        "rdf:object",
        None,
    ),
    "claim-no-citation": (
        "hgsh:Claim-citation",
        "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:enables ; "
        "rdf:object harm:facet-b ;" + GOOD_CLAIM + ".",
        "hg:citation",
        None,
    ),
    "claim-unknown-evidence-kind": (
        "hgsh:Claim-evidenceKind",
        CLAIM + GOOD_CLAIM.replace("hg:MonitoringData", "hg:Rumour") + ".",
        "hg:evidenceKind",
        None,
    ),
    "claim-bad-direction": (
        "hgsh:Claim-direction",
        CLAIM + GOOD_CLAIM.replace("hg:Supports", "hg:Maybe") + ".",
        "hg:direction",
        None,
    ),
    "claim-unknown-confidence": (
        "hgsh:Claim-confidence",
        CLAIM + GOOD_CLAIM.replace("hg:LowConfidence", "hg:Certain") + ".",
        "hg:confidence",
        None,
    ),
    "claim-short-rationale": (
        "hgsh:Claim-rationale",
        CLAIM + GOOD_CLAIM.replace("A reason that is long enough.", "Short.") + ".",
        "hg:confidenceRationale",
        None,
    ),
    "claim-created-a-year": (
        "hgsh:Claim-created",
        CLAIM + GOOD_CLAIM.replace('"2026-11-24"^^xsd:date', '"2026"^^xsd:gYear') + ".",
        "dcterms:created",
        None,
    ),
    "claim-wrong-types": (
        "hgsh:Claim-types-match",
        CLAIM.replace("rdf:subject technology:tech-x", "rdf:subject harm:facet-a")
        + GOOD_CLAIM
        + ".",
        "wrong type",
        None,
    ),
    "claim-citation-unknown-source": (
        "hgsh:Citation-source",
        CLAIM.replace("source:src-1", "source:nope") + GOOD_CLAIM + ".",
        "evidence source in the graph",
        None,
    ),
    "claim-empty-locator": (
        "hgsh:Citation-locator",
        CLAIM.replace('"p. 1"', '""') + GOOD_CLAIM + ".",
        "hg:locator",
        None,
    ),
    # ------------------------------------------------------------ gaps and direct relations
    "gap-empty-description": (
        "hgsh:Gap-description",
        'gap:x a hg:Gap ; skos:prefLabel "x"@en ; hg:source source:src-1 ; hg:concerns harm:facet-b .',
        "dcterms:description",
        None,
    ),
    "gap-no-source": (
        "hgsh:Gap-source",
        'gap:x a hg:Gap ; skos:prefLabel "x"@en ; dcterms:description "d"@en ; hg:concerns harm:facet-b .',
        "hg:source",
        None,
    ),
    "gap-concerns-nothing": (
        "hgsh:Gap-concerns",
        'gap:x a hg:Gap ; skos:prefLabel "x"@en ; dcterms:description "d"@en ; hg:source source:src-1 .',
        "hg:concerns",
        None,
    ),
    "relation-without-claim": (
        "hgsh:DirectRelation-needs-claim",
        "intervention:int-i hg:implementedBy actor:actor-p ; hg:targets actor:actor-p .",
        "no hg:Claim behind it",
        None,
    ),
    "technology-broader-cycle": (
        "hgsh:Broader-no-cycle",
        'technology:y a hg:Technology ; skos:prefLabel "y"@en ; skos:definition "d"@en ; '
        "skos:inScheme scheme:technology ; skos:broader technology:y .",
        "cycle",
        None,
    ),
    "severity-without-source": (
        "hgsh:HarmSeverity-needs-source",
        "harm:narrow-a hg:severity 2 .",
        "severitySource",
        None,
    ),
    # ------------------------------------------------------------ reviews
    "review-no-agent": Case(
        "hgsh:ReviewShape",
        review(review={"prov:wasAssociatedWith": None}),
        "prov:wasAssociatedWith",
        "hgsh:Review-agent",
    ),
    "review-unknown-harm": Case(
        "hgsh:Review-harm",
        review(review={"hg:reviewedHarm": "harm:nothing"}),
        "hg:reviewedHarm",
    ),
    "review-unknown-intervention": Case(
        "hgsh:Review-intervention",
        review(review={"hg:reviewedIntervention": "intervention:nothing"}),
        "hg:reviewedIntervention",
    ),
    "review-no-method": Case(
        "hgsh:Review-method",
        review(review={"hg:method": None}),
        "hg:method",
    ),
    "review-dated-by-year": Case(
        "hgsh:Review-date",
        review(review={"dcterms:date": '"2026"^^xsd:gYear'}),
        "dcterms:date",
    ),
    "review-agent-not-an-iri": Case(
        "hgsh:Review-agent",
        review(review={"prov:wasAssociatedWith": '"the editors"'}),
        "prov:wasAssociatedWith",
    ),
    "review-screened-not-a-record": Case(
        "hgsh:Review-screened",
        review(review={"hg:screened": "review:r\\#record-1, source:src-1"}),
        "hg:ScreeningRecord",
        value="id/source/src-1",
    ),
    "review-claim-out-of-scope": Case(
        "hgsh:Review-claims-in-scope",
        review(records=[{**INCLUDED, "hg:producedClaim": "claim:c1"}]),
        "cite the screened source",
        value="id/claim/c1",
    ),
    "review-no-type": Case(
        "hgsh:Review-type",
        review(review={"hg:reviewType": None}),
        "hg:reviewType",
    ),
    "review-unknown-type": Case(
        "hgsh:Review-type",
        review(review={"hg:reviewType": "hg:QuickLook"}),
        "hg:RapidWebScan",
        value="hg:QuickLook",
    ),
    "review-no-screener": Case(
        "hgsh:Review-screeners",
        review(review={"hg:screenerCount": "0"}),
        "hg:screenerCount",
    ),
    "review-second-screening-not-one": Case(
        "hgsh:Review-second-screening",
        review(review={"hg:secondScreening": "source:src-1"}),
        "one hg:SecondScreening",
        value="id/source/src-1",
    ),
    "review-without-second-screening": Case(
        "hgsh:Review-has-second-screening",
        review(review={"hg:secondScreening": None}),
        "independent second screening",
        severity="warning",
    ),
    # ------------------------------------------------------------ searches
    "keyword-search-no-query": Case(
        "hgsh:KeywordSearchShape",
        review(search={"hg:searchQuery": None}),
        "hg:searchQuery",
        "hgsh:KeywordSearch-query",
    ),
    "keyword-search-two-queries": Case(
        "hgsh:KeywordSearch-query",
        review(search={"hg:searchQuery": '"a", "b"'}),
        "exactly one hg:searchQuery",
    ),
    "search-nowhere": Case(
        "hgsh:SearchMethod-where",
        review(search={"hg:searchedIn": None}),
        "hg:searchedIn",
    ),
    "search-unknown-place-kind": Case(
        "hgsh:Search-place-kind",
        review(search={"hg:placeKind": "hg:Library"}),
        "hg:placeKind",
        value="hg:Library",
    ),
    "search-no-place-kind": Case(
        "hgsh:Search-place-kind",
        review(search={"hg:placeKind": None}),
        "hg:placeKind",
    ),
    "search-dated-by-year": Case(
        "hgsh:Search-date",
        review(search={"dcterms:date": '"2026"^^xsd:gYear'}),
        "the xsd:date it ran",
    ),
    "search-no-limit": Case(
        "hgsh:Search-limit",
        review(search={"hg:resultLimit": None}),
        "hg:resultLimit",
    ),
    "search-limit-zero": Case(
        "hgsh:Search-limit",
        review(search={"hg:resultLimit": "0"}),
        "hg:resultLimit",
        value="0",
    ),
    "search-returned-a-negative-count": Case(
        "hgsh:Search-returned",
        review(search={"hg:resultsReturned": "-1"}),
        "hg:resultsReturned",
        value="-1",
    ),
    "search-aimed-at-nothing": Case(
        "hgsh:Search-aimed-at",
        review(search={"hg:aimedAt": None}),
        "hg:aimedAt",
    ),
    "search-aimed-at-an-unknown-harm": Case(
        "hgsh:Search-aimed-at-exists",
        review(search={"hg:aimedAt": "harm:nothing, hg:AnyIntervention"}),
        "exists in the graph",
        value="id/harm/nothing",
    ),
    "search-aimed-at-a-source": Case(
        "hgsh:Search-aimed-at-exists",
        review(search={"hg:aimedAt": "harm:facet-b, source:src-1"}),
        "exists in the graph",
        value="id/source/src-1",
    ),
    "search-sought-something-else": Case(
        "hgsh:Search-sought",
        review(search={"hg:sought": "hg:SoughtRumours"}),
        "hg:sought",
        value="hg:SoughtRumours",
    ),
    "search-sought-nothing": Case(
        "hgsh:Search-sought",
        review(search={"hg:sought": None}),
        "hg:sought",
    ),
    "known-item-lookup-no-query": Case(
        "hgsh:KnownItemLookupShape",
        search("hg:KnownItemLookup", hg__searchQuery=None),
        "hg:searchQuery",
        "hgsh:KeywordSearch-query",
    ),
    "known-item-lookup-aimed-at-a-harm": Case(
        "hgsh:Lookup-aimed-at-nothing",
        search("hg:KnownItemLookup", hg__aimedAt="harm:facet-b"),
        "aimed at nothing",
    ),
    "carried-in-from-no-review": Case(
        "hgsh:CarriedInShape",
        search("hg:CarriedIn", hg__carriedFrom="review:nothing"),
        "hg:carriedFrom",
        "hgsh:CarriedIn-from",
    ),
    "carried-in-from-a-source": Case(
        "hgsh:CarriedIn-from",
        search("hg:CarriedIn", hg__carriedFrom="source:src-1"),
        "a review that exists",
        value="id/source/src-1",
    ),
    "citation-chasing-from-nothing": Case(
        "hgsh:CitationChasingShape",
        search("hg:CitationChasing", hg__chasedFrom=None),
        "hg:chasedFrom",
    ),
    "citation-chasing-unknown-source": Case(
        "hgsh:CitationChasing-from",
        search("hg:CitationChasing", hg__chasedFrom="source:nowhere"),
        "hg:chasedFrom must name",
    ),
    "organisation-search-no-organisation": Case(
        "hgsh:OrganisationSearchShape",
        search("hg:OrganisationSearch", hg__organisation=None),
        "hg:organisation",
        "hgsh:OrganisationSearch-organisation",
    ),
    "organisation-search-one-letter": Case(
        "hgsh:OrganisationSearch-organisation",
        search("hg:OrganisationSearch", hg__organisation='"X"'),
        "hg:organisation",
    ),
    # ------------------------------------------------------------ screening records
    "screening-no-decision": Case(
        "hgsh:ScreeningRecordShape",
        review(record={"hg:decision": None}),
        "hg:decision",
        "hgsh:Screening-decision",
    ),
    "screening-undecided": Case(
        "hgsh:Screening-decision",
        review(record={"hg:decision": "hg:Maybe"}),
        "hg:decision",
    ),
    "screening-unknown-reason": Case(
        "hgsh:Screening-reason",
        review(record={"hg:exclusionReason": "hg:Boring"}),
        "hg:exclusionReason",
    ),
    "screening-unknown-source": Case(
        "hgsh:Screening-source",
        review(records=[{**INCLUDED, "hg:includedSource": "source:nowhere"}]),
        "hg:includedSource",
    ),
    "screening-unknown-claim": Case(
        "hgsh:Screening-claim",
        review(records=[{**INCLUDED, "hg:producedClaim": "claim:nothing"}]),
        "hg:producedClaim",
    ),
    "screening-record-of-no-review": Case(
        "hgsh:Screening-review",
        MORE_PREFIXES + node("review:rec", RECORD),
        "belongs to exactly one review",
    ),
    "screening-included-without-source": Case(
        "hgsh:Screening-decision-complete",
        review(records=[{**INCLUDED, "hg:includedSource": None}]),
        "an included candidate needs hg:includedSource",
        path="hg:includedSource",
    ),
    "screening-found-by-nothing": Case(
        "hgsh:Screening-found-by",
        review(record={"hg:foundBy": None}),
        "exactly one hg:foundBy",
    ),
    "screening-found-by-two-methods": Case(
        "hgsh:Screening-found-by",
        review(
            review={"hg:method": "review:r\\#search-1, review:r\\#search-2"},
            record={"hg:foundBy": "review:r\\#search-1, review:r\\#search-2"},
            extra=node("review:r\\#search-2", {"a": "hg:AddedOnRequest"}),
        ),
        "exactly one hg:foundBy",
    ),
    "screening-two-addresses": Case(
        "hgsh:Screening-url",
        review(record={"schema:url": '"https://example.org/a", "https://example.org/b"'}),
        "one retrieved item",
    ),
    "screening-duplicate-of-a-source": Case(
        "hgsh:Screening-duplicate-of",
        review(record={"hg:exclusionReason": "hg:Duplicate", "hg:duplicateOf": "source:src-1"}),
        "hg:duplicateOf names",
        value="id/source/src-1",
    ),
    "screening-unknown-first-decision": Case(
        "hgsh:Screening-first-decision",
        review(record={"hg:firstDecision": "hg:Maybe", "hg:resolution": '"kept"@en'}),
        "hg:firstDecision",
        value="hg:Maybe",
    ),
    "screening-unknown-second-decision": Case(
        "hgsh:Screening-second-decision",
        review(record={"hg:secondDecision": "hg:Maybe", "hg:resolution": '"kept"@en'}),
        "hg:secondDecision",
        value="hg:Maybe",
    ),
    "screening-unknown-second-reason": Case(
        "hgsh:Screening-second-reason",
        review(record={"hg:secondReason": "hg:Boring"}),
        "hg:secondReason",
        value="hg:Boring",
    ),
    "screening-found-by-another-reviews-search": Case(
        "hgsh:Screening-found-in-review",
        review(record={"hg:foundBy": "review:r1\\#search-1"}),
        "the same review",
        value="id/review/r1#search-1",
    ),
    # Screening-duplicate-names-record, one case for each of its branches.
    "screening-duplicate-names-nothing": Case(
        "hgsh:Screening-duplicate-names-record",
        review(record={"hg:exclusionReason": "hg:Duplicate"}),
        "hg:duplicateOf naming another record",
        value="hg:Duplicate",
    ),
    "screening-duplicate-of-but-not-a-duplicate": Case(
        "hgsh:Screening-duplicate-names-record",
        review(
            records=[
                RECORD,
                {
                    **RECORD,
                    "schema:url": '"https://example.org/u"',
                    "hg:duplicateOf": "review:r\\#record-1",
                },
            ]
        ),
        "only a record excluded as hg:Duplicate",
        value="id/review/r#record-1",
    ),
    "screening-duplicate-of-itself": Case(
        "hgsh:Screening-duplicate-names-record",
        review(
            record={"hg:exclusionReason": "hg:Duplicate", "hg:duplicateOf": "review:r\\#record-1"}
        ),
        "another record of the same review",
        value="id/review/r#record-1",
    ),
    "screening-duplicate-of-another-reviews-record": Case(
        "hgsh:Screening-duplicate-names-record",
        review(
            record={"hg:exclusionReason": "hg:Duplicate", "hg:duplicateOf": "review:r1\\#record-2"}
        ),
        "another record of the same review",
        value="id/review/r1#record-2",
    ),
    # Screening-supporting-names-inclusion
    "screening-supporting-names-nothing": Case(
        "hgsh:Screening-supporting-names-inclusion",
        supporting(hg__reportOf=None),
        "hg:reportOf naming the included record",
    ),
    "screening-supporting-an-exclusion": Case(
        "hgsh:Screening-supporting-names-inclusion",
        review(records=[RECORD, SUPPORTING]),
        "hg:reportOf naming the included record",
        value="id/review/r#record-1",
    ),
    "screening-supporting-another-reviews-inclusion": Case(
        "hgsh:Screening-supporting-names-inclusion",
        supporting(hg__reportOf="review:r1\\#record-1"),
        "of the same review",
        value="id/review/r1#record-1",
    ),
    # Screening-disagreement-resolved
    "screening-second-decision-alone": Case(
        "hgsh:Screening-disagreement-resolved",
        review(record={"hg:firstDecision": None}),
        "needs both decisions",
        value="hg:Excluded",
    ),
    "screening-disagreement-unresolved": Case(
        "hgsh:Screening-disagreement-resolved",
        review(record={"hg:secondDecision": "hg:Included"}),
        "hg:resolution",
        value="hg:Included",
    ),
    # Screening-decision-complete: the branches for a supporting report.
    "screening-supporting-without-title": Case(
        "hgsh:Screening-decision-complete",
        supporting(dcterms__title=None),
        "a supporting report needs a title",
        path="dcterms:title",
    ),
    "screening-supporting-without-address": Case(
        "hgsh:Screening-decision-complete",
        supporting(schema__url=None),
        "a supporting report needs a title and an address",
        path="schema:url",
    ),
    "screening-supporting-with-a-reason": Case(
        "hgsh:Screening-decision-complete",
        supporting(hg__exclusionReason="hg:SecondaryReport"),
        "no exclusion reason",
        path="hg:exclusionReason",
    ),
    "screening-supporting-with-its-own-source": Case(
        "hgsh:Screening-decision-complete",
        supporting(hg__includedSource="source:src-2"),
        "no included source of its own",
        path="hg:includedSource",
    ),
    # Screening-awaiting-undecided: a record awaiting screening carries no decision's consequences.
    "awaiting-with-a-reason": Case(
        "hgsh:Screening-awaiting-undecided",
        review(records=[RECORD, {**AWAITING, "hg:exclusionReason": "hg:OffTopic"}]),
        "not decided yet",
        path="hg:exclusionReason",
    ),
    "awaiting-without-title": Case(
        "hgsh:Screening-awaiting-undecided",
        review(records=[RECORD, {**AWAITING, "dcterms:title": None}]),
        "a dcterms:title to be screened on",
        path="dcterms:title",
    ),
    "awaiting-with-its-own-source": Case(
        "hgsh:Screening-awaiting-undecided",
        review(records=[RECORD, {**AWAITING, "hg:includedSource": "source:src-1"}]),
        "included source",
        path="hg:includedSource",
    ),
    "awaiting-assessment-screened-twice": Case(
        "hgsh:Screening-awaiting-undecided",
        review(
            records=[
                RECORD,
                {
                    **AWAITING,
                    "hg:decision": "hg:AwaitingAssessment",
                    "hg:firstDecision": "hg:Included",
                    "hg:secondDecision": "hg:Included",
                },
            ]
        ),
        "second screener's decision",
        path="hg:secondDecision",
    ),
    # ------------------------------------------------------------ the second screening
    "second-screening-no-seed": Case(
        "hgsh:SecondScreeningShape",
        review(second={"hg:sampleSeed": None}),
        "hg:sampleSeed",
        "hgsh:SecondScreening-seed",
    ),
    "second-screening-seed-not-a-number": Case(
        "hgsh:SecondScreening-seed",
        review(second={"hg:sampleSeed": '"seven"'}),
        "integer seed",
        value="seven",
    ),
    "second-screening-dated-by-year": Case(
        "hgsh:SecondScreening-date",
        review(second={"dcterms:date": '"2026"^^xsd:gYear'}),
        "dcterms:date",
    ),
    "second-screening-agent-not-an-iri": Case(
        "hgsh:SecondScreening-agent",
        review(second={"prov:wasAssociatedWith": '"a second reader"'}),
        "prov:wasAssociatedWith",
    ),
}
CASES: dict[str, Case] = {name: Case(*case) for name, case in _CASES.items()}

ENGINES = ("sparql", "pyshacl")


def named_shapes() -> set[str]:
    """Every named node shape, property shape and SPARQL constraint in ontology/shapes.ttl."""
    shapes = rdflib.Graph().parse(shapes_file())
    found = set()
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        found.update(shapes.subjects(RDF.type, kind))
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found.update(shapes.subjects(predicate, None))
    for predicate in (SH.property, SH.node, SH.sparql):
        found.update(shapes.objects(None, predicate))
    return {short(str(s)) for s in found if isinstance(s, rdflib.URIRef)}


def reached(shape: str, fired: str) -> bool:
    """Whether ``fired`` is one of ``shape``'s own property shapes or SPARQL constraints."""
    shapes = rdflib.Graph().parse(shapes_file())
    node = rdflib.URIRef(shape.replace("hgsh:", "https://w3id.org/harmgraph/shapes#"))
    return any(
        short(str(o)) == fired for p in (SH.property, SH.sparql) for o in shapes.objects(node, p)
    )


def test_every_named_shape_has_a_failing_case():
    assert named_shapes() == {case[0] for case in CASES.values()}


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_graph_conforms(mini_with, engine):
    report = validate_graph(load_graph([mini_with("")]), engine)
    # Not even a warning: the mini review r1 has its second screening.
    assert not report.findings, [str(f) for f in report.findings]
    assert report.engine == engine, report.note


#: The good review in each of its forms: with a search of every kind, with a supporting report,
#: a resolved disagreement, a duplicate naming the record it copies, a secondary report naming
#: what it reports, a record whose address was not recorded. Each conforms with no finding at
#: all, so that a failing case fails for the one property it spoils.
GOOD_REVIEWS = {
    **{f"found-by-{kind.removeprefix('hg:')}": search(kind) for kind in SEARCH_OF_KIND},
    "supporting-report": supporting(),
    "disagreement-resolved": review(
        record={
            "hg:secondDecision": "hg:Included",
            "hg:resolution": '"a third reader kept the first decision"@en',
        }
    ),
    "duplicate-names-its-record": review(
        records=[
            RECORD,
            {
                **RECORD,
                "hg:exclusionReason": "hg:Duplicate",
                "hg:duplicateOf": "review:r\\#record-1",
                "schema:url": '"https://mirror.example.org/t"',
            },
        ]
    ),
    "secondary-report-names-its-record": review(
        records=[
            INCLUDED,
            {
                **RECORD,
                "hg:exclusionReason": "hg:SecondaryReport",
                "hg:reportOf": "review:r\\#record-1",
            },
        ]
    ),
    "address-not-recorded": review(
        record={
            "schema:url": None,
            "hg:addressNotRecorded": '"split from a record that stood for several items"',
        }
    ),
    "in-progress-with-records-awaiting": review(
        records=[
            RECORD,
            AWAITING,
            {
                **AWAITING,
                "hg:decision": "hg:AwaitingAssessment",
                "schema:url": None,
                "bibo:doi": '"10.5555/hg-test.9"',
            },
        ]
    ),
    "search-that-returned-nothing": review(
        review={"hg:method": "review:r\\#search-1, review:r\\#search-2"},
        extra=node("review:r\\#search-2", {**SEARCH, "hg:resultsReturned": "0"}),
    ),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(GOOD_REVIEWS))
def test_good_review_conforms_with_no_finding(mini_with, name, engine):
    report = validate_graph(load_graph([mini_with(GOOD_REVIEWS[name])]), engine)
    assert report.engine == engine, report.note
    assert not report.findings, [str(f) for f in report.findings]


def test_bundled_graph_conforms():
    report = validate_graph(load_graph())
    assert report.conforms, "\n".join(str(f) for f in report.violations)
    assert report.engine == "sparql", report.note


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_failing_case_names_its_shape(mini_with, name, engine):
    shape, extra, message, fired, path, value, severity = CASES[name]
    graph = load_graph([mini_with(extra)])
    report = validate_graph(graph, engine)
    assert report.engine == engine, report.note
    # A warning is among the findings but not among the violations: it does not fail the data.
    found = [f for f in report.findings if f.severity == severity]
    named = [f for f in found if f.shape == (fired or shape)]
    assert named, f"{fired or shape} did not fire; got {[str(f) for f in report.findings]}"
    assert any(message in f.message for f in named), [f.message for f in named]
    if path is not None:
        assert any(f.path == path for f in named), [str(f) for f in named]
    if value is not None:
        assert any(f.value == value for f in named), [str(f) for f in named]
    if severity == "warning":
        assert report.conforms, [str(f) for f in report.violations]
    if fired:
        # A node shape without constraints of its own: what fired is reached through it, on a
        # focus node it targets.
        assert reached(shape, fired)
        target = (
            rdflib.Graph()
            .parse(shapes_file())
            .value(
                rdflib.URIRef(shape.replace("hgsh:", "https://w3id.org/harmgraph/shapes#")),
                SH.targetClass,
            )
        )
        if target is not None:
            focus = {f.focus_node for f in named}
            assert any(
                graph.store.ask(f"ASK {{ {t.n3()} a/rdfs:subClassOf* <{target}> }}") for t in focus
            )


def test_cli_reports_file_line_and_exit_1(mini_with):
    folder = mini_with(
        '\n\nharm:x a hg:Harm ; skos:prefLabel "x"@en ; skos:inScheme scheme:harm ; '
        "skos:topConceptOf scheme:harm .\n"
    )
    result = run_cli("validate", str(folder))
    assert result.returncode == 1, result.stderr
    line = next(row for row in result.stdout.splitlines() if "hgsh:definition" in row)
    extra_line = (folder / "extra.ttl").read_text().splitlines().index(
        next(r for r in (folder / "extra.ttl").read_text().splitlines() if r.startswith("harm:x"))
    ) + 1
    assert line.startswith(f"{folder / 'extra.ttl'}:{extra_line}: violation: id/harm/x:")
    assert "Traceback" not in result.stderr


def test_cli_validate_bundled_exit_0():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stderr
    assert "note:" not in result.stderr, "the compiled engine answers for the bundled shapes"


def test_cli_json_has_typed_terms_and_the_component(mini_with):
    folder = mini_with('intervention:int-i hg:jurisdiction "http://not-an-iri.example" .')
    result = run_cli("validate", "--format", "json", str(folder))
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    found = next(f for f in findings if f["shape"] == "hgsh:Intervention-jurisdiction")
    assert found["component"] == "sh:PatternConstraintComponent"
    assert found["value_node"] == {
        "type": "literal",
        "value": "http://not-an-iri.example",
        "datatype": "http://www.w3.org/2001/XMLSchema#string",
    }
    # A literal that looks like a web address is shown as it is, never as a shortened IRI.
    assert found["value"] == "http://not-an-iri.example"
    assert found["result_path"] == "<https://w3id.org/harmgraph/ontology#jurisdiction>"
    assert found["focus_node"]["type"] == "uri"
    assert found["source_shape"]["value"].endswith("#Intervention-jurisdiction")


def test_cli_other_shapes_file(tmp_path: Path, mini_with):
    shapes = tmp_path / "only-titles.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix hg: <https://w3id.org/harmgraph/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://example.org/TitleShape> sh:targetClass hg:EvidenceSource ; sh:property [\n"
        '    sh:path dcterms:title ; sh:maxLength 5 ; sh:message "short titles only" ] .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--shapes", str(shapes), str(mini_with("")))
    assert result.returncode == 1, result.stderr
    assert "short titles only" in result.stdout and "(anonymous shape)" in result.stdout
    assert "note:" not in result.stderr


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "the file is empty"),
        (
            b"@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y sh:z .\nnot turtle {\n",
            ":3: not valid turtle",
        ),
        (b"\xff\xfe\x00t", "not UTF-8"),
    ],
)
def test_cli_bad_shapes_file_is_one_line_exit_2(tmp_path: Path, content: bytes, fragment: str):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_bytes(content)
    result = run_cli("validate", "--shapes", str(shapes))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(shapes) in result.stderr and fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_missing_shapes_file(tmp_path: Path):
    result = run_cli("validate", "--shapes", str(tmp_path / "nope.ttl"))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"harmgraph: error: {tmp_path / 'nope.ttl'}: cannot be read: No such file or directory"
    )


def test_cli_refusal_is_a_note_on_stderr(tmp_path: Path, mini_with):
    shapes = tmp_path / "closed.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> sh:targetNode <https://w3id.org/harmgraph/id/harm/facet-a> ;"
        " sh:closed true .\n",
        encoding="utf-8",
    )
    result = run_cli("validate", "--shapes", str(shapes), str(mini_with("")))
    assert result.returncode == 1
    assert "harmgraph: note: the compiled engine refused closed.ttl" in result.stderr
    assert "pySHACL answered" in result.stderr


def test_pyshacl_engine_runs_the_sparql_constraints_too(mini_with):
    report = validate_graph(
        load_graph([mini_with("technology:tech-x hg:enables harm:facet-b .")]), "pyshacl"
    )
    assert report.engine == "pyshacl"
    assert any(f.component == "sh:SPARQLConstraintComponent" for f in report.findings)


def test_several_threads_validate_with_pyshacl_at_once_and_touch_nothing_global(tmp_path):
    """Regression: run_pyshacl patched rdflib's SPARQLProcessor.query for the whole process
    while pySHACL ran (a parse cache), so every other thread's SPARQL went through it, and two
    validations at once could restore each other's patch and leave it installed for good.
    Four threads validate four graphs at once through pySHACL; each gets the answer it gets
    alone, and rdflib's query method is never replaced, during or after."""
    import threading
    import time

    from rdflib.plugins.sparql import processor

    extras = [
        "",
        "technology:tech-x hg:enables harm:facet-a .",
        "technology:tech-x hg:enables harm:facet-b .",
        "intervention:int-i hg:addresses harm:facet-b .",
    ]
    graphs = []
    for number, extra in enumerate(extras):
        folder = tmp_path / f"data-{number}"
        folder.mkdir()
        (folder / "mini.ttl").write_text((MINI / "mini.ttl").read_text(encoding="utf-8"))
        (folder / "extra.ttl").write_text(PREFIXES + extra, encoding="utf-8")
        graphs.append(load_graph([folder]))

    def answer(report) -> list[str]:  # noqa: ANN001 - a Report
        return sorted(f"{f.focus_node} {f.shape} {f.value_node}" for f in report.findings)

    alone = [answer(validate_graph(graph, "pyshacl")) for graph in graphs]
    assert len({tuple(a) for a in alone}) == len(graphs), "the graphs must answer differently"
    original = processor.SPARQLProcessor.query
    together: list[list[str] | BaseException | None] = [None] * len(graphs)
    start = threading.Barrier(len(graphs) + 1)
    replaced: list[object] = []

    def validate(number: int) -> None:
        start.wait()
        try:
            together[number] = answer(validate_graph(graphs[number], "pyshacl"))
        except BaseException as error:  # reported below, with the thread's graph
            together[number] = error

    threads = [threading.Thread(target=validate, args=(n,)) for n in range(len(graphs))]
    for thread in threads:
        thread.start()
    start.wait()
    # Meanwhile this thread is any other thread of the app: rdflib's query method is its own.
    while any(thread.is_alive() for thread in threads):
        if processor.SPARQLProcessor.query is not original:
            replaced.append(processor.SPARQLProcessor.query)
        time.sleep(0.001)  # to let the validating threads run, not to time anything
    for thread in threads:
        thread.join()
    assert together == alone
    assert not replaced, "rdflib's SPARQLProcessor.query was replaced while pySHACL ran"
    assert processor.SPARQLProcessor.query is original
