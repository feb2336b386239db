"""Evidence-gap map: a bubble grid of interventions (or types, or stages) by harms."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import state
from harmgraph.publish.escaping import plot_text
from harmgraph.publish.matrix_html import STYLE, cell_note

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
# Colour and symbol: colour is never the only signal. The colours are the site's map's, each
# with a contrast of at least 4.5:1 with the white number drawn on it, and the bubbles are
# drawn opaque (Plotly's theme would fade them, and a faded bubble fails that contrast).
CONFIDENCE_STYLE = {
    "high": (STYLE["high"], "circle"),
    "moderate": (STYLE["moderate"], "diamond"),
    "low": (STYLE["low"], "square"),
}
OPAQUE = {"marker": {"opacity": 1}}

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
# Harms as columns come grouped under their facet, the facet's own column first (in bold): a
# bracket under each group's columns carries the facet's name, and a rule parts the groups.
grouped = cols == "harm"
spans: list[tuple[int, int, str]] = []
if grouped:
    position = {c["iri"]: i for i, c in enumerate(data["cols"])}
    for facet, label, harms in state.groups(graph, fp):
        places = [position[h] for h in harms if h in position]
        if places:
            spans.append((min(places), max(places), label))
            col_axis[facet] = f"<b>{col_axis[facet]}</b>"


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
    """Marker size: grows with the square root of the sources, capped so rows never overlap
    (and, with many columns, so that neighbouring bubbles do not cover each other)."""
    return min(12 + 5 * cell["sources"] ** 0.5, 42 if len(data["cols"]) <= 12 else 28)


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
            textfont={"color": "#ffffff", "size": 11},
            marker={
                "symbol": symbol,
                "color": colour,
                "opacity": 1,
                "size": [bubble(c) for c in cells],
            },
            selected=OPAQUE,
            unselected=OPAQUE | {"textfont": {"color": "#ffffff"}},
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
# Each facet's name runs under its columns, on a second x axis at the bottom, with a bracket
# over the group's columns and a rule between groups; the legend goes on top.
upright = len(data["cols"]) > 12
if spans:
    figure.add_trace(  # an invisible point puts the facet axis on the figure
        go.Scatter(
            x=[0],
            y=[row_axis[data["rows"][0]["iri"]]],
            xaxis="x2",
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            showlegend=False,
            name="facets",
        )
    )
figure.update_layout(
    # Upright column labels above and the facet names below take about 420 px of their own.
    height=max(480, 56 * len(data["rows"]) + 260) + (420 if spans else 0),
    margin={"l": 10, "r": 10, "t": 90, "b": 10},
    xaxis={
        "tickangle": -90 if upright else -40,
        "categoryorder": "array",
        "categoryarray": list(col_axis.values()),
        "side": "top",
        # Fixed ranges: autorange pads for the largest bubble, and the facet axis must line
        # up with the columns.
        "range": [-0.5, len(data["cols"]) - 0.5],
    },
    xaxis2={
        "overlaying": "x",
        "side": "bottom",
        "range": [-0.5, len(data["cols"]) - 0.5],
        "tickmode": "array",
        "tickvals": [(first + last) / 2 for first, last, _ in spans],
        "ticktext": [f"<b>{plot_text(label)}</b>" for _, _, label in spans],
        "tickangle": -90 if upright else -40,
        "showgrid": False,
        "zeroline": False,
        "ticks": "",
        "visible": bool(spans),
    },
    yaxis={
        "categoryorder": "array",
        "categoryarray": list(reversed(list(row_axis.values()))),
        "range": [-0.5, len(data["rows"]) - 0.5],
    },
    legend={
        "orientation": "h",
        "x": 0,
        "y": 1,
        "xref": "container",
        "yref": "container",
        "yanchor": "top",
    },
    clickmode="event+select",
    shapes=[
        shape
        for first, last, _ in spans
        for shape in (
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": first - 0.4,
                "x1": last + 0.4,
                "y0": 0,
                "y1": 0,
                "line": {"color": "#4a4a4a", "width": 3},
            },
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": first - 0.5,
                "x1": first - 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#767676", "width": 1, "dash": "dot"},
            },
        )
    ],
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
    names = state.review_rows(graph, fp)
    grain = f"{rows} x {cols}"
    here = [
        g["kind"]
        for g in state.gaps(graph, fp)
        if (g["subject"], g["object"]) == selected
        and (g["grain"] == grain or (not g["grain"] and grain == "intervention x harm"))
    ]
    if here:
        # The gaps harmgraph lists for this cell, each kind in plain words, never as a code.
        state.show(
            "<p><strong>Gaps in this cell:</strong></p>"
            + state.bullets([state.text(state.meaning(k)) for k in dict.fromkeys(here)])
        )
    if not cell["claims"]:
        note = cell_note(cell["status"], cell) or "No claim links this row to this harm."
        state.show(f"<p>{state.text(note)}</p>")
    else:
        st.caption(
            f"{cell['claims']} claim(s) from {cell['sources']} source(s), strongest first; "
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
                f"{state.text(row['object_label'])}: <strong>{state.text(row['confidence'])} "
                f"confidence</strong>, {state.text(row['evidence_kind'])}, "
                f"{state.text(row['direction'])}" + state.bullets(citations)
            )
        state.show(state.bullets(items))
    # Each review once, as a link to its page (its queries are there), with its strength.
    searched = [
        state.review_link(iri, names) + state.text(": " + names.get(iri, {}).get("strength", ""))
        for iri in cell["reviews"]
    ]
    if searched:
        state.show(
            "<p><strong>Reviews with a search aimed at this cell (or at something broader):"
            "</strong></p>" + state.bullets(searched)
        )
    if cell["listed"]:
        state.show(
            "<p><strong>Reviews that list this harm, with no search aimed at this cell:"
            "</strong></p>" + state.bullets([state.review_link(i, names) for i in cell["listed"]])
        )

st.download_button(
    "Download this view as CSV", state.to_csv(data), "harmgraph-matrix.csv", "text/csv"
)
