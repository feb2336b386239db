"""One gap as plain data, and the sentences that say which searches were aimed at it.

:func:`gap_record` builds the dict every gap kind shares; :func:`searched_text` is the sentence
that names the searches, whether they were aimed at the gap itself or at something broader, and
the weakest review's strength; :func:`reviewed_or_not` gives a gap of its kind when a search was
aimed at it and a ``not-reviewed`` coverage gap, with the reviews that only listed it, otherwise.
The map's cells use :func:`searched_text` too, so both say the same thing in the same words.
Each gap also keeps its explanation in parts (``finding``, ``searched``, ``reviews``,
``listed_by``), so a page can show the review's name and strength once, as a link, instead of
quoting them. :func:`gap_csv_rows` gives the rows of every gaps CSV.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> from harmgraph.model.coverage import coverage
>>> from harmgraph.model.evidence import read_evidence
>>> graph = load_graph()
>>> hits = coverage(graph).harm("https://w3id.org/harmgraph/id/harm/normalisation")
>>> searched_text(read_evidence(graph), hits, False).startswith("Not found by ")
True
"""

from __future__ import annotations

from harmgraph.model.coverage import Coverage, Hit, reviews_of
from harmgraph.model.evidence import Evidence
from harmgraph.model.reviews import ANY_INTERVENTION


def gap_record(
    evidence: Evidence, kind: str, subject: str, explanation: str, **extra: object
) -> dict:
    obj = str(extra.get("object", ""))
    source = str(extra.get("source", ""))
    hits: list[Hit] = list(extra.get("hits", []))  # type: ignore[arg-type]
    reviews = reviews_of(hits)
    review = reviews[0] if reviews else None
    return {
        "kind": kind,
        "subject": subject,
        "subject_label": evidence.label(subject),
        "object": obj,
        "object_label": evidence.label(obj) if obj else "",
        "grain": extra.get("grain", ""),
        "explanation": explanation,
        "evidence_gap": extra.get("evidence_gap", ""),
        "source": source,
        "source_label": evidence.label(source) if source else "",
        "claims": sorted(extra.get("claims", [])),
        "gap": "",
        "concerns": [],
        "review": review.summary() if review else None,
        "searches": search_list(evidence, hits),
        "searched_at": extra.get("searched_at", ""),
        "strength": review.strength() if review else "no search was aimed at it",
        "pending_kind": extra.get("pending_kind", ""),
        # The explanation in two parts, for pages that link the review instead of naming it:
        # what the graph holds, and which searches looked (without the review's name and
        # strength, which the page shows once, with a link); every review behind it, weakest
        # first; and, for a coverage gap, the reviews that list its harm without searching it.
        "finding": extra.get("finding", explanation),
        "searched": extra.get("searched", ""),
        "reviews": [r.iri for r in reviews],
        "listed_by": list(extra.get("listed_by", [])),
    }


def search_list(evidence: Evidence, hits: list[Hit]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for hit in hits:
        seen.setdefault(
            hit.search.iri,
            {
                "iri": hit.search.iri,
                "review": hit.review.iri,
                "query": hit.search.query,
                "harm": hit.harm,
                "intervention": hit.intervention,
            },
        )
    return sorted(seen.values(), key=lambda s: s["iri"])


def aim_words(evidence: Evidence, hit: Hit) -> str:
    target = (
        "any intervention"
        if hit.intervention == ANY_INTERVENTION
        else (f"'{evidence.label(hit.intervention)}'" if hit.intervention else "")
    )
    harm = f"'{evidence.label(hit.harm)}'"
    return f"{target} for {harm}" if target else harm


def search_words(evidence: Evidence, hits: list[Hit], broader: bool) -> str:
    """Which searches looked and at what level, without naming their review: ``Not found by 2
    search(es) aimed at it``."""
    searches = {h.search.iri for h in hits}
    aims = sorted({aim_words(evidence, h) for h in hits})
    level = (
        "aimed at something broader that contains it ("
        + "; ".join(aims[:3])
        + (f"; and {len(aims) - 3} more" if len(aims) > 3 else "")
        + ")"
        if broader
        else "aimed at it"
    )
    return f"Not found by {len(searches)} search(es) {level}"


def searched_text(evidence: Evidence, hits: list[Hit], broader: bool) -> str:
    """The sentence that says which searches looked, at what level, and how strong they were."""
    reviews = reviews_of(hits)
    more = f" and {len(reviews) - 1} more review(s)" if len(reviews) > 1 else ""
    return (
        f"{search_words(evidence, hits, broader)}, in review '{reviews[0].label}'{more}: "
        f"{reviews[0].strength()}."
    )


def reviewed_or_not(
    evidence: Evidence,
    cover: Coverage,
    kind: str,
    subject: str,
    explanation: str,
    hits: list[Hit],
    exact: bool,
    unreviewed: str,
    harms: list[str],
    **extra: object,
) -> dict:
    """The gap ``kind`` naming its searches, or a ``not-reviewed`` gap when none was aimed."""
    if hits:
        return gap_record(
            evidence,
            kind,
            subject,
            f"{explanation} {searched_text(evidence, hits, not exact)}",
            hits=hits,
            searched_at="exact" if exact else "broader",
            finding=explanation,
            searched=search_words(evidence, hits, not exact),
            **extra,
        )
    listing = {r.iri: r for h in harms for r in cover.listed(h)}
    listed = sorted(listing.values(), key=lambda r: (r.label, r.iri))
    names = sorted({r.label for r in listed})
    why = (
        f" Review(s) {', '.join(repr(name) for name in names[:3])} list this harm, but none of "
        "their searches was aimed at it."
        if names
        else ""
    )
    held = (
        f"What the graph holds now: {explanation} Until a search is aimed at it, this is a gap "
        "in the graph's reading, not a known gap in the evidence."
    )
    return gap_record(
        evidence,
        "not-reviewed",
        subject,
        f"Not yet searched: {unreviewed}{why} {held}",
        pending_kind=kind,
        finding=f"Not yet searched: {unreviewed} {held}",
        listed_by=[r.iri for r in listed],
        **extra,
    )


#: The columns of every gaps CSV.
GAP_CSV_COLUMNS = [
    "kind",
    "subject",
    "subject_label",
    "object",
    "object_label",
    "grain",
    "evidence_gap",
    "pending_kind",
    "source",
    "review",
    "review_date",
    "searched_at",
    "strength",
    "explanation",
]


def gap_csv_rows(gaps: list[dict]) -> list[list[object]]:
    """The rows of a gaps CSV, in :data:`GAP_CSV_COLUMNS` order."""
    rows = []
    for g in gaps:
        review = g["review"] or {}
        values = dict(g, review=review.get("iri", ""), review_date=review.get("date", ""))
        rows.append([values[column] for column in GAP_CSV_COLUMNS])
    return rows
