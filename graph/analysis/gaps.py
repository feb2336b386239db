"""Typed gaps, each with a plain sentence built from the data and the review behind it.

A gap that says evidence is missing is only a gap in the evidence when someone looked: each
such gap names the review (``hg:Review``) that searched for it. Where no review covers it, it
is a coverage gap of its own kind, ``not-reviewed``: a gap in the graph's reading, never mixed
with the evidence gaps and never ranked by :mod:`harmgraph.analysis.priorities` as research to fund.

Evidence gaps:

- ``no-intervention``: a harm that no intervention addresses (nor any narrower harm), and
  reviews searched every intervention type for it;
- ``empty-cell``: an intervention type with no claim about a harm facet (that other types do
  address), and a review searched that type for that facet;
- ``unevaluated-intervention``: an intervention with no evaluation, trial or empirical study of
  its effect, only opinion, legal text, monitoring or description, after a review;
- ``unsynthesised``: an intervention with primary studies but no systematic review;
- ``weak-evidence``: an intervention-harm link backed only by low-confidence claims or by a
  single source, after a review;
- ``contested``: a link with both supporting and disputing claims;
- ``research-need``: a gap that a source states (``hg:Gap``).

Coverage gaps:

- ``not-reviewed``: one of the first five would be claimed, but no review has searched for it;
  ``pending_kind`` says which.

Every gap has a ``review`` key: the review behind it (iri, label, date, methods, screened,
included, excluded), or None. ``evidence_gap`` is ``absolute`` (no primary study at all) or
``synthesis`` (primary studies but no review) where the data allow it, else empty.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> gaps = find_gaps(load_graph())
>>> {"research-need", "contested"} <= {g["kind"] for g in gaps}
True
>>> all("review" in g for g in gaps)
True
"""

from __future__ import annotations

from collections import Counter, defaultdict

from harmgraph.errors import UsageError
from harmgraph.model.evidence import PRIMARY_KINDS, SYNTHESIS_KINDS, Claim, Evidence, read_evidence
from harmgraph.model.reviews import Coverage, Review, coverage
from harmgraph.rdf.load import LoadedGraph

GAP_KINDS = (
    "no-intervention",
    "empty-cell",
    "unevaluated-intervention",
    "unsynthesised",
    "weak-evidence",
    "contested",
    "research-need",
    "not-reviewed",
)
#: The kinds that are gaps in the evidence (every kind but the coverage gap).
EVIDENCE_GAP_KINDS = tuple(k for k in GAP_KINDS if k != "not-reviewed")

