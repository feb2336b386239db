"""Render an ego network or a set of paths as one self-contained, offline HTML page.

pyvis builds the network (nodes, edges, physics options); the page is written from
harmgraph's own template, because pyvis's template loads Bootstrap and vis-network
from CDNs and turns titles containing markup into live HTML. Here vis-network's
JavaScript is inlined from the copy that ships inside the pyvis package, titles stay
plain text, and every string from the data is embedded as escaped JSON.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> from harmgraph.analysis.network import ego_network
>>> page = network_html(ego_network(load_graph(), "harm/normalisation"))
>>> remote_references(page)
[]
>>> "default-src 'none'" in page
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

#: Colour and shape per entity kind; shape is a second signal for colour-blind readers.
STYLE = {
    "harm": ("#c0392b", "dot"),
    "technology": ("#d35400", "triangle"),
    "intervention": ("#1e8449", "square"),
    "actor": ("#2471a3", "diamond"),
}

#: The smallest size, in CSS pixels, of a node's and an edge's label when the view opens: the
#: view never opens zoomed out further than MIN_SCALE, and fonts are sized for that scale.
LABEL_PX = {"node": 14, "edge": 12}
MIN_SCALE = 0.8
CENTRE_SIZE = 22

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>__CSS__
body{margin:0;font-family:sans-serif}#network{width:100%;height:__HEIGHT__px;border:1px solid #ccc}
#legend{font-size:13px;padding:4px}#legend>span{margin-right:14px}</style></head>
<body><div id="legend">__LEGEND__</div><div id="network"></div>
<script>__JS__</script>
<script>
const data = JSON.parse(__DATA__);
const nodes = new vis.DataSet(data.nodes);
const edges = new vis.DataSet(data.edges);
const network = new vis.Network(document.getElementById("network"), {nodes, edges}, data.options);
// Fitting a large network to the frame shrinks every label below reading size (or vis hides
// it): the view opens at a zoom where labels are readable, on the chosen entity; scroll or
// pinch to zoom out, drag to pan.
network.once("stabilizationIterationsDone", () => {
  network.fit({animation: false});
  if (network.getScale() < data.minScale) {
    const centre = data.nodes.find((n) => n.size === data.centreSize) || data.nodes[0];
    network.moveTo({position: centre ? network.getPosition(centre.id) : {x: 0, y: 0},
                    scale: data.minScale, animation: false});
  }
  network.setOptions({physics: false});
});
</script></body></html>"""


@cache
def _vis_assets() -> tuple[str, str]:
    # pyvis only when a network is drawn (a heavy optional import).
    import pyvis

    folder = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (
        (folder / "vis-network.min.js").read_text(encoding="utf-8"),
        (folder / "vis-network.css").read_text(encoding="utf-8"),
    )


_REMOTE = re.compile(
    r"""(?:src|href)\s*=\s*["']?(https?:[^"'\s>]*)"""
    r"""|url\(\s*["']?(https?:[^)"']*)"""
    r"""|@import"""
)


def remote_references(page: str) -> list[str]:
    """Return every remote resource an HTML page would load (scripts, styles, images).

    >>> remote_references('<script src="https://cdn.example/x.js"></script>')
    ['https://cdn.example/x.js']
    """
    return [m.group(1) or m.group(2) or m.group(0) for m in _REMOTE.finditer(page)]


def safe_json(value: object) -> str:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' survive.

    >>> safe_json("</script><b>")
    '"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"'
    """
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _legend() -> str:
    shapes = {"dot": "●", "triangle": "▲", "square": "■", "diamond": "◆"}
    return (
        "".join(
            f'<span><span style="color:{colour}">{shapes[shape]}</span> {kind}</span>'
            for kind, (colour, shape) in STYLE.items()
        )
        + "<span>Scroll to zoom, drag to pan.</span>"
    )


def network_html(ego: dict, height: int = 600) -> str:
    """Return a self-contained HTML page drawing ``ego`` (nodes and edges as returned by
    :func:`harmgraph.analysis.network.ego_network`)."""
    # pyvis only when a network is drawn (a heavy optional import).
    from pyvis.network import Network

    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="local")
    net.barnes_hut(gravity=-3000, spring_length=110)
    for node in ego["nodes"]:
        colour, shape = STYLE.get(node["kind"], ("#777777", "dot"))
        net.add_node(
            node["iri"],
            label=node["label"][:40],
            title=f"{node['kind']}: {node['label']}",
            color=colour,
            shape=shape,
            size=CENTRE_SIZE if node.get("distance") == 0 else 14,
        )
    for edge in ego["edges"]:
        claims = edge["claims"]
        summary = ", ".join(f"{c['direction'].lower()} ({c['confidence']})" for c in claims)
        net.add_edge(
            edge["source"],
            edge["target"],
            label=edge["relation"],
            title=f"{edge['relation']}: {len(claims)} claim(s): {summary}",
            dashes=all(c["direction"] == "Disputes" for c in claims),
            width=1 + min(len(claims), 5),
        )
    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"] = {"enabled": True, "iterations": 150}
    options["interaction"] = {"hover": True, "tooltipDelay": 100}
    options["nodes"] = {"font": {"size": LABEL_PX["node"] / MIN_SCALE}}
    options["edges"] = {
        "font": {"size": LABEL_PX["edge"] / MIN_SCALE, "align": "middle"},
        "arrows": {"to": {"enabled": True}},
    }
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "minScale": MIN_SCALE,
        "centreSize": CENTRE_SIZE,
    }
    js, css = _vis_assets()
    return fill_template(
        _TEMPLATE,
        {
            "CSS": css,
            "HEIGHT": str(int(height)),
            "LEGEND": _legend(),
            "DATA": safe_json(json.dumps(data)),
            "JS": js.replace("</script", "<\\/script"),
        },
    )


_PLACEHOLDER = re.compile(r"__([A-Z]+)__")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Put each value in place of its ``__NAME__`` in one pass over the template only, so a
    value that holds a placeholder (a label reading ``__JS__``) is never filled in again.

    >>> fill_template("<p>__A__ __B__</p>", {"A": "__B__", "B": "b"})
    '<p>__B__ b</p>'
    """
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def paths_as_ego(paths: list[list[dict]], kinds: dict[str, str]) -> dict:
    """Merge the steps of several paths into one node-and-edge set for drawing."""
    nodes, edges, seen = {}, [], set()
    for steps in paths:
        for step in steps:
            for iri, label in ((step["from"], step["from_label"]), (step["to"], step["to_label"])):
                nodes.setdefault(
                    iri, {"iri": iri, "label": label, "kind": kinds.get(iri, ""), "distance": 1}
                )
            key = (step["from"], step["relation"], step["to"])
            if key not in seen:
                seen.add(key)
                edges.append(
                    {
                        "source": step["from"],
                        "target": step["to"],
                        "relation": step["relation"],
                        "claims": step["claims"],
                    }
                )
    return {"nodes": list(nodes.values()), "edges": edges, "cut": 0}
