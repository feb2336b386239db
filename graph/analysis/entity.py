"""Everything the graph says about one entity, as plain data for an entity page.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> page = describe_entity(load_graph(), "harm/normalisation")
>>> page["kind"], page["label"]
('harm', 'normalisation of the sexual exploitation of children')
>>> sorted(page)[:4]
['addresses', 'alt_labels', 'broader', 'claims']
>>> [line["harm_label"] for line in describe_entity(load_graph(), "intervention/hash-matching")[
...     "addresses"]][:1]
['moderation and triage overload']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from harmgraph.analysis.gaps import find_gaps
from harmgraph.analysis.summary import KIND_RANK
from harmgraph.gc_paused import kept
from harmgraph.model.addresses import is_primary
from harmgraph.model.coverage import coverage, reviews_of
from harmgraph.model.evidence import CONFIDENCE_NAME, Claim, Evidence, read_evidence, short_id
from harmgraph.model.queries import read_query
from harmgraph.model.reviews import ANY_INTERVENTION, METHOD_NAMES, Review, Search, read_reviews
from harmgraph.model.screening import agreement, kappa_text, prisma_flow
from harmgraph.rdf.load import LoadedGraph


def claim_row(evidence: Evidence, claim) -> dict[str, object]:
    """One claim as a row: statement, grading and each citation with its source, and
    ``strength``, the key :func:`strongest_first` sorts by."""
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
        "strength": [claim.confidence, KIND_RANK.get(claim.kind, 0), len(claim.sources)],
    }


def strongest_first(rows: list[dict]) -> list[dict]:
    """Claim rows, strongest first: by confidence, then by how much the evidence kind says
    (a systematic review over a trial over an empirical study... over expert opinion), then by
    the number of sources; ties in the order of their IRIs."""
    return sorted(rows, key=lambda r: ([-n for n in r["strength"]], r["claim"]))


def addressed_harms(evidence: Evidence, claims: list[Claim]) -> list[dict[str, object]]:
    """For an intervention's claims, one line per harm it is said to address: the harm, how
    many claims and sources are about it, and the strongest of those claims (a strong claim
    may dispute the link), strongest harms first."""
    by_harm: dict[str, list[dict]] = defaultdict(list)
    for claim in claims:
        if claim.predicate == "addresses":
            by_harm[claim.object].append(claim_row(evidence, claim))
    lines = []
    for harm, rows in by_harm.items():
        best = strongest_first(rows)[0]
        sources = {c["source"] for r in rows for c in r["citations"]}
        lines.append(
            {
                "harm": harm,
                "harm_label": evidence.label(harm),
                "claims": len(rows),
                "sources": len(sources),
                "strongest": best,
            }
        )
    return sorted(lines, key=lambda x: ([-n for n in x["strongest"]["strength"]], x["harm_label"]))


@dataclass
class _Index:
    """Who mentions whom, built once per loaded graph so a page costs only its own rows."""

    claims: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    citing: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    gaps: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    records: dict[str, dict[str, str]] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)


def _index(graph: LoadedGraph) -> _Index:
    return kept(graph.cache, "entity-index", lambda: _make_index(graph))


def _make_index(graph: LoadedGraph) -> _Index:
    evidence = read_evidence(graph)
    index = _Index()
    for claim in evidence.claims:
        for iri in dict.fromkeys((claim.subject, claim.object)):
            index.claims[iri].append(claim)
        for iri in dict.fromkeys(claim.sources):
            index.citing[iri].append(claim)
    for gap in find_gaps(graph):
        for iri in dict.fromkeys([gap["subject"], gap["object"], gap["source"], *gap["concerns"]]):
            if iri:
                index.gaps[iri].append(gap)
    for child, parents in sorted(evidence.parents.items()):
        for parent in parents:
            index.children[parent].append(child)
    for record in evidence.source_records:
        index.records.setdefault(record["source"], record)
    index.reviews = {r.iri: r for r in read_reviews(graph)}
    return index


def describe_entity(graph: LoadedGraph, name: str) -> dict[str, object]:
    """Return the entity's label, definition, hierarchy, relations with claims, gaps and
    (for a source) the claims that cite it."""
    evidence = read_evidence(graph)
    index = _index(graph)
    iri = evidence.resolve(name)
    entity = evidence.entities[iri]
    children = index.children.get(iri, [])
    claims = index.claims.get(iri, [])
    citing = index.citing.get(iri, [])
    related_gaps = index.gaps.get(iri, [])
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
        "addresses": addressed_harms(evidence, claims) if entity.kind == "intervention" else [],
        "claims_citing": [claim_row(evidence, c) for c in citing],
        "gaps": related_gaps,
        "link": evidence.links.get(iri, ""),
        "source": _source_details(evidence, index.records.get(iri)),
        "review": _review_details(evidence, index.reviews.get(iri)),
        "covered_by": _covering_reviews(graph, entity),
    }


def _review_details(evidence: Evidence, review: Review | None) -> dict[str, object]:
    """For a review: its type and strength in words, what it covered, every search with what it
    was aimed at and how it ran, the PRISMA 2020 flow, the second screening's agreement, and
    every screening record; an empty dict for any other entity."""
    if review is None:
        return {}
    searches = {s.iri: s for s in review.searches}
    records = [
        {
            "iri": r.iri,
            "id": r.iri.rsplit("#", 1)[-1],
            "decision": evidence.label(r.decision),
            "reason": evidence.label(r.reason) if r.reason else "",
            "title": r.title or (evidence.label(r.source) if r.source else ""),
            "url": f"https://doi.org/{r.doi}" if r.doi else r.url,
            "primary": is_primary(f"https://doi.org/{r.doi}" if r.doi else r.url),
            "withheld": r.withheld,
            "not_recorded": r.not_recorded,
            "found_by": searches[r.found_by].sentence() if r.found_by in searches else "",
            "found_by_id": r.found_by.rsplit("#", 1)[-1],
            "duplicate_of": r.duplicate_of.rsplit("#", 1)[-1] if r.duplicate_of else "",
            "report_of": _short_ref(evidence, r.report_of),
            "source": r.source,
            "claims": sorted(r.claims),
            "first": evidence.label(r.first) if r.first else "",
            "second": evidence.label(r.second) if r.second else "",
            "second_reason": evidence.label(r.second_reason) if r.second_reason else "",
            "resolution": r.resolution,
            "note": r.note,
        }
        for r in review.records
    ]
    return {
        **review.summary(),
        "agent": review.agent,
        "agent_label": review.agent_label or evidence.label(review.agent),
        "finding": review.finding,
        "screeners": review.screeners,
        "harms": [{"iri": h, "label": evidence.label(h)} for h in sorted(review.harms)],
        "interventions": [
            {"iri": i, "label": evidence.label(i)} for i in sorted(review.interventions)
        ],
        "method_list": [{key: value for key, value in m.items() if value} for m in review.methods],
        "searches": [_search_details(evidence, s) for s in review.searches],
        "flow": prisma_flow(review, dict(evidence.value_labels)),
        "agreement": agreement(review) | {"text": kappa_text(agreement(review))},
        "second_screening": review.second_screening,
        "records": records,
    }


def _short_ref(evidence: Evidence, iri: str) -> str:
    if not iri:
        return ""
    if "#" in iri:
        return iri.rsplit("#", 1)[-1]
    return evidence.label(iri)


def _search_details(evidence: Evidence, search: Search) -> dict[str, object]:
    """One search as plain data: what it was, where and when it ran, what it was aimed at."""
    aims = [
        "any intervention" if a == ANY_INTERVENTION else evidence.label(a)
        for a in sorted(search.aimed_at)
    ]
    return {
        "iri": search.iri,
        "id": search.iri.rsplit("#", 1)[-1],
        "kind": METHOD_NAMES.get(search.kind, search.kind),
        "column": search.column,
        "query": search.query,
        "where": search.where,
        "place_kind": evidence.label(search.place_kind) if search.place_kind else "",
        "place_version": search.place_version,
        "date": search.date,
        "limit": search.limit,
        "returned": search.returned,
        "aimed_at": aims,
        "sought": evidence.label(search.sought) if search.sought else "",
        "organisation": search.organisation,
        "chased_from": search.chased_from_label or search.url,
        "carried_from": evidence.label(search.carried_from) if search.carried_from else "",
    }


def _covering_reviews(graph: LoadedGraph, entity) -> list[dict[str, object]]:  # noqa: ANN001
    """The reviews with a search for evidence aimed at a harm (or a broader one), or at an
    intervention (its type, or every intervention)."""
    cover = coverage(graph)
    if entity.kind == "harm":
        found = cover.for_harm(entity.iri)
    elif entity.kind == "intervention":
        found = reviews_of(cover.intervention(entity.iri, set()))
    else:
        return []
    return [r.summary() for r in found]


def _source_details(evidence: Evidence, record: dict | None) -> dict[str, object]:
    """For a source: its authors in the order of its record, publisher, year, kind and DOI;
    an empty dict for any other entity."""
    if record is None:
        return {}
    return {
        "authors": list(record["creators"]),
        "publisher": record["publisher"],
        "year": record["date"][:4],
        "kind": evidence.label(record["kind"]),
        "doi": record["doi"],
        "url": record["url"],
        "part_of": record.get("part_of", ""),
    }


def entity_index(graph: LoadedGraph) -> list[dict[str, object]]:
    """Every entity as ``{id, iri, kind, label, alt_labels}``, sorted by kind then label (for
    pickers, which search the alternative labels too: "sextortion" finds "sexual extortion")."""
    evidence = read_evidence(graph)
    rows = [
        {
            "id": short_id(e.iri),
            "iri": e.iri,
            "kind": e.kind,
            "label": e.label,
            "alt_labels": evidence.alt_labels.get(e.iri, []),
        }
        for e in evidence.entities.values()
    ]
    return sorted(rows, key=lambda r: (r["kind"], r["label"].lower()))


def claim_rows(graph: LoadedGraph, claims: list[str]) -> list[dict[str, object]]:
    """The given claims (by IRI) as rows with their citations, in the order given."""
    evidence = read_evidence(graph)
    by_iri = {c.iri: c for c in evidence.claims}
    return [claim_row(evidence, by_iri[iri]) for iri in claims if iri in by_iri]


def review_overview(graph: LoadedGraph) -> dict[str, object]:
    """Every review in one table, and the review types that bound what each may claim.

    ``reviews``: one row per review, weakest type first, then newest (iri, label, date, type,
    rank, strength, screened, included, excluded, sampled, kappa, kappa_text, and kappa_short
    for a table cell); ``types``: every
    review type, weakest first, with ``meaning`` (what a finding of nothing from it may claim)
    and how many reviews here are of it.
    """
    reviews = sorted(_index(graph).reviews.values(), key=lambda r: r.iri)
    reviews.sort(key=lambda r: r.date, reverse=True)
    reviews.sort(key=lambda r: r.rank)
    rows = []
    for review in reviews:
        agreed = agreement(review)
        rows.append(
            {
                **review.summary(),
                "rank": review.rank,
                "sampled": agreed["sampled"],
                "kappa": agreed["kappa"],
                "kappa_text": kappa_text(agreed),
                "kappa_short": _kappa_short(agreed),
            }
        )
    counts = Counter(r.type_label for r in reviews)
    types = [
        {
            "label": row["label"],
            "meaning": row["definition"] or "",
            "rank": int(row["rank"] or 0),
            "reviews": counts.get(row["label"], 0),
        }
        for row in graph.store.query(read_query("review-types"))
    ]
    types.sort(key=lambda t: (t["rank"], t["label"]))
    return {"reviews": rows, "types": types}


def _kappa_short(agreed: dict[str, object]) -> str:
    """The second screening's kappa for a table cell: ``0.11 (32 sampled)``."""
    if not agreed["sampled"]:
        return "no second screening"
    if agreed["kappa"] is None:
        return f"not defined ({agreed['sampled']} sampled, all agreed)"
    return f"{agreed['kappa']:.2f} ({agreed['sampled']} sampled)"
