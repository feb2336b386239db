"""Read the claims, entities and hierarchy of a graph into plain Python objects.

Every analysis (matrix, gaps, priorities, network) starts from one :class:`Evidence`,
built with a handful of SPARQL queries (``graph/model/queries/*.rq``) and cached on the
loaded graph, so a million-triple graph is read once, not once per question.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> evidence = read_evidence(load_graph())
>>> evidence.label("https://w3id.org/harmgraph/id/harm/normalisation")
'normalisation of the sexual exploitation of children'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from harmgraph.errors import UnknownEntity
from harmgraph.gc_paused import gc_paused, kept
from harmgraph.model.queries import read_query
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI

CONFIDENCE_RANK = {"HighConfidence": 3, "ModerateConfidence": 2, "LowConfidence": 1}
CONFIDENCE_NAME = {3: "high", 2: "moderate", 1: "low", 0: "none"}
#: Evidence kinds that are primary studies of an intervention's effect.
PRIMARY_KINDS = frozenset({"EvaluationTrial", "EmpiricalQuantitative", "EmpiricalQualitative"})
SYNTHESIS_KINDS = frozenset({"SystematicReview"})
CLASS_KIND = {
    "Harm": "harm",
    "Technology": "technology",
    "Actor": "actor",
    "Intervention": "intervention",
    "EvidenceSource": "source",
    "Gap": "gap",
    "Review": "review",
}


@lru_cache(maxsize=1 << 16)
def local(iri: str) -> str:
    """Return the part of an IRI after its last ``#`` or ``/``.

    >>> local("https://w3id.org/harmgraph/ontology#Supports")
    'Supports'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Citation:
    source: str
    locator: str


@dataclass
class Claim:
    """One claim: its statement, grading and citations."""

    iri: str
    subject: str
    predicate: str
    object: str
    direction: str
    confidence: int
    kind: str
    created: str
    citations: list[Citation] = field(default_factory=list)
    rationale: str = ""

    @cached_property
    def sources(self) -> set[str]:
        """The distinct sources cited (computed once: citations are complete once read)."""
        return {c.source for c in self.citations}


@dataclass
class Entity:
    """A harm, technology, actor, intervention, source or gap."""

    iri: str
    kind: str
    label: str
    definition: str = ""
    top: bool = False
    stage: str = ""
    level: str = ""
    jurisdiction: str = ""
    severity: int | None = None
    severity_source: str = ""


