"""Funder prioritisation: a transparent weighted sum of named criteria for every evidence gap.

Coverage gaps (``not-reviewed``: nobody has looked yet) are never ranked: they say where the
graph's reading stops, not which research to fund. Empty cells are ranked at one grain,
intervention types x harm facets (:data:`RANKED_GRAIN`): each stands for the finer cells under
it, which ``harmgraph gaps`` lists.

Each criterion is a number from 0 to 1 computed from the graph; a gap's score is the
sum of weight x value, and every row shows each criterion's contribution. Weights
can be changed; :func:`sensitivity` reports how each rank moves when each weight
moves by +/-50%.

Criteria (and where their values come from):

- ``severity``: the highest ``hg:severity`` (1-5, divided by 5) of the harms the gap
  concerns; each rating names the source it rests on in ``hg:severitySource``. A harm
  without a rating takes its nearest broader harm's.
- ``reach``: how many actor roles those harms affect (``hg:affects`` claims), divided
  by the most any gap reaches.
- ``enablers``: how many technology categories enable those harms (``hg:enables``
  claims), divided by the most any gap has.
- ``weakness``: 1 minus the strongest confidence (high 3, moderate 2, low 1, out of 3)
  of the non-disputing claims behind the gap's link or subject; 1 when there are none.
- ``stated``: 1 when a source states a research need (``hg:Gap``) about the gap's
  harms or interventions, else 0.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> ranked = rank_priorities(load_graph())
>>> ranked[0]["rank"], sorted(ranked[0]["contributions"])
(1, ['enablers', 'reach', 'severity', 'stated', 'weakness'])
"""

from __future__ import annotations

from collections import defaultdict

from harmgraph.analysis.gaps import EVIDENCE_GAP_KINDS, find_gaps
from harmgraph.errors import UsageError
from harmgraph.model.evidence import Evidence, read_evidence
from harmgraph.rdf.load import LoadedGraph

#: The grain at which empty cells are ranked: intervention types x harm facets.
RANKED_GRAIN = "intervention-type x harm-facet"

#: Default weights, chosen so that harm severity and evidence weakness lead.
DEFAULT_WEIGHTS: dict[str, float] = {
    "severity": 3.0,
    "reach": 1.0,
    "enablers": 1.0,
    "weakness": 2.0,
    "stated": 1.5,
}


def parse_weights(pairs: list[str]) -> dict[str, float]:
    """Turn ``name=value`` strings into weights over the defaults.

    >>> parse_weights(["severity=1"])["severity"]
    1.0
    """
    weights = dict(DEFAULT_WEIGHTS)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or name not in DEFAULT_WEIGHTS or number < 0:
            msg = (
                f"bad weight {pair!r}: use name=number (>= 0) with name one of "
                f"{', '.join(DEFAULT_WEIGHTS)}"
            )
            raise UsageError(msg)
        weights[name] = number
    return weights


def _harms_of(evidence: Evidence, gap: dict, addressed: dict[str, set[str]]) -> set[str]:
    """The harms a gap concerns."""
    harms: set[str] = set()
    entities = [gap["subject"], gap["object"]]
    if gap["kind"] == "research-need":
        entities = evidence.concerns.get(gap["gap"], [])
    for iri in filter(None, entities):
        entity = evidence.entities.get(iri)
        if entity is None:
            continue
        if entity.kind == "harm":
            harms.add(iri)
        elif entity.kind == "intervention" and not gap["object"]:
            harms |= addressed.get(iri, set())
        elif entity.kind == "technology":
            harms |= evidence.relations_from.get((iri, "enables"), set())
        elif entity.kind == "actor":
            harms |= evidence.relations_to.get((iri, "affects"), set())
    return harms


