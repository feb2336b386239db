"""Which searches were aimed at a cell of the evidence-gap map, a harm or an intervention.

A cell counts as searched only through a search for evidence (a keyword or organisation search,
never a known-item look-up) that was aimed at it, or at something broader that contains it:

- its harm, or a broader harm (a search aimed at a narrower harm does not search the broader);
- its intervention, the intervention's type, or ``hg:AnyIntervention`` (every type);
- and that sought interventions or evaluations (a search for evidence about the harm itself is
  no search for interventions).

A review that merely *lists* a harm and a type searched nothing by listing them: only its
searches count. Each :class:`Hit` says whether the search was aimed at the cell itself or at a
broader harm or type, so that every explanation can say so.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> cover = coverage(load_graph())
>>> figures = review_coverage(load_graph())
>>> figures["searched_cells"] <= figures["cells"]
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property

from harmgraph.gc_paused import kept
from harmgraph.model.evidence import Evidence, read_evidence
from harmgraph.model.reviews import ANY_INTERVENTION, Review, Search, read_reviews
from harmgraph.rdf.load import LoadedGraph

#: What a search must have sought to count for interventions (described or evaluated).
FOR_INTERVENTIONS = frozenset({"SoughtInterventions", "SoughtEvaluations"})
#: What a search must have sought to show that no intervention is known at all.
FOR_ANY_INTERVENTION = frozenset({"SoughtInterventions"})


@dataclass(frozen=True)
class Hit:
    """A search aimed at what was asked about, and at which harm and intervention target."""

    search: Search
    review: Review
    harm: str
    intervention: str

    def exact(self, harm: str, intervention: str = "") -> bool:
        """Whether the search was aimed at this very harm (and intervention, if one is asked)."""
        return self.harm == harm and (not intervention or self.intervention == intervention)


def reviews_of(hits: list[Hit]) -> list[Review]:
    """The reviews behind ``hits``, each once, weakest first then newest (a gap is as strong as
    the weakest review that supports it)."""
    found = {h.review.iri: h.review for h in hits}
    return sorted(found.values(), key=lambda r: (r.rank, _negated(r.date), r.iri))


@cache
def _negated(date: str) -> str:
    """A key that sorts dates newest first inside an ascending sort (the few dates of the
    reviews, each worked out once)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


