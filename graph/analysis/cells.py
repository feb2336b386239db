"""The cells of the evidence-gap map and what each says: the one rule the map and the gaps share.

A cell is one row (an intervention, an intervention type or a stage) and one column (a harm or
a harm facet). Its status:

- ``evidence``, ``weak`` (only low-confidence or single-source backing) or ``disputed`` (only
  disputing claims), from the ``addresses`` claims that fall into it; a claim about a narrower
  harm also counts for every broader harm (roll-up);
- ``no-match``: claims fall into it, but none passes the map's filters;
- ``addressed-broader``: no claim falls into it, but an intervention of the row addresses a
  broader harm that contains the column's harm: addressed at the broader level, never "nothing";
- ``no-evidence`` (the map's "x"): empty, and a search was aimed at this very cell, at its grain
  (its intervention or type, and its harm or facet): an ``empty-cell`` gap;
- ``searched-broader``: empty, and searches reached it only through something broader that
  contains it (a broader harm, the row's type, or every intervention); the cell says so in
  words, and the gap is the broader one (a harm's ``no-intervention``, or the broader cell);
- ``not-reviewed`` (the map's "?"): empty, and no search was aimed at it or at anything
  broader (:meth:`~harmgraph.model.coverage.Coverage.cell`).

Stages are never the target of a search, so a stage's cells are at most ``searched-broader``.
:func:`empty_cells` lists every ``no-evidence`` cell of one grain from the searches' own targets,
so it stays quick on a graph with millions of (row, column) pairs.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> graph = load_graph()
>>> cells = empty_cells(graph, ("intervention-type", "harm-facet"))
>>> all(c.hits for c in cells)
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import product

from harmgraph.gc_paused import kept
from harmgraph.model.coverage import FOR_INTERVENTIONS, Coverage, Hit, coverage
from harmgraph.model.evidence import Evidence, local, read_evidence
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import HG_IRI

ROWS = ("intervention", "intervention-type", "stage")
COLS = ("harm", "harm-facet")
#: Every grain of the map, rows x columns, in the order the gaps list them.
GRAINS: tuple[tuple[str, str], ...] = tuple((r, c) for r in ROWS for c in COLS)


@dataclass
class EmptyCell:
    """A cell of the map with no claim, and the searches aimed at it (or at something broader)."""

    row: str
    col: str
    hits: list[Hit] = field(default_factory=list)


def rows_of(evidence: Evidence, intervention: str, rows: str) -> list[str]:
    """The rows an intervention's claims fall into (its type, or its stage, when rows are)."""
    if rows == "intervention":
        return [intervention]
    if rows == "intervention-type":
        return evidence.top_concepts(intervention)
    stage = evidence.entities[intervention].stage
    return [HG_IRI + stage] if stage else []


def cols_of(evidence: Evidence, harm: str, cols: str) -> list[str]:
    """The columns a claim about ``harm`` falls into: the harm and every broader one, or its
    facets (the harm hierarchy rolled up)."""
    if cols == "harm":
        return evidence.ancestors(harm)
    return evidence.top_concepts(harm)


def matrix_rows(evidence: Evidence, rows: str) -> list[tuple[str, str]]:
    """The (key, label) of every row of the map for the row kind ``rows``, sorted by label."""
    interventions = evidence.of_kind("intervention")
    if rows == "intervention":
        keys = [(e.iri, e.label) for e in interventions if not e.top]
    elif rows == "intervention-type":
        keys = [(e.iri, e.label) for e in interventions if e.top]
    else:
        stages = sorted({e.stage for e in interventions if e.stage})
        keys = [(HG_IRI + s, evidence.label(s)) for s in stages]
    return sorted(keys, key=lambda k: k[1].lower())


def matrix_cols(evidence: Evidence, cols: str) -> list[tuple[str, str]]:
    """The (key, label) of every column of the map for the column kind ``cols``: the facets by
    label, or every harm grouped under its facet (:func:`harm_groups`)."""
    if cols == "harm-facet":
        facets = [h for h in evidence.of_kind("harm") if h.top]
        return sorted(((h.iri, h.label) for h in facets), key=lambda k: k[1].lower())
    return [(iri, evidence.label(iri)) for _, _, harms in harm_groups(evidence) for iri in harms]


def harm_groups(evidence: Evidence) -> list[tuple[str, str, list[str]]]:
    """Every harm once, grouped under its facet: ``(facet, facet label, harms)``, the facets by
    label, and in each group the facet first, then its narrower harms depth first, by label.

    A reader scanning the map's harm columns sees each facet next to its parts, never an
    alphabetical mix of facets and parts. A harm under two facets sits under the first (by
    label); a harm no facet reaches (a cycle in bad data) ends the list in a group of its own.

    >>> from harmgraph.rdf.load import load_graph
    >>> from harmgraph.model.evidence import read_evidence
    >>> groups = harm_groups(read_evidence(load_graph()))
    >>> all(harms[0] == facet for facet, _, harms in groups)
    True
    """
    harms = {h.iri: h for h in evidence.of_kind("harm")}

    def by_label(iri: str) -> tuple[str, str]:
        return (harms[iri].label.lower(), iri)

    placed: set[str] = set()
    groups = []
    for facet in sorted((i for i, h in harms.items() if h.top), key=by_label):
        members: list[str] = []
        stack = [facet]
        while stack:
            iri = stack.pop()
            if iri in placed:
                continue
            placed.add(iri)
            members.append(iri)
            below = [c for c in evidence.children.get(iri, []) if c in harms]
            stack.extend(sorted(below, key=by_label, reverse=True))
        groups.append((facet, harms[facet].label, members))
    rest = sorted((i for i in harms if i not in placed), key=by_label)
    if rest:
        groups.append(("", "other harms", rest))
    return groups


