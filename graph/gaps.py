"""Typed evidence gaps, each with a plain sentence built from the data.

Kinds:

- ``no-intervention``: a harm that no intervention addresses (nor any narrower harm);
- ``unevaluated-intervention``: an intervention with no evaluation, trial or empirical
  study of its effect, only opinion, legal text, monitoring or description;
- ``unsynthesised``: an intervention with primary studies but no systematic review;
- ``weak-evidence``: an intervention-harm link backed only by low-confidence claims or
  by a single source;
- ``contested``: a link with both supporting and disputing claims;
- ``research-need``: a gap that a source states (``hg:Gap``).

``evidence_gap`` is ``absolute`` (no primary study at all) or ``synthesis`` (primary
studies but no review) where the data allow it, else empty.

Examples
--------
>>> from harmgraph.load import load_graph
>>> kinds = {g["kind"] for g in find_gaps(load_graph())}
>>> {"research-need", "contested"} <= kinds
True
"""

from __future__ import annotations

from collections import Counter, defaultdict

from harmgraph.errors import UsageError
from harmgraph.evidence import PRIMARY_KINDS, SYNTHESIS_KINDS, Claim, Evidence, read_evidence
from harmgraph.load import LoadedGraph

GAP_KINDS = (
    "no-intervention",
    "unevaluated-intervention",
    "unsynthesised",
    "weak-evidence",
    "contested",
    "research-need",
)


#: The columns of every gaps CSV (the CLI's --format csv and the app's download).
GAP_CSV_COLUMNS = [
    "kind",
    "subject",
    "subject_label",
    "object",
    "object_label",
    "evidence_gap",
    "source",
    "explanation",
]


def gap_csv_rows(gaps: list[dict]) -> list[list[object]]:
    """The rows of a gaps CSV, in :data:`GAP_CSV_COLUMNS` order."""
    return [[g[column] for column in GAP_CSV_COLUMNS] for g in gaps]


def find_gaps(graph: LoadedGraph, kinds: list[str] | None = None) -> list[dict[str, object]]:
    """Return the gaps of ``graph`` as dicts, sorted by kind then subject label.

    Keys: ``kind``, ``subject``, ``subject_label``, ``object``, ``object_label``,
    ``explanation``, ``evidence_gap``, ``source``, ``source_label``, ``claims``.
    """
    wanted = kinds or list(GAP_KINDS)
    unknown = sorted(set(wanted) - set(GAP_KINDS))
    if unknown:
        raise UsageError(f"unknown gap kind {unknown[0]!r}: expected one of {', '.join(GAP_KINDS)}")
    evidence = read_evidence(graph)
    cached = graph.cache.get("gaps")
    if cached is None:
        cached = graph.cache["gaps"] = _all_gaps(evidence)
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    found = [g for g in cached if g["kind"] in wanted]
    return sorted(
        found, key=lambda g: (order[g["kind"]], str(g["subject_label"]).lower(), g["object"])
    )


def _gap(evidence: Evidence, kind: str, subject: str, explanation: str, **extra: object) -> dict:
    obj = str(extra.get("object", ""))
    source = str(extra.get("source", ""))
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
    }


def _all_gaps(evidence: Evidence) -> list[dict]:
    addresses = [c for c in evidence.claims if c.predicate == "addresses"]
    gaps = _no_intervention(evidence, addresses)
    gaps += _intervention_evidence(evidence, addresses)
    gaps += _links(evidence, addresses)
    gaps += _stated(evidence)
    return gaps


def _no_intervention(evidence: Evidence, addresses: list[Claim]) -> list[dict]:
    addressed = {c.object for c in addresses if c.direction != "Disputes"}
    enablers = Counter(c.object for c in evidence.claims if c.predicate == "enables")
    gaps = []
    for harm in evidence.of_kind("harm"):
        if evidence.descendants(harm.iri) & addressed:
            continue
        technologies = enablers.get(harm.iri, 0)
        gaps.append(
            _gap(
                evidence,
                "no-intervention",
                harm.iri,
                f"No claim in the graph says that any intervention addresses '{harm.label}' "
                f"or a narrower harm; {technologies} claim(s) say that technologies enable it.",
                evidence_gap="absolute",
            )
        )
    return gaps


def _kinds_text(claims: list[Claim], evidence: Evidence) -> str:
    counts = Counter(evidence.label(c.kind) for c in claims)
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))


def _intervention_evidence(evidence: Evidence, addresses: list[Claim]) -> list[dict]:
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
        if not primary and not reviews:
            held = (
                f"its {len(claims)} claim(s) rest on {_kinds_text(claims, evidence)}"
                if claims
                else ("no claim says which harm it addresses")
            )
            gaps.append(
                _gap(
                    evidence,
                    "unevaluated-intervention",
                    intervention.iri,
                    f"'{intervention.label}' has no evaluation, trial or empirical study of its "
                    f"effect: {held}.",
                    evidence_gap="absolute",
                    claims=iris,
                )
            )
        elif primary and not reviews:
            gaps.append(
                _gap(
                    evidence,
                    "unsynthesised",
                    intervention.iri,
                    f"'{intervention.label}' has {len(primary)} primary-study claim(s) "
                    f"({_kinds_text(primary, evidence)}) but no systematic review of its effect.",
                    evidence_gap="synthesis",
                    claims=iris,
                )
            )
    return gaps


def _links(evidence: Evidence, addresses: list[Claim]) -> list[dict]:
    by_link: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in addresses:
        by_link[(claim.subject, claim.object)].append(claim)
    gaps = []
    for (intervention, harm), claims in sorted(by_link.items()):
        iris = [c.iri for c in claims]
        directions = Counter(c.direction for c in claims)
        sources = set().union(*(c.sources for c in claims))
        name = f"'{evidence.label(intervention)}' addresses '{evidence.label(harm)}'"
        if directions["Disputes"] and (directions["Supports"] or directions["Mixed"]):
            gaps.append(
                _gap(
                    evidence,
                    "contested",
                    intervention,
                    f"The claim that {name} is contested: {directions['Supports']} supporting, "
                    f"{directions['Mixed']} mixed and {directions['Disputes']} disputing claim(s) "
                    f"from {len(sources)} source(s).",
                    object=harm,
                    claims=iris,
                    evidence_gap=_study_gap(claims),
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
                _gap(
                    evidence,
                    "weak-evidence",
                    intervention,
                    f"That {name} rests on {reason}: {len(backing)} claim(s) from {len(sources)} "
                    f"source(s), {_kinds_text(backing, evidence)}.",
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


def _stated(evidence: Evidence) -> list[dict]:
    gaps = []
    for gap in evidence.of_kind("gap"):
        source = evidence.stated_by.get(gap.iri, "")
        concerns = evidence.concerns.get(gap.iri, [])
        about = ", ".join(f"'{evidence.label(c)}'" for c in concerns) or "no entity"
        gaps.append(
            _gap(
                evidence,
                "research-need",
                gap.iri,
                f"'{evidence.label(source)}' states a research need about {about}: "
                f"{gap.definition}",
                source=source,
            )
            | {"gap": gap.iri, "concerns": concerns}
        )
    return gaps
