"""Overview: what the graph holds, the founding paper's harm facets, the top five gaps."""

from __future__ import annotations

import streamlit as st

import state

graph = state.graph()
fp = state.fingerprint()
counts = state.stats(graph, fp)

st.title("harmgraph")
st.write(
    "An open knowledge graph of the harms of AI-generated child sexual abuse material, the "
    "technologies that enable them, the actors involved, the interventions that address them, "
    "and the evidence behind each link. Every link is a graded claim with its sources."
)
labels = {
    "harms": "Harms",
    "technologies": "Technologies",
    "actors": "Actors",
    "interventions": "Interventions",
    "sources": "Sources",
    "claims": "Claims",
    "gaps": "Stated gaps",
    "triples": "Triples",
}
columns = st.columns(4)
for i, (key, label) in enumerate(labels.items()):
    columns[i % 4].metric(label, f"{counts[key]:,}")
state.show(
    '<p style="opacity:0.7;font-size:0.875rem">'
    f"Ontology version {state.text(state.version(graph, fp))} · data and ontology under "
    f"CC BY 4.0 · graph fingerprint {state.text(fp)} · loaded from "
    + (
        state.text(", ".join(state.data_paths()))
        if state.data_paths()
        else "the bundled knowledge base"
    )
    + "</p>"
)

st.header("Harm facets and their evidence")
st.caption(
    "Claims and distinct sources about each facet or a narrower harm, fewest first: the thin "
    "rows are where evidence is missing."
)
facets = state.facets(graph, fp)
st.dataframe(
    [
        {
            "harm facet": row["label"],
            "claims": row["claims"],
            "sources": row["sources"],
            "high-confidence claims": row["high_confidence"],
            "severity (1-5)": row["severity"],
        }
        for row in facets
    ],
    hide_index=True,
    width="stretch",
)

st.header("Top five gaps")
st.caption("Ranked with the default weights; change them on the Priorities page.")
top = state.priorities(graph, fp, tuple(sorted(state.harmgraph.DEFAULT_WEIGHTS.items())))[:5]
items = []
for row in top:
    subject = state.entity_link(row["subject_label"], row["subject"].split("/id/")[-1])
    extra = f" → {state.text(row['object_label'])}" if row["object_label"] else ""
    items.append(
        f"<strong>{row['rank']}.</strong> {state.text(row['kind'])}: {subject}{extra} "
        f"(score {row['score']:.2f})<br>{state.text(row['explanation'])}"
    )
state.show("".join(f"<p>{item}</p>" for item in items))
