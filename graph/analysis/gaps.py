"""Typed gaps, each with a plain sentence built from the data and the searches behind it.

A gap that says evidence is missing is only a gap in the evidence when a search looked for it:
each such gap names the searches that were aimed at it (or at something broader that contains
it, which the sentence says), the review they belong to, and that review's strength in plain
words. Where no search was aimed at it, it is a coverage gap of its own kind, ``not-reviewed``:
a gap in the graph's reading, never mixed with the evidence gaps and never ranked by
:mod:`harmgraph.analysis.priorities` as research to fund.

Evidence gaps about a harm (one of the first three, or none when interventions address it):

- ``no-intervention``: no intervention is known to address the harm, a narrower or a broader
  one; searches for interventions of every type were aimed at it (or a broader harm);
- ``broader-only``: interventions address only a broader harm, none this harm itself;
- ``no-evaluated-intervention``: interventions address the harm, but none has an evaluation,
  trial or empirical study of its effect, or a systematic review (a search that sought only
  evaluations can support this, never ``no-intervention``).

Other evidence gaps:

- ``empty-cell``: an empty cell of the evidence-gap map at any grain (``grain`` says which:
  rows x columns), with no claim and no intervention on a broader harm, that a search was
  aimed at, at that grain: every cell the map marks "x", and no other (a cell reached only by
  a broader search says so in words on the map, and its gap is the broader one);
- ``unevaluated-intervention``: an intervention with no evaluation, trial or empirical study of
  its effect, only opinion, legal text, monitoring or description;
- ``unsynthesised``: an intervention with primary studies but no systematic review;
- ``weak-evidence``: an intervention-harm link backed only by low-confidence claims or by a
  single source;
- ``contested``: a link with both supporting and disputing claims;
- ``research-need``: a gap that a source states (``hg:Gap``).

Coverage gaps:

- ``not-reviewed``: one of the others would be claimed, but no search was aimed at it;
  ``pending_kind`` says which, and the explanation says in words what was and was not searched.

Every gap has ``review`` (the weakest review behind it: iri, label, date, type, strength,
methods, screened, included, excluded, or None), ``searches`` (each search aimed at it: iri,
query, the harm and intervention it was aimed at, and whether that is the gap itself or broader),
``searched_at`` (``exact``, ``broader`` or empty) and ``strength`` (the review's strength in
words). ``evidence_gap`` is ``absolute`` (no primary study at all) or ``synthesis`` (primary
studies but no review) where the data allow it, else empty.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> gaps = find_gaps(load_graph())
>>> {"research-need", "contested"} <= {g["kind"] for g in gaps}
True
>>> all("review" in g and "strength" in g for g in gaps)
True
"""

from __future__ import annotations

from collections import Counter, defaultdict

from harmgraph.analysis.cells import GRAINS, empty_cells
from harmgraph.analysis.gap_record import (
    gap_record,
    reviewed_or_not,
    search_words,
    searched_text,
)
from harmgraph.errors import UsageError
from harmgraph.gc_paused import kept
from harmgraph.model.coverage import Coverage, coverage, reviews_of
from harmgraph.model.evidence import (
    PRIMARY_KINDS,
    SYNTHESIS_KINDS,
    Claim,
    Evidence,
    local,
    read_evidence,
)
from harmgraph.model.reviews import ANY_INTERVENTION
from harmgraph.rdf.load import LoadedGraph

