"""Every read gives the same answer against a real SPARQL server (the oxigraph server from
PyPI, on a free loopback port, loaded with the build) as against the embedded store."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, canonical, run_cli, same_graph, stop

# One test process runs this module, so its two Oxigraph servers start once.
pytestmark = pytest.mark.xdist_group("endpoint")

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_oxigraph(data: bytes, content_type: str, union: bool, target: str):
    """Start an Oxigraph server on a free loopback port and load ``data`` into it."""
    port = free_port()
    server = subprocess.Popen(
        [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"]
        + (["--union-default-graph"] if union else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a generous guard against a server that never starts
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    request = urllib.request.Request(
        f"{base}/store{target}",
        data=data,
        headers={"Content-Type": content_type},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=60)
    return server, f"{base}/query"


@pytest.fixture(scope="module")
def build(bundled_build: Path) -> Path:
    """The bundled graph's release files, shared with the other tests that read them."""
    return bundled_build


@pytest.fixture(scope="module")
def endpoint(build):
    """The TriG distribution: ontology, data and shapes in their named graphs."""
    server, url = serve_oxigraph(
        (build / "harmgraph.trig").read_bytes(), "application/trig", True, ""
    )
    yield url
    stop(server)


@pytest.fixture(scope="module")
def flat_endpoint(build):
    """The N-Triples distribution loaded into the server's default graph, no named graphs."""
    server, url = serve_oxigraph(
        (build / "harmgraph.nt").read_bytes(), "application/n-triples", False, "?default"
    )
    yield url
    stop(server)


COMMANDS = [
    ["stats", "--format", "json"],
    ["validate", "--format", "json"],
    ["matrix", "--format", "json"],
    [
        "matrix",
        "--rows",
        "stage",
        "--cols",
        "harm-facet",
        "--filter",
        "year=2015-2026",
        "--format",
        "csv",
    ],
    ["gaps", "--format", "json"],
    ["priorities", "--sensitivity", "--format", "json"],
    ["neighbours", "harm/offending-pathway", "--depth", "2", "--format", "json"],
    ["path", "technology/nudify-apps", "actor/children-and-young-people", "--format", "json"],
    ["centrality", "--format", "json"],
    [
        "query",
        "SELECT ?h ?l WHERE { ?h a hg:Harm ; skos:prefLabel ?l } ORDER BY ?h",
        "--format",
        "json",
    ],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_same_output_against_the_endpoint(endpoint, command):
    embedded = run_cli(*command)
    remote = run_cli("--endpoint", endpoint, *command)
    assert remote.returncode == embedded.returncode == 0, remote.stderr
    assert remote.stdout == embedded.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_same_output_against_a_default_graph_endpoint(flat_endpoint, command):
    """A server holding the N-Triples distribution in its default graph answers the same."""
    embedded = run_cli(*command)
    remote = run_cli("--endpoint", flat_endpoint, *command)
    assert remote.returncode == embedded.returncode == 0, remote.stderr
    assert remote.stdout == embedded.stdout


def test_graph_queries_and_sizes_match_the_embedded_store(endpoint, flat_endpoint):
    """Regression: queries were cut at the first '{' and the last '}', which broke VALUES after
    WHERE and subqueries; and the endpoint counted the shapes in its size."""
    from harmgraph.rdf.endpoint import connect_endpoint
    from harmgraph.rdf.load import load_graph

    embedded = load_graph().store
    named = connect_endpoint(endpoint).store
    flat = connect_endpoint(flat_endpoint).store
    assert (named.layout, flat.layout) == ("named", "default")
    assert len(named) == len(flat) == len(embedded)
    for graph in ("ontology", "data"):
        assert named.count(graph) == flat.count(graph) == embedded.count(graph), graph
    queries = [
        "SELECT ?s WHERE { ?s a hg:Harm } VALUES ?s { harm:normalisation harm:sexual-extortion }",
        "SELECT ?s ?n WHERE { { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s skos:broader ?o } "
        "GROUP BY ?s } } ORDER BY ?s",
    ]
    for sparql in queries:
        expected = sorted(map(str, embedded.query(sparql, graph="data")))
        assert expected
        assert sorted(map(str, named.query(sparql, graph="data"))) == expected
    version = "SELECT ?v WHERE { <https://w3id.org/harmgraph/ontology> owl:versionInfo ?v }"
    assert named.query(version, graph="ontology") == embedded.query(version, graph="ontology")
    assert named.query(version, graph="data") == []


def test_export_ntriples_same_graph(endpoint):
    embedded = run_cli("export", "--format", "ntriples")
    remote = run_cli("--endpoint", endpoint, "export", "--format", "ntriples")
    assert embedded.returncode == remote.returncode == 0, remote.stderr
    assert embedded.stdout.count("\n") > 10_000
    assert same_graph(embedded.stdout, remote.stdout)


def test_endpoint_refuses_writes_and_bad_urls(endpoint):
    refused = run_cli("--endpoint", endpoint, "query", "DELETE WHERE { ?s ?p ?o }")
    assert refused.returncode == 2 and "refused" in refused.stderr
    unreachable = run_cli("--endpoint", "http://127.0.0.1:9/query", "stats")
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr
    both = run_cli("--endpoint", endpoint, "--data", str(ROOT / "tests" / "data" / "mini"), "stats")
    assert both.returncode == 2


def test_on_disk_store_is_reused(tmp_path):
    store = tmp_path / "store"
    first = run_cli("--store", str(store), "stats", "--format", "json")
    assert first.returncode == 0 and (store / "harmgraph-inputs.sha256").exists()
    stamp = (store / "harmgraph-inputs.sha256").stat().st_mtime_ns
    second = run_cli("--store", str(store), "stats", "--format", "json")
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert (store / "harmgraph-inputs.sha256").stat().st_mtime_ns == stamp
    mini = run_cli(
        "--store",
        str(store),
        "--data",
        str(ROOT / "tests" / "data" / "mini"),
        "stats",
        "--format",
        "json",
    )
    assert json.loads(mini.stdout)["harms"] == 3
    not_a_store = tmp_path / "other"
    not_a_store.mkdir()
    (not_a_store / "keep.txt").write_text("mine")
    refused = run_cli("--store", str(not_a_store), "stats")
    assert refused.returncode == 2 and (not_a_store / "keep.txt").exists()


@pytest.mark.parametrize(
    "page", ["overview", "matrix", "gaps", "priorities", "network", "entity", "sparql"]
)
def test_app_pages_render_against_the_endpoint(endpoint, monkeypatch, page):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HARMGRAPH_DATA", "")
    monkeypatch.setenv("HARMGRAPH_ENDPOINT", endpoint)
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=90)
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "sparql":
        at.button(key="sparql_run").click().run()
        assert not at.error and len(at.dataframe[0].value) > 0


