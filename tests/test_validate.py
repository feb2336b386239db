"""Every shape has a passing case (the mini graph, the bundled graph) and a failing case.

The list of shapes comes from ontology/shapes.ttl: every named node shape, property shape and
SPARQL constraint must have a case below. A case adds inline Turtle to the mini graph and must
produce a violation that names the shape it is for, with both engines. A node shape whose only
constraints are its property shapes and SPARQL constraints cannot be named by a finding itself:
its case names the shape reached through it that fires, for a focus node only it targets.
"""

from __future__ import annotations

import json
from pathlib import Path

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

#: A review that passes every review shape, to be spoilt one property at a time.
REVIEW = {
    "a": "hg:Review",
    "skos:prefLabel": '"a review"@en',
    "hg:reviewedHarm": "harm:facet-b",
    "dcterms:date": '"2026-11-29"^^xsd:date',
    "prov:wasAssociatedWith": "<https://w3id.org/harmgraph/id/agent/editors>",
    "hg:method": '[ a hg:KeywordSearch ; hg:searchQuery "q" ; hg:searchedIn "a library" ]',
    "hg:screened": "review:rec",
}
RECORD = (
    "review:rec a hg:ScreeningRecord ; hg:decision hg:Excluded ; hg:exclusionReason hg:OffTopic ; "
    'dcterms:title "t" ; schema:url "https://example.org/t" .'
)


def review(record: str = RECORD, **changes: str | None) -> str:
    """The good review with some properties changed (None removes one), and its record."""
    fields = {**REVIEW, **{k.replace("__", ":"): v for k, v in changes.items()}}
    body = " ; ".join(f"{k} {v}" for k, v in fields.items() if v is not None)
    return f"{MORE_PREFIXES}review:r {body} .\n{record}"


def search(kind: str, body: str) -> str:
    return review(hg__method=f"[ a {kind} ; {body} ]")


