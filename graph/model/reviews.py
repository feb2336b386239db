"""Reviews: the documented searches behind the gaps, how each ran, and what they screened.

A gap in the graph can mean "we looked and found nothing" or "we have not looked yet", and
"we looked" is only as strong as the looking. A review (``hg:Review``) records:

- its type (``hg:reviewType``: a rapid web scan, a rapid review, a scoping review, a systematic
  review), its screeners, its date and agent, and its finding in words;
- every search as it ran (:class:`Search`): the query, the place and its kind, the place's date
  or version, the result limit, how many items it returned, and what it was aimed at (harms,
  interventions or intervention types, or ``hg:AnyIntervention``) and what it sought;
- the other ways records arrived (known-item look-ups, citation chasing, records carried in
  from another review or added on request), which PRISMA 2020 counts apart;
- one screening record per retrieved item (:class:`ScreeningRecord`), found by one method, with
  its decision, the record a duplicate copies, the work a report is of, and where a second
  screener sampled it, both decisions and how a disagreement was resolved.

This module reads them and says, in plain words, how strong each review is
(:meth:`Review.strength`). Which searches cover a cell of the map is :mod:`.coverage`; the
PRISMA 2020 flow and the screeners' agreement are :mod:`.screening`.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> reviews = read_reviews(load_graph())
>>> all(r.review_type for r in reviews)
True
>>> "results per query" in reviews[0].strength()
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from harmgraph.gc_paused import kept
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
    "SecondaryReport",
)
#: What each kind of method is called in a sentence.
METHOD_NAMES = {
    "KeywordSearch": "keyword search",
    "OrganisationSearch": "organisation search",
    "KnownItemLookup": "known-item look-up",
    "CitationChasing": "citation chasing",
    "CarriedIn": "carried in from another review",
    "AddedOnRequest": "added on request",
    "UnrecordedSearch": "one of the review's searches (which one was not recorded)",
}
#: The decisions of a record not yet decided: the review is still in progress.
AWAITING_DECISIONS = frozenset({"AwaitingScreening", "AwaitingAssessment"})
#: The methods that search for evidence: only these can make a cell "searched".
EVIDENCE_SEARCHES = frozenset({"KeywordSearch", "OrganisationSearch"})
#: Places whose searches PRISMA 2020 counts in its first column (databases, registers, indexes).
DATABASE_PLACES = frozenset({"WebIndex", "BibliographicDatabase", "Register"})
#: How a review type is named in a strength sentence, and its rank (higher is stronger).
TYPE_RANK = {"RapidWebScan": 1, "RapidReview": 2, "ScopingReview": 3, "FullSystematicReview": 4}
ANY_INTERVENTION = "https://w3id.org/harmgraph/ontology#AnyIntervention"


@dataclass
class Search:
    """One search or other method of a review, as it ran."""

    iri: str
    review: str
    kind: str
    query: str = ""
    where: str = ""
    place_kind: str = ""
    place_version: str = ""
    date: str = ""
    limit: int | None = None
    returned: int | None = None
    aimed_at: set[str] = field(default_factory=set)
    sought: str = ""
    organisation: str = ""
    chased_from: str = ""
    chased_from_label: str = ""
    url: str = ""
    carried_from: str = ""
    description: str = ""

    @property
    def for_evidence(self) -> bool:
        """Whether this is a search for evidence (not a look-up or another method)."""
        return self.kind in EVIDENCE_SEARCHES

    @property
    def column(self) -> str:
        """PRISMA 2020's column: ``databases`` (databases, registers and indexes) or ``other``."""
        if self.kind == "UnrecordedSearch":
            return "databases"
        if self.kind in EVIDENCE_SEARCHES and self.place_kind in DATABASE_PLACES:
            return "databases"
        return "other"

    @property
    def place(self) -> str:
        """The place's name, without the parenthesis that describes it."""
        return self.where.split(" (", 1)[0] if self.where else ""

    def sentence(self) -> str:
        """The method in one line, e.g. ``keyword search in X ('query')``."""
        name = METHOD_NAMES.get(self.kind, self.kind)
        if self.kind in ("KeywordSearch", "KnownItemLookup"):
            return f"{name} in {self.place or 'an unnamed place'} ('{self.query}')"
        if self.kind == "OrganisationSearch":
            return f"{name} of {self.organisation} in {self.place} ('{self.query}')"
        if self.kind == "CitationChasing":
            return f"{name} from {self.chased_from_label or self.url}"
        return name


@dataclass
class ScreeningRecord:
    """One retrieved item a review considered."""

    iri: str = ""
    found_by: str = ""
    decision: str = ""
    reason: str = ""
    source: str = ""
    claims: set[str] = field(default_factory=set)
    title: str = ""
    doi: str = ""
    url: str = ""
    withheld: str = ""
    not_recorded: str = ""
    duplicate_of: str = ""
    report_of: str = ""
    first: str = ""
    second: str = ""
    second_reason: str = ""
    resolution: str = ""
    note: str = ""


