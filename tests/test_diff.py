"""`harmgraph diff`: additions, removals, changes and gaps opened or closed between releases."""

from __future__ import annotations

import json
import shutil

from conftest import MINI, run_cli
from harmgraph.analysis.diff import diff_graphs, load_release
from harmgraph.rdf.load import load_graph


def test_diff_reports_each_kind_of_change(tmp_path, mini_with):
    new = mini_with(
        """
source:src-3
    a hg:EvidenceSource ; dcterms:title "A third source"@en ; dcterms:creator "Tester, Cy" ;
    dcterms:date "2025"^^xsd:gYear ; bibo:doi "10.1234/test.3" ; hg:sourceKind hg:Report .
claim:c5
    a hg:Claim ; rdf:subject intervention:int-i ; rdf:predicate hg:addresses ; rdf:object harm:facet-b ;
    hg:citation [ a hg:Citation ; hg:source source:src-3 ; hg:locator "p. 1" ] ;
    hg:evidenceKind hg:MonitoringData ; hg:direction hg:Supports ; hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "Counts from one hotline only."@en ; dcterms:created "2026-11-24"^^xsd:date .
"""
    )
    result = json.loads(run_cli("diff", str(MINI), str(new), "--format", "json").stdout)
    assert [s["id"] for s in result["entities"]["source"]["added"]] == ["source/src-3"]
    assert [c["id"] for c in result["entities"]["claim"]["added"]] == ["claim/c5"]
    assert [i["id"] for i in result["entities"]["intervention"]["changed"]] == [
        "intervention/int-i"
    ]
    closed = {(g["kind"], g["subject"]) for g in result["gaps"]["closed"]}
    opened = {(g["kind"], g["subject"], g["object"]) for g in result["gaps"]["opened"]}
    assert ("no-intervention", "harm/facet-b") in closed
    assert ("weak-evidence", "intervention/int-i", "harm/facet-b") in opened
    back = json.loads(run_cli("diff", str(new), str(MINI), "--format", "json").stdout)
    assert [s["id"] for s in back["entities"]["source"]["removed"]] == ["source/src-3"]


def test_diff_of_identical_releases_exits_1_and_markdown_reads(tmp_path, bundled_build):
    copy = tmp_path / "copy"
    shutil.copytree(MINI, copy)
    same = run_cli("diff", str(MINI), str(copy))
    assert same.returncode == 1
    build_old, build_new = tmp_path / "b1", bundled_build  # the bundled graph's own build
    assert run_cli("--data", str(MINI), "build", "--out", str(build_old)).returncode == 0
    markdown = run_cli(
        "diff", str(build_old), str(build_new), "--format", "markdown", "--title", "0.2.0"
    )
    assert markdown.returncode == 0
    assert markdown.stdout.startswith("## 0.2.0") and "### Sources" in markdown.stdout


def test_a_datatype_only_change_is_a_change(tmp_path):
    """Regression: values were compared as strings, so "5" and 5 looked the same."""
    text = (MINI / "mini.ttl").read_text(encoding="utf-8")
    assert "hg:severity 5" in text
    old = tmp_path / "old"
    new = tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "mini.ttl").write_text(text, encoding="utf-8")
    (new / "mini.ttl").write_text(
        text.replace("hg:severity 5", 'hg:severity "5"^^xsd:decimal'), encoding="utf-8"
    )
    result = diff_graphs(load_release(old), load_release(new))
    assert [e["id"] for e in result["entities"]["harm"]["changed"]] == ["harm/facet-b"]


def test_identical_graphs_with_author_lists_have_no_change():
    """Blank nodes (citations, author lists) are compared by content, not by label."""
    graph_a, graph_b = load_graph(), load_graph()
    assert diff_graphs(graph_a, graph_b)["summary"]["changed_entities"] == 0
