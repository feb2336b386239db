"""The PRISMA 2020 flow of a review, and the agreement of its two screeners.

PRISMA 2020 counts in two columns: records identified by searching databases, registers and
indexes, and records identified by other methods (known-item look-ups, citation chasing,
organisation websites, records carried in from another review or added on request). The stage
at which a record left the flow follows from its decision and reason, as documented:

- ``Duplicate``: removed before screening;
- ``OffTopic``, ``NoAIDimension``, ``OperationalDetail``: excluded at screening;
- ``CannotBeVerified``: a report not retrieved or not verified;
- ``NoOutcomeData``, ``SecondaryReport``: a report excluded at assessment;
- ``Included`` and ``Supporting``: reports of included studies; each included source is one
  study, counted once;
- ``AwaitingScreening``: identified, not yet screened; ``AwaitingAssessment``: screened in, its
  report not yet assessed. A review with such records is in progress, and its diagram says so.

The agreement of two screeners is Cohen's kappa, κ = (pₒ − pₑ) / (1 − pₑ), on the records a
second screener decided independently: pₒ is the observed agreement and pₑ the agreement
expected by chance from each screener's own rate. It is computed on include (included or
supporting) against exclude.

Examples
--------
>>> kappa([("Included", "Included"), ("Excluded", "Excluded"), ("Included", "Excluded"),
...        ("Excluded", "Excluded")])
0.5
>>> kappa([("Excluded", "Excluded")] * 10) is None
True
"""

from __future__ import annotations

import math
import random
from collections import Counter

from harmgraph.errors import UnknownEntity
from harmgraph.model.evidence import read_evidence
from harmgraph.model.reviews import METHOD_NAMES, REASONS, Review, read_reviews
from harmgraph.model.slugs import slug_of
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI

#: The reasons that exclude a record at title-and-abstract screening.
AT_SCREENING = ("OffTopic", "NoAIDimension", "OperationalDetail")
#: The reasons that exclude a report at full-text assessment.
AT_ASSESSMENT = ("NoOutcomeData", "SecondaryReport")
#: The decisions of a review in progress, and the flow's count for each.
AWAITING = {
    "AwaitingScreening": "awaiting_screening",
    "AwaitingAssessment": "awaiting_assessment",
}
#: How the methods of PRISMA's second column are named in the diagram.
OTHER_METHODS = {
    "KnownItemLookup": "known-item look-ups",
    "CitationChasing": "citation searching",
    "OrganisationSearch": "organisation websites",
    "CarriedIn": "carried in from another review",
    "AddedOnRequest": "added on request",
    "KeywordSearch": "searches of organisation websites",
}


def sample_size(records: int) -> int:
    """How many records a second screener samples: every record when there are fewer than 10,
    else at least 20% and never fewer than 10.

    >>> sample_size(7), sample_size(30), sample_size(200)
    (7, 10, 40)
    """
    if records < 10:
        return records
    return max(10, math.ceil(records / 5))


def second_sample(records: list[str], seed: int) -> list[str]:
    """The records a second screener decides: a random sample of :func:`sample_size` records,
    drawn with ``seed`` from the records in their natural order (``record-2`` before
    ``record-10``), so that anyone can draw it again.

    >>> second_sample([f"r#record-{i}" for i in range(1, 13)], seed=1)
    ... # doctest: +NORMALIZE_WHITESPACE
    ['r#record-3', 'r#record-10', 'r#record-2', 'r#record-5', 'r#record-11', 'r#record-4',
     'r#record-7', 'r#record-6', 'r#record-9', 'r#record-1']
    """
    ordered = sorted(records, key=natural_key)
    return random.Random(seed).sample(ordered, sample_size(len(ordered)))


def natural_key(iri: str) -> tuple[str, int, str]:
    """Sort ``...#record-9`` before ``...#record-10``, and ``r9`` before ``r10``."""
    head = iri.rstrip("0123456789")
    tail = iri[len(head) :]
    return (head, int(tail), "") if tail else (iri, -1, iri)


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two screeners' decisions, or None when chance agreement is 1 (both gave
    every record the same single decision, so kappa is not defined)."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected >= 1:
        return None
    return round((observed - expected) / (1 - expected), 3)


def _side(decision: str) -> str:
    return "include" if decision in ("Included", "Supporting") else "exclude"


def agreement(review: Review) -> dict[str, object]:
    """The second screening of ``review``: ``sampled``, ``records``, ``seed``, the observed
    agreement ``p_o``, ``kappa`` (include vs exclude; None where not defined) and each
    ``disagreements`` entry (record, title, first, second, second_reason, final, resolution)."""
    sampled = [r for r in review.records if r.second]
    include = [(_side(r.first), _side(r.second)) for r in sampled]
    disagreements = [
        {
            "record": r.iri,
            "title": r.title,
            "first": r.first,
            "second": r.second,
            "second_reason": r.second_reason,
            "final": r.decision,
            "resolution": r.resolution,
        }
        for r in sampled
        if _side(r.first) != _side(r.second)
    ]
    agreed = sum(a == b for a, b in include)
    return {
        "records": len(review.records),
        "sampled": len(sampled),
        "seed": review.second_screening.get("seed", ""),
        "agreed": agreed,
        "p_o": round(agreed / len(sampled), 3) if sampled else None,
        "kappa": kappa(include),
        "disagreements": disagreements,
    }


