"""What changed between two versions of the graph: entities, sources and claims added,
removed or changed, and gaps opened or closed.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> same = diff_graphs(load_graph(), load_graph())
>>> same["summary"]["changed_entities"], same["gaps"]["opened"]
(0, [])
"""

from __future__ import annotations

from pathlib import Path

from harmgraph.analysis.gaps import find_gaps
from harmgraph.model.evidence import read_evidence, short_id
from harmgraph.rdf.load import LoadedGraph, load_graph
from harmgraph.rdf.namespaces import ID_IRI
from harmgraph.rdf.terms import Term

KINDS = ("harm", "technology", "actor", "intervention", "source", "claim", "gap", "review")
PLURALS = {
    "harm": "Harms",
    "technology": "Technologies",
    "actor": "Actors",
    "intervention": "Interventions",
    "source": "Sources",
    "claim": "Claims",
    "gap": "Stated gaps",
    "review": "Reviews",
}

_DESCRIBE = (
    'SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER (isBlank(?s) || STRSTARTS(STR(?s), "'
    + ID_IRI
    + '")) }'
)


def load_release(path: Path) -> LoadedGraph:
    """Load a release: a build folder (its harmgraph.nt), a knowledge-base folder or a file."""
    if path.is_dir() and (path / "harmgraph.nt").exists():
        return load_graph([path / "harmgraph.nt"])
    return load_graph([path])


def describe(graph: LoadedGraph) -> dict[str, frozenset]:
    """Each instance's statements as typed terms (so a change of datatype or language is a
    change), with blank nodes (citations, author lists) folded into their owner, whatever
    their depth: a blank node is compared by what it says, never by its label."""
    statements: dict[Term, list[tuple[Term, Term]]] = {}
    for row in graph.store.query_terms(_DESCRIBE, graph="data"):
        statements.setdefault(row["s"], []).append((row["p"], row["o"]))

    def fold(node: Term, seen: frozenset) -> object:
        if not node.is_blank:
            return node
        if node in seen:  # a blank-node cycle: say so instead of recursing forever
            return ("cycle",)
        inner = seen | {node}
        return tuple(sorted(((p, fold(o, inner)) for p, o in statements.get(node, [])), key=repr))

    return {
        subject.value: frozenset((p, fold(o, frozenset())) for p, o in pairs)
        for subject, pairs in statements.items()
        if subject.is_iri
    }


def _kind(iri: str) -> str:
    return iri[len(ID_IRI) :].split("/", 1)[0]


def diff_graphs(old: LoadedGraph, new: LoadedGraph) -> dict:
    """Compare two graphs. Keys: ``entities`` (per kind: added, removed, changed, each a list of
    ``{id, label}``), ``gaps`` (opened, closed: ``{kind, subject, object, explanation}``) and
    ``summary`` (counts)."""
    before, after = describe(old), describe(new)
    labels_old, labels_new = _labels(old), _labels(new)
    entities = {}
    for kind in KINDS:
        keys_old = {s for s in before if _kind(s) == kind}
        keys_new = {s for s in after if _kind(s) == kind}
        entities[kind] = {
            "added": _named(keys_new - keys_old, labels_new),
            "removed": _named(keys_old - keys_new, labels_old),
            "changed": _named(
                {s for s in keys_old & keys_new if before[s] != after[s]}, labels_new
            ),
        }
    gaps_old = {_gap_key(g): g for g in find_gaps(old)}
    gaps_new = {_gap_key(g): g for g in find_gaps(new)}
    gaps = {
        "opened": [_gap_row(gaps_new[k]) for k in sorted(gaps_new.keys() - gaps_old.keys())],
        "closed": [_gap_row(gaps_old[k]) for k in sorted(gaps_old.keys() - gaps_new.keys())],
    }
    summary = {
        "added_entities": sum(len(e["added"]) for e in entities.values()),
        "removed_entities": sum(len(e["removed"]) for e in entities.values()),
        "changed_entities": sum(len(e["changed"]) for e in entities.values()),
        "gaps_opened": len(gaps["opened"]),
        "gaps_closed": len(gaps["closed"]),
    }
    return {"entities": entities, "gaps": gaps, "summary": summary}


def _labels(graph: LoadedGraph) -> dict[str, str]:
    evidence = read_evidence(graph)
    return {iri: e.label for iri, e in evidence.entities.items()}


def _named(iris: set[str], labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"id": short_id(i), "label": labels.get(i, short_id(i))} for i in sorted(iris)]


def _gap_key(gap: dict) -> tuple[str, str, str]:
    return (gap["kind"], gap["subject"], gap["object"])


def _gap_row(gap: dict) -> dict[str, str]:
    return {
        "kind": gap["kind"],
        "subject": short_id(gap["subject"]),
        "object": short_id(gap["object"]) if gap["object"] else "",
        "explanation": gap["explanation"],
    }


def diff_markdown(diff: dict, title: str = "Changes") -> str:
    """A readable changelog entry. Claims are counted rather than listed."""
    lines = [f"## {title}", ""]
    s = diff["summary"]
    lines.append(
        f"{s['added_entities']} added, {s['removed_entities']} removed, "
        f"{s['changed_entities']} changed; "
        f"{s['gaps_opened']} gap(s) opened, {s['gaps_closed']} closed."
    )
    for kind in KINDS:
        parts = diff["entities"][kind]
        if not any(parts.values()):
            continue
        lines += ["", f"### {PLURALS[kind]}"]
        for change in ("added", "removed", "changed"):
            items = parts[change]
            if not items:
                continue
            if kind == "claim" or len(items) > 40:
                lines.append(f"- {change}: {len(items)}")
            else:
                lines.append(
                    f"- {change}: " + "; ".join(f"{i['label']} (`{i['id']}`)" for i in items)
                )
    for change in ("opened", "closed"):
        items = diff["gaps"][change]
        if items:
            lines += ["", f"### Gaps {change} ({len(items)})"]
            lines += [
                f"- **{g['kind']}** `{g['subject']}`"
                + (f" → `{g['object']}`" if g["object"] else "")
                for g in items[:60]
            ]
            if len(items) > 60:
                lines.append(f"- … and {len(items) - 60} more")
    return "\n".join(lines) + "\n"