def test_site_from_the_endpoint_is_the_site_from_the_files(endpoint, bundled_site, tmp_path):
    """--endpoint copies the graph from the server once; every page of the site is then the
    same, byte for byte, as the site written from the bundled files, and every data file holds
    the same graph (blank node labels differ, and so the download sizes)."""
    local, remote = bundled_site, tmp_path / "remote"
    done = run_cli("--endpoint", endpoint, "site", "--out", str(remote))
    assert done.returncode == 0, done.stderr
    files = sorted(p.relative_to(local) for p in local.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(remote) for p in remote.rglob("*") if p.is_file())
    assert len(files) > 3000
    differ = [f for f in files if (local / f).read_bytes() != (remote / f).read_bytes()]
    pages = [f for f in differ if f.suffix not in (".ttl", ".jsonld", ".nt", ".rdf", ".trig")]
    assert pages == [Path("downloads.html")]
    # Each entity's Turtle: the same graph (canonical blank node labels, RDFC-1.0).
    for name in [f for f in differ if f.parts[0] == "id" and f.suffix == ".ttl"]:
        assert canonical((local / name).read_bytes(), "turtle") == canonical(
            (remote / name).read_bytes(), "turtle"
        ), name
    # The whole graph: the same lines once blank node labels are masked (rdflib's
    # isomorphism test takes minutes on thirty thousand triples).
    masked = [
        sorted(re.sub(r"_:\w+", "_:b", line) for line in (folder / "downloads/harmgraph.nt").open())
        for folder in (local, remote)
    ]
    assert masked[0] == masked[1] and len(masked[0]) > 20_000
