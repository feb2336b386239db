"""Network: an entity's ego network, or the paths between two entities (pyvis, offline)."""

from __future__ import annotations

import streamlit as st

import state
from harmgraph.errors import HarmgraphError

graph = state.graph()
fp = state.fingerprint()
params = st.query_params
index = [
    row
    for row in state.entities(graph, fp)
    if row["kind"] in ("harm", "technology", "actor", "intervention")
]
ids = [row["id"] for row in index]
names = {row["id"]: f"{row['label']} ({row['kind']})" for row in index}

st.title("Network")
st.caption(
    f"Harms ● red, technologies ▲ orange, interventions ■ green, actors ◆ blue. Edge width grows "
    f"with the number of claims; dashed edges are only disputed. At most {state.NETWORK_CAP} nodes "
    "are drawn (the nearest)."
)
mode = st.radio(
    "Show",
    ["ego network", "paths between two entities"],
    horizontal=True,
    index=1 if params.get("mode") == "paths" else 0,
    key="network_mode",
)
params["mode"] = "paths" if mode.startswith("paths") else "ego"


def pick(label: str, key: str, default: str) -> str:
    current = params.get(key, default)
    return st.selectbox(
        label,
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=names.get,
        key=f"network_{key}",
    )


try:
    if params["mode"] == "ego":
        center = pick("Entity", "id", "harm/offending-pathway")
        depth = st.slider(
            "Depth",
            1,
            3,
            int(params.get("depth", 2)) if params.get("depth", "2").isdigit() else 2,
            key="network_depth",
        )
        params["id"], params["depth"] = center, str(depth)
        drawing = state.ego(graph, fp, center, depth)
        if drawing["cut"]:
            st.warning(
                f"{drawing['cut']} more node(s) are within {depth} link(s) but were cut to keep "
                f"the view fast; lower the depth to see them all."
            )
    else:
        start = pick("From", "from", "technology/nudify-apps")
        end = pick("To", "to", "actor/children-and-young-people")
        params["from"], params["to"] = start, end
        found = state.paths(graph, fp, start, end)
        if not found:
            st.info("No path of at most four links joins these two entities.")
            st.stop()
        st.write(f"{len(found)} path(s)")
        drawing = state.paths_drawing(found, index)
    st.write(f"{len(drawing['nodes'])} node(s), {len(drawing['edges'])} link(s)")
    st.iframe(state.network_page(graph, fp, drawing), height=660)
    state.show(
        "<p>Open an entity: "
        + " · ".join(
            state.entity_link(n["label"], state.short(n["iri"])) for n in drawing["nodes"][:40]
        )
        + "</p>"
    )
except HarmgraphError as error:
    st.error(state.md(error))