class Coverage:
    """The searches of every review, indexed by the harms they were aimed at."""

    def __init__(self, evidence: Evidence, reviews: list[Review]) -> None:
        self.evidence = evidence
        self.reviews = reviews
        self._by_harm: dict[str, list[tuple[Search, Review]]] = defaultdict(list)
        self._listed: dict[str, list[Review]] = defaultdict(list)
        # What cell() asks again and again on a large graph (each harm's searches, each
        # search's intervention targets, each cell's hits), worked out once: nothing here
        # changes after this constructor.
        self._harm_searches: dict[str, list[tuple[Search, Review, str]]] = {}
        self._targets: dict[int, frozenset[str]] = {}
        self._cells: dict[tuple[str, str, frozenset[str]], tuple[Hit, ...]] = {}
        for review in reviews:
            for harm in review.harms:
                self._listed[harm].append(review)
            if review.awaiting:
                # A review still screening has not shown that anything is missing: until every
                # record is decided, none of its searches makes a cell "searched".
                continue
            for search in review.evidence_searches:
                self._targets[id(search)] = frozenset(
                    t
                    for t in search.aimed_at
                    if t == ANY_INTERVENTION
                    or (t in evidence.entities and evidence.entities[t].kind == "intervention")
                )
                for target in search.aimed_at:
                    entity = evidence.entities.get(target)
                    if entity is not None and entity.kind == "harm":
                        self._by_harm[target].append((search, review))

    @cached_property
    def _types(self) -> list[str]:
        """The intervention types (the top interventions), by IRI."""
        return [e.iri for e in self.evidence.of_kind("intervention") if e.top]

    # ------------------------------------------------------------------ searches aimed at ...
    def _aimed_at_harm(self, harm: str) -> list[tuple[Search, Review, str]]:
        """Searches aimed at ``harm`` or a broader harm, with the harm each was aimed at."""
        found = self._harm_searches.get(harm)
        if found is None:
            found = self._harm_searches[harm] = [
                (search, review, target)
                for target in self.evidence.ancestors(harm)
                for search, review in self._by_harm.get(target, [])
            ]
        return found

    def _intervention_targets(self, search: Search) -> frozenset[str]:
        """The search's targets that are interventions, types or every intervention."""
        return self._targets[id(search)]

    def cell(
        self, harm: str, intervention: str, sought: frozenset[str] = FOR_INTERVENTIONS
    ) -> list[Hit]:
        """Searches aimed at ``harm`` (or broader) and at ``intervention`` (an intervention or a
        type), its type, or every intervention, that sought ``sought`` (a new list)."""
        key = (harm, intervention, sought)
        found = self._cells.get(key)
        if found is None:
            found = self._cells[key] = tuple(self._cell(harm, intervention, sought))
        return list(found)

    def _cell(self, harm: str, intervention: str, sought: frozenset[str]) -> list[Hit]:
        # The targets that contain the row, narrowest first: the intervention itself, its
        # broader types nearest first, then every intervention.
        nearest = self.evidence.ancestors(intervention)
        breadth = {iri: n for n, iri in enumerate(nearest)}
        breadth[ANY_INTERVENTION] = len(nearest)
        hits = []
        targets = self._targets
        for search, review, target in self._aimed_at_harm(harm):
            if search.sought not in sought:
                continue
            # The narrowest of the search's intervention targets that contains the row (so a
            # search aimed at both an intervention and its type counts as aimed at the
            # intervention itself). A plain loop: this runs hundreds of thousands of times on
            # a large graph.
            aimed, narrowest = None, len(breadth)
            for t in targets[id(search)]:
                n = breadth.get(t)
                if n is not None and n < narrowest:
                    aimed, narrowest = t, n
            if aimed is not None:
                hits.append(Hit(search, review, target, aimed))
        return hits

    def any_intervention(
        self, harm: str, sought: frozenset[str] = FOR_ANY_INTERVENTION
    ) -> list[Hit]:
        """Searches that together looked for interventions of every type for ``harm``: those
        aimed at every intervention, else one per type when every type has one (empty when some
        type was never searched)."""
        whole = [
            Hit(search, review, target, ANY_INTERVENTION)
            for search, review, target in self._aimed_at_harm(harm)
            if search.sought in sought and ANY_INTERVENTION in self._intervention_targets(search)
        ]
        if whole:
            return whole
        hits: list[Hit] = []
        for kind in self._types:
            found = [h for h in self.cell(harm, kind, sought) if h.intervention == kind]
            if not found:
                return []
            hits.extend(found)
        return hits

    def stage(self, stage: str, harm: str) -> list[Hit]:
        """Searches that covered every intervention at ``stage`` (a local name) for ``harm``."""
        members = [
            e.iri for e in self.evidence.of_kind("intervention") if not e.top and e.stage == stage
        ]
        hits: list[Hit] = []
        seen: set[tuple] = set()
        for member in members:
            found = self.cell(harm, member)
            if not found:
                return []
            hits.extend(_new(found, seen))
        return hits

    def intervention(self, intervention: str, harms: set[str]) -> list[Hit]:
        """Searches aimed at ``intervention`` (or its type, or every intervention) for any of
        ``harms``, or, for an intervention that no claim links to a harm, for any harm."""
        if harms:
            return [h for harm in sorted(harms) for h in self.cell(harm, intervention)]
        hits: list[Hit] = []
        seen: set[tuple] = set()
        for harm in self._by_harm:
            hits.extend(_new(self.cell(harm, intervention), seen))
        return hits

    def harm(self, harm: str) -> list[Hit]:
        """Every search for evidence aimed at ``harm`` or a broader harm, whatever it sought."""
        return [Hit(s, r, target, "") for s, r, target in self._aimed_at_harm(harm)]

    def listed(self, harm: str) -> list[Review]:
        """Reviews that list ``harm`` (or a broader harm) in their scope, searched or not."""
        found = {r.iri: r for a in self.evidence.ancestors(harm) for r in self._listed.get(a, [])}
        return sorted(found.values(), key=lambda r: (r.date, r.iri), reverse=True)

    # ------------------------------------------------------------------ reviews, as before
    def for_harm(self, harm: str) -> list[Review]:
        """Reviews with a search for evidence aimed at ``harm`` or a broader harm."""
        return reviews_of(self.harm(harm))

    def for_link(self, harm: str, intervention: str) -> list[Review]:
        """Reviews with a search aimed at this intervention (or broader) for this harm."""
        return reviews_of(self.cell(harm, intervention))

    def for_all_interventions(self, harm: str) -> list[Review]:
        return reviews_of(self.any_intervention(harm))

    def for_intervention(self, intervention: str, harms: set[str]) -> list[Review]:
        return reviews_of(self.intervention(intervention, harms))

    def for_stage(self, stage: str, harm: str) -> list[Review]:
        return reviews_of(self.stage(stage, harm))


