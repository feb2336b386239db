"""Base IRIs, prefixes and the closed ``hg:`` namespace.

This is the only module where an IRI string of harmgraph's own is typed.
``HG`` is a closed rdflib ``DefinedNamespace``: a misspelt term raises instead of
silently minting a new IRI. It is built on first use, so that importing this module (which
every other module does) does not import rdflib: the commands that never need rdflib start
without paying for it.

Examples
--------
>>> from harmgraph.rdf.namespaces import HG
>>> str(HG.Harm)
'https://w3id.org/harmgraph/ontology#Harm'
>>> entity_iri("harm", "normalisation")
'https://w3id.org/harmgraph/id/harm/normalisation'
>>> HG.Harmm  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
AttributeError: term 'Harmm' not in namespace
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib.namespace import DefinedNamespace

HG_IRI = "https://w3id.org/harmgraph/ontology#"
ID_IRI = "https://w3id.org/harmgraph/id/"
SHAPES_IRI = "https://w3id.org/harmgraph/shapes#"
ONTOLOGY_IRI = "https://w3id.org/harmgraph/ontology"
GRAPH_IRI = "https://w3id.org/harmgraph/graph/"

#: Named graphs used in the store and in the TriG distribution.
ONTOLOGY_GRAPH = GRAPH_IRI + "ontology"
DATA_GRAPH = GRAPH_IRI + "data"
SHAPES_GRAPH = GRAPH_IRI + "shapes"


def _closed_namespace() -> type[DefinedNamespace]:
    """Define ``HG`` (importing rdflib here, the first time it is asked for)."""
    from rdflib.namespace import DefinedNamespace, Namespace
    from rdflib.term import URIRef  # noqa: F401 - the annotations below name it

    class HG(DefinedNamespace):
        """The harmgraph ontology terms (``hg:``)."""

        _NS = Namespace(HG_IRI)
        _fail = True

        # classes
        Harm: URIRef
        Technology: URIRef
        Actor: URIRef
        Intervention: URIRef
        EvidenceSource: URIRef
        Claim: URIRef
        Citation: URIRef
        Gap: URIRef
        EvidenceKind: URIRef
        Direction: URIRef
        ConfidenceLevel: URIRef
        SourceKind: URIRef
        LifecycleStage: URIRef
        PreventionLevel: URIRef
        Review: URIRef
        SearchMethod: URIRef
        KeywordSearch: URIRef
        CitationChasing: URIRef
        OrganisationSearch: URIRef
        ScreeningRecord: URIRef
        ScreeningDecision: URIRef
        ExclusionReason: URIRef
        KnownItemLookup: URIRef
        CarriedIn: URIRef
        AddedOnRequest: URIRef
        UnrecordedSearch: URIRef
        SecondScreening: URIRef
        ReviewType: URIRef
        PlaceKind: URIRef
        SoughtEvidence: URIRef
        SearchTarget: URIRef
        # direct relations
        enables: URIRef
        addresses: URIRef
        implementedBy: URIRef
        targets: URIRef
        affects: URIRef
        perpetratedBy: URIRef
        # claim model
        citation: URIRef
        source: URIRef
        locator: URIRef
        evidenceKind: URIRef
        direction: URIRef
        confidence: URIRef
        confidenceRationale: URIRef
        rank: URIRef
        # sources, interventions, gaps, harms
        sourceKind: URIRef
        jurisdiction: URIRef
        lifecycleStage: URIRef
        preventionLevel: URIRef
        concerns: URIRef
        severity: URIRef
        severitySource: URIRef
        # reviews and screening
        reviewedHarm: URIRef
        reviewedIntervention: URIRef
        method: URIRef
        searchQuery: URIRef
        searchedIn: URIRef
        chasedFrom: URIRef
        organisation: URIRef
        screened: URIRef
        decision: URIRef
        exclusionReason: URIRef
        addressWithheld: URIRef
        includedSource: URIRef
        producedClaim: URIRef
        reviewType: URIRef
        screenerCount: URIRef
        aimedAt: URIRef
        sought: URIRef
        placeKind: URIRef
        placeVersion: URIRef
        resultLimit: URIRef
        resultsReturned: URIRef
        carriedFrom: URIRef
        foundBy: URIRef
        duplicateOf: URIRef
        reportOf: URIRef
        addressNotRecorded: URIRef
        secondScreening: URIRef
        sampleSeed: URIRef
        firstDecision: URIRef
        secondDecision: URIRef
        secondReason: URIRef
        resolution: URIRef
        primaryNotReached: URIRef
        # controlled values
        EmpiricalQuantitative: URIRef
        EmpiricalQualitative: URIRef
        EvaluationTrial: URIRef
        SystematicReview: URIRef
        MonitoringData: URIRef
        LegalText: URIRef
        ExpertOpinion: URIRef
        Supports: URIRef
        Disputes: URIRef
        Mixed: URIRef
        HighConfidence: URIRef
        ModerateConfidence: URIRef
        LowConfidence: URIRef
        PeerReviewedArticle: URIRef
        Preprint: URIRef
        Report: URIRef
        Legislation: URIRef
        CourtDecision: URIRef
        Dataset: URIRef
        Guidance: URIRef
        SecondarySummary: URIRef
        StageDataTraining: URIRef
        StageModelRelease: URIRef
        StageDeploymentHosting: URIRef
        StageDistributionPlatform: URIRef
        StageOffenderPrevention: URIRef
        StageVictimSupport: URIRef
        StageLawPolicy: URIRef
        StageEducation: URIRef
        PrimaryPrevention: URIRef
        SecondaryPrevention: URIRef
        TertiaryPrevention: URIRef
        Included: URIRef
        Excluded: URIRef
        OffTopic: URIRef
        NoAIDimension: URIRef
        NoOutcomeData: URIRef
        Duplicate: URIRef
        CannotBeVerified: URIRef
        OperationalDetail: URIRef
        Supporting: URIRef
        AwaitingScreening: URIRef
        AwaitingAssessment: URIRef
        SecondaryReport: URIRef
        RapidWebScan: URIRef
        RapidReview: URIRef
        ScopingReview: URIRef
        FullSystematicReview: URIRef
        WebIndex: URIRef
        BibliographicDatabase: URIRef
        Register: URIRef
        OrganisationWebsite: URIRef
        SoughtInterventions: URIRef
        SoughtEvaluations: URIRef
        SoughtHarmEvidence: URIRef
        AnyIntervention: URIRef

    return HG


def __getattr__(name: str) -> object:
    """Build ``HG`` on first access (PEP 562); any other unknown name is an error."""
    if name == "HG":
        globals()["HG"] = namespace = _closed_namespace()
        return namespace
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


#: The six direct relations that claims back.
DIRECT_RELATIONS: tuple[str, ...] = (
    "enables",
    "addresses",
    "implementedBy",
    "targets",
    "affects",
    "perpetratedBy",
)

#: Entity kinds as they appear in instance IRIs, with their class.
KINDS: dict[str, str] = {
    "harm": "Harm",
    "technology": "Technology",
    "actor": "Actor",
    "intervention": "Intervention",
    "source": "EvidenceSource",
    "claim": "Claim",
    "gap": "Gap",
    "review": "Review",
}

#: Prefixes used in every serialisation and accepted in every query.
PREFIXES: dict[str, str] = {
    "hg": HG_IRI,
    "hgsh": SHAPES_IRI,
    "scheme": ID_IRI + "scheme/",
    "harm": ID_IRI + "harm/",
    "technology": ID_IRI + "technology/",
    "actor": ID_IRI + "actor/",
    "intervention": ID_IRI + "intervention/",
    "source": ID_IRI + "source/",
    "claim": ID_IRI + "claim/",
    "gap": ID_IRI + "gap/",
    "review": ID_IRI + "review/",
    "agent": ID_IRI + "agent/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "bibo": "http://purl.org/ontology/bibo/",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vann": "http://purl.org/vocab/vann/",
    "dpv": "https://w3id.org/dpv#",
    "risk": "https://w3id.org/dpv/risk#",
    "airo": "https://w3id.org/airo#",
    "obo": "http://purl.obolibrary.org/obo/",
}


def entity_iri(kind: str, slug: str) -> str:
    """Return the instance IRI for an entity of ``kind`` with ``slug``.

    >>> entity_iri("source", "iwf-2023-ai-csam")
    'https://w3id.org/harmgraph/id/source/iwf-2023-ai-csam'
    """
    if kind not in KINDS:
        msg = f"unknown entity kind {kind!r}: expected one of {', '.join(KINDS)}"
        raise ValueError(msg)
    return f"{ID_IRI}{kind}/{slug}"


def sparql_prefixes() -> str:
    """Return PREFIX declarations for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
