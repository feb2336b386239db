"""Gaps: evidence gaps (each with the review behind it) and coverage gaps, kept apart."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph import GAP_KINDS
from harmgraph.analysis.gap_record import GAP_CSV_COLUMNS, gap_csv_rows
from harmgraph.tables import csv_text

graph = state.graph()
fp = state.fingerprint()
params = st.query_params

st.title("Gaps")
st.caption(
    "Evidence gaps, each naming the review that looked: no-intervention (a harm no "
    "intervention addresses) · empty-cell (an intervention type with no claim about a harm "
    "facet others address) · unevaluated-intervention (no study of effect) · unsynthesised "
    "(studies but no review) · weak-evidence (low confidence or a single source) · contested "
    "(supported and disputed) · research-need (stated by a source). Coverage gaps: "
    "not-reviewed (no review has searched yet: a gap in the graph's reading, not a known gap in "
    "the evidence, and never ranked on the Priorities page)."
)
chosen = [k for k in params.get_all("kind") if k in GAP_KINDS] or list(GAP_KINDS)
kinds = st.multiselect("Kinds", GAP_KINDS, default=chosen, key="gaps_kinds")
params["kind"] = kinds
found = [g for g in state.gaps(graph, fp) if g["kind"] in kinds]
coverage_gaps = sum(1 for g in found if g["kind"] == "not-reviewed")
st.write(f"{len(found)} gap(s): {len(found) - coverage_gaps} evidence, {coverage_gaps} coverage")

csv_file = csv_text(GAP_CSV_COLUMNS, gap_csv_rows(found))
st.download_button("Download these gaps as CSV", csv_file, "harmgraph-gaps.csv", "text/csv")


def review_line(gap: dict) -> str:
    review = gap["review"]
    if review is None:
        return "<br><em>No review behind it.</em>"
    return (
        "<br>Review: "
        + state.entity_link(f"{review['label']} ({review['date']})", state.short(review["iri"]))
        + state.text(
            f" · {review['screened']} screened, {review['included']} included · {review['methods']}"
        )
    )


for kind in kinds:
    group = [g for g in found if g["kind"] == kind]
    if not group:
        continue
    heading = "Coverage gaps: not yet reviewed" if kind == "not-reviewed" else kind
    st.subheader(f"{heading} ({len(group)})")
    items = []
    for g in group:
        subject = state.entity_link(g["subject_label"], state.short(g["subject"]))
        target = (
            f" → {state.entity_link(g['object_label'], state.short(g['object']))}"
            if g["object"]
            else ""
        )
        tag = f" · <em>{state.text(g['evidence_gap'])} gap</em>" if g["evidence_gap"] else ""
        if g["pending_kind"]:
            tag += f" · <em>would be {state.text(g['pending_kind'])}</em>"
        items.append(f"{subject}{target}{tag}<br>{state.text(g['explanation'])}{review_line(g)}")
    state.show(state.bullets(items))