def _new(hits: list[Hit], seen: set[tuple]) -> list[Hit]:
    """The hits not in ``seen``, each added to it. A hit is its search and review (one object
    each per IRI) and its two targets: a set, where comparing hits field by field in a list
    took quadratic time on a large graph."""
    fresh = []
    for hit in hits:
        key = (id(hit.search), id(hit.review), hit.harm, hit.intervention)
        if key not in seen:
            seen.add(key)
            fresh.append(hit)
    return fresh


def coverage(graph: LoadedGraph) -> Coverage:
    """The search coverage of ``graph`` (built once per loaded graph)."""
    return kept(
        graph.cache, "coverage", lambda: Coverage(read_evidence(graph), read_reviews(graph))
    )


def review_coverage(graph: LoadedGraph) -> dict[str, object]:
    """How much of the grid of intervention types x harm facets the searches reached.

    ``cells``; ``searched_cells`` (a search was aimed at the cell or at something broader:
    ``reviewed_cells`` is the same number, under its old name), of which ``searched_exact`` were
    aimed at the cell itself; ``listed_not_searched`` (a review lists the facet and covers the
    type, but none of its searches was aimed at the cell); and per facet the types searched.
    """
    evidence = read_evidence(graph)
    cover = coverage(graph)
    types = [e for e in evidence.of_kind("intervention") if e.top]
    facets = [e for e in evidence.of_kind("harm") if e.top]
    per_facet = []
    searched = exact = listed_only = 0
    for facet in sorted(facets, key=lambda e: e.label.lower()):
        covered = []
        for kind in types:
            hits = cover.cell(facet.iri, kind.iri)
            if hits:
                covered.append(kind)
                exact += any(h.exact(facet.iri, kind.iri) for h in hits)
            elif any(_lists_type(r, kind.iri) for r in cover.listed(facet.iri)):
                listed_only += 1
        searched += len(covered)
        per_facet.append(
            {
                "iri": facet.iri,
                "label": facet.label,
                "types_reviewed": len(covered),
                "types": len(types),
                "reviews": len(cover.for_harm(facet.iri)),
            }
        )
    return {
        "cells": len(types) * len(facets),
        "searched_cells": searched,
        "reviewed_cells": searched,
        "searched_exact": exact,
        "listed_not_searched": listed_only,
        "facets": per_facet,
    }


def _lists_type(review: Review, kind: str) -> bool:
    return not review.interventions or kind in review.interventions