#: The columns of every gaps CSV the app offers.
GAP_CSV_COLUMNS = [
    "kind",
    "subject",
    "subject_label",
    "object",
    "object_label",
    "evidence_gap",
    "pending_kind",
    "source",
    "review",
    "review_date",
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


def find_gaps(graph: LoadedGraph, kinds: list[str] | None = None) -> list[dict[str, object]]:
    """Return the gaps of ``graph`` as dicts, sorted by kind then subject label.

    Keys: ``kind``, ``subject``, ``subject_label``, ``object``, ``object_label``,
    ``explanation``, ``evidence_gap``, ``source``, ``source_label``, ``claims``, ``gap``,
    ``concerns``, ``review`` and ``pending_kind``.
    """
    wanted = kinds or list(GAP_KINDS)
    unknown = sorted(set(wanted) - set(GAP_KINDS))
    if unknown:
        raise UsageError(f"unknown gap kind {unknown[0]!r}: expected one of {', '.join(GAP_KINDS)}")
    evidence = read_evidence(graph)
    cached = graph.cache.get("gaps")
    if cached is None:
        cached = graph.cache["gaps"] = _all_gaps(evidence, coverage(graph))
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    found = [g for g in cached if g["kind"] in wanted]
    return sorted(
        found, key=lambda g: (order[g["kind"]], str(g["subject_label"]).lower(), g["object"])
    )


def _gap(evidence: Evidence, kind: str, subject: str, explanation: str, **extra: object) -> dict:
    obj = str(extra.get("object", ""))
    source = str(extra.get("source", ""))
    review = extra.get("review")
    return {
        "kind": kind,
        "subject": subject,
        "subject_label": evidence.label(subject),
        "object": obj,
        "object_label": evidence.label(obj) if obj else "",
        "explanation": explanation,
        "evidence_gap": extra.get("evidence_gap", ""),
        "source": source,
        "source_label": evidence.label(source) if source else "",
        "claims": sorted(extra.get("claims", [])),
        "gap": "",
        "concerns": [],
        "review": review.summary() if isinstance(review, Review) else None,
        "pending_kind": extra.get("pending_kind", ""),
    }


def _reviewed_or_not(
    evidence: Evidence,
    kind: str,
    subject: str,
    explanation: str,
    reviews: list[Review],
    unreviewed: str,
    **extra: object,
) -> dict:
    """The gap ``kind`` naming its review, or a ``not-reviewed`` gap when no review covers it."""
    if reviews:
        return _gap(
            evidence,
            kind,
            subject,
            f"{explanation} Searched by {reviews[0].sentence()}.",
            review=reviews[0],
            **extra,
        )
    return _gap(
        evidence,
        "not-reviewed",
        subject,
        f"Not yet reviewed: {unreviewed} What the graph holds now: {explanation} Until a review "
        "searches for it, this is a gap in the graph's reading, not a known gap in the evidence.",
        pending_kind=kind,
        **extra,
    )


def _all_gaps(evidence: Evidence, cover: Coverage) -> list[dict]:
    addresses = [c for c in evidence.claims if c.predicate == "addresses"]
    gaps = _no_intervention(evidence, cover, addresses)
    gaps += _empty_cells(evidence, cover, addresses)
    gaps += _intervention_evidence(evidence, cover, addresses)
    gaps += _links(evidence, cover, addresses)
    gaps += _stated(evidence, cover)
    return gaps


def _no_intervention(evidence: Evidence, cover: Coverage, addresses: list[Claim]) -> list[dict]:
    addressed = {c.object for c in addresses if c.direction != "Disputes"}
    enablers = Counter(c.object for c in evidence.claims if c.predicate == "enables")
    gaps = []
    for harm in evidence.of_kind("harm"):
        if evidence.descendants(harm.iri) & addressed:
            continue
        technologies = enablers.get(harm.iri, 0)
        gaps.append(
            _reviewed_or_not(
                evidence,
                "no-intervention",
                harm.iri,
                f"No claim in the graph says that any intervention addresses '{harm.label}' "
                f"or a narrower harm; {technologies} claim(s) say that technologies enable it.",
                cover.for_all_interventions(harm.iri),
                f"no review has searched every intervention type for '{harm.label}'.",
                evidence_gap="absolute",
            )
        )
    return gaps


def _empty_cells(evidence: Evidence, cover: Coverage, addresses: list[Claim]) -> list[dict]:
    """Intervention type x harm facet cells with no claim, for facets that some claim
    addresses (a facet with none is a ``no-intervention`` gap already)."""
    filled: dict[str, set[str]] = defaultdict(set)
    for claim in addresses:
        if claim.direction == "Disputes":
            continue
        for facet in evidence.top_concepts(claim.object):
            filled[facet] |= set(evidence.top_concepts(claim.subject))
    types = [e for e in evidence.of_kind("intervention") if e.top]
    gaps = []
    for facet in evidence.of_kind("harm"):
        if not facet.top or not filled.get(facet.iri):
            continue
        for kind in types:
            if kind.iri in filled[facet.iri]:
                continue
            gaps.append(
                _reviewed_or_not(
                    evidence,
                    "empty-cell",
                    kind.iri,
                    f"No claim says that any intervention of the type '{kind.label}' addresses "
                    f"'{facet.label}' or a narrower harm, though other types do.",
                    cover.for_link(facet.iri, kind.iri),
                    f"no review has searched '{kind.label}' interventions for '{facet.label}'.",
                    object=facet.iri,
                    evidence_gap="absolute",
                )
            )
    return gaps


def _kinds_text(claims: list[Claim], evidence: Evidence) -> str:
    counts = Counter(evidence.label(c.kind) for c in claims)
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))


