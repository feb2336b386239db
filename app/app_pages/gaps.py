"""Gaps: every gap by kind, in plain words; under each kind, grouped by the review that looked,
which is named once, with a link and its strength (its queries are on its own page)."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph import GAP_KINDS
from harmgraph.analysis.gap_record import GAP_CSV_COLUMNS, gap_csv_rows
from harmgraph.tables import csv_text

graph = state.graph()
fp = state.fingerprint()
params = st.query_params
reviews = state.review_rows(graph, fp)

st.title("Gaps")
st.caption(
    "Evidence gaps say that searches aimed at them found little or nothing; coverage gaps say "
    "that no search has been aimed at them yet (a gap in the graph's reading, not in the "
    "evidence, and never ranked on the Priorities page). Under each kind, gaps are grouped by "
    "the review whose searches looked (the weakest, when several did): each review is named "
    "once, with a link to its page, where its queries are, and with its strength."
)
chosen = [k for k in params.get_all("kind") if k in GAP_KINDS]
picked = st.multiselect(
    "Show only these kinds (every kind when none is chosen)",
    GAP_KINDS,
    default=chosen,
    format_func=state.meaning,
    key="gaps_kinds",
)
params["kind"] = picked
kinds = picked or list(GAP_KINDS)
found = [g for g in state.gaps(graph, fp) if g["kind"] in kinds]
coverage_gaps = sum(1 for g in found if g["kind"] == "not-reviewed")
st.write(f"{len(found)} gap(s): {len(found) - coverage_gaps} evidence, {coverage_gaps} coverage")

csv_file = csv_text(GAP_CSV_COLUMNS, gap_csv_rows(found))
st.download_button("Download these gaps as CSV", csv_file, "harmgraph-gaps.csv", "text/csv")


def by_review(group: list[dict]) -> list[tuple[str, list[dict]]]:
    """The gaps of one kind by the review behind them, in the order of the reviews' first gap;
    the gaps no review looked at come last."""
    order: dict[str, list[dict]] = {}
    for gap in group:
        order.setdefault(gap["review"]["iri"] if gap["review"] else "", []).append(gap)
    return sorted(order.items(), key=lambda item: item[0] == "")


def review_heading(iri: str, kind: str) -> str:
    if not iri:
        return (
            "<p><strong>No search was aimed at these.</strong></p>"
            if kind == "not-reviewed"
            else "<p><strong>No review's search was aimed at these.</strong></p>"
        )
    row = reviews.get(iri, {})
    return (
        "<p>Searched in review "
        + state.review_link(iri, reviews)
        + ": "
        + state.text(row.get("strength", ""))
        + ".</p>"
    )


# A kind opens when it is one of a few chosen; with every kind shown, each is a closed section
# with its count, so the page stays short until one is opened.
few = len(kinds) <= 2
for kind in kinds:
    group = [g for g in found if g["kind"] == kind]
    if not group:
        continue
    with st.expander(f"{state.meaning(kind)} ({len(group)})", expanded=few):
        html = []
        for iri, gaps in by_review(group):
            # The review is in the heading; a coverage gap has none, but may name the reviews
            # that list its harm without searching it.
            listed = kind == "not-reviewed"
            items = [state.gap_html(g, reviews, kind=False, review=listed) for g in gaps]
            html.append(review_heading(iri, kind) + state.bullets(items))
        state.show("".join(html))