def kappa_text(result: dict[str, object]) -> str:
    """The agreement in one line of plain words."""
    if not result["sampled"]:
        return "no second screening recorded"
    share = f"{result['agreed']} of {result['sampled']} sampled records agreed"
    if result["kappa"] is None:
        return (
            f"{share}; Cohen's kappa is not defined, because both screeners gave every sampled "
            "record the same decision"
        )
    return f"{share}; Cohen's kappa {result['kappa']:.2f} (include vs exclude)"


def prisma_flow(review: Review, labels: dict[str, str] | None = None) -> dict[str, object]:
    """The PRISMA 2020 flow of ``review`` in two columns, as plain data for the diagram."""
    labels = labels or {}
    searches = {s.iri: s for s in review.searches}
    columns = {key: Counter() for key in ("databases", "other")}
    sources = {key: Counter() for key in ("databases", "other")}
    excluded = {key: Counter() for key in ("databases", "other")}
    unattributed = split = 0
    for record in review.records:
        search = searches.get(record.found_by)
        column = search.column if search else "databases"
        if search is None or search.kind == "UnrecordedSearch":
            unattributed += 1
            name = "the review's searches (which one not recorded)"
        elif column == "databases":
            name = search.place or "an unnamed index"
        else:
            name = OTHER_METHODS.get(search.kind, METHOD_NAMES.get(search.kind, search.kind))
        sources[column][name] += 1
        counts = columns[column]
        counts["identified"] += 1
        # A record split from a legacy record that stood for several items says so ("split from
        # record-N ..."); a record whose place returned no address is not one.
        split += record.not_recorded.startswith("split from")
        if record.decision == "Excluded":
            if record.reason == "Duplicate":
                counts["duplicates"] += 1
            elif record.reason in AT_SCREENING:
                counts["excluded_screening"] += 1
            elif record.reason == "CannotBeVerified":
                counts["not_retrieved"] += 1
            else:
                excluded[column][record.reason] += 1
        elif record.decision in AWAITING:
            counts[AWAITING[record.decision]] += 1
        else:
            counts["reports_included"] += 1
    flow_columns = {}
    for key, counts in columns.items():
        screened = counts["identified"] - counts["duplicates"] - counts["awaiting_screening"]
        sought = screened - counts["excluded_screening"]
        order = [r for r in REASONS if r in excluded[key]]
        flow_columns[key] = {
            "identified": counts["identified"],
            "sources": sorted(sources[key].items(), key=lambda kv: (-kv[1], kv[0])),
            "duplicates": counts["duplicates"],
            "screened": screened,
            "excluded_screening": counts["excluded_screening"],
            "sought": sought,
            "not_retrieved": counts["not_retrieved"],
            "assessed": sought - counts["not_retrieved"] - counts["awaiting_assessment"],
            "awaiting_screening": counts["awaiting_screening"],
            "awaiting_assessment": counts["awaiting_assessment"],
            "excluded_assessment": [(labels.get(r, r), excluded[key][r]) for r in order],
            "reports_included": counts["reports_included"],
        }
    notes = []
    if unattributed:
        notes.append(
            f"{unattributed} record(s) were returned by one of the review's searches, but which "
            "search found each was not recorded; they are counted with the searches."
        )
    if split:
        notes.append(
            f"{split} record(s) were split from records that each stood for several retrieved "
            "items; where the number of items was not stated, two are counted, so these counts "
            "are lower bounds."
        )
    waiting = [sum(c[key] for c in flow_columns.values()) for key in AWAITING.values()]
    if any(waiting):
        notes.append(
            f"The review is in progress: {waiting[0]} record(s) await screening and {waiting[1]} "
            "report(s) await full-text assessment; until every record is decided, its searches "
            "do not count towards the map's coverage."
        )
    return {
        "review": review.iri,
        "label": review.label,
        "columns": flow_columns,
        "studies_included": len({r.source for r in review.included if r.source}),
        "reports_included": len(review.included) + len(review.supporting),
        "notes": notes,
    }


def screening_flow(graph: LoadedGraph, facet: str | None = None) -> dict[str, object]:
    """The flow of all reviews together (or those whose searches were aimed at ``facet`` or a
    harm under or above it): ``reviews``, ``considered`` (records), ``excluded`` with
    ``excluded_by_reason``, ``included``, ``supporting``, the distinct ``sources_included`` and
    the ``claims_produced``."""
    evidence = read_evidence(graph)
    reviews = read_reviews(graph)
    if facet is not None:
        family = evidence.descendants(facet) | set(evidence.ancestors(facet))
        reviews = [
            r
            for r in reviews
            if any(s.aimed_at & family for s in r.evidence_searches) or r.harms & family
        ]
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
        "supporting": sum(1 for r in records if r.decision == "Supporting"),
        "sources_included": len({r.source for r in included if r.source}),
        "claims_produced": len(set().union(*(r.claims for r in included)) if included else set()),
    }


def review_flow(graph: LoadedGraph, review: str) -> dict[str, object]:
    """The PRISMA 2020 flow of one review, named by its slug, ``review/slug`` or its IRI (an
    ``UnknownEntity`` when the graph has no such review), with the reasons' labels."""
    iri = review if "://" in review else ID_IRI + "review/" + slug_of(review, "review")
    found = next((r for r in read_reviews(graph) if r.iri == iri), None)
    if found is None:
        msg = f"{review}: no such review in the graph"
        raise UnknownEntity(msg)
    return prisma_flow(found, dict(read_evidence(graph).value_labels))
