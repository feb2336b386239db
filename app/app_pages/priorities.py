"""Priorities: the funder ranking with weight sliders, contributions and rank stability."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import state
from harmgraph import DEFAULT_WEIGHTS
from harmgraph.publish.escaping import plot_text
from harmgraph.tables import csv_text

graph = state.graph()
fp = state.fingerprint()
params = st.query_params

st.title("Priorities")
st.caption(
    "Score = sum of weight × criterion (each 0-1, computed from the graph): severity of the harms "
    "(rated in the data, with a source), reach (actors affected), enablers (technologies), "
    "weakness of the evidence, and whether a source states the need. Rank range: best and worst "
    "rank when any one weight moves by ±50%."
)
weights = {}
with st.sidebar:
    st.header("Weights")
    for name, default in DEFAULT_WEIGHTS.items():
        try:
            start = float(params.get(f"w_{name}", default))
        except ValueError:
            start = default
        weights[name] = st.slider(
            name, 0.0, 5.0, min(max(start, 0.0), 5.0), 0.5, key=f"priorities_{name}"
        )
        params[f"w_{name}"] = f"{weights[name]:g}"
    top = st.slider(
        "Show the first",
        5,
        60,
        int(params.get("top", 20)) if params.get("top", "20").isdigit() else 20,
        key="priorities_top",
    )
    params["top"] = str(top)

if not any(weights.values()):
    st.error("At least one weight must be above zero.")
    st.stop()
ranked = state.priorities(graph, fp, tuple(sorted(weights.items())))[:top]
unranked = sum(1 for g in state.gaps(graph, fp) if g["kind"] == "not-reviewed")
if unranked:
    st.info(
        f"{unranked} coverage gap(s) (no search has been aimed at them yet) are not ranked: "
        "they say where the graph has not looked, not what research to fund. See the Gaps page."
    )

names = list(DEFAULT_WEIGHTS)
labels = [
    plot_text(
        f"{r['rank']}. {r['subject_label'][:50]}"
        + (f" → {r['object_label'][:30]}" if r["object_label"] else "")
    )
    for r in ranked
]
figure = go.Figure()
patterns = ["", "/", ".", "x", "-"]  # a pattern per criterion, so colour is not the only signal
for name, pattern in zip(names, patterns, strict=True):
    figure.add_trace(
        go.Bar(
            y=labels,
            x=[r["contributions"][name] for r in ranked],
            name=name,
            orientation="h",
            marker={"pattern": {"shape": pattern}},
            hovertemplate="%{y}<br>" + name + ": %{x:.2f}<extra></extra>",
        )
    )
figure.update_layout(
    barmode="stack",
    height=max(360, 26 * len(ranked) + 120),
    yaxis={"autorange": "reversed"},
    margin={"l": 10, "r": 10, "t": 10, "b": 10},
    legend={"orientation": "h"},
)
st.plotly_chart(figure, width="stretch")

reviews = state.review_rows(graph, fp)
head = ["rank", "score", "gap, what the graph holds, and who looked", *names, "rank range"]
body = []
for r in ranked:
    cells = [
        str(r["rank"]),
        f"{r['score']:.2f}",
        state.gap_html(r, reviews),
        *(f"{r['contributions'][name]:.2f}" for name in names),
        f"{r['rank_min']}–{r['rank_max']}" + ("" if r["stable"] else " (unstable)"),
    ]
    body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
state.show(
    '<table class="priorities" style="width:100%;border-collapse:collapse">'
    "<caption style='text-align:left'>Evidence gaps, best first: each criterion's contribution "
    "(weight × value), and the best and worst rank when any one weight moves by ±50%</caption>"
    "<thead><tr>"
    + "".join(f'<th scope="col" style="text-align:left">{state.text(h)}</th>' for h in head)
    + "</tr></thead><tbody>"
    + "".join(body)
    + "</tbody></table>"
)
table = [
    {
        "rank": r["rank"],
        "score": round(r["score"], 3),
        "kind": r["kind"],
        "what it means": state.meaning(r["kind"]),
        "gap": r["subject_label"],
        "link": r["object_label"],
        "review": (r["review"] or {}).get("label", ""),
        **{name: round(r["contributions"][name], 2) for name in names},
        "rank range": f"{r['rank_min']}–{r['rank_max']}",
        "stable": "yes" if r["stable"] else "no",
    }
    for r in ranked
]
header = list(table[0]) if table else []
st.download_button(
    "Download this ranking as CSV",
    csv_text(header, [[row[h] for h in header] for row in table]),
    "harmgraph-priorities.csv",
    "text/csv",
)
