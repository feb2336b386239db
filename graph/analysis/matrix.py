"""The evidence-gap map: interventions (or types, or stages) by harms (or facets).

One cell per (row, column), empty cells included, because empty cells are the point.
A claim about a narrower harm also counts for every broader harm (roll-up); each
cell says how many of its claims came in that way.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> m = build_matrix(load_graph(), rows="stage", cols="harm-facet")
>>> len(m.as_dict()["cells"]) == len(m.rows) * len(m.cols)
True
>>> sorted(m.as_dict())[:3]
['cells', 'col_kind', 'cols']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from harmgraph.analysis.cells import (
    COLS,
    ROWS,
    Grid,
    cols_of,
    grid,
    matrix_cols,
    matrix_rows,
    rows_of,
)
from harmgraph.analysis.gap_record import search_words, searched_text
from harmgraph.errors import UsageError
from harmgraph.gc_paused import gc_paused
from harmgraph.model.coverage import reviews_of
from harmgraph.model.evidence import (
    CONFIDENCE_NAME,
    Claim,
    Evidence,
    local,
    read_evidence,
)
from harmgraph.rdf.load import LoadedGraph
from harmgraph.tables import csv_text

FILTERS = ("actor", "stage", "prevention-level", "evidence-kind", "jurisdiction", "year")


@dataclass
class Cell:
    """What the evidence says about one row and one column."""

    row: str
    col: str
    claims: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    strongest: int = 0
    kinds: Counter = field(default_factory=Counter)
    directions: Counter = field(default_factory=Counter)
    rolled_up: int = 0
    #: The strongest confidence and the sources of the claims that do not only dispute.
    backing_strongest: int = 0
    backing_sources: set[str] = field(default_factory=set)

    def status(self, empty_status: str = "not-reviewed") -> str:
        """``evidence``, ``weak`` (only low-confidence or single-source backing) or
        ``disputed`` (only disputing claims) for a cell with claims; for an empty one,
        ``empty_status`` (see :mod:`harmgraph.analysis.cells`)."""
        if not self.claims:
            return empty_status
        if not self.backing_sources:
            return "disputed"
        if self.backing_strongest <= 1 or len(self.backing_sources) == 1:
            return "weak"
        return "evidence"

    def as_dict(self, about: dict[str, object] | None = None) -> dict[str, object]:
        """Plain data; ``about`` adds what the grid says of the cell (status, searches...)."""
        about = about or {}
        return {
            "row": self.row,
            "col": self.col,
            "claims": len(self.claims),
            "sources": len(self.sources),
            "strongest_confidence": CONFIDENCE_NAME[self.strongest],
            "evidence_kinds": dict(sorted(self.kinds.items())),
            "supports": self.directions.get("Supports", 0),
            "disputes": self.directions.get("Disputes", 0),
            "mixed": self.directions.get("Mixed", 0),
            "rolled_up": self.rolled_up,
            "claim_iris": sorted(self.claims),
            "source_iris": sorted(self.sources),
            "reviewed": bool(about.get("searches")),
            "reviews": about.get("reviews", []),
            "searches": about.get("searches", []),
            "searched_at": about.get("searched_at", ""),
            "strength": about.get("strength", ""),
            "broader_claims": about.get("broader_claims", []),
            "note": about.get("note", ""),
            "searched": about.get("searched", ""),
            "listed": about.get("listed", []),
            "status": self.status(str(about.get("empty_status", "not-reviewed"))),
        }


@dataclass
class Matrix:
    rows: list[tuple[str, str]]
    cols: list[tuple[str, str]]
    cells: dict[tuple[str, str], Cell]
    row_kind: str
    col_kind: str
    filters: dict[str, str]
    grid: Grid | None = None

    def cell(self, row: str, col: str) -> Cell:
        """The cell at ``row`` and ``col``; an empty one where no claim falls."""
        return self.cells.get((row, col)) or Cell(row, col)

    def reviews(self, row: str, col: str) -> list[str]:
        """The reviews (IRIs, weakest first) with a search aimed at this cell or at something
        broader that contains it."""
        return self.about(row, col)["reviews"]  # type: ignore[return-value]

    def about(self, row: str, col: str) -> dict[str, object]:
        """What the grid says of a cell beyond its claims: the searches aimed at it (and
        whether at it or at something broader), their reviews and strength, the claims on a
        broader harm, the status an empty cell takes, and a note in words."""
        if self.grid is None:
            return {"reviews": [], "searches": [], "empty_status": "not-reviewed"}
        from_graph = self.grid
        hits = from_graph.hits(row, col)
        exact = from_graph.exact(row, col, hits)
        found = reviews_of(exact or hits)
        broader = from_graph.broader(row, col)
        if (row, col) in from_graph.filled:
            empty_status = "no-match"
        elif broader:
            empty_status = "addressed-broader"
        elif exact:
            empty_status = "no-evidence"
        elif hits:
            empty_status = "searched-broader"
        else:
            empty_status = "not-reviewed"
        evidence = from_graph.evidence
        listed: list[str] = []
        searched = search_words(evidence, exact or hits, not exact) if hits else ""
        if empty_status == "addressed-broader":
            harms = sorted({evidence.label(a) for a in evidence.ancestors(col)[1:]})
            note = (
                f"Addressed at the broader level: {len(broader)} claim(s) say that an "
                f"intervention of this row addresses a broader harm ({', '.join(harms)})."
            )
        elif exact:
            note = searched_text(evidence, exact, False)
        elif hits:
            note = (
                "No search was aimed at this cell at its grain. "
                + searched_text(evidence, hits, True)
                + " The gap, if any, is listed at that broader level."
            )
        else:
            listing = from_graph.coverage.listed(col)
            listed = [r.iri for r in listing]
            note = "No search was aimed at this cell or at anything broader that contains it."
            if listing:
                note += (
                    f" Review(s) {', '.join(repr(r.label) for r in listing[:3])} list this "
                    "harm, but none of their searches was aimed at this row."
                )
        return {
            "reviews": [r.iri for r in found],
            "searches": sorted({h.search.iri for h in exact or hits}),
            "searched_at": ("exact" if exact else "broader") if hits else "",
            "strength": found[0].strength() if found else "",
            "broader_claims": broader,
            "empty_status": empty_status,
            "note": note,
            # The note's searches without their review (a page links the review instead), and
            # the reviews that list the cell's harm without a search aimed at it.
            "searched": searched,
            "listed": listed,
        }

    def as_dict(self) -> dict[str, object]:
        """Plain data: ``rows`` and ``cols`` as ``{iri, label}``, ``cells`` in row-major order
        (every cell, empty ones included)."""
        return {
            "row_kind": self.row_kind,
            "col_kind": self.col_kind,
            "filters": self.filters,
            "rolled_up": "a claim about a narrower harm also counts for each broader harm",
            "rows": [{"iri": iri, "label": label} for iri, label in self.rows],
            "cols": [{"iri": iri, "label": label} for iri, label in self.cols],
            "cells": [
                self.cell(r, c).as_dict(self.about(r, c))
                for r, _ in self.rows
                for c, _ in self.cols
            ],
        }


def parse_filters(pairs: list[str]) -> dict[str, str]:
    """Turn ``key=value`` strings into a dict, refusing unknown keys.

    >>> parse_filters(["stage=StageLawPolicy", "year=2020-2025"])
    {'stage': 'StageLawPolicy', 'year': '2020-2025'}
    """
    filters = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in FILTERS or not value:
            msg = f"bad filter {pair!r}: use key=value with key one of {', '.join(FILTERS)}"
            raise UsageError(msg)
        filters[key] = value
    return filters


def year_range(text: str) -> tuple[int, int]:
    """The years of a ``year`` filter, ``YYYY`` or ``YYYY-YYYY``, as (first, last).

    >>> year_range("2020-2025"), year_range("2021")
    ((2020, 2025), (2021, 2021))
    """
    first, _, last = text.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise UsageError(f"bad year filter {text!r}: use YYYY or YYYY-YYYY") from None


def matches_filter(value: str, wanted: str) -> bool:
    """Match an IRI or local name against a filter value given as local name, IRI or label part."""
    return wanted.lower() in (
        value.lower(),
        local(value).lower(),
        local(value).lower().replace("stage", ""),
    )


def claim_passes(claim: Claim, evidence: Evidence, filters: dict[str, str]) -> bool:
    """Return whether ``claim`` (an ``addresses`` claim) passes every filter."""
    intervention = evidence.entities.get(claim.subject)
    if intervention is None:
        return False
    if not filters:
        return True
    if "stage" in filters and not matches_filter(intervention.stage, filters["stage"]):
        return False
    if "prevention-level" in filters and not matches_filter(
        intervention.level, filters["prevention-level"]
    ):
        wanted = filters["prevention-level"].lower()
        if not intervention.level.lower().startswith(wanted):
            return False
    if "evidence-kind" in filters and not matches_filter(claim.kind, filters["evidence-kind"]):
        return False
    if "actor" in filters:
        actors = evidence.relations_from.get((claim.subject, "implementedBy"), set()) | (
            evidence.relations_from.get((claim.subject, "targets"), set())
        )
        if not any(matches_filter(a, filters["actor"]) for a in actors):
            return False
    if "jurisdiction" in filters:
        places = {intervention.jurisdiction} | {
            evidence.entities[s].jurisdiction for s in claim.sources if s in evidence.entities
        }
        if filters["jurisdiction"] not in places:
            return False
    if "year" in filters:
        low, high = year_range(filters["year"])
        if not any(low <= evidence.source_years.get(s, -1) <= high for s in claim.sources):
            return False
    return True


def build_matrix(
    graph: LoadedGraph,
    rows: str = "intervention",
    cols: str = "harm",
    filters: dict[str, str] | None = None,
) -> Matrix:
    """Build the evidence-gap map from the ``addresses`` claims of ``graph``."""
    if rows not in ROWS or cols not in COLS:
        raise UsageError(f"rows must be one of {ROWS} and cols one of {COLS}")
    evidence = read_evidence(graph)
    with gc_paused():  # tens of thousands of cells that all stay: see gc_paused
        return _build(graph, evidence, rows, cols, filters or {})


def _build(
    graph: LoadedGraph, evidence: Evidence, rows: str, cols: str, filters: dict[str, str]
) -> Matrix:
    row_keys = matrix_rows(evidence, rows)
    col_keys = matrix_cols(evidence, cols)
    # Only cells that evidence falls into are stored: a million-triple graph has tens of
    # millions of (row, column) pairs, almost all empty; empty cells are made on output.
    cells: dict[tuple[str, str], Cell] = {}
    known_rows = {r for r, _ in row_keys}
    known_cols = {c for c, _ in col_keys}
    # Each intervention's rows and each harm's columns, worked out once: on a large graph tens
    # of thousands of claims share a few thousand interventions and harms.
    claim_rows: dict[str, list[str]] = {}
    claim_cols: dict[str, list[str]] = {}
    for claim in evidence.claims:
        if claim.predicate != "addresses" or not claim_passes(claim, evidence, filters):
            continue
        subject_rows = claim_rows.get(claim.subject)
        if subject_rows is None:
            subject_rows = claim_rows[claim.subject] = [
                r for r in rows_of(evidence, claim.subject, rows) if r in known_rows
            ]
        object_cols = claim_cols.get(claim.object)
        if object_cols is None:
            object_cols = claim_cols[claim.object] = [
                c for c in cols_of(evidence, claim.object, cols) if c in known_cols
            ]
        sources, confidence = claim.sources, claim.confidence
        backing = claim.direction != "Disputes"
        for row in subject_rows:
            for col in object_cols:
                cell = cells.get((row, col))
                if cell is None:
                    cell = cells[(row, col)] = Cell(row, col)
                cell.claims.append(claim.iri)
                cell.sources |= sources
                if confidence > cell.strongest:
                    cell.strongest = confidence
                cell.kinds[claim.kind] += 1
                cell.directions[claim.direction] += 1
                if backing:
                    if confidence > cell.backing_strongest:
                        cell.backing_strongest = confidence
                    cell.backing_sources |= sources
                if col != claim.object:
                    cell.rolled_up += 1
    return Matrix(row_keys, col_keys, cells, rows, cols, filters, grid(graph, rows, cols))


def filter_options(graph: LoadedGraph) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take in ``graph``, as (value, label) pairs."""
    evidence = read_evidence(graph)
    interventions = [e for e in evidence.of_kind("intervention") if not e.top]
    actors = {o for s, p, o in evidence.relations if p in ("implementedBy", "targets")}
    places = {e.jurisdiction for e in evidence.entities.values() if e.jurisdiction}
    years = sorted(set(evidence.source_years.values()))
    return {
        "actor": sorted(
            ((local(a), evidence.label(a)) for a in actors if a in evidence.entities),
            key=lambda v: v[1],
        ),
        "stage": sorted({(e.stage, evidence.label(e.stage)) for e in interventions if e.stage}),
        "prevention-level": sorted(
            {(e.level, evidence.label(e.level)) for e in interventions if e.level}
        ),
        "evidence-kind": sorted({(c.kind, evidence.label(c.kind)) for c in evidence.claims}),
        "jurisdiction": [(p, p) for p in sorted(places)],
        "year": [(str(y), str(y)) for y in years],
    }


CSV_COLUMNS = [
    "row",
    "row_label",
    "col",
    "col_label",
    "claims",
    "sources",
    "strongest_confidence",
    "supports",
    "disputes",
    "mixed",
    "rolled_up",
    "evidence_kinds",
    "status",
    "reviews",
]


def matrix_csv(data: dict) -> str:
    """One CSV line per cell of a matrix's ``as_dict()``, with IRIs and labels."""
    rows = {r["iri"]: r["label"] for r in data["rows"]}
    cols = {c["iri"]: c["label"] for c in data["cols"]}
    lines = []
    for c in data["cells"]:
        kinds = ";".join(f"{k}:{n}" for k, n in c["evidence_kinds"].items())
        lines.append(
            [
                c["row"],
                rows[c["row"]],
                c["col"],
                cols[c["col"]],
                c["claims"],
                c["sources"],
                c["strongest_confidence"],
                c["supports"],
                c["disputes"],
                c["mixed"],
                c["rolled_up"],
                kinds,
                c["status"],
                ";".join(c["reviews"]),
            ]
        )
    return csv_text(CSV_COLUMNS, lines)
