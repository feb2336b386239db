"""Overview: what the graph holds."""

from __future__ import annotations

import state
import streamlit as st

graph = state.graph()
counts = state.stats(graph, graph.fingerprint)

st.title("harmgraph")
st.write(
    "An open knowledge graph of the harms of AI-generated child sexual abuse material, the "
    "technologies that enable them, the actors involved, the interventions that address them, "
    "and the evidence behind each link."
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
