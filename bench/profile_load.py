"""Where the time of loading and of exporting JSON-LD goes, step by step, in a fresh process.

    python bench/profile_load.py FILE.nt --out bench/profile-results.json

Measures the steps that ``harmgraph.rdf.load.load_graph`` takes for an in-memory graph (checking
the file's head, pyoxigraph parsing and indexing it, the ontology files and version check,
deriving the direct relations) next to references measured in the same run: pyoxigraph
parsing the file without storing it, pyoxigraph's ``bulk_load`` into an in-memory store, and
``rdflib.Graph().parse``. Then it splits the JSON-LD export into pyoxigraph's own writer and
harmgraph's splicing of the named graphs. It writes the seconds to ``--out``; docs/scale.md is
rendered from that file (``make docs``), never typed by hand.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import time
from pathlib import Path

import pyoxigraph as ox


def seconds(action) -> tuple[float, object]:  # noqa: ANN001
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def profile(path: Path) -> dict:
    load = importlib.import_module("harmgraph.rdf.load")
    from harmgraph.rdf.namespaces import DATA_GRAPH
    from harmgraph.rdf.store import GraphStore

    steps: dict[str, float] = {}
    parse_only, _ = seconds(
        lambda: sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    )
    store = GraphStore()
    onto = load.ontology_files()
    steps["index"], _ = seconds(lambda: load.read_file(store, path, "data"))
    steps["ontology"], _ = seconds(
        lambda: (
            [load.read_file(store, p, "ontology") for p in onto],
            load.check_ontology_version(store, [path]),
        )
    )
    steps["derive"], _ = seconds(lambda: store.update(load.DERIVE_DIRECT_RELATIONS))
    bulk_seconds, _ = seconds(
        lambda: ox.Store().bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    )
    export_total, document = seconds(lambda: store.dump("jsonld"))
    writer, _ = seconds(
        lambda: [
            store._store.dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.NamedNode(graph))
            for graph in (DATA_GRAPH, DATA_GRAPH.replace("/data", "/ontology"))
        ]
    )
    turtle_bytes = len(store.dump("turtle"))
    import rdflib

    rdflib_seconds, _ = seconds(lambda: rdflib.Graph().parse(path, format="nt"))
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "file": path.name,
        "triples": len(store),
        "load_steps": steps,
        "parse_only_seconds": parse_only,
        "bulk_load_seconds": bulk_seconds,
        "rdflib_parse_seconds": rdflib_seconds,
        "jsonld": {
            "export_seconds": export_total,
            "pyoxigraph_writer_seconds": writer,
            "bytes": len(document),
            "turtle_bytes": turtle_bytes,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="an N-Triples file (harmgraph synth makes one)")
    parser.add_argument("--out", type=Path, required=True, help="the results file to write")
    args = parser.parse_args()
    report = profile(args.file)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    steps = report["load_steps"]
    total = sum(steps.values())
    for name, value in steps.items():
        print(f"{name:<10} {value:7.2f} s {value / total:6.0%}")
    print(f"{'total':<10} {total:7.2f} s; rdflib {report['rdflib_parse_seconds']:.2f} s")


if __name__ == "__main__":
    main()
