"""Reviews: the documented searches behind the gaps, what they covered and what they screened.

A gap in the graph can mean "we looked and found nothing" or "we have not looked yet". A
review (``hg:Review``) records a search as it was run: the harms it covered (a review of a
harm also covers its narrower harms), the interventions it was limited to (none: every
intervention; an intervention type also covers the interventions under it), its methods, its
date and agent, and every candidate it screened with the decision taken. This module reads
them and answers which reviews cover a harm, a harm and an intervention, or a cell of the
evidence-gap map, and counts the screening flow (considered, excluded with reasons, included).

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> flow = screening_flow(load_graph())
>>> flow["considered"] == flow["excluded"] + flow["included"]
True
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from harmgraph.model.evidence import Evidence, local, read_evidence
from harmgraph.model.queries import read_query
from harmgraph.rdf.load import LoadedGraph

#: Exclusion reasons in the order of the closed list.
REASONS = (
    "OffTopic",
    "NoAIDimension",
    "NoOutcomeData",
    "Duplicate",
    "CannotBeVerified",
    "OperationalDetail",
)
METHOD_NAMES = {
    "KeywordSearch": "keyword search",
    "CitationChasing": "citation chasing",
    "OrganisationSearch": "organisation search",
}


@dataclass
class ScreeningRecord:
    """One candidate a review considered."""

    decision: str = ""
    reason: str = ""
    source: str = ""
    claims: set[str] = field(default_factory=set)
    title: str = ""
    doi: str = ""
    url: str = ""


@dataclass
class Review:
    """One documented search, as the graph records it."""

    iri: str
    label: str = ""
    date: str = ""
    agent: str = ""
    harms: set[str] = field(default_factory=set)
    interventions: set[str] = field(default_factory=set)
    methods: list[dict[str, str]] = field(default_factory=list)
    records: list[ScreeningRecord] = field(default_factory=list)

    @property
    def included(self) -> list[ScreeningRecord]:
        return [r for r in self.records if r.decision == "Included"]

    @property
    def excluded(self) -> list[ScreeningRecord]:
        return [r for r in self.records if r.decision == "Excluded"]

    def method_text(self) -> str:
        """The methods in one line, e.g. ``keyword search in X ('query'); citation chasing``."""
        parts = []
        for m in self.methods:
            name = METHOD_NAMES.get(m["type"], m["type"])
            if m["type"] == "KeywordSearch":
                parts.append(f"{name} in {m['where']} ('{m['query']}')")
            elif m["type"] == "CitationChasing":
                parts.append(f"{name} from {m['from_label']}")
            else:
                parts.append(f"{name} of {m['organisation']} in {m['where']}")
        return "; ".join(parts)

    def summary(self) -> dict[str, object]:
        """Plain data for a gap's ``review`` key: iri, label, date, methods, counts."""
        return {
            "iri": self.iri,
            "label": self.label,
            "date": self.date,
            "methods": self.method_text(),
            "screened": len(self.records),
            "included": len(self.included),
            "excluded": len(self.excluded),
        }

    def sentence(self) -> str:
        """How the review is named in a gap's explanation."""
        first = self.methods[0] if self.methods else None
        how = METHOD_NAMES.get(first["type"], "") if first else "no recorded method"
        more = f" and {len(self.methods) - 1} more method(s)" if len(self.methods) > 1 else ""
        return (
            f"review '{self.label}' ({self.date}; {how}{more}; {len(self.records)} source(s) "
            f"screened, {len(self.included)} included)"
        )


def read_reviews(graph: LoadedGraph) -> list[Review]:
    """Every review in the graph (read once per loaded graph), newest first."""
    cached = graph.cache.get("reviews")
    if cached is None:
        cached = graph.cache["reviews"] = _read(graph, read_evidence(graph))
    return cached


def _read(graph: LoadedGraph, evidence: Evidence) -> list[Review]:
    store = graph.store
    reviews: dict[str, Review] = {}
    for row in store.query(read_query("reviews")):
        review = reviews.setdefault(row["review"], Review(row["review"]))
        review.label = row["label"] or review.label or local(row["review"])
        review.date = row["date"] or review.date
        review.agent = row["agent"] or review.agent
        if row["harm"]:
            review.harms.add(row["harm"])
        if row["intervention"]:
            review.interventions.add(row["intervention"])
    methods: dict[tuple[str, str], dict[str, str]] = {}
    for row in store.query(read_query("review-methods")):
        if row["review"] not in reviews:
            continue
        method = methods.setdefault(
            (row["review"], row["method"]),
            {"type": local(row["type"]), "query": "", "where": "", "from": "", "organisation": ""},
        )
        for key, column in (
            ("query", "query"),
            ("where", "where"),
            ("organisation", "organisation"),
        ):
            method[key] = row[column] or method[key]
        if row["from"]:
            method["from"] = row["from"]
            method["from_label"] = evidence.label(row["from"])
    for (review_iri, _), method in sorted(methods.items(), key=lambda kv: (kv[0][0], str(kv[1]))):
        method.setdefault("from_label", method["from"])
        reviews[review_iri].methods.append(method)
    records: dict[tuple[str, str], ScreeningRecord] = {}
    for row in store.query(read_query("screening")):
        if row["review"] not in reviews:
            continue
        key = (row["review"], row["record"])
        record = records.get(key)
        if record is None:
            record = records[key] = ScreeningRecord(
                decision=local(row["decision"]) if row["decision"] else "",
                reason=local(row["reason"]) if row["reason"] else "",
                source=row["source"] or "",
                title=row["title"] or "",
                doi=row["doi"] or "",
                url=row["url"] or "",
            )
            reviews[row["review"]].records.append(record)
        if row["claim"]:
            record.claims.add(row["claim"])
    return sorted(reviews.values(), key=lambda r: (r.date, r.iri), reverse=True)


