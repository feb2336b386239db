"""Evidence-gap map: a bubble grid of interventions (or types, or stages) by harms."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import state
from harmgraph.publish.escaping import plot_text

graph = state.graph()
fp = state.fingerprint()
params = st.query_params
options = state.options(graph, fp)

ROWS = {
    "intervention": "interventions",
    "intervention-type": "intervention types",
    "stage": "stages",
}
COLS = {"harm": "harms", "harm-facet": "harm facets"}
CONFIDENCE_STYLE = {  # colour and symbol: colour is never the only signal
    "high": ("#1b7837", "circle"),
    "moderate": ("#e08214", "diamond"),
    "low": ("#5e3c99", "square"),
}

st.title("Evidence-gap map")
st.caption(
    "Bubble size and number = distinct sources; colour and shape = strongest confidence "
    "(● high, ◆ moderate, ■ low); × = a search aimed at this very cell found nothing (an "
    "evidence gap; most searches are rapid scans of one web-page index, up to 8 results per "
    "query, one screener, so × means 'not found in this scan'); small dot = reached only by a "
    "broader search; ▲ = no claim here, but the row addresses a broader harm; ○? = no search "
    "yet (a coverage gap, not a known gap in the evidence); a dark red ring = some claims "
    "dispute the link. Counts roll up the harm hierarchy. Click a cell to see its claims, "
    "sources, searches and what its symbol means."
)


def choice(key: str, values: dict[str, str], default: str) -> str:
    current = params.get(key, default)
    return current if current in values else default


with st.sidebar:
    st.header("Map")
    rows = st.selectbox(
        "Rows",
        list(ROWS),
        format_func=ROWS.get,
        index=list(ROWS).index(choice("rows", ROWS, "intervention-type")),
    )
    cols = st.selectbox(
        "Columns",
        list(COLS),
        format_func=COLS.get,
        index=list(COLS).index(choice("cols", COLS, "harm-facet")),
    )
    st.header("Filters")
    filters: dict[str, str] = {}
    for key, title in (
        ("actor", "Actor"),
        ("stage", "Lifecycle stage"),
        ("prevention-level", "Prevention level"),
        ("evidence-kind", "Evidence kind"),
        ("jurisdiction", "Jurisdiction"),
    ):
        values = [""] + [v for v, _ in options[key]]
        names = dict(options[key]) | {"": "any"}
        chosen = params.get(key, "")
        picked = st.selectbox(
            title,
            values,
            format_func=names.get,
            index=values.index(chosen) if chosen in values else 0,
            key=f"matrix_{key}",
        )
        if picked:
            filters[key] = picked
    years = [int(v) for v, _ in options["year"]]
    if years:
        low, high = min(years), max(years)
        wanted = params.get("year", "")
        start, _, end = wanted.partition("-")
        default = (int(start), int(end or start)) if start.isdigit() else (low, high)
        chosen_years = st.slider("Source year", low, max(high, low + 1), default, key="matrix_year")
        if chosen_years != (low, max(high, low + 1)):
            filters["year"] = f"{chosen_years[0]}-{chosen_years[1]}"

params["rows"], params["cols"] = rows, cols
for key in ("actor", "stage", "prevention-level", "evidence-kind", "jurisdiction", "year"):
    if key in filters:
        params[key] = filters[key]
    elif key in params:
        del params[key]

data = state.matrix(graph, fp, rows, cols, tuple(sorted(filters.items())))
if data.get("too_large"):
    st.warning(
        f"This view would have {data['too_large']:,} cells, more than the "
        f"{state.MATRIX_CELL_CAP:,} that can be drawn: choose intervention types or stages "
        "as rows, harm facets as columns, or narrow it with the filters. "
        "`harmgraph matrix --format csv` writes every cell."
    )
    st.stop()
row_labels = {r["iri"]: r["label"] for r in data["rows"]}
col_labels = {c["iri"]: c["label"] for c in data["cols"]}
# Plotly renders some HTML and LaTeX in labels: draw escaped copies, keep the originals for text.
row_axis = {iri: plot_text(label) for iri, label in row_labels.items()}
col_axis = {iri: plot_text(label) for iri, label in col_labels.items()}


def cell_data(cells: list[dict]) -> list[list]:
    """Per point: the cell's row and column (read back on selection), then its direction counts
    (shown on hover)."""
    return [
        [
            c["row"],
            c["col"],
            c["supports"],
            c["mixed"],
            c["disputes"],
            f"searched by {len(c['reviews'])} review(s) ({c['searched_at']})"
            if c["reviewed"]
            else "no search aimed at it yet",
        ]
        for c in cells
    ]


def bubble(cell: dict) -> float:
    """Marker size: grows with the square root of the sources, capped so rows never overlap."""
    return min(12 + 5 * cell["sources"] ** 0.5, 42)


figure = go.Figure()
# Empty cells are of several kinds, each drawn differently with its own legend entry: an
# evidence gap (a search aimed at the cell found nothing), a cell searched only through
# something broader, a cell addressed at a broader level, a coverage gap (no search yet), and
# a cell whose claims the filters leave out.
for status, symbol, colour, text, name, hover in (
    (
        "no-evidence",
        "x-thin",
        "#595959",
        "",
        "x: a search aimed at it found nothing (evidence gap)",
        "a search aimed at this cell found nothing: an evidence gap (see its strength)",
    ),
    (
        "searched-broader",
        "circle",
        "#595959",
        "",
        "searched only through something broader",
        "no search aimed at this cell; searches reached it through something broader",
    ),
    (
        "addressed-broader",
        "triangle-up",
        "#2f5d8a",
        "",
        "addressed at a broader level",
        "no claim here, but this row addresses a broader harm that contains it",
    ),
    (
        "not-reviewed",
        "circle-open",
        "#6b6b6b",
        "?",
        "?: no search yet (coverage gap)",
        "no search aimed at this cell or anything broader yet",
    ),
    (
        "no-match",
        "line-ew",
        "#6b6b6b",
        "",
        "claims exist, none matches the filters",
        "no claim matches the filters",
    ),
):
    empty = [c for c in data["cells"] if c["claims"] == 0 and c["status"] == status]
    figure.add_trace(
        go.Scatter(
            x=[col_axis[c["col"]] for c in empty],
            y=[row_axis[c["row"]] for c in empty],
            mode="markers+text" if text else "markers",
            text=[text] * len(empty),
            textfont={"color": colour, "size": 9},
            marker={
                "symbol": symbol,
                "size": 5
                if status == "searched-broader"
                else (8 if status == "no-evidence" else 11),
                "color": colour,
                "line": {"width": 1, "color": colour},
            },
            customdata=[[c["row"], c["col"]] for c in empty],
            hovertemplate="%{y} × %{x}<br>" + hover + "<extra></extra>",
            name=name,
        )
    )
for level, (colour, symbol) in CONFIDENCE_STYLE.items():
    cells = [c for c in data["cells"] if c["claims"] and c["strongest_confidence"] == level]
    figure.add_trace(
        go.Scatter(
            x=[col_axis[c["col"]] for c in cells],
            y=[row_axis[c["row"]] for c in cells],
            mode="markers+text",
            text=[str(c["sources"]) for c in cells],
            textposition="middle center",
            textfont={"color": "white", "size": 11},
            marker={
                "symbol": symbol,
                "color": colour,
                "size": [bubble(c) for c in cells],
            },
            customdata=cell_data(cells),
            hovertemplate=(
                "%{y} × %{x}<br>%{text} source(s), strongest confidence "
                + level
                + "<br>%{customdata[2]} supporting, %{customdata[3]} mixed, "
                "%{customdata[4]} disputing claim(s)<br>%{customdata[5]}<extra></extra>"
            ),
            name=f"strongest confidence: {level}",
        )
    )
# A strong claim may be strong evidence *against* a link: ring those cells, as a trace of its
# own so the legend explains the ring and the colour is never read as support alone.
disputed = [c for c in data["cells"] if c["disputes"]]
figure.add_trace(
    go.Scatter(
        x=[col_axis[c["col"]] for c in disputed],
        y=[row_axis[c["row"]] for c in disputed],
        mode="markers",
        marker={
            "symbol": "circle-open",
            "color": "#8b0000",
            "size": [bubble(c) + 8 for c in disputed],
            "line": {"width": 3},
        },
        customdata=cell_data(disputed),
        hovertemplate=(
            "%{y} × %{x}<br>disputed: %{customdata[4]} disputing, %{customdata[2]} supporting, "
            "%{customdata[3]} mixed claim(s)<extra></extra>"
        ),
        name="ring: some claims dispute the link",
    )
)
figure.update_layout(
    height=max(480, 56 * len(data["rows"]) + 260),
    margin={"l": 10, "r": 10, "t": 10, "b": 10},
    xaxis={
        "tickangle": -40,
        "categoryorder": "array",
        "categoryarray": list(col_axis.values()),
        "side": "top",
    },
    yaxis={"categoryorder": "array", "categoryarray": list(reversed(list(row_axis.values())))},
    legend={"orientation": "h", "y": -0.02},
    clickmode="event+select",
)
event = st.plotly_chart(
    figure, on_select="rerun", selection_mode="points", key="matrix_chart", width="stretch"
)

selected = None
points = (event or {}).get("selection", {}).get("points", []) if event else []
if points and points[0].get("customdata"):
    selected = tuple(points[0]["customdata"][:2])
elif "cell" in params:
    row_id, _, col_id = params["cell"].partition("|")
    selected = (state.expand(row_id), state.expand(col_id))

cells = {(c["row"], c["col"]): c for c in data["cells"]}
if selected and selected in cells:
    cell = cells[selected]
    params["cell"] = f"{state.short(selected[0])}|{state.short(selected[1])}"
    state.heading(f"{row_labels.get(selected[0], '')} × {col_labels.get(selected[1], '')}", 3)
    reviews = [state.entity_link(state.short(r), state.short(r)) for r in cell["reviews"]]
    if reviews:
        state.show("<p>Searched by: " + ", ".join(reviews) + "</p>")
    if not cell["claims"]:
        st.info(cell["note"] or "No claim links this row to this harm.")
        if cell["strength"]:
            st.caption("Strength of the search behind it: " + cell["strength"] + ".")
    else:
        st.caption(
            f"{cell['claims']} claim(s) from {cell['sources']} source(s); "
            f"{cell['supports']} supporting, {cell['mixed']} mixed, {cell['disputes']} disputing; "
            f"{cell['rolled_up']} rolled up from narrower harms."
        )
        items = []
        for row in state.claim_rows(graph, fp, tuple(cell["claim_iris"])):
            citations = [
                f"{state.link(c['title'], c['url'])} ({state.text(c['year'] or 'n.d.')}), "
                f"{state.text(c['locator'])}"
                for c in row["citations"]
            ]
            items.append(
                f"{state.text(row['subject_label'])} <em>{state.text(row['relation'])}</em> "
                f"{state.text(row['object_label'])}: <strong>{state.text(row['direction'])}"
                f"</strong>, {state.text(row['confidence'])} confidence, "
                f"{state.text(row['evidence_kind'])}" + state.bullets(citations)
            )
        state.show(state.bullets(items))

st.download_button(
    "Download this view as CSV", state.to_csv(data), "harmgraph-matrix.csv", "text/csv"
)
