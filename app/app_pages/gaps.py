"""Gaps: the typed gaps with their explanations, filterable by kind."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph import GAP_KINDS
from harmgraph.gaps import GAP_CSV_COLUMNS, gap_csv_rows
from harmgraph.tables import csv_text

graph = state.graph()
fp = state.fingerprint()
params = st.query_params

st.title("Gaps")
st.caption(
    "no-intervention: a harm no intervention addresses · unevaluated-intervention: no study of "
    "effect · unsynthesised: studies but no review · weak-evidence: low confidence or a single "
    "source · contested: supported and disputed · research-need: stated by a source."
)
chosen = [k for k in params.get_all("kind") if k in GAP_KINDS] or list(GAP_KINDS)
kinds = st.multiselect("Kinds", GAP_KINDS, default=chosen, key="gaps_kinds")
params["kind"] = kinds
found = [g for g in state.gaps(graph, fp) if g["kind"] in kinds]
st.write(f"{len(found)} gap(s)")

csv_file = csv_text(GAP_CSV_COLUMNS, gap_csv_rows(found))
st.download_button("Download these gaps as CSV", csv_file, "harmgraph-gaps.csv", "text/csv")

for kind in kinds:
    group = [g for g in found if g["kind"] == kind]
    if not group:
        continue
    st.subheader(f"{kind} ({len(group)})")
    items = []
    for g in group:
        subject = state.entity_link(g["subject_label"], state.short(g["subject"]))
        target = (
            f" → {state.entity_link(g['object_label'], state.short(g['object']))}"
            if g["object"]
            else ""
        )
        tag = f" · <em>{state.text(g['evidence_gap'])} gap</em>" if g["evidence_gap"] else ""
        items.append(f"{subject}{target}{tag}<br>{state.text(g['explanation'])}")
    state.show(state.bullets(items))
