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
st.caption(
    f"Ontology version {state.md(state.version(graph, fp))} · data and ontology under CC BY 4.0 · "
    f"graph fingerprint {fp} · loaded from "
    + (
        state.md(", ".join(state.data_paths()))
        if state.data_paths()
        else "the bundled knowledge base"
    )
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
for row in top:
    subject = state.entity_link(row["subject_label"], row["subject"].split("/id/")[-1])
    extra = f" → {state.md(row['object_label'])}" if row["object_label"] else ""
    st.markdown(
        f"**{row['rank']}.** {state.md(row['kind'])}: {subject}{extra} "
        f"(score {row['score']:.2f})  \n{state.md(row['explanation'])}"
    )
