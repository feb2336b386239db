"""Counts of what a graph holds.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> counts = graph_stats(load_graph())
>>> sorted(k for k in ("triples", "harms", "claims") if k in counts)
['claims', 'harms', 'triples']
"""

from __future__ import annotations

from harmgraph.model.evidence import Claim, Entity, Evidence, read_evidence
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import HG_IRI

_CLASSES = {
    "harms": "hg:Harm",
    "technologies": "hg:Technology",
    "actors": "hg:Actor",
    "interventions": "hg:Intervention",
    "sources": "hg:EvidenceSource",
    "claims": "hg:Claim",
    "gaps": "hg:Gap",
}

#: What each count of :func:`graph_stats` counts, in words: the table of ``harmgraph stats``,
#: its Markdown summary and the app's Overview say the same. A facet is a harm and a type is
#: an intervention (each a top concept of its scheme), so each is counted in both places.
MEANINGS = {
    "triples": "triples: the ontology's and the data's",
    "ontology_triples": "triples of the ontology",
    "data_triples": "triples of the data",
    "harms": "harms (hg:Harm), the harm facets included",
    "technologies": "technology categories (hg:Technology)",
    "actors": "actor roles (hg:Actor)",
    "interventions": "interventions (hg:Intervention), the intervention types included",
    "sources": "evidence sources (hg:EvidenceSource)",
    "claims": "claims (hg:Claim)",
    "gaps": "research needs stated by sources (hg:Gap)",
    "harm_facets": "harm facets: the top harms, also counted in harms",
    "intervention_types": "intervention types: the top interventions, also counted in them",
    "sources_on_copy": "sources checked on a copy: own page not reached (hg:primaryNotReached)",
    "citations": "citations: a claim's reference to a source, with its locator",
    "reviews": "reviews (hg:Review)",
    "screened": "screening records: the candidates the reviews considered",
    "excluded": "screening records excluded, each with a reason",
    "included": "screening records included",
}

_COUNT_QUERY = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
    VALUES ?class { %s }
    ?x a ?class .
} GROUP BY ?class
"""


def graph_stats(graph: LoadedGraph) -> dict[str, int]:
    """Return counts: ``triples`` (ontology and data), one key per class, and details.

    Keys (each explained in :data:`MEANINGS`): ``triples``, ``ontology_triples``,
    ``data_triples``, ``harms``, ``technologies``, ``actors``, ``interventions``, ``sources``,
    ``claims``, ``gaps``, ``harm_facets`` (top concepts of the harm scheme, counted in
    ``harms`` too), ``intervention_types`` (counted in ``interventions`` too),
    ``sources_on_copy``, ``citations``, and for the documented reviews ``reviews``,
    ``screened`` (screening records: candidates considered), ``excluded`` and ``included``.
    """
    store = graph.store
    rows = store.query(_COUNT_QUERY % " ".join(_CLASSES.values()))
    by_class = {row["class"]: int(row["n"] or 0) for row in rows}
    ontology_triples = store.count("ontology")
    data_triples = store.count("data")
    counts = {"triples": ontology_triples + data_triples}
    counts["ontology_triples"] = ontology_triples
    counts["data_triples"] = data_triples
    for key, curie in _CLASSES.items():
        counts[key] = by_class.get(HG_IRI + curie.removeprefix("hg:"), 0)
    extra = store.query(
        """SELECT
            (COUNT(DISTINCT ?facet) AS ?facets)
            (COUNT(DISTINCT ?type) AS ?types)
            (COUNT(DISTINCT ?cite) AS ?cites)
            (COUNT(DISTINCT ?copy) AS ?copies)
        WHERE {
            { ?facet a hg:Harm ; skos:topConceptOf ?s1 }
            UNION { ?type a hg:Intervention ; skos:topConceptOf ?s2 }
            UNION { ?claim hg:citation ?cite }
            UNION { ?copy a hg:EvidenceSource ; hg:primaryNotReached ?why }
        }"""
    )[0]
    counts["harm_facets"] = int(extra["facets"] or 0)
    counts["intervention_types"] = int(extra["types"] or 0)
    counts["sources_on_copy"] = int(extra["copies"] or 0)
    counts["citations"] = int(extra["cites"] or 0)
    screening = store.query(
        """SELECT
            (COUNT(DISTINCT ?review) AS ?reviews)
            (COUNT(DISTINCT ?record) AS ?screened)
            (COUNT(DISTINCT ?out) AS ?excluded)
            (COUNT(DISTINCT ?in) AS ?included)
        WHERE {
            ?review a hg:Review .
            OPTIONAL {
                ?review hg:screened ?record .
                OPTIONAL { ?record hg:decision hg:Excluded BIND (?record AS ?out) }
                OPTIONAL { ?record hg:decision hg:Included BIND (?record AS ?in) }
            }
        }"""
    )[0]
    for key in ("reviews", "screened", "excluded", "included"):
        counts[key] = int(screening[key] or 0)
    return counts


def facet_claims(evidence: Evidence) -> list[tuple[Entity, list[Claim], set[str]]]:
    """Each harm facet (top concept) with the claims about it or any narrower harm, and their
    distinct sources."""
    found = []
    for facet in evidence.of_kind("harm"):
        if not facet.top:
            continue
        family = evidence.descendants(facet.iri)
        claims = [c for c in evidence.claims if c.subject in family or c.object in family]
        sources = set().union(*(c.sources for c in claims)) if claims else set()
        found.append((facet, claims, sources))
    return found


def facet_evidence(graph: LoadedGraph) -> list[dict[str, object]]:
    """For each harm facet (top concept): claims and distinct sources about it or any narrower
    harm, and how many of those claims are high confidence. Sorted by claims, fewest first."""
    rows = [
        {
            "iri": facet.iri,
            "label": facet.label,
            "claims": len(claims),
            "sources": len(sources),
            "high_confidence": sum(1 for c in claims if c.confidence == 3),
            "severity": facet.severity,
        }
        for facet, claims, sources in facet_claims(read_evidence(graph))
    ]
    return sorted(rows, key=lambda r: (r["claims"], r["label"]))
