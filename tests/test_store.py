"""The store's fast paths answer exactly as the paths they replace (issue 14).

Queries read the union of every graph while the store holds only the ontology and data (the
shapes are loaded only for the TriG export now), and files are parsed by pyoxigraph from disk
instead of from Python bytes. Each test compares the fast path with the slow one, or with rdflib.
"""

from __future__ import annotations

import json

import pytest
import rdflib

from conftest import MINI, ROOT, canonical, load_bench_run, run_cli
from harmgraph.analysis.gaps import find_gaps
from harmgraph.errors import InputError, QueryFailed
from harmgraph.model.evidence import read_evidence_from
from harmgraph.rdf.load import load_graph, read_file, shapes_file
from harmgraph.rdf.store import GraphStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def with_shapes(graph):  # noqa: ANN001, ANN201
    """The same graph with the shapes graph loaded, which turns the union fast path off."""
    read_file(graph.store, shapes_file(), "shapes")
    graph.cache.clear()
    return graph


def test_an_in_memory_graph_holds_only_ontology_and_data():
    graph = load_graph([MINI])
    assert graph.store._union_is_exact()
    assert graph.store.count("shapes") == 0


def test_union_and_named_graph_list_give_the_same_rows_and_leave_the_shapes_out():
    graph = load_graph([MINI])
    fast = graph.store.query(COUNT)
    assert graph.store._union_is_exact()
    with_shapes(graph)
    assert not graph.store._union_is_exact()
    assert graph.store.query(COUNT) == fast == [{"n": str(len(graph.store))}]


def test_a_triple_in_both_graphs_counts_the_same_either_way(tmp_path):
    onto_copy = tmp_path / "copy.ttl"
    onto_copy.write_text(
        "<https://w3id.org/harmgraph/ontology> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"harmgraph ontology"@en .\n<https://e/a> <https://e/b> "c" .\n',
        encoding="utf-8",
    )
    graph = load_graph([MINI, onto_copy])
    fast = graph.store.query(COUNT)
    assert fast == with_shapes(graph).store.query(COUNT)


@pytest.mark.parametrize("size", [0, 3000])
def test_evidence_and_gaps_are_the_same_with_and_without_the_union_path(tmp_path, size):
    paths = [MINI]
    if size:
        synth = tmp_path / "synth.nt"
        assert (
            run_cli("synth", "--triples", str(size), "--seed", "3", "-o", str(synth)).returncode
            == 0
        )
        paths = [synth]
    fast = load_graph(paths)
    fast_evidence, fast_gaps = read_evidence_from(fast.store), find_gaps(fast)
    slow = with_shapes(load_graph(paths))
    assert read_evidence_from(slow.store) == fast_evidence
    assert find_gaps(slow) == fast_gaps


def test_a_file_loaded_from_disk_holds_what_rdflib_parses(tmp_path):
    synth = tmp_path / "synth.nt"
    assert run_cli("synth", "--triples", "2000", "--seed", "1", "-o", str(synth)).returncode == 0
    store = GraphStore()
    store.load_file(synth, "ntriples")
    assert store.count("data") == len(rdflib.Graph().parse(synth, format="nt"))
    from_bytes = GraphStore()
    from_bytes.load_bytes(synth.read_bytes(), "ntriples", source=synth)
    assert canonical(store.dump("ntriples", ["data"])) == canonical(
        from_bytes.dump("ntriples", ["data"])
    )


def test_the_loader_checks_rdf_xml_and_the_store_only_parses_it():
    """One owner for reading files into the store: load.read_file refuses truncated RDF/XML
    (pyoxigraph's parser keeps what it read), and the store parses whatever it is handed."""
    truncated = ROOT / "tests" / "bad" / "truncated.rdf"
    with pytest.raises(InputError, match="XML is not well formed"):
        read_file(GraphStore(), truncated, "data")
    GraphStore().load_file(truncated, "xml")  # the store itself does not check


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b" \n" * 5000, "the file is empty"),
        (b" \n" * 5000 + '<https://e/a> <https://e/b> "caf\xe9" .\n'.encode("latin-1"), "UTF-8"),
        ('<https://e/a> <https://e/b> "caf\xe9" .\n'.encode("latin-1") * 3, "not valid UTF-8"),
        (b"<https://e/a> <https://e/b> .\n", "not valid ntriples"),
    ],
    ids=["long-blank", "latin1-after-blank-head", "latin1", "syntax"],
)
def test_bad_files_get_the_same_message_as_from_bytes(tmp_path, content, message):
    path = tmp_path / "bad.nt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_graph([path])