@dataclass
class Review:
    """One documented review, as the graph records it."""

    iri: str
    label: str = ""
    date: str = ""
    agent: str = ""
    agent_label: str = ""
    review_type: str = ""
    type_label: str = ""
    screeners: int = 0
    finding: str = ""
    harms: set[str] = field(default_factory=set)
    interventions: set[str] = field(default_factory=set)
    searches: list[Search] = field(default_factory=list)
    records: list[ScreeningRecord] = field(default_factory=list)
    second_screening: dict[str, str] = field(default_factory=dict)

    @property
    def included(self) -> list[ScreeningRecord]:
        return [r for r in self.records if r.decision == "Included"]

    @property
    def excluded(self) -> list[ScreeningRecord]:
        return [r for r in self.records if r.decision == "Excluded"]

    @property
    def supporting(self) -> list[ScreeningRecord]:
        return [r for r in self.records if r.decision == "Supporting"]

    @property
    def awaiting(self) -> list[ScreeningRecord]:
        """Records not yet decided (awaiting screening or full-text assessment): while there
        are any, the review is in progress."""
        return [r for r in self.records if r.decision in AWAITING_DECISIONS]

    @property
    def evidence_searches(self) -> list[Search]:
        return [s for s in self.searches if s.for_evidence]

    @property
    def rank(self) -> int:
        """The strength of the review's type: 1 (rapid web scan) to 4 (systematic review)."""
        return TYPE_RANK.get(self.review_type, 0)

    @property
    def methods(self) -> list[dict[str, str]]:
        """The methods as plain dicts (type, query, where, from, organisation)."""
        return [
            {
                "type": s.kind,
                "query": s.query,
                "where": s.where,
                "from": s.chased_from,
                "from_label": s.chased_from_label,
                "organisation": s.organisation,
            }
            for s in self.searches
            if s.kind != "UnrecordedSearch"
        ]

    # The sentences and the summary are made on first use (cached properties): a review is
    # read whole before anything asks (read_reviews), and the gaps of a large graph ask for
    # the same review's strength tens of thousands of times.
    def method_text(self) -> str:
        """The methods in one line, separated by semicolons."""
        return self._method_text

    @cached_property
    def _method_text(self) -> str:
        return "; ".join(s.sentence() for s in self.searches if s.kind != "UnrecordedSearch")

    def strength(self) -> str:
        """How strong the review is, in plain words: its type, its searches for evidence, where
        they ran and how many results each could return, its screeners and its date.

        For example: ``rapid web scan: 3 queries for evidence in one web index (research
        library web-page index; no index date stated), up to 8 results per query, one
        screener, 2026-12-07``.
        """
        return self._strength

    @cached_property
    def _strength(self) -> str:
        searches = self.evidence_searches
        kind = self.type_label or "review of unstated type"
        places = sorted({s.place for s in searches if s.place})
        place_kinds = sorted({s.place_kind for s in searches if s.place_kind})
        versions = sorted({s.place_version for s in searches if s.place_version})
        limits = sorted({s.limit for s in searches if s.limit})
        if searches:
            count = f"{len(searches)} quer{'y' if len(searches) == 1 else 'ies'} for evidence"
            kinds = " or ".join(_PLACE_WORDS.get(k, k) for k in place_kinds) or "places"
            where = f"one {kinds}" if len(places) == 1 else f"{len(places)} {kinds}s"
            detail = "; ".join(places + versions)
            text = f"{kind}: {count} in {where} ({detail})"
            if limits:
                top = limits[-1] if len(limits) == 1 else f"{limits[0]}-{limits[-1]}"
                text += f", up to {top} results per query"
        else:
            text = f"{kind}: no search for evidence (only look-ups or other methods)"
        screeners = {0: "screeners not stated", 1: "one screener"}.get(
            self.screeners, f"{self.screeners} screeners"
        )
        second = ", a second screener on a sample" if self.second_screening else ""
        return f"{text}, {screeners}{second}, {self.date}"

    def summary(self) -> dict[str, object]:
        """Plain data for a gap's ``review`` key (a new dict each time: the caller may change
        it)."""
        return dict(self._summary)

    @cached_property
    def _summary(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "date": self.date,
            "type": self.type_label,
            "strength": self.strength(),
            "methods": self.method_text(),
            "screened": len(self.records),
            "included": len(self.included),
            "excluded": len(self.excluded),
        }

    def sentence(self) -> str:
        """How the review is named in a gap's explanation, with its strength."""
        return f"review '{self.label}' ({self.strength()})"

    def record(self, iri: str) -> ScreeningRecord | None:
        """The record with this IRI, if it is one of this review's."""
        return next((r for r in self.records if r.iri == iri), None)

    def search(self, iri: str) -> Search | None:
        return next((s for s in self.searches if s.iri == iri), None)


