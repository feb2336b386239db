"""One gap as plain data, and the sentences that say which searches were aimed at it.

:func:`gap_record` builds the dict every gap kind shares; :func:`searched_text` is the sentence
that names the searches, whether they were aimed at the gap itself or at something broader, and
the weakest review's strength; :func:`reviewed_or_not` gives a gap of its kind when a search was
aimed at it and a ``not-reviewed`` coverage gap, with the reviews that only listed it, otherwise.
The map's cells use :func:`searched_text` too, so both say the same thing in the same words.

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


def searched_text(evidence: Evidence, hits: list[Hit], broader: bool) -> str:
    """The sentence that says which searches looked, at what level, and how strong they were."""
    reviews = reviews_of(hits)
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
    more = f" and {len(reviews) - 1} more review(s)" if len(reviews) > 1 else ""
    return (
        f"Not found by {len(searches)} search(es) {level}, in review '{reviews[0].label}'{more}: "
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
            **extra,
        )
    listed = sorted({r.label for h in harms for r in cover.listed(h)})
    why = (
        f" Review(s) {', '.join(repr(name) for name in listed[:3])} list this harm, but none of "
        "their searches was aimed at it."
        if listed
        else ""
    )
    return gap_record(
        evidence,
        "not-reviewed",
        subject,
        f"Not yet searched: {unreviewed}{why} What the graph holds now: {explanation} Until a "
        "search is aimed at it, this is a gap in the graph's reading, not a known gap in the "
        "evidence.",
        pending_kind=kind,
        **extra,
    )
