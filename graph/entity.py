"""Everything the graph says about one entity, as plain data for an entity page.

Examples
--------
>>> from harmgraph.load import load_graph
>>> page = describe_entity(load_graph(), "harm/normalisation")
>>> page["kind"], page["label"]
('harm', 'normalisation of the sexual exploitation of children')
>>> sorted(page)[:4]
['alt_labels', 'broader', 'claims', 'claims_citing']
"""

from __future__ import annotations

from harmgraph.evidence import CONFIDENCE_NAME, Evidence, read_evidence, short_id
from harmgraph.gaps import find_gaps
from harmgraph.load import LoadedGraph
from harmgraph.reviews import coverage, read_reviews


def claim_row(evidence: Evidence, claim) -> dict[str, object]:
    """One claim as a row: statement, grading and each citation with its source."""
    return {
        "claim": claim.iri,
        "subject": claim.subject,
        "subject_label": evidence.label(claim.subject),
        "relation": claim.predicate,
        "object": claim.object,
        "object_label": evidence.label(claim.object),
        "direction": evidence.label(claim.direction),
        "confidence": CONFIDENCE_NAME[claim.confidence],
        "evidence_kind": evidence.label(claim.kind),
        "rationale": claim.rationale,
        "citations": [
            {
                "source": c.source,
                "title": evidence.label(c.source),
                "year": evidence.source_years.get(c.source),
                "locator": c.locator,
                "url": evidence.links.get(c.source, ""),
            }
            for c in claim.citations
        ],
    }


def describe_entity(graph: LoadedGraph, name: str) -> dict[str, object]:
    """Return the entity's label, definition, hierarchy, relations with claims, gaps and
    (for a source) the claims that cite it."""
    evidence = read_evidence(graph)
    iri = evidence.resolve(name)
    entity = evidence.entities[iri]
    children = sorted(c for c, parents in evidence.parents.items() if iri in parents)
    claims = [c for c in evidence.claims if iri in (c.subject, c.object)]
    citing = [c for c in evidence.claims if iri in c.sources]
    related_gaps = [
        g
        for g in find_gaps(graph)
        if iri in (g["subject"], g["object"], g["source"]) or iri in g["concerns"]
    ]
    return {
        "iri": iri,
        "id": short_id(iri),
        "kind": entity.kind,
        "label": entity.label,
        "alt_labels": evidence.alt_labels.get(iri, []),
        "definition": entity.definition,
        "broader": [{"iri": p, "label": evidence.label(p)} for p in evidence.parents.get(iri, [])],
        "narrower": [{"iri": c, "label": evidence.label(c)} for c in children],
        "stage": evidence.label(entity.stage) if entity.stage else "",
        "prevention_level": evidence.label(entity.level) if entity.level else "",
        "jurisdiction": entity.jurisdiction,
        "severity": entity.severity,
        "severity_source": entity.severity_source,
        "claims": [claim_row(evidence, c) for c in claims],
        "claims_citing": [claim_row(evidence, c) for c in citing],
        "gaps": related_gaps,
        "link": evidence.links.get(iri, ""),
        "source": _source_details(evidence, iri),
        "review": _review_details(graph, evidence, iri),
        "covered_by": _covering_reviews(graph, entity),
    }


def _review_details(graph: LoadedGraph, evidence: Evidence, iri: str) -> dict[str, object]:
    """For a review: what it covered, its methods and every screening record (decision,
    reason, candidate, source, claims); an empty dict for any other entity."""
    review = next((r for r in read_reviews(graph) if r.iri == iri), None)
    if review is None:
        return {}
    records = [
        {
            "decision": evidence.label(r.decision),
            "reason": evidence.label(r.reason) if r.reason else "",
            "title": r.title or (evidence.label(r.source) if r.source else ""),
            "url": f"https://doi.org/{r.doi}" if r.doi else r.url,
            "source": r.source,
            "claims": sorted(r.claims),
        }
        for r in review.records
    ]
    return {
        **review.summary(),
        "agent": review.agent,
        "harms": [{"iri": h, "label": evidence.label(h)} for h in sorted(review.harms)],
        "interventions": [
            {"iri": i, "label": evidence.label(i)} for i in sorted(review.interventions)
        ],
        "method_list": [{key: value for key, value in m.items() if value} for m in review.methods],
        "records": sorted(records, key=lambda r: (r["decision"], r["reason"], r["title"].lower())),
    }


def _covering_reviews(graph: LoadedGraph, entity) -> list[dict[str, object]]:  # noqa: ANN001
    """The reviews that searched evidence about a harm, or on an intervention."""
    cover = coverage(graph)
    if entity.kind == "harm":
        found = cover.for_harm(entity.iri)
    elif entity.kind == "intervention":
        found = [r for r in cover.reviews if cover.covers_intervention(r, entity.iri)]
    else:
        return []
    return [r.summary() for r in found]


def _source_details(evidence: Evidence, iri: str) -> dict[str, object]:
    """For a source: its authors in the order of its record, publisher, year, kind and DOI;
    an empty dict for any other entity."""
    for record in evidence.source_records:
        if record["source"] == iri:
            return {
                "authors": list(record["creators"]),
                "publisher": record["publisher"],
                "year": record["date"][:4],
                "kind": evidence.label(record["kind"]),
                "doi": record["doi"],
                "url": record["url"],
                "part_of": record.get("part_of", ""),
            }
    return {}


def entity_index(graph: LoadedGraph) -> list[dict[str, str]]:
    """Every entity as ``{id, iri, kind, label}``, sorted by kind then label (for pickers)."""
    evidence = read_evidence(graph)
    rows = [
        {"id": short_id(e.iri), "iri": e.iri, "kind": e.kind, "label": e.label}
        for e in evidence.entities.values()
    ]
    return sorted(rows, key=lambda r: (r["kind"], r["label"].lower()))


def claim_rows(graph: LoadedGraph, claims: list[str]) -> list[dict[str, object]]:
    """The given claims (by IRI) as rows with their citations, in the order given."""
    evidence = read_evidence(graph)
    by_iri = {c.iri: c for c in evidence.claims}
    return [claim_row(evidence, by_iri[iri]) for iri in claims if iri in by_iri]
