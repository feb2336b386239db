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
    st.Page("app_pages/overview.py", title="Overview", default=True, url_path="overview"),
]
st.navigation(pages).run()