class Coverage:
    """Which reviews cover a harm, an intervention, or a cell of the map.

    A review covers harm ``h`` when it names ``h`` or a broader harm, and covers intervention
    ``i`` when it names no intervention, or names ``i`` or an intervention type above it.
    """

    def __init__(self, evidence: Evidence, reviews: list[Review]) -> None:
        self.evidence = evidence
        self.reviews = reviews
        self._by_harm: dict[str, list[Review]] = defaultdict(list)
        self._for_harm: dict[str, list[Review]] = {}
        for review in reviews:
            for harm in review.harms:
                self._by_harm[harm].append(review)

    def for_harm(self, harm: str) -> list[Review]:
        """Reviews that searched evidence about ``harm`` (or a broader harm), newest first."""
        if not self.reviews:
            return []
        cached = self._for_harm.get(harm)
        if cached is None:
            found = {
                r.iri: r for a in self.evidence.ancestors(harm) for r in self._by_harm.get(a, [])
            }
            cached = sorted(found.values(), key=lambda r: (r.date, r.iri), reverse=True)
            self._for_harm[harm] = cached
        return cached

    def covers_intervention(self, review: Review, intervention: str) -> bool:
        if not review.interventions:
            return True
        return bool(review.interventions & set(self.evidence.ancestors(intervention)))

    def for_link(self, harm: str, intervention: str) -> list[Review]:
        """Reviews that searched for evidence that ``intervention`` addresses ``harm``."""
        return [r for r in self.for_harm(harm) if self.covers_intervention(r, intervention)]

    def for_all_interventions(self, harm: str) -> list[Review]:
        """Reviews that together searched every intervention type for ``harm``; empty when
        some type was never searched."""
        reviews = self.for_harm(harm)
        whole = [r for r in reviews if not r.interventions]
        if whole:
            return whole
        types = [e.iri for e in self.evidence.of_kind("intervention") if e.top]
        chosen: list[Review] = []
        for kind in types:
            covering = [r for r in reviews if self.covers_intervention(r, kind)]
            if not covering:
                return []
            if covering[0] not in chosen:
                chosen.append(covering[0])
        return chosen

    def for_intervention(self, intervention: str, harms: set[str]) -> list[Review]:
        """Reviews that searched evidence on ``intervention`` for any of ``harms`` (for an
        intervention with no claim: for any harm)."""
        candidates = (
            {r.iri: r for h in harms for r in self.for_harm(h)}.values() if harms else self.reviews
        )
        found = [r for r in candidates if self.covers_intervention(r, intervention)]
        return sorted(found, key=lambda r: (r.date, r.iri), reverse=True)

    def for_stage(self, stage: str, harm: str) -> list[Review]:
        """Reviews that searched every intervention at ``stage`` (a local name) for ``harm``."""
        members = [
            e.iri for e in self.evidence.of_kind("intervention") if not e.top and e.stage == stage
        ]
        return [
            r for r in self.for_harm(harm) if all(self.covers_intervention(r, m) for m in members)
        ]


def coverage(graph: LoadedGraph) -> Coverage:
    """The review coverage of ``graph`` (built once per loaded graph)."""
    cached = graph.cache.get("coverage")
    if cached is None:
        cached = graph.cache["coverage"] = Coverage(read_evidence(graph), read_reviews(graph))
    return cached


def screening_flow(graph: LoadedGraph, facet: str | None = None) -> dict[str, object]:
    """The PRISMA-style flow of the reviews (all, or those covering ``facet`` or any harm
    narrower than it): ``reviews``, ``considered`` (screening records), ``excluded`` with
    ``excluded_by_reason``, ``included``, the distinct ``sources_included`` and the
    ``claims_produced``."""
    evidence = read_evidence(graph)
    reviews = read_reviews(graph)
    if facet is not None:
        family = evidence.descendants(facet) | set(evidence.ancestors(facet))
        reviews = [r for r in reviews if r.harms & family]
    records = [record for review in reviews for record in review.records]
    reasons = Counter(r.reason for r in records if r.decision == "Excluded")
    included = [r for r in records if r.decision == "Included"]
    return {
        "reviews": len(reviews),
        "considered": len(records),
        "excluded": sum(reasons.values()),
        "excluded_by_reason": {
            evidence.label(reason): reasons.get(reason, 0) for reason in REASONS
        },
        "included": len(included),
        "sources_included": len({r.source for r in included if r.source}),
        "claims_produced": len(set().union(*(r.claims for r in included)) if included else set()),
    }


def review_coverage(graph: LoadedGraph) -> dict[str, object]:
    """How much of the evidence-gap map's grid of intervention types x harm facets some
    review has searched: ``cells``, ``reviewed_cells``, and per facet the types reviewed."""
    evidence = read_evidence(graph)
    cover = coverage(graph)
    types = [e for e in evidence.of_kind("intervention") if e.top]
    facets = [e for e in evidence.of_kind("harm") if e.top]
    per_facet = []
    reviewed = 0
    for facet in sorted(facets, key=lambda e: e.label.lower()):
        covered = [t for t in types if cover.for_link(facet.iri, t.iri)]
        reviewed += len(covered)
        per_facet.append(
            {
                "iri": facet.iri,
                "label": facet.label,
                "types_reviewed": len(covered),
                "types": len(types),
                "reviews": len(cover.for_harm(facet.iri)),
            }
        )
    return {"cells": len(types) * len(facets), "reviewed_cells": reviewed, "facets": per_facet}