def criteria(graph: LoadedGraph) -> list[dict]:
    """Return every gap with its raw criterion values (0-1) and the harms behind them."""
    evidence = read_evidence(graph)
    # Coverage gaps (not-reviewed) say where the graph has not looked, not what to fund; empty
    # cells are ranked at the funder's grain (types x facets), each standing for its finer cells.
    gaps = [
        g
        for g in find_gaps(graph, list(EVIDENCE_GAP_KINDS))
        if g["kind"] != "empty-cell" or g["grain"] == RANKED_GRAIN
    ]
    addressed: dict[str, set[str]] = defaultdict(set)
    affects: dict[str, set[str]] = defaultdict(set)
    enables: dict[str, set[str]] = defaultdict(set)
    for claim in evidence.claims:
        if claim.direction == "Disputes":
            continue
        if claim.predicate == "addresses":
            addressed[claim.subject].add(claim.object)
        elif claim.predicate == "affects":
            affects[claim.subject].add(claim.object)
        elif claim.predicate == "enables":
            enables[claim.object].add(claim.subject)
    stated_about: set[str] = set()
    for concerned in evidence.concerns.values():
        for iri in concerned:
            stated_about |= evidence.descendants(iri) | {iri}
    claims_by_iri = {c.iri: c for c in evidence.claims}
    rows = []
    for gap in gaps:
        harms = _harms_of(evidence, gap, addressed)
        family = set().union(*(evidence.descendants(h) for h in harms)) if harms else set()
        severities = [evidence.severity(h) for h in harms]
        rated = [(s, src) for s, src in severities if s is not None]
        severity, severity_source = max(rated) if rated else (0, "")
        backing = [
            claims_by_iri[c] for c in gap["claims"] if claims_by_iri[c].direction != "Disputes"
        ]
        strongest = max((c.confidence for c in backing), default=0)
        stated = gap["kind"] == "research-need" or bool(
            ({gap["subject"], gap["object"]} | harms) & stated_about
        )
        rows.append(
            {
                **gap,
                "harms": sorted(harms),
                "severity_source": severity_source,
                "raw": {
                    "severity": severity / 5,
                    "reach": len(set().union(*(affects[h] for h in family)) if family else set()),
                    "enablers": len(
                        set().union(*(enables[h] for h in family)) if family else set()
                    ),
                    "weakness": 1 - strongest / 3,
                    "stated": 1.0 if stated else 0.0,
                },
            }
        )
    for name in ("reach", "enablers"):
        top = max((r["raw"][name] for r in rows), default=0) or 1
        for row in rows:
            row["raw"][name] = row["raw"][name] / top
    return rows


def _score(rows: list[dict], weights: dict[str, float]) -> list[tuple[float, int]]:
    scores = []
    for index, row in enumerate(rows):
        total = sum(weights[name] * row["raw"][name] for name in DEFAULT_WEIGHTS)
        scores.append((total, index))
    return scores


def _ranks(rows: list[dict], weights: dict[str, float]) -> dict[int, int]:
    ordered = sorted(_score(rows, weights), key=lambda s: (-s[0], _tie(rows[s[1]])))
    return {index: rank for rank, (_, index) in enumerate(ordered, start=1)}


def _tie(row: dict) -> tuple[str, str, str]:
    return (row["kind"], str(row["subject_label"]).lower(), row["object"])


def rank_priorities(
    graph: LoadedGraph, weights: dict[str, float] | None = None, with_sensitivity: bool = False
) -> list[dict]:
    """Rank every gap by its weighted score, best first.

    Each row is a gap dict plus ``rank``, ``score``, ``criteria`` (raw values 0-1),
    ``contributions`` (weight x value), ``weights`` and ``severity_source``; with
    ``with_sensitivity``, also ``rank_min``, ``rank_max`` and ``stable``.
    """
    return rank_rows(criteria(graph), weights, with_sensitivity)


def rank_rows(
    rows: list[dict], weights: dict[str, float] | None = None, with_sensitivity: bool = False
) -> list[dict]:
    """:func:`rank_priorities` on rows :func:`criteria` already worked out, for a caller that
    needs the raw criteria too (the site's priorities page) without reading the graph twice."""
    weights = weights or dict(DEFAULT_WEIGHTS)
    ranks = _ranks(rows, weights)
    spread = sensitivity(rows, weights) if with_sensitivity else {}
    result = []
    for index, row in enumerate(rows):
        contributions = {n: round(weights[n] * row["raw"][n], 4) for n in DEFAULT_WEIGHTS}
        entry = {k: v for k, v in row.items() if k != "raw"}
        entry |= {
            "rank": ranks[index],
            "score": round(sum(contributions.values()), 4),
            "criteria": {n: round(v, 4) for n, v in row["raw"].items()},
            "contributions": contributions,
            "weights": dict(weights),
        }
        if with_sensitivity:
            low, high = spread[index]
            entry |= {
                "rank_min": low,
                "rank_max": high,
                "stable": high - low <= max(1, len(rows) // 20),
            }
        result.append(entry)
    return sorted(result, key=lambda r: r["rank"])


def sensitivity(rows: list[dict], weights: dict[str, float]) -> dict[int, tuple[int, int]]:
    """For each gap, the best and worst rank when any one weight moves by -50% or +50%."""
    seen: dict[int, list[int]] = defaultdict(list)
    for index, rank in _ranks(rows, weights).items():
        seen[index].append(rank)
    for name in DEFAULT_WEIGHTS:
        for factor in (0.5, 1.5):
            moved = dict(weights) | {name: weights[name] * factor}
            for index, rank in _ranks(rows, moved).items():
                seen[index].append(rank)
    return {index: (min(r), max(r)) for index, r in seen.items()}


def check_weights(weights: dict[str, float]) -> None:
    if not any(weights.values()):
        raise UsageError("at least one weight must be above zero")
