"""Overview: what the graph holds, the founding paper's harm facets, the top five gaps."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph.analysis.stats import MEANINGS
from harmgraph.publish.escaping import plot_text

graph = state.graph()
fp = state.fingerprint()
params = st.query_params
counts = state.stats(graph, fp)

st.title("harmgraph")
st.write(
    "An open knowledge graph of the harms of AI-generated child sexual abuse material, the "
    "technologies that enable them, the actors involved, the interventions that address them, "
    "and the evidence behind each link. Every link is a graded claim with its sources."
)
labels = {
    "harms": "Harms",
    "harm_facets": "of them harm facets",
    "technologies": "Technologies",
    "actors": "Actors",
    "interventions": "Interventions",
    "intervention_types": "of them intervention types",
    "sources": "Sources",
    "claims": "Claims",
    "gaps": "Stated gaps",
    "triples": "Triples",
    "reviews": "Reviews",
    "screened": "Records screened",
    "excluded": "Excluded",
    "included": "Included",
}
columns = st.columns(4)
for i, (key, label) in enumerate(labels.items()):
    # The same counts as `harmgraph stats`, with what each counts (stats.MEANINGS) as its help.
    columns[i % 4].metric(label, f"{counts[key]:,}", help=MEANINGS[key])
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

st.header("Review coverage")
cover = state.coverage(graph, fp)
share = cover["searched_cells"] / cover["cells"] if cover["cells"] else 0
st.write(
    f"{cover['searched_cells']} of {cover['cells']} cells of the evidence-gap map (intervention "
    f"types × harm facets) were reached by a search aimed at them or at something broader "
    f"({share:.0%}); {cover['searched_exact']} by a search aimed at the cell itself. "
    f"{cover['listed_not_searched']} more are listed in a review's scope but no search was "
    "aimed at them: listed is not searched. A gap in a cell no search reached is a coverage gap "
    "(no search has looked yet), never an evidence gap. Every review here is a rapid scan of "
    "one web-page index (up to 8 results per query, one screener, a second screener on a "
    "sample), so "
    "'not found' means not found in that scan."
)
st.dataframe(
    [
        {
            "harm facet": f["label"],
            "reviews": f["reviews"],
            "intervention types searched": f"{f['types_reviewed']} of {f['types']}",
        }
        for f in cover["facets"]
    ],
    hide_index=True,
    width="stretch",
)

st.header("Strength of the reviews")
overview = state.reviews(graph, fp)
st.caption(
    "The type of a review bounds what a finding of nothing can claim; a gap is as strong as the "
    "weakest review that supports it."
)
st.dataframe(
    [
        {
            "review type": t["label"],
            "what 'nothing found' may claim": t["meaning"],
            "here": t["reviews"],
        }
        for t in overview["types"]
    ],
    hide_index=True,
    width="stretch",
)
rows = []
for r in overview["reviews"]:
    rows.append(
        "<tr><td>"
        + state.entity_link(r["label"], state.short(r["iri"]))
        + "</td>"
        + "".join(
            f"<td>{state.text(v)}</td>"
            for v in (r["type"], r["strength"], r["screened"], r["included"], r["kappa_short"])
        )
        + "</tr>"
    )
with st.expander(f"Every review ({len(rows)}): type, strength, records and agreement"):
    state.show(
        '<table style="width:100%;border-collapse:collapse"><thead><tr>'
        + "".join(
            f'<th scope="col" style="text-align:left">{h}</th>'
            for h in ("review", "type", "strength", "records screened", "included", "kappa")
        )
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )

st.header("Screening flow")
facet_names = {f["iri"]: f["label"] for f in cover["facets"]}
facet = st.selectbox(
    "For",
    [""] + list(facet_names),
    format_func=lambda iri: facet_names.get(iri, "the whole graph"),
    index=([""] + list(facet_names)).index(params.get("facet", ""))
    if params.get("facet", "") in ([""] + list(facet_names))
    else 0,
    key="overview_facet",
)
if facet:
    params["facet"] = facet
elif "facet" in params:
    del params["facet"]
flow = state.flow(graph, fp, facet)
st.caption(
    f"The records of the {flow['reviews']} review(s) "
    + ("whose searches reached this facet" if facet else "in the graph")
    + ", together: every record considered, excluded with its reason, or included as a "
    "verified source that produced claims. Each review's own PRISMA 2020 diagram, with both "
    "columns, is on its page."
)
if flow["considered"]:
    import plotly.graph_objects as go

    reasons = [(r, n) for r, n in flow["excluded_by_reason"].items() if n]
    labels = [
        f"considered: {flow['considered']:,}",
        f"included: {flow['included']:,}",
        f"excluded: {flow['excluded']:,}",
        f"distinct sources: {flow['sources_included']:,}",
        f"claims: {flow['claims_produced']:,}",
    ] + [f"{reason}: {count:,}" for reason, count in reasons]
    links = [(0, 1, flow["included"]), (0, 2, flow["excluded"])]
    links += [(1, 3, flow["sources_included"]), (3, 4, flow["claims_produced"])]
    links += [(2, 5 + i, count) for i, (_, count) in enumerate(reasons)]
    figure = go.Figure(
        go.Sankey(
            node={
                "label": [plot_text(label) for label in labels],
                "pad": 18,
                "thickness": 16,
                "color": "#6b7b8c",
            },
            link={
                "source": [a for a, _, n in links if n],
                "target": [b for _, b, n in links if n],
                "value": [n for _, _, n in links if n],
                "color": "rgba(107,123,140,0.35)",
            },
        )
    )
    figure.update_layout(height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(figure, width="stretch", key="overview_flow")
    st.dataframe(
        [{"step": label.split(":")[0], "records": label.split(": ")[1]} for label in labels],
        hide_index=True,
    )
else:
    st.info("No review covers this facet yet: every gap about it is a coverage gap.")

st.header("Top five gaps")
st.caption("Ranked with the default weights; change them on the Priorities page.")
top = state.priorities(graph, fp, tuple(sorted(state.harmgraph.DEFAULT_WEIGHTS.items())))[:5]
names = state.review_rows(graph, fp)
items = [
    f"<strong>{row['rank']}.</strong> (score {row['score']:.2f}) " + state.gap_html(row, names)
    for row in top
]
state.show("".join(f"<p>{item}</p>" for item in items))