def address_links(graph: LoadedGraph) -> dict[tuple[str, str], list[str]]:
    """Each (intervention, harm) pair that an ``addresses`` claim links, with its claims that
    do not dispute the link (built once per loaded graph)."""
    return kept(graph.cache, "address-links", lambda: _address_links(read_evidence(graph)))


def _address_links(evidence: Evidence) -> dict[tuple[str, str], list[str]]:
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for claim in evidence.claims:
        if claim.predicate != "addresses" or claim.subject not in evidence.entities:
            continue
        backing = links[(claim.subject, claim.object)]  # listed even when all dispute it
        if claim.direction != "Disputes":
            backing.append(claim.iri)
    return dict(links)


class Grid:
    """One grain of the map: which cells claims fill, which an intervention of the row fills
    on a broader harm, and which searches reached each cell."""

    def __init__(self, graph: LoadedGraph, rows: str, cols: str) -> None:
        self.evidence = evidence = read_evidence(graph)
        self.coverage: Coverage = coverage(graph)
        self.rows, self.cols = rows, cols
        self.filled: set[tuple[str, str]] = set()
        #: Non-disputing claims by (row, harm they name): the broader-level evidence.
        self._named: dict[tuple[str, str], list[str]] = defaultdict(list)
        # By (intervention, harm) pair, not by claim: on a large graph tens of thousands of
        # claims share a few thousand pairs, and every grain reads the same pairs.
        harm_cols: dict[str, list[str]] = {}
        subject_rows: dict[str, list[str]] = {}
        # Nothing is broader than a facet (see broader), so a facet grain needs no named claims.
        named = self._named if cols == "harm" else None
        for (subject, harm), backing in address_links(graph).items():
            rows_here = subject_rows.get(subject)
            if rows_here is None:
                rows_here = subject_rows[subject] = rows_of(evidence, subject, rows)
            cols_here = harm_cols.get(harm)
            if cols_here is None:
                cols_here = harm_cols[harm] = cols_of(evidence, harm, cols)
            self.filled.update(product(rows_here, cols_here))
            if backing and named is not None:
                for row in rows_here:
                    named[(row, harm)].extend(backing)

    def broader(self, row: str, col: str) -> list[str]:
        """Claims that an intervention of ``row`` addresses a harm strictly broader than
        ``col`` (none for a facet: nothing is broader)."""
        if self.cols == "harm-facet":
            return []
        found: list[str] = []
        for above in self.evidence.ancestors(col)[1:]:
            found.extend(self._named.get((row, above), []))
        return sorted(set(found))

    def hits(self, row: str, col: str) -> list[Hit]:
        """The searches aimed at this cell or at something broader that contains it."""
        if self.rows == "stage":
            return self.coverage.stage(local(row), col)
        return self.coverage.cell(col, row)

    def exact(self, row: str, col: str, hits: list[Hit]) -> list[Hit]:
        """The hits aimed at this very cell, at its grain (never a stage's)."""
        if self.rows == "stage":
            return []
        return [h for h in hits if h.exact(col, row)]

    def status(self, row: str, col: str) -> str:
        """The status of an unfiltered cell with no claim of its own (``filled`` if it has)."""
        if (row, col) in self.filled:
            return "filled"
        if self.broader(row, col):
            return "addressed-broader"
        hits = self.hits(row, col)
        if self.exact(row, col, hits):
            return "no-evidence"
        return "searched-broader" if hits else "not-reviewed"

    def candidates(self) -> set[tuple[str, str]]:
        """Every cell a search was aimed at exactly, at this grain: one of the search's harm
        targets as the column and one of its intervention targets as the row.

        Only such a cell can be ``no-evidence`` (:meth:`exact`), so the cells reached through
        something broader (every intervention, a type, a broader harm) are never listed: on a
        large graph they are millions. A stage is never a search's target.
        """
        if self.rows == "stage":
            return set()
        evidence = self.evidence
        row_keys = {r for r, _ in matrix_rows(evidence, self.rows)}
        col_keys = {c for c, _ in matrix_cols(evidence, self.cols)}
        found: set[tuple[str, str]] = set()
        for review in self.coverage.reviews:
            for search in review.evidence_searches:
                if search.sought not in FOR_INTERVENTIONS:
                    continue
                cols = [t for t in search.aimed_at if t in col_keys]
                rows = [t for t in search.aimed_at if t in row_keys]
                found.update((r, c) for r in rows for c in cols)
        return found


def grid(graph: LoadedGraph, rows: str, cols: str) -> Grid:
    """The grid of one grain (built once per loaded graph)."""
    return kept(graph.cache, f"grid:{rows}:{cols}", lambda: Grid(graph, rows, cols))


def empty_cells(graph: LoadedGraph, grain: tuple[str, str]) -> list[EmptyCell]:
    """Every cell of ``grain`` the map marks "x": no claim, nothing on a broader harm, and a
    search aimed at this very cell. Sorted by row, then column."""
    g = grid(graph, *grain)
    found = []
    for row, col in sorted(g.candidates()):
        if (row, col) in g.filled or g.broader(row, col):
            continue
        exact = g.exact(row, col, g.hits(row, col))
        if exact:
            found.append(EmptyCell(row, col, exact))
    return found
