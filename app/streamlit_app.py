"""harmgraph explorer: page set-up, navigation and the shared banner. Render only."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import state  # noqa: E402

st.set_page_config(page_title="harmgraph", layout="wide")

graph = state.graph()
problems = state.violations(graph, graph.fingerprint)
if problems:
    st.warning(
        f"This graph does not fully conform to the harmgraph shapes ({len(problems)} "
        "violation(s)). It is shown anyway; results may be incomplete."
    )
    with st.expander("Violations"):
        st.text("\n".join(problems[:200]))

pages = [
    # The default page is served at the root: Streamlit ignores a url_path for it.
    st.Page("app_pages/overview.py", title="Overview", default=True),
    st.Page("app_pages/matrix.py", title="Evidence-gap map", url_path="matrix"),
    st.Page("app_pages/gaps.py", title="Gaps", url_path="gaps"),
    st.Page("app_pages/priorities.py", title="Priorities", url_path="priorities"),
    st.Page("app_pages/network.py", title="Network", url_path="network"),
    st.Page("app_pages/entity.py", title="Entity", url_path="entity"),
    st.Page("app_pages/sparql.py", title="SPARQL", url_path="sparql"),
    st.Page("app_pages/downloads.py", title="Downloads", url_path="downloads"),
]
st.navigation(pages).run()