_PLACE_WORDS = {
    "WebIndex": "web index",
    "BibliographicDatabase": "bibliographic database",
    "Register": "register",
    "OrganisationWebsite": "organisation website",
}


def read_reviews(graph: LoadedGraph) -> list[Review]:
    """Every review in the graph (read once per loaded graph), newest first."""
    return kept(graph.cache, "reviews", lambda: _read(graph, read_evidence(graph)))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _read(graph: LoadedGraph, evidence: Evidence) -> list[Review]:
    # Each answer is read in the order asked, and dropped once read (as the evidence reader's).
    names = ("reviews", "second-screenings", "review-methods", "screening")
    answers = graph.store.query_many([read_query(name) for name in names])
    reviews: dict[str, Review] = {}
    for row in next(answers):
        review = reviews.setdefault(row["review"], Review(row["review"]))
        review.label = row["label"] or review.label or local(row["review"])
        review.date = row["date"] or review.date
        review.agent = row["agent"] or review.agent
        review.agent_label = row["agentLabel"] or review.agent_label
        review.finding = row["finding"] or review.finding
        if row["type"]:
            review.review_type = local(row["type"])
            review.type_label = evidence.label(row["type"])
        review.screeners = _int(row["screeners"]) or review.screeners
        if row["harm"]:
            review.harms.add(row["harm"])
        if row["intervention"]:
            review.interventions.add(row["intervention"])
    for row in next(answers):
        if row["review"] in reviews:
            reviews[row["review"]].second_screening = {
                "iri": row["screening"],
                "seed": row["seed"] or "",
                "date": row["date"] or "",
                "agent": row["agent"] or "",
                "agent_label": row["agentLabel"] or "",
                "note": row["note"] or "",
            }
    searches: dict[tuple[str, str], Search] = {}
    for row in next(answers):
        if row["review"] not in reviews:
            continue
        key = (row["review"], row["method"])
        search = searches.get(key)
        if search is None:
            search = searches[key] = Search(
                iri=row["method"],
                review=row["review"],
                kind=local(row["type"]),
                query=row["query"] or "",
                where=row["where"] or "",
                place_kind=local(row["placeKind"]) if row["placeKind"] else "",
                place_version=row["placeVersion"] or "",
                date=row["date"] or "",
                limit=_int(row["limit"]),
                returned=_int(row["returned"]),
                sought=local(row["sought"]) if row["sought"] else "",
                organisation=row["organisation"] or "",
                chased_from=row["from"] or "",
                chased_from_label=evidence.label(row["from"]) if row["from"] else "",
                url=row["url"] or "",
                carried_from=row["carriedFrom"] or "",
                description=row["description"] or "",
            )
        if row["aimed"]:
            search.aimed_at.add(row["aimed"])
    for (review_iri, _), search in sorted(searches.items(), key=lambda kv: _natural(kv[0][1])):
        reviews[review_iri].searches.append(search)
    records: dict[tuple[str, str], ScreeningRecord] = {}
    for row in next(answers):
        if row["review"] not in reviews:
            continue
        key = (row["review"], row["record"])
        record = records.get(key)
        if record is None:
            record = records[key] = ScreeningRecord(
                iri=row["record"],
                found_by=row["foundBy"] or "",
                decision=local(row["decision"]) if row["decision"] else "",
                reason=local(row["reason"]) if row["reason"] else "",
                source=row["source"] or "",
                title=row["title"] or "",
                doi=row["doi"] or "",
                url=row["url"] or "",
                withheld=row["withheld"] or "",
                not_recorded=row["notRecorded"] or "",
                duplicate_of=row["duplicateOf"] or "",
                report_of=row["reportOf"] or "",
                first=local(row["first"]) if row["first"] else "",
                second=local(row["second"]) if row["second"] else "",
                second_reason=local(row["secondReason"]) if row["secondReason"] else "",
                resolution=row["resolution"] or "",
                note=row["note"] or "",
            )
        if row["claim"]:
            record.claims.add(row["claim"])
    by_review: dict[str, list[ScreeningRecord]] = defaultdict(list)
    for (review_iri, _), record in records.items():
        by_review[review_iri].append(record)
    for review_iri, found in by_review.items():
        reviews[review_iri].records = sorted(found, key=lambda r: _natural(r.iri))
    return sorted(reviews.values(), key=lambda r: (r.date, r.iri), reverse=True)


def _natural(iri: str) -> tuple[str, int, str]:
    """Sort ``...#record-9`` before ``...#record-10`` (blank nodes and other IRIs by text)."""
    head, _, tail = iri.rpartition("-")
    return (head, int(tail), "") if tail.isdigit() else (iri, -1, iri)