# name: (the shape the case is for, extra Turtle, a fragment of the message,
#        for a node shape without constraints of its own: the shape reached through it that fires)
CASES: dict[str, tuple[str, str, str, str | None]] = {
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
    "review-no-agent": (
        "hgsh:ReviewShape",
        review(prov__wasAssociatedWith=None),
        "prov:wasAssociatedWith",
        "hgsh:Review-agent",
    ),
    "keyword-search-no-query": (
        "hgsh:KeywordSearchShape",
        search("hg:KeywordSearch", 'hg:searchedIn "a library"'),
        "hg:searchQuery",
        "hgsh:KeywordSearch-query",
    ),
    "citation-chasing-from-nothing": (
        "hgsh:CitationChasingShape",
        search("hg:CitationChasing", 'hg:searchedIn "a library"'),
        "hg:chasedFrom",
        None,
    ),
    "organisation-search-no-organisation": (
        "hgsh:OrganisationSearchShape",
        search("hg:OrganisationSearch", 'hg:searchedIn "a library"'),
        "hg:organisation",
        "hgsh:OrganisationSearch-organisation",
    ),
    "screening-no-decision": (
        "hgsh:ScreeningRecordShape",
        review(
            record='review:rec a hg:ScreeningRecord ; dcterms:title "t" ; schema:url "https://example.org/t" .'
        ),
        "hg:decision",
        "hgsh:Screening-decision",
    ),
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
    # ------------------------------------------------------------ reviews and screening
    "review-unknown-harm": (
        "hgsh:Review-harm",
        review(hg__reviewedHarm="harm:nothing"),
        "hg:reviewedHarm",
        None,
    ),
    "review-unknown-intervention": (
        "hgsh:Review-intervention",
        review(hg__reviewedIntervention="intervention:nothing"),
        "hg:reviewedIntervention",
        None,
    ),
    "review-no-method": (
        "hgsh:Review-method",
        review(hg__method=None),
        "hg:method",
        None,
    ),
    "review-dated-by-year": (
        "hgsh:Review-date",
        review(dcterms__date='"2026"^^xsd:gYear'),
        "dcterms:date",
        None,
    ),
    "review-agent-not-an-iri": (
        "hgsh:Review-agent",
        review(prov__wasAssociatedWith='"the editors"'),
        "prov:wasAssociatedWith",
        None,
    ),
    "review-screened-not-a-record": (
        "hgsh:Review-screened",
        review(hg__screened="review:rec, source:src-1"),
        "hg:ScreeningRecord",
        None,
    ),
    "review-claim-out-of-scope": (
        "hgsh:Review-claims-in-scope",
        review(
            record="review:rec a hg:ScreeningRecord ; hg:decision hg:Included ; "
            "hg:includedSource source:src-1 ; hg:producedClaim claim:c1 ."
        ),
        "cite the screened source",
        None,
    ),
    "keyword-search-two-queries": (
        "hgsh:KeywordSearch-query",
        search("hg:KeywordSearch", 'hg:searchQuery "a", "b" ; hg:searchedIn "a library"'),
        "exactly one hg:searchQuery",
        None,
    ),
    "search-nowhere": (
        "hgsh:SearchMethod-where",
        search("hg:KeywordSearch", 'hg:searchQuery "q"'),
        "hg:searchedIn",
        None,
    ),
    "citation-chasing-unknown-source": (
        "hgsh:CitationChasing-from",
        search("hg:CitationChasing", 'hg:chasedFrom source:nowhere ; hg:searchedIn "a library"'),
        "hg:chasedFrom must name",
        None,
    ),
    "organisation-search-one-letter": (
        "hgsh:OrganisationSearch-organisation",
        search("hg:OrganisationSearch", 'hg:organisation "X" ; hg:searchedIn "a library"'),
        "hg:organisation",
        None,
    ),
    "screening-undecided": (
        "hgsh:Screening-decision",
        review(record=RECORD.replace("hg:Excluded", "hg:Maybe")),
        "hg:decision",
        None,
    ),
    "screening-unknown-reason": (
        "hgsh:Screening-reason",
        review(record=RECORD.replace("hg:OffTopic", "hg:Boring")),
        "hg:exclusionReason",
        None,
    ),
    "screening-unknown-source": (
        "hgsh:Screening-source",
        review(
            record="review:rec a hg:ScreeningRecord ; hg:decision hg:Included ; "
            "hg:includedSource source:nowhere ."
        ),
        "hg:includedSource",
        None,
    ),
    "screening-unknown-claim": (
        "hgsh:Screening-claim",
        review(
            record="review:rec a hg:ScreeningRecord ; hg:decision hg:Included ; "
            "hg:includedSource source:src-1 ; hg:producedClaim claim:nothing ."
        ),
        "hg:producedClaim",
        None,
    ),
    "screening-record-of-no-review": (
        "hgsh:Screening-review",
        MORE_PREFIXES + RECORD,
        "belongs to exactly one review",
        None,
    ),
    "screening-included-without-source": (
        "hgsh:Screening-decision-complete",
        review(record="review:rec a hg:ScreeningRecord ; hg:decision hg:Included ."),
        "an included candidate needs hg:includedSource",
        None,
    ),
}

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


def test_mini_graph_conforms(mini_with):
    report = validate_graph(load_graph([mini_with("")]))
    assert report.conforms, [str(f) for f in report.findings]
    assert report.engine == "sparql", report.note


def test_bundled_graph_conforms():
    report = validate_graph(load_graph())
    assert report.conforms, "\n".join(str(f) for f in report.violations)
    assert report.engine == "sparql", report.note


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_failing_case_names_its_shape(mini_with, name, engine):
    shape, extra, message, fired = CASES[name]
    graph = load_graph([mini_with(extra)])
    report = validate_graph(graph, engine)
    assert report.engine == engine, report.note
    named = [f for f in report.violations if f.shape == (fired or shape)]
    assert named, f"{fired or shape} did not fire; got {[str(f) for f in report.violations]}"
    assert any(message in f.message for f in named), [f.message for f in named]
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
