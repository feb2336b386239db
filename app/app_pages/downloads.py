"""Downloads: the RDF distributions, the tables, and the sources as RIS and BibTeX."""

from __future__ import annotations

import streamlit as st

import state

graph = state.graph()
fp = state.fingerprint()

st.title("Downloads")
st.header("The graph (ontology and data, CC BY 4.0)")
files = {
    "turtle": ("Turtle", "harmgraph.ttl", "text/turtle"),
    "ntriples": ("N-Triples", "harmgraph.nt", "application/n-triples"),
    "jsonld": ("JSON-LD", "harmgraph.jsonld", "application/ld+json"),
    "xml": ("RDF/XML", "harmgraph.rdf", "application/rdf+xml"),
    "trig": ("TriG (with the shapes as a named graph)", "harmgraph.trig", "application/trig"),
}
for fmt, (label, name, mime) in files.items():
    st.download_button(label, state.export(graph, fp, fmt), name, mime, key=f"downloads_{fmt}")

st.header("Tables")
st.caption("Each page also offers its current view as CSV.")
default = state.matrix(graph, fp, "intervention", "harm", ())
st.download_button(
    "Evidence-gap map (interventions × harms) as CSV",
    state.to_csv(default),
    "harmgraph-matrix.csv",
    "text/csv",
    key="downloads_matrix",
)

st.download_button(
    "Evidence-gap map as one interactive HTML file (opens anywhere, no server)",
    state.map_file(graph, fp),
    "harmgraph-map.html",
    "text/html",
    key="downloads_map_html",
)

st.header("Sources")
st.download_button(
    "All sources as RIS",
    state.citations(graph, fp, "ris"),
    "harmgraph-sources.ris",
    "application/x-research-info-systems",
    key="downloads_ris",
)
st.download_button(
    "All sources as BibTeX",
    state.citations(graph, fp, "bibtex"),
    "harmgraph-sources.bib",
    "application/x-bibtex",
    key="downloads_bibtex",
)
