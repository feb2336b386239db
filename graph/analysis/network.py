"""A networkx view of the graph: typed nodes, relation edges with their claims.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> g = build_network(load_graph())
>>> g.nodes["https://w3id.org/harmgraph/id/harm/normalisation"]["kind"]
'harm'
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterator

import networkx as nx

from harmgraph.errors import UsageError
from harmgraph.gc_paused import kept
from harmgraph.model.evidence import CONFIDENCE_NAME, Evidence, read_evidence
from harmgraph.rdf.load import LoadedGraph


def build_network(graph: LoadedGraph) -> nx.MultiDiGraph:
    """Return (building once per loaded graph) the entity network.

    Nodes are harms, technologies, actors and interventions (``kind``, ``label``).
    Each direct relation is one edge keyed by its relation name, with the ``claims``
    behind it (IRI, direction, confidence, sources).
    """
    return kept(graph.cache, "network", lambda: _build(read_evidence(graph)))


def _build(evidence: Evidence) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph()
    for entity in sorted(evidence.entities.values(), key=lambda e: e.iri):
        if entity.kind in ("harm", "technology", "actor", "intervention"):
            network.add_node(entity.iri, kind=entity.kind, label=entity.label)
    by_link: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for claim in evidence.claims:
        by_link[(claim.subject, claim.predicate, claim.object)].append(
            {
                "claim": claim.iri,
                "direction": claim.direction,
                "confidence": CONFIDENCE_NAME[claim.confidence],
                "kind": claim.kind,
                "sources": sorted(claim.sources),
            }
        )
    for (subject, relation, obj), claims in sorted(by_link.items()):
        if subject in network and obj in network:
            network.add_edge(subject, obj, key=relation, relation=relation, claims=claims)
    return network


#: The kinds of entity that are nodes of the network.
NODE_KINDS = ("harm", "technology", "actor", "intervention")


def resolve_entity(graph: LoadedGraph, name: str) -> str:
    """Find a network node by IRI, ``kind/slug`` or exact label (the shared resolver)."""
    return read_evidence(graph).resolve(name, NODE_KINDS)


def ego_network(graph: LoadedGraph, entity: str, depth: int = 1, limit: int = 300) -> dict:
    """Return the entities within ``depth`` links of ``entity`` (ignoring direction).

    Keys: ``center``, ``nodes`` (iri, kind, label, distance), ``edges`` (source,
    target, relation, claims), ``cut`` (how many nodes were left out by ``limit``).
    """
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    network = build_network(graph)
    center = resolve_entity(graph, entity)
    distances = nx.single_source_shortest_path_length(
        network.to_undirected(as_view=True), center, depth
    )
    ordered = sorted(distances, key=lambda n: (distances[n], n))
    kept = ordered[:limit]
    keep = set(kept)
    nodes = [
        {
            "iri": n,
            "kind": network.nodes[n]["kind"],
            "label": network.nodes[n]["label"],
            "distance": distances[n],
        }
        for n in kept
    ]
    edges = [
        {"source": u, "target": v, "relation": k, "claims": data["claims"]}
        for u, v, k, data in network.edges(keys=True, data=True)
        if u in keep and v in keep
    ]
    edges.sort(key=lambda e: (e["source"], e["relation"], e["target"]))
    return {"center": center, "nodes": nodes, "edges": edges, "cut": len(ordered) - len(kept)}


#: The most paths :func:`search_paths` counts: past it the count is a lower bound
#: (``complete`` is false), so a dense graph at a long ``max_length`` still answers.
COUNT_CAP = 100_000


def find_paths(
    graph: LoadedGraph, start: str, end: str, max_length: int = 4, limit: int = 50
) -> list[list[dict]]:
    """Return the first ``limit`` simple paths (at most ``max_length`` links, any direction)
    between two entities, shortest first; each path is a list of steps with the claims on
    each link. :func:`search_paths` also says how many there are."""
    return search_paths(graph, start, end, max_length, limit)["paths"]


def search_paths(
    graph: LoadedGraph, start: str, end: str, max_length: int = 4, limit: int = 20
) -> dict:
    """The paths between two entities, counted, and the first ``limit`` of them.

    Keys: ``found`` (how many simple paths of at most ``max_length`` links there are, up to
    :data:`COUNT_CAP`), ``complete`` (false when the count stopped at the cap), and ``paths``
    (the first ``limit``, shortest first, then in IRI order; as :func:`find_paths`).

    >>> from harmgraph.rdf.load import load_graph
    >>> result = search_paths(load_graph(), "technology/nudify-apps",
    ...                       "actor/children-and-young-people", 2, limit=1)
    >>> result["found"], len(result["paths"]), result["complete"]
    (2, 1, True)
    """
    network = build_network(graph)
    source, target = resolve_entity(graph, start), resolve_entity(graph, end)
    undirected = nx.Graph(network.to_undirected(as_view=True))
    counted = 0

    def counting() -> Iterator[list[str]]:
        nonlocal counted
        for path in nx.all_simple_paths(undirected, source, target, cutoff=max_length):
            counted += 1
            yield path
            if counted >= COUNT_CAP:
                return

    # The first `limit` in order, without holding every path in memory.
    paths = heapq.nsmallest(limit, counting(), key=lambda p: (len(p), p))
    result = []
    for path in paths:
        steps = []
        for u, v in zip(path, path[1:], strict=False):
            forward = network.get_edge_data(u, v) or {}
            backward = network.get_edge_data(v, u) or {}
            for relation, data in sorted(forward.items()):
                steps.append(_step(network, u, v, relation, data))
            for relation, data in sorted(backward.items()):
                steps.append(_step(network, v, u, relation, data))
        result.append(steps)
    return {"found": counted, "complete": counted < COUNT_CAP, "paths": result}


def _step(network: nx.MultiDiGraph, u: str, v: str, relation: str, data: dict) -> dict:
    return {
        "from": u,
        "from_label": network.nodes[u]["label"],
        "relation": relation,
        "to": v,
        "to_label": network.nodes[v]["label"],
        "claims": data["claims"],
    }


def centrality(graph: LoadedGraph, top: int = 10) -> dict[str, list[dict]]:
    """Where the graph is concentrated.

    - ``harms_by_enablers``: harms enabled by the most technology categories;
    - ``interventions_by_coverage``: interventions that address the most harms;
    - ``sources_by_claims``: sources that carry the most claims, with how many links rest
      on that source alone (single points of failure in the evidence).
    """
    evidence = read_evidence(graph)
    enablers: dict[str, set[str]] = defaultdict(set)
    coverage: dict[str, set[str]] = defaultdict(set)
    carried: Counter = Counter()
    link_sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for claim in evidence.claims:
        for source in claim.sources:
            carried[source] += 1
        link_sources[(claim.subject, claim.predicate, claim.object)] |= claim.sources
        if claim.direction == "Disputes":
            continue
        if claim.predicate == "enables":
            enablers[claim.object].add(claim.subject)
        elif claim.predicate == "addresses":
            coverage[claim.subject].add(claim.object)
    sole = Counter(next(iter(s)) for s in link_sources.values() if len(s) == 1)

    def table(counts: dict, extra: dict | None = None) -> list[dict]:
        rows = sorted(
            counts.items(),
            key=lambda kv: (-len(kv[1]) if isinstance(kv[1], set) else -kv[1], kv[0]),
        )
        out = []
        for iri, value in rows[:top]:
            row = {
                "iri": iri,
                "label": evidence.label(iri),
                "count": len(value) if isinstance(value, set) else value,
            }
            if extra is not None:
                row["sole_source_links"] = extra.get(iri, 0)
            out.append(row)
        return out

    return {
        "harms_by_enablers": table(enablers),
        "interventions_by_coverage": table(coverage),
        "sources_by_claims": table(carried, sole),
    }