@dataclass
class Evidence:
    """Everything the analyses need, read once from a graph."""

    entities: dict[str, Entity]
    claims: list[Claim]
    parents: dict[str, list[str]]
    relations: list[tuple[str, str, str]]
    source_years: dict[str, int]
    value_labels: dict[str, str]
    #: For each stated gap: the source that states it, and what it concerns.
    stated_by: dict[str, str]
    concerns: dict[str, list[str]]
    #: A web address for each source (its DOI link, else its URL).
    links: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    source_records: list[dict[str, str]] = field(default_factory=list)
    #: Each concept's ancestors, worked out on first use: the map and the gaps ask for the same
    #: concepts' hundreds of thousands of times on a large graph.
    _ancestors: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def label(self, iri: str) -> str:
        """Return the preferred label of an entity or controlled value (by IRI or local name)."""
        entity = self.entities.get(iri)
        if entity:
            return entity.label
        return self.value_labels.get(local(iri), local(iri))

    def of_kind(self, kind: str) -> list[Entity]:
        """The entities of ``kind``, by IRI (a new list: the caller may change it)."""
        return list(self._by_kind.get(kind, ()))

    @cached_property
    def _by_kind(self) -> dict[str, list[Entity]]:
        # Grouped once: the gaps ask for every intervention type once per harm, and a scan of
        # every entity each time was seconds on a graph of a million triples.
        grouped: dict[str, list[Entity]] = defaultdict(list)
        for entity in sorted(self.entities.values(), key=lambda e: e.iri):
            grouped[entity.kind].append(entity)
        return dict(grouped)

    def ancestors(self, iri: str) -> list[str]:
        """Return ``iri`` and every concept broader than it, nearest first (a new list)."""
        found = self._ancestors.get(iri)
        if found is None:
            seen, queue = [iri], [iri]
            while queue:
                for parent in self.parents.get(queue.pop(0), []):
                    if parent not in seen:
                        seen.append(parent)
                        queue.append(parent)
            found = self._ancestors[iri] = tuple(seen)
        return list(found)

    def top_concepts(self, iri: str) -> list[str]:
        """Return the top concepts above ``iri`` (itself if it is one)."""
        tops = [a for a in self.ancestors(iri) if a in self.entities and self.entities[a].top]
        return tops or [iri]

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """The narrower concepts of each concept (built once)."""
        found: dict[str, list[str]] = defaultdict(list)
        for child, parents in self.parents.items():
            for parent in parents:
                found[parent].append(child)
        return dict(found)

    @cached_property
    def relations_from(self) -> dict[tuple[str, str], set[str]]:
        """Objects of each (subject, relation) pair among the direct relations (built once)."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for subject, relation, obj in self.relations:
            found[(subject, relation)].add(obj)
        return dict(found)

    @cached_property
    def relations_to(self) -> dict[tuple[str, str], set[str]]:
        """Subjects of each (object, relation) pair among the direct relations (built once)."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for subject, relation, obj in self.relations:
            found[(obj, relation)].add(subject)
        return dict(found)

    def descendants(self, iri: str) -> set[str]:
        """Return ``iri`` and every concept narrower than it."""
        children = self.children
        found, queue = {iri}, [iri]
        while queue:
            for child in children.get(queue.pop(), []):
                if child not in found:
                    found.add(child)
                    queue.append(child)
        return found

    def resolve(self, name: str, kinds: tuple[str, ...] | None = None) -> str:
        """Find an entity by IRI, ``kind/slug`` or exact label (case-insensitive), among
        ``kinds`` (default: every kind). The one resolver of the CLI, the app and the network.

        An unknown or ambiguous name raises :class:`~harmgraph.errors.UnknownEntity` with up
        to five suggestions.
        """

        def allowed(entity: Entity | None) -> bool:
            return entity is not None and (kinds is None or entity.kind in kinds)

        for iri in (name, ID_IRI + name):
            if allowed(self.entities.get(iri)):
                return iri
        wanted = name.strip().lower()
        candidates = [e for e in self.entities.values() if allowed(e)]
        matches = sorted(e.iri for e in candidates if e.label.lower() == wanted)
        if len(matches) == 1:
            return matches[0]
        if matches:
            hints = matches[:5]
            problem = "is the label of several entities"
        else:
            hints = sorted(e.iri for e in candidates if wanted and wanted in e.label.lower())[:5]
            problem = "is not in the graph"
        what = f" ({', '.join(kinds)})" if kinds else ""
        hint = f" - did you mean {', '.join(short_id(h) for h in hints)}?" if hints else ""
        raise UnknownEntity(
            f"entity {name!r}{what} {problem} (give an IRI, kind/slug or label){hint}"
        )

    def severity(self, harm: str) -> tuple[int | None, str]:
        """Return the severity of ``harm`` or of its nearest broader harm, with its source."""
        for iri in self.ancestors(harm):
            entity = self.entities.get(iri)
            if entity and entity.severity is not None:
                return entity.severity, entity.severity_source
        return None, ""


def read_evidence(graph: LoadedGraph) -> Evidence:
    """Read (once per loaded graph) the claims, entities and hierarchy."""
    return kept(graph.cache, "evidence", lambda: read_evidence_from(graph.store))


def read_evidence_from(store) -> Evidence:  # noqa: ANN001 - any store backend
    """Read the claims, entities and hierarchy from ``store`` afresh, with no cache (for
    comparing two stores, or a store harmgraph did not load)."""
    with gc_paused():  # hundreds of thousands of objects that all stay: see gc_paused
        return _read_evidence(store)


#: Three of the queries behind an :class:`Evidence` (the others are in ``queries/``).
_YEARS = "SELECT ?s ?d WHERE { ?s a hg:EvidenceSource ; dcterms:date ?d }"
_ALT_LABELS = "SELECT ?e ?alt WHERE { ?e skos:altLabel ?alt } ORDER BY ?e ?alt"
_CREATORS = (
    "SELECT ?source ?creator WHERE { ?source a hg:EvidenceSource ; dcterms:creator ?creator }"
)


