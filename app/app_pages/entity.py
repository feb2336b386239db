"""Entity pages: one per harm, technology, actor, intervention, source or gap."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph.errors import HarmgraphError

graph = state.graph()
fp = state.fingerprint()
params = st.query_params
index = state.entities(graph, fp)
ids = [row["id"] for row in index]
names = {row["id"]: f"{row['label']} ({row['kind']})" for row in index}

wanted = params.get("id", "harm/synthetic-csam-of-unabused-children")
chosen = st.selectbox(
    "Entity",
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=names.get,
    key="entity_id",
)
params["id"] = chosen
try:
    page = state.entity(graph, fp, chosen)
except HarmgraphError as error:
    st.error(str(error))
    st.stop()

st.title(page["label"])
st.caption(f"{page['kind']} · {page['id']}")
if page["definition"]:
    st.write(page["definition"])
facts = []
if page["alt_labels"]:
    facts.append("also called: " + state.md(", ".join(page["alt_labels"])))
if page["stage"]:
    facts.append(f"lifecycle stage: {state.md(page['stage'])}")
if page["prevention_level"]:
    facts.append(f"prevention level: {state.md(page['prevention_level'])}")
if page["jurisdiction"]:
    facts.append(f"jurisdiction: {state.md(page['jurisdiction'])}")
if page["severity"]:
    facts.append(
        f"severity {page['severity']}/5, rated from "
        + state.entity_link(
            state.short(page["severity_source"]), state.short(page["severity_source"])
        )
    )
if page["link"]:
    facts.append("read it: " + state.link(page["link"], page["link"]))
for fact in facts:
    st.markdown(f"- {fact}")
if page["broader"]:
    st.markdown(
        "Broader: "
        + ", ".join(state.entity_link(b["label"], state.short(b["iri"])) for b in page["broader"])
    )
if page["narrower"]:
    st.markdown(
        "Narrower: "
        + ", ".join(state.entity_link(n["label"], state.short(n["iri"])) for n in page["narrower"])
    )


def show_claims(rows: list[dict]) -> None:
    for row in rows:
        subject = state.entity_link(row["subject_label"], state.short(row["subject"]))
        obj = state.entity_link(row["object_label"], state.short(row["object"]))
        st.markdown(
            f"- {subject} *{state.md(row['relation'])}* {obj}: **{state.md(row['direction'])}**, "
            f"{state.md(row['confidence'])} confidence, {state.md(row['evidence_kind'])}"
        )
        for c in row["citations"]:
            source = state.entity_link(c["title"], state.short(c["source"]))
            st.markdown(
                f"    - {source} ({state.md(c['year'] or 'n.d.')}), {state.md(c['locator'])}"
                + (f" · {state.link('link', c['url'])}" if state.safe_url(c["url"]) else "")
            )


if page["claims"]:
    st.header(f"Relations and their claims ({len(page['claims'])})")
    show_claims(page["claims"])
if page["claims_citing"]:
    st.header(f"Claims that cite this source ({len(page['claims_citing'])})")
    show_claims(page["claims_citing"])
if page["gaps"]:
    st.header(f"Gaps that concern it ({len(page['gaps'])})")
    for g in page["gaps"]:
        st.markdown(f"- **{state.md(g['kind'])}**: {state.md(g['explanation'])}")
if not (page["claims"] or page["claims_citing"] or page["gaps"]):
    st.info("No claim or gap concerns this entity yet.")
