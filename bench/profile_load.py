"""Where the time of loading one large file goes, step by step, in a fresh process.

    python bench/profile_load.py FILE.nt

Prints the seconds of each step that ``harmgraph.load.load_graph`` takes (reading and
checking the bytes, parsing, indexing into the store, the ontology-version check, deriving
the direct relations, loading the shapes) next to two references measured in the same run:
pyoxigraph parsing the file without storing it, and ``rdflib.Graph().parse``. The README's
"Scale" section quotes it to explain the load ratio.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import pyoxigraph as ox


def main() -> None:
    path = Path(sys.argv[1])
    load = importlib.import_module("harmgraph.load")
    from harmgraph.store import GraphStore

    steps: dict[str, float] = {}

    def step(name: str, action):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        result = action()
        steps[name] = time.perf_counter() - start
        return result

    data = step("read and check the bytes", lambda: load.read_rdf_bytes(path))
    step(
        "parse only (no store)",
        lambda: sum(1 for _ in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)),
    )
    store = GraphStore()
    onto = load.ontology_files()
    step(
        "ontology files",
        lambda: [
            store.load_bytes(load.read_rdf_bytes(p), "turtle", graph="ontology", source=p)
            for p in onto
        ],
    )
    step("parse and index into the store", lambda: store.load_bytes(data, "ntriples", source=path))
    step("ontology-version check", lambda: load._check_ontology_version(store, [path]))
    step("derive direct relations", lambda: store.update(load._DERIVE_DIRECT_RELATIONS))
    shapes = load.shapes_file()
    step(
        "shapes",
        lambda: store.load_bytes(load.read_rdf_bytes(shapes), "turtle", "shapes", shapes),
    )
    ours = sum(v for k, v in steps.items() if k != "parse only (no store)")
    import rdflib

    start = time.perf_counter()
    rdflib.Graph().parse(path, format="nt")
    baseline = time.perf_counter() - start
    for name, seconds in steps.items():
        share = "" if name.startswith("parse only") else f"{seconds / ours:6.0%}"
        print(f"{name:<34} {seconds:7.2f} s {share}")
    print(f"{'harmgraph load, total':<34} {ours:7.2f} s")
    print(f"{'rdflib Graph().parse':<34} {baseline:7.2f} s  ratio {baseline / ours:.1f}x")


if __name__ == "__main__":
    main()