def _read_evidence(store) -> Evidence:  # noqa: ANN001 - any store backend
    # Each answer is read in the order asked, and dropped once read: on a large graph the
    # rows of all eleven at once would hold hundreds of megabytes.
    answers = store.query_many(
        [
            read_query("claims"),
            read_query("entities"),
            read_query("relations"),
            read_query("broader"),
            _YEARS,
            read_query("authors"),
            _CREATORS,
            read_query("gaps"),
            read_query("values"),
            _ALT_LABELS,
            read_query("sources"),
        ]
    )
    claims: dict[str, Claim] = {}
    for row in next(answers):
        claim = claims.get(row["claim"])
        if claim is None:
            claim = claims[row["claim"]] = Claim(
                iri=row["claim"],
                subject=row["subject"],
                predicate=local(row["predicate"]),
                object=row["object"],
                direction=local(row["direction"]),
                confidence=CONFIDENCE_RANK.get(local(row["confidence"]), 0),
                kind=local(row["kind"]),
                created=row["created"] or "",
                rationale=row["rationale"] or "",
            )
        citation = Citation(row["source"], row["locator"])
        if citation not in claim.citations:
            claim.citations.append(citation)
    entities: dict[str, Entity] = {}
    for row in next(answers):
        iri = row["entity"]
        if iri in entities:
            continue
        entities[iri] = Entity(
            iri=iri,
            kind=CLASS_KIND[local(row["class"])],
            label=row["label"] or local(iri),
            definition=row["definition"] or "",
            top=row["top"] == "true",
            stage=local(row["stage"]) if row["stage"] else "",
            level=local(row["level"]) if row["level"] else "",
            jurisdiction=row["jurisdiction"] or "",
            severity=int(row["severity"]) if row["severity"] else None,
            severity_source=row["severitySource"] or "",
        )
    relations = {(row["subject"], local(row["predicate"]), row["object"]) for row in next(answers)}
    parents: dict[str, list[str]] = defaultdict(list)
    for row in next(answers):
        parents[row["narrower"]].append(row["broader"])
    years = {}
    for row in next(answers):
        if row["d"][:4].isdigit():
            years[row["s"]] = int(row["d"][:4])
    authors = _ordered_authors(next(answers), next(answers))
    stated_by: dict[str, str] = {}
    concerns: dict[str, list[str]] = defaultdict(list)
    for row in next(answers):
        stated_by.setdefault(row["gap"], row["source"])
        if row["concerns"] and row["concerns"] not in concerns[row["gap"]]:
            concerns[row["gap"]].append(row["concerns"])
    value_labels = {local(r["value"]): r["label"] for r in next(answers)}
    alt_labels: dict[str, list[str]] = defaultdict(list)
    for row in next(answers):
        alt_labels[row["e"]].append(row["alt"])
    records, links = [], {}
    for row in next(answers):
        record: dict = {
            k: (row[k] or "")
            for k in ("source", "title", "date", "doi", "url", "publisher", "jurisdiction")
        }
        record["kind"] = local(row["kind"])
        record["creators"] = authors.get(row["source"], [])
        records.append(record)
        links[row["source"]] = f"https://doi.org/{row['doi']}" if row["doi"] else row["url"] or ""
    return Evidence(
        links=links,
        alt_labels=dict(alt_labels),
        source_records=sorted(records, key=lambda r: r["source"]),
        stated_by=stated_by,
        concerns={gap: sorted(items) for gap, items in concerns.items()},
        value_labels=value_labels,
        entities=entities,
        claims=sorted(claims.values(), key=lambda c: c.iri),
        parents=dict(parents),
        relations=sorted(relations),
        source_years=years,
    )


def _ordered_authors(author_rows: list[dict], creator_rows: list[dict]) -> dict[str, list[str]]:
    """Each source's authors in the order of its ``bibo:authorList``; creators that are not in
    a list (data that records no order) follow, alphabetically."""
    positions: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in author_rows:
        positions[row["source"]].append((int(row["position"]), row["name"]))
    found = {source: [name for _, name in sorted(pairs)] for source, pairs in positions.items()}
    unordered: dict[str, list[str]] = defaultdict(list)
    for row in creator_rows:
        if row["creator"] not in found.get(row["source"], []):
            unordered[row["source"]].append(row["creator"])
    for source, names in unordered.items():
        found[source] = found.get(source, []) + sorted(names)
    return found


def short_id(iri: str) -> str:
    """Return ``kind/slug`` for instance IRIs, the IRI otherwise.

    >>> short_id("https://w3id.org/harmgraph/id/harm/normalisation")
    'harm/normalisation'
    """
    return iri[len(ID_IRI) :] if iri.startswith(ID_IRI) else iri
