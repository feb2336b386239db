"""Entity pages: one per harm, technology, actor, intervention, source, gap or review."""

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
    st.error(state.md(error))
    st.stop()

state.heading(page["label"])
state.show(f'<p style="opacity:0.7">{state.text(page["kind"])} · {state.text(page["id"])}</p>')
if page["definition"]:
    state.show(f"<p>{state.text(page['definition'])}</p>")
facts = []
source = page["source"]
if source:
    if source["authors"]:
        authors = state.text("; ".join(source["authors"]))
        facts.append(f"authors, in the order of the record: {authors}")
    if source["publisher"]:
        facts.append("published by: " + state.text(source["publisher"]))
    facts.append(state.text(f"{source['kind']}, {source['year']}"))
if page["alt_labels"]:
    facts.append("also called: " + state.text(", ".join(page["alt_labels"])))
if page["stage"]:
    facts.append("lifecycle stage: " + state.text(page["stage"]))
if page["prevention_level"]:
    facts.append("prevention level: " + state.text(page["prevention_level"]))
if page["jurisdiction"]:
    facts.append("jurisdiction: " + state.text(page["jurisdiction"]))
if page["severity"]:
    facts.append(
        f"severity {int(page['severity'])}/5, rated from "
        + state.entity_link(
            state.short(page["severity_source"]), state.short(page["severity_source"])
        )
    )
if page["link"]:
    facts.append("read it: " + state.link(page["link"], page["link"]))
if facts:
    state.show(state.bullets(facts))
if page["broader"]:
    state.show(
        "<p>Broader: "
        + ", ".join(state.entity_link(b["label"], state.short(b["iri"])) for b in page["broader"])
        + "</p>"
    )
if page["narrower"]:
    state.show(
        "<p>Narrower: "
        + ", ".join(state.entity_link(n["label"], state.short(n["iri"])) for n in page["narrower"])
        + "</p>"
    )


def claim_items(rows: list[dict]) -> str:
    items = []
    for row in rows:
        subject = state.entity_link(row["subject_label"], state.short(row["subject"]))
        obj = state.entity_link(row["object_label"], state.short(row["object"]))
        citations = []
        for c in row["citations"]:
            where = state.entity_link(c["title"], state.short(c["source"]))
            citations.append(
                f"{where} ({state.text(c['year'] or 'n.d.')}), {state.text(c['locator'])}"
                + (f" · {state.link('link', c['url'])}" if c["url"] else "")
            )
        items.append(
            f"{subject} <em>{state.text(row['relation'])}</em> {obj}: "
            f"<strong>{state.text(row['direction'])}</strong>, "
            f"{state.text(row['confidence'])} confidence, {state.text(row['evidence_kind'])}. "
            f"{state.text(row.get('rationale', ''))}" + state.bullets(citations)
        )
    return state.bullets(items)


review = page["review"]
if review:
    state.show(
        "<p>"
        + state.text(
            f"Run on {review['date']}; screened {review['screened']} candidate(s): "
            f"{review['included']} included, {review['excluded']} excluded."
        )
        + "</p>"
    )
    covered = [state.entity_link(h["label"], state.short(h["iri"])) for h in review["harms"]]
    limited = [
        state.entity_link(i["label"], state.short(i["iri"])) for i in review["interventions"]
    ]
    state.show(
        "<p>Harms searched (with their narrower harms): "
        + ", ".join(covered)
        + "<br>Interventions: "
        + (", ".join(limited) if limited else "every intervention type")
        + "</p>"
    )
    st.header(f"Methods, as run ({len(review['method_list'])})")
    st.dataframe(review["method_list"], hide_index=True, width="stretch")
    st.header(f"Every candidate screened ({len(review['records'])})")
    st.dataframe(
        [
            {
                "decision": r["decision"],
                "reason": r["reason"],
                "candidate": r["title"],
                "address": r["url"],
                "source": state.short(r["source"]) if r["source"] else "",
                "claims": len(r["claims"]),
            }
            for r in review["records"]
        ],
        hide_index=True,
        width="stretch",
    )
if page["covered_by"]:
    state.show(
        "<p>Reviews that searched evidence about it: "
        + ", ".join(
            state.entity_link(f"{r['label']} ({r['date']})", state.short(r["iri"]))
            for r in page["covered_by"]
        )
        + "</p>"
    )

if page["claims"]:
    st.header(f"Relations and their claims ({len(page['claims'])})")
    state.show(claim_items(page["claims"]))
if page["claims_citing"]:
    st.header(f"Claims that cite this source ({len(page['claims_citing'])})")
    state.show(claim_items(page["claims_citing"]))
if page["gaps"]:
    st.header(f"Gaps that concern it ({len(page['gaps'])})")
    state.show(
        state.bullets(
            [
                f"<strong>{state.text(g['kind'])}</strong>: {state.text(g['explanation'])}"
                for g in page["gaps"]
            ]
        )
    )
if not (page["claims"] or page["claims_citing"] or page["gaps"] or review):
    st.info("No claim or gap concerns this entity yet.")