def test_a_file_that_starts_with_a_long_blank_stretch_still_loads(tmp_path):
    path = tmp_path / "padded.nt"
    path.write_bytes(b"\n" * 10_000 + b'<https://e/a> <https://e/b> "c" .\n')
    graph = load_graph([path])
    assert graph.store.query("SELECT ?o WHERE { <https://e/a> ?p ?o }") == [{"o": "c"}]


def test_trig_export_still_carries_the_shapes():
    from harmgraph.rdf.export import export_graph

    graph = load_graph([MINI])
    assert graph.store.count("shapes") == 0
    trig = export_graph(graph, "trig")
    assert graph.store.count("shapes") > 0 and b"NodeShape" in trig


def test_gaps_json_matches_an_answer_computed_with_rdflib(tmp_path):
    """The whole command, as a user runs it, against the same analysis run over rdflib's
    parser and SPARQL engine (the bench's rdflib worker): the same gaps, in the same order."""
    bench = load_bench_run()
    synth, full = tmp_path / "synth.nt", tmp_path / "full.nt"
    assert run_cli("synth", "--triples", "3000", "--seed", "2", "-o", str(synth)).returncode == 0
    done = run_cli("--data", str(synth), "gaps", "--format", "json")
    assert done.returncode == 0, done.stderr
    exported = run_cli("--data", str(synth), "export", "--format", "ntriples", "-o", str(full))
    assert exported.returncode == 0, exported.stderr

    class Source:
        store = bench._RdflibStore(rdflib.Graph().parse(full, format="nt"))

    reference = find_gaps(bench._Holder(read_evidence_from(Source.store), Source.store))
    assert json.loads(done.stdout) == reference


def test_a_new_on_disk_store_is_settled_and_its_writer_closed(tmp_path):
    """Regression: the writer that built an on-disk store stayed open, compacting in the
    background, while the query worker opened the store read-only; the compaction deleted
    files the reader had just listed ("No such file ... .sst", 3 runs in 25 under load). Once
    load_graph returns, the writer is gone: a new writer can take the store's lock (RocksDB
    allows one), and the graph it returned reads the same as the files."""
    store_dir = tmp_path / "store"
    built = load_graph([MINI], store_dir=store_dir)
    writer = GraphStore(store_dir)  # fails on the lock while the builder's writer is open
    assert writer.query(COUNT) == built.store.query(COUNT) == load_graph([MINI]).store.query(COUNT)


#: Queries of every size, the largest first, as the evidence reader asks them.
MANY = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "SELECT ?c WHERE { ?c a hg:Claim } ORDER BY ?c",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }",
    "SELECT ?x WHERE { ?x hg:noSuchProperty ?y }",
]


@pytest.mark.parametrize("shapes", [False, True], ids=["union", "shapes-loaded"])
def test_query_many_answers_each_query_as_query_does_and_in_order(monkeypatch, shapes):
    import os

    graph = load_graph([MINI])
    if shapes:
        with_shapes(graph)
    expected = [graph.store.query(q) for q in MANY]
    assert expected[0] and expected[1] and not expected[3]
    for cores in (1, 2, 8):
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        assert list(graph.store.query_many(MANY)) == expected, cores
    # Nothing of the shapes graph comes back, on threads or not.
    shape_rows = [r for r in expected[0] if "shapes#" in (r["s"] or "")]
    assert not shape_rows


def test_query_many_raises_a_failed_query_in_its_turn_and_leaves_no_thread():
    import threading

    store = load_graph([MINI]).store
    answers = store.query_many([MANY[1], "SELECT ?s WHERE { ?s ?p", MANY[2]])
    assert next(answers) == store.query(MANY[1])
    with pytest.raises(QueryFailed, match="not valid SPARQL"):
        next(answers)
    assert not [t for t in threading.enumerate() if t.name.startswith("harmgraph-query")]


def test_query_many_starts_a_query_only_when_an_answer_is_handed_over(monkeypatch):
    """At most MAX_QUERY_THREADS answers are gathered or waiting at once (each holds its whole
    answer in memory), however many queries are asked and however slowly they are read."""
    import os
    import threading

    from harmgraph.rdf import store as store_module

    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    started: list[str] = []
    lock = threading.Lock()

    class Counting(GraphStore):
        def _solutions(self, sparql):  # noqa: ANN001, ANN202
            with lock:
                started.append(sparql)
            return super()._solutions(sparql)

    store = Counting()
    store.load_bytes(b'<https://e/a> <https://e/b> "c" .', "ntriples", graph="data")
    queries = [f"SELECT ?o WHERE {{ ?s ?p ?o }} LIMIT {n}" for n in range(1, 7)]
    answers = store.query_many(queries)
    for handed in range(1, len(queries) + 1):
        next(answers)
        # Those handed over, plus at most the limit gathered or waiting behind them.
        assert len(started) <= handed + store_module.MAX_QUERY_THREADS
    assert sorted(started) == sorted(queries)
