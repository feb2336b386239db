"""Every export format round-trips through rdflib and pyoxigraph to the same graph."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
import rdflib

from conftest import canonical, run_cli
from harmgraph import load_graph
from harmgraph.rdf.export import export_graph

# One test process runs this module, so the bundled graph and its rdflib copy are read once.
pytestmark = pytest.mark.xdist_group("export")

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def reference_canonical(graph) -> set[str]:
    """The store's own triples, canonical, worked out once for every comparison: what each
    export must give back, whichever library reads it."""
    found = canonical(graph.store.dump("ntriples"))
    assert len(found) == len(graph.store)
    return found


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_roundtrip_through_rdflib(graph, reference_canonical, fmt):
    parsed = rdflib.Graph().parse(data=export_graph(graph, fmt), format=RDFLIB_FORMATS[fmt])
    assert len(parsed) == len(graph.store)
    assert canonical(parsed.serialize(format="nt")) == reference_canonical


@pytest.mark.parametrize("fmt", sorted(OX_FORMATS))
def test_roundtrip_through_pyoxigraph(graph, reference_canonical, fmt):
    triples = list(ox.parse(export_graph(graph, fmt), format=OX_FORMATS[fmt]))
    assert len(triples) == len(graph.store)
    back = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert canonical(back) == reference_canonical


def test_trig_holds_three_named_graphs(graph, reference_canonical):
    dataset = rdflib.Dataset()
    dataset.parse(data=export_graph(graph, "trig"), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {
        "https://w3id.org/harmgraph/graph/ontology",
        "https://w3id.org/harmgraph/graph/data",
        "https://w3id.org/harmgraph/graph/shapes",
    } <= names
    union = rdflib.Graph()
    for name in ("ontology", "data"):
        union += dataset.graph(rdflib.URIRef(f"https://w3id.org/harmgraph/graph/{name}"))
    assert canonical(union.serialize(format="nt")) == reference_canonical
    quads = list(ox.parse(export_graph(graph, "trig"), format=ox.RdfFormat.TRIG))
    assert len({q.graph_name.value for q in quads}) == 3


def test_build_writes_every_distribution_and_void(bundled_build):
    # bundled_build is what `harmgraph build --out DIR` wrote (the fixture runs the real CLI).
    names = sorted(p.name for p in bundled_build.iterdir())
    assert names == [
        "harmgraph.jsonld",
        "harmgraph.nt",
        "harmgraph.rdf",
        "harmgraph.trig",
        "harmgraph.ttl",
        "void.ttl",
    ]
    void = rdflib.Graph().parse(bundled_build / "void.ttl")
    triples = next(void.objects(predicate=rdflib.URIRef("http://rdfs.org/ns/void#triples")))
    stats = json.loads(run_cli("stats", "--format", "json").stdout)
    assert int(triples) == stats["triples"]
    assert (
        len(list(void.objects(predicate=rdflib.URIRef("http://www.w3.org/ns/dcat#distribution"))))
        == 5
    )


def test_failed_build_leaves_previous_build_untouched(tmp_path, mini_with, bundled_build):
    out = tmp_path / "out"
    shutil.copytree(bundled_build, out)  # the previous build: `harmgraph build`'s own files
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = mini_with("technology:tech-x hg:enables harm:facet-b .")
    result = run_cli("--data", str(bad), "build", "--out", str(out))
    assert result.returncode == 1
    assert "nothing written" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".harmgraph-build-*"))


def test_export_to_stdout_and_file(tmp_path):
    result = run_cli("export", "--format", "ntriples")
    assert result.returncode == 0
    assert (
        len(result.stdout.splitlines())
        == json.loads(run_cli("stats", "--format", "json").stdout)["triples"]
    )
    target = tmp_path / "g.jsonld"
    assert run_cli("export", "--format", "jsonld", "--output", str(target)).returncode == 0
    assert json.loads(target.read_text())