def _intervention_evidence(
    evidence: Evidence, cover: Coverage, addresses: list[Claim]
) -> list[dict]:
    by_intervention: dict[str, list[Claim]] = defaultdict(list)
    for claim in addresses:
        by_intervention[claim.subject].append(claim)
    gaps = []
    for intervention in evidence.of_kind("intervention"):
        if intervention.top:
            continue
        claims = by_intervention.get(intervention.iri, [])
        iris = [c.iri for c in claims]
        primary = [c for c in claims if c.kind in PRIMARY_KINDS]
        reviews = [c for c in claims if c.kind in SYNTHESIS_KINDS]
        searched = cover.for_intervention(intervention.iri, {c.object for c in claims})
        name = f"'{intervention.label}'"
        if not primary and not reviews:
            held = (
                f"its {len(claims)} claim(s) rest on {_kinds_text(claims, evidence)}"
                if claims
                else ("no claim says which harm it addresses")
            )
            gaps.append(
                _reviewed_or_not(
                    evidence,
                    "unevaluated-intervention",
                    intervention.iri,
                    f"{name} has no evaluation, trial or empirical study of its effect: {held}.",
                    searched,
                    f"no review has searched for evaluations of {name}.",
                    evidence_gap="absolute",
                    claims=iris,
                )
            )
        elif primary and not reviews:
            gaps.append(
                _reviewed_or_not(
                    evidence,
                    "unsynthesised",
                    intervention.iri,
                    f"{name} has {len(primary)} primary-study claim(s) "
                    f"({_kinds_text(primary, evidence)}) but no systematic review of its effect.",
                    searched,
                    f"no review has searched for a systematic review of {name}.",
                    evidence_gap="synthesis",
                    claims=iris,
                )
            )
    return gaps


def _links(evidence: Evidence, cover: Coverage, addresses: list[Claim]) -> list[dict]:
    by_link: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in addresses:
        by_link[(claim.subject, claim.object)].append(claim)
    gaps = []
    for (intervention, harm), claims in sorted(by_link.items()):
        iris = [c.iri for c in claims]
        directions = Counter(c.direction for c in claims)
        sources = set().union(*(c.sources for c in claims))
        name = f"'{evidence.label(intervention)}' addresses '{evidence.label(harm)}'"
        searched = cover.for_link(harm, intervention)
        if directions["Disputes"] and (directions["Supports"] or directions["Mixed"]):
            text = (
                f"The claim that {name} is contested: {directions['Supports']} supporting, "
                f"{directions['Mixed']} mixed and {directions['Disputes']} disputing claim(s) "
                f"from {len(sources)} source(s)."
            )
            if searched:
                text += f" Searched by {searched[0].sentence()}."
            gaps.append(
                _gap(
                    evidence,
                    "contested",
                    intervention,
                    text,
                    object=harm,
                    claims=iris,
                    evidence_gap=_study_gap(claims),
                    review=searched[0] if searched else None,
                )
            )
            continue
        backing = [c for c in claims if c.direction != "Disputes"]
        if not backing:
            continue
        all_low = all(c.confidence <= 1 for c in backing)
        if all_low or len(sources) == 1:
            reason = "only low-confidence claims" if all_low else "a single source"
            gaps.append(
                _reviewed_or_not(
                    evidence,
                    "weak-evidence",
                    intervention,
                    f"That {name} rests on {reason}: {len(backing)} claim(s) from {len(sources)} "
                    f"source(s), {_kinds_text(backing, evidence)}.",
                    searched,
                    f"no review has searched for stronger evidence that {name}.",
                    object=harm,
                    claims=iris,
                    evidence_gap=_study_gap(claims),
                )
            )
    return gaps


def _study_gap(claims: list[Claim]) -> str:
    kinds = {c.kind for c in claims}
    if not kinds & (PRIMARY_KINDS | SYNTHESIS_KINDS):
        return "absolute"
    if not kinds & SYNTHESIS_KINDS:
        return "synthesis"
    return ""


def _stated(evidence: Evidence, cover: Coverage) -> list[dict]:
    gaps = []
    for gap in evidence.of_kind("gap"):
        source = evidence.stated_by.get(gap.iri, "")
        concerns = evidence.concerns.get(gap.iri, [])
        about = ", ".join(f"'{evidence.label(c)}'" for c in concerns) or "no entity"
        harms = [
            c for c in concerns if c in evidence.entities and evidence.entities[c].kind == "harm"
        ]
        searched = sorted(
            {r.iri: r for h in harms for r in cover.for_harm(h)}.values(),
            key=lambda r: (r.date, r.iri),
            reverse=True,
        )
        gaps.append(
            _gap(
                evidence,
                "research-need",
                gap.iri,
                f"'{evidence.label(source)}' states a research need about {about}: "
                f"{gap.definition}",
                source=source,
                review=searched[0] if searched else None,
            )
            | {"gap": gap.iri, "concerns": concerns}
        )
    return gaps