GAP_KINDS = (
    "no-intervention",
    "broader-only",
    "no-evaluated-intervention",
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
#: Each kind's meaning in one line of plain words.
GAP_MEANINGS = {
    "no-intervention": "no intervention is known to address this harm (searched for any)",
    "broader-only": "interventions address only a broader harm, none this harm itself",
    "no-evaluated-intervention": "interventions exist for this harm, but none was evaluated",
    "empty-cell": "a search aimed at this cell of the map found no claim",
    "unevaluated-intervention": "no evaluation, trial or empirical study of this intervention",
    "unsynthesised": "primary studies of this intervention, but no systematic review",
    "weak-evidence": "this link rests on low-confidence claims or a single source",
    "contested": "claims support and dispute this link",
    "research-need": "a published source states this research need",
    "not-reviewed": "no search was aimed at this yet: a gap in our coverage, not in the evidence",
}


def find_gaps(graph: LoadedGraph, kinds: list[str] | None = None) -> list[dict[str, object]]:
    """Return the gaps of ``graph`` as dicts, sorted by kind, then grain, then subject label.

    Keys: ``kind``, ``subject``, ``subject_label``, ``object``, ``object_label``, ``grain``,
    ``explanation``, ``evidence_gap``, ``source``, ``source_label``, ``claims``, ``gap``,
    ``concerns``, ``review``, ``searches``, ``searched_at``, ``strength`` and ``pending_kind``.
    """
    wanted = kinds or list(GAP_KINDS)
    unknown = sorted(set(wanted) - set(GAP_KINDS))
    if unknown:
        raise UsageError(f"unknown gap kind {unknown[0]!r}: expected one of {', '.join(GAP_KINDS)}")
    cached = kept(
        graph.cache, "gaps", lambda: _all_gaps(graph, read_evidence(graph), coverage(graph))
    )
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    grains = {grain: i for i, grain in enumerate(GRAINS)}
    found = [g for g in cached if g["kind"] in wanted]
    return sorted(
        found,
        key=lambda g: (
            order[g["kind"]],
            grains.get(g["grain"], -1),
            str(g["subject_label"]).lower(),
            g["object"],
        ),
    )


def _all_gaps(graph: LoadedGraph, evidence: Evidence, cover: Coverage) -> list[dict]:
    addresses = [c for c in evidence.claims if c.predicate == "addresses"]
    gaps = _harms(evidence, cover, addresses)
    gaps += _empty_cells(graph, evidence)
    gaps += _intervention_evidence(evidence, cover, addresses)
    gaps += _links(evidence, cover, addresses)
    gaps += _stated(evidence, cover)
    return gaps


def _harms(evidence: Evidence, cover: Coverage, addresses: list[Claim]) -> list[dict]:
    """For each harm, what is known of interventions against it: none, only at a broader
    level, or some but none evaluated."""
    backing: dict[str, list[Claim]] = defaultdict(list)
    for claim in addresses:
        if claim.direction != "Disputes":
            backing[claim.object].append(claim)
    enablers = Counter(c.object for c in evidence.claims if c.predicate == "enables")
    gaps = []
    for harm in evidence.of_kind("harm"):
        own = [c for h in evidence.descendants(harm.iri) for c in backing.get(h, [])]
        broader = [c for h in evidence.ancestors(harm.iri)[1:] for c in backing.get(h, [])]
        name = f"'{harm.label}'"
        if own:
            if any(c.kind in PRIMARY_KINDS | SYNTHESIS_KINDS for c in own):
                continue
            # "None evaluated" needs a search for each of them: aimed at it, its type, or any.
            covered = [cover.cell(harm.iri, i) for i in sorted({c.subject for c in own})]
            hits = [h for found in covered for h in found] if all(covered) else []
            interventions = sorted({evidence.label(c.subject) for c in own})
            gaps.append(
                reviewed_or_not(
                    evidence,
                    cover,
                    "no-evaluated-intervention",
                    harm.iri,
                    f"{len(interventions)} intervention(s) address {name} or a narrower harm "
                    f"({', '.join(interventions[:4])}{'...' if len(interventions) > 4 else ''}),"
                    f" but none of their {len(own)} claim(s) rests on an evaluation, trial, "
                    f"empirical study or systematic review: {_kinds_text(own, evidence)}.",
                    hits,
                    any(h.exact(harm.iri) for h in hits),
                    f"no search for evaluations of interventions against {name} was aimed at it "
                    "or a broader harm.",
                    [harm.iri],
                    evidence_gap="absolute",
                    claims=[c.iri for c in own],
                )
            )
            continue
        hits = cover.any_intervention(harm.iri)
        exact = any(h.exact(harm.iri, ANY_INTERVENTION) for h in hits)
        if broader:
            above = sorted({evidence.label(c.object) for c in broader})
            gaps.append(
                reviewed_or_not(
                    evidence,
                    cover,
                    "broader-only",
                    harm.iri,
                    f"No claim says that an intervention addresses {name} itself or a narrower "
                    f"harm; {len({c.subject for c in broader})} intervention(s) address the "
                    f"broader harm(s) {', '.join(repr(a) for a in above)}, which contain it.",
                    hits,
                    exact,
                    f"no search for interventions of every type was aimed at {name} or a "
                    "broader harm.",
                    [harm.iri],
                    claims=[c.iri for c in broader],
                )
            )
            continue
        gaps.append(
            reviewed_or_not(
                evidence,
                cover,
                "no-intervention",
                harm.iri,
                f"No claim in the graph says that any intervention addresses {name}, a narrower "
                f"or a broader harm; {enablers.get(harm.iri, 0)} claim(s) say that "
                "technologies enable it.",
                hits,
                exact,
                f"no search for interventions of every type was aimed at {name} or a broader harm.",
                [harm.iri],
                evidence_gap="absolute",
            )
        )
    return gaps


def _empty_cells(graph: LoadedGraph, evidence: Evidence) -> list[dict]:
    """Every cell the map marks "x", at every grain: empty, nothing on a broader harm, and a
    search aimed at it or at something broader."""
    gaps = []
    for grain in GRAINS:
        for cell in empty_cells(graph, grain):
            row, col = cell.row, cell.col
            row_name = (
                evidence.label(row) if row in evidence.entities else evidence.label(local(row))
            )
            finding = (
                f"No claim says that '{row_name}' addresses '{evidence.label(col)}' or a "
                f"narrower harm ({grain[0]} x {grain[1]})."
            )
            gap = gap_record(
                evidence,
                "empty-cell",
                row,
                f"{finding} {searched_text(evidence, cell.hits, False)}",
                finding=finding,
                searched=search_words(evidence, cell.hits, False),
                object=col,
                grain=f"{grain[0]} x {grain[1]}",
                evidence_gap="absolute",
                hits=cell.hits,
                searched_at="exact",
            )
            gap["subject_label"] = row_name
            gaps.append(gap)
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
        primary = [c for c in claims if c.kind in PRIMARY_KINDS]
        reviews = [c for c in claims if c.kind in SYNTHESIS_KINDS]
        if reviews:
            continue  # synthesised: neither gap below
        iris = [c.iri for c in claims]
        harms = {c.object for c in claims}
        hits = cover.intervention(intervention.iri, harms)
        exact = any(h.intervention == intervention.iri for h in hits)
        name = f"'{intervention.label}'"
        if not primary:
            held = (
                f"its {len(claims)} claim(s) rest on {_kinds_text(claims, evidence)}"
                if claims
                else "no claim says which harm it addresses"
            )
            gaps.append(
                reviewed_or_not(
                    evidence,
                    cover,
                    "unevaluated-intervention",
                    intervention.iri,
                    f"{name} has no evaluation, trial or empirical study of its effect: {held}.",
                    hits,
                    exact,
                    f"no search for evaluations of {name} (or its type) was aimed at the harms "
                    "it addresses.",
                    sorted(harms),
                    evidence_gap="absolute",
                    claims=iris,
                )
            )
        else:
            gaps.append(
                reviewed_or_not(
                    evidence,
                    cover,
                    "unsynthesised",
                    intervention.iri,
                    f"{name} has {len(primary)} primary-study claim(s) "
                    f"({_kinds_text(primary, evidence)}) but no systematic review of its effect.",
                    hits,
                    exact,
                    f"no search for a systematic review of {name} (or its type) was aimed at the "
                    "harms it addresses.",
                    sorted(harms),
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
        directions = Counter([c.direction for c in claims])
        contested = directions["Disputes"] and (directions["Supports"] or directions["Mixed"])
        backing = [c for c in claims if c.direction != "Disputes"]
        if not contested and not backing:
            continue
        sources = set().union(*(c.sources for c in claims))
        all_low = all(c.confidence <= 1 for c in backing)
        if not contested and not all_low and len(sources) != 1:
            continue  # a link backed well enough: no gap, so no sentence to write
        iris = [c.iri for c in claims]
        name = f"'{evidence.label(intervention)}' addresses '{evidence.label(harm)}'"
        hits = cover.cell(harm, intervention)
        exact = any(h.exact(harm, intervention) for h in hits)
        if contested:
            finding = (
                f"The claim that {name} is contested: {directions['Supports']} supporting, "
                f"{directions['Mixed']} mixed and {directions['Disputes']} disputing claim(s) "
                f"from {len(sources)} source(s)."
            )
            if hits:
                reviews = reviews_of(hits)
                text = (
                    f"{finding} Searched in review '{reviews[0].label}': {reviews[0].strength()}."
                )
                searched = f"Searched by {len({h.search.iri for h in hits})} search(es)"
            else:
                finding += " No search was aimed at this link."
                text, searched = finding, ""
            gaps.append(
                gap_record(
                    evidence,
                    "contested",
                    intervention,
                    text,
                    finding=finding,
                    searched=searched,
                    object=harm,
                    claims=iris,
                    evidence_gap=_studygap_record(claims),
                    hits=hits,
                    searched_at=("exact" if exact else "broader") if hits else "",
                )
            )
            continue
        if all_low or len(sources) == 1:
            reason = "only low-confidence claims" if all_low else "a single source"
            gaps.append(
                reviewed_or_not(
                    evidence,
                    cover,
                    "weak-evidence",
                    intervention,
                    f"That {name} rests on {reason}: {len(backing)} claim(s) from {len(sources)} "
                    f"source(s), {_kinds_text(backing, evidence)}.",
                    hits,
                    exact,
                    f"no search for stronger evidence that {name} was aimed at this link.",
                    [harm],
                    object=harm,
                    claims=iris,
                    evidence_gap=_studygap_record(claims),
                )
            )
    return gaps


def _studygap_record(claims: list[Claim]) -> str:
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
        hits = [h for harm in harms for h in cover.harm(harm)]
        gaps.append(
            gap_record(
                evidence,
                "research-need",
                gap.iri,
                f"'{evidence.label(source)}' states a research need about {about}: "
                f"{gap.definition}" + ("" if hits else " No search for evidence was aimed at it."),
                searched=f"{len({h.search.iri for h in hits})} search(es) for evidence were aimed "
                "at the harms it concerns"
                if hits
                else "",
                source=source,
                hits=hits,
                searched_at=("exact" if any(h.harm in harms for h in hits) else "broader")
                if hits
                else "",
            )
            | {"gap": gap.iri, "concerns": concerns}
        )
    return gaps
