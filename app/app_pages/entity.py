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
# The picker's search matches what it shows: alternative labels are shown too, so that
# "sextortion" finds "sexual extortion".
names = {
    row["id"]: f"{row['label']} ({row['kind']})"
    + (f" · also: {', '.join(row['alt_labels'])}" if row["alt_labels"] else "")
    for row in index
}

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
        "<p><strong>Strength:</strong> "
        + state.text(review["strength"])
        + ".</p><p>"
        + state.text(
            f"Run by {review['agent_label']}; {review['screened']} record(s) screened: "
            f"{review['included']} included, {review['excluded']} excluded."
        )
        + "</p>"
        + ("<p><strong>Finding:</strong> " + state.text(review["finding"]) + "</p>")
    )
    covered = [state.entity_link(h["label"], state.short(h["iri"])) for h in review["harms"]]
    limited = [
        state.entity_link(i["label"], state.short(i["iri"])) for i in review["interventions"]
    ]
    state.show(
        "<p>Scope it lists: "
        + ", ".join(covered)
        + "; interventions: "
        + (", ".join(limited) if limited else "every intervention type")
        + ". Only its searches, below, count as searching a cell of the map.</p>"
    )
    st.header("PRISMA 2020 flow")
    st.html(state.prisma(review["flow"]))
    st.header("Agreement of the two screeners")
    agreement = review["agreement"]
    st.write(
        agreement["text"]
        + ". A kappa below about 0.6 means the criteria need tightening before the decisions "
        "are trusted; with few inclusions, kappa is low even when almost every record agrees."
    )
    if agreement["disagreements"]:
        st.dataframe(
            [
                {
                    "record": d["record"].rsplit("#", 1)[-1],
                    "first": d["first"],
                    "second": d["second"],
                    "final": d["final"],
                    "resolution": d["resolution"],
                }
                for d in agreement["disagreements"]
            ],
            hide_index=True,
            width="stretch",
        )
    st.header(f"Searches and other methods ({len(review['searches'])})")
    st.dataframe(
        [
            {
                "search": s["id"],
                "method": s["kind"],
                "query": s["query"] or s["chased_from"] or s["carried_from"],
                "where": s["where"],
                "date": s["date"],
                "limit": s["limit"],
                "items": s["returned"],
                "aimed at": "; ".join(s["aimed_at"]),
                "sought": s["sought"],
            }
            for s in review["searches"]
        ],
        hide_index=True,
        width="stretch",
    )
    st.header(f"Every record screened ({len(review['records'])})")
    st.caption(
        "One record per retrieved item. An address that is not the item's primary one (a "
        "mirror, aggregator or proxy) is shown as text only."
    )
    st.dataframe(
        [
            {
                "record": r["id"],
                "decision": r["decision"],
                "reason": r["reason"],
                "of": r["duplicate_of"] or r["report_of"],
                "item": r["title"],
                "address": r["url"] or r["withheld"] or r["not_recorded"],
                "found by": r["found_by_id"],
                "second screener": r["second"],
                "source": state.short(r["source"]) if r["source"] else "",
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

if page["addresses"]:
    st.header("Harms it addresses, and the strongest evidence for each")
    st.caption(
        "One line per harm: the strongest claim about it (by confidence, then by how much its "
        "kind of evidence says, then by its sources), its direction and its source."
    )
    lines = []
    for line in page["addresses"]:
        best = line["strongest"]
        cite = best["citations"][0] if best["citations"] else None
        source = (
            ", from "
            + state.entity_link(cite["title"], state.short(cite["source"]))
            + (f" ({state.text(cite['year'])})" if cite["year"] else "")
            + (f" and {len(best['citations']) - 1} more" if len(best["citations"]) > 1 else "")
            if cite
            else ""
        )
        lines.append(
            state.entity_link(line["harm_label"], state.short(line["harm"]))
            + ": <strong>"
            + state.text(
                f"{best['confidence']} confidence, {best['evidence_kind'].lower()}, "
                f"{best['direction'].lower()}"
            )
            + "</strong>"
            + source
            + state.text(f" · {line['claims']} claim(s) from {line['sources']} source(s)")
        )
    state.show(state.bullets(lines))
if page["claims"]:
    st.header(f"Relations and their claims ({len(page['claims'])})")
    state.show(claim_items(page["claims"]))
if page["claims_citing"]:
    st.header(f"Claims that cite this source ({len(page['claims_citing'])})")
    state.show(claim_items(page["claims_citing"]))
if page["gaps"]:
    st.header(f"Gaps that concern it ({len(page['gaps'])})")
    names = state.review_rows(graph, fp)
    state.show(state.bullets([state.gap_html(g, names) for g in page["gaps"]]))
if not (page["claims"] or page["claims_citing"] or page["gaps"] or review):
    st.info("No claim or gap concerns this entity yet.")
