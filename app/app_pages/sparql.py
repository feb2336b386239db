"""SPARQL: a read-only query box with the competency questions as examples."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph.errors import HarmgraphError
from harmgraph.tables import csv_text

params = st.query_params
examples = state.examples()

st.title("SPARQL")
st.caption(
    f"Read-only SPARQL 1.1 over the ontology and data. Updates, LOAD and SERVICE are refused. "
    f"Each query stops after {state.query_timeout():g} seconds and returns at most "
    f"{state.QUERY_MAX_ROWS:,} rows. The prefixes hg:, harm:, technology:, actor:, intervention:, "
    "source:, claim:, gap:, skos:, dcterms:, rdf:, rdfs:, prov:, bibo: and schema: are predeclared."
)
titles = [title for title, _ in examples]
picked = st.selectbox(
    "Example (competency questions)",
    range(len(titles)),
    format_func=lambda i: titles[i],
    index=int(params.get("example", 0))
    if params.get("example", "0").isdigit() and int(params.get("example", 0)) < len(titles)
    else 0,
    key="sparql_example",
)
params["example"] = str(picked)
text = st.text_area("Query", examples[picked][1], height=240, key=f"sparql_text_{picked}")
if st.button("Run", type="primary", key="sparql_run"):
    try:
        columns, rows, capped = state.run_sparql(text)
    except HarmgraphError as error:
        st.error(state.md(error))
    else:
        if capped:
            st.warning(
                f"Only the first {state.QUERY_MAX_ROWS:,} rows are shown: the row cap was hit."
            )
        st.write(f"{len(rows)} row(s)")
        st.dataframe([dict(zip(columns, r, strict=True)) for r in rows], width="stretch")
        st.download_button(
            "Download results as CSV", csv_text(columns, rows), "harmgraph-query.csv", "text/csv"
        )
