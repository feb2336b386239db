"""Unreadable, unparseable and unknown files give exit 2 with the file (and line) named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

CASES = [
    ("broken.ttl", b"@prefix ex: <https://e/> .\nex:a ex:b ex:c .\nex:d ex:e \n", "broken.ttl:4"),
    (
        "broken.nt",
        b"<https://e/a> <https://e/b> <https://e/c> .\n<https://e/a> <https://e/b> .\n",
        "broken.nt:2",
    ),
    ("broken.jsonld", b'{"@id": "https://e/a", "https://e/b": ', "broken.jsonld"),
    (
        "broken.rdf",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        b"<rdf:Description>\n",
        "broken.rdf",
    ),
    ("undefined-prefix.ttl", b"nope:a nope:b nope:c .\n", "undefined-prefix.ttl:1"),
    ("empty.ttl", b"", "the file is empty"),
    ("utf16.ttl", "<https://e/a> <https://e/b> 'c' .".encode("utf-16"), "not UTF-8"),
    ("binary.ttl", bytes(range(256)) * 4, "not UTF-8"),
    ("data.csv", b"a,b,c\n", "unknown file extension '.csv'"),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_exit_2_names_file(tmp_path: Path, name: str, content: bytes, expected: str):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("validate", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert str(path) in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path):
    result = run_cli("--data", str(tmp_path / "nope.ttl"), "stats")
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr


def test_directory_without_rdf_exit_2(tmp_path: Path):
    result = run_cli("--data", str(tmp_path), "stats")
    assert result.returncode == 2
    assert "holds no RDF files" in result.stderr


# One claim of a user's own about entities that only the bundled knowledge base holds.
MY_CLAIM = """@prefix claim: <https://w3id.org/harmgraph/id/claim/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix harm: <https://w3id.org/harmgraph/id/harm/> .
@prefix hg: <https://w3id.org/harmgraph/ontology#> .
@prefix intervention: <https://w3id.org/harmgraph/id/intervention/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix source: <https://w3id.org/harmgraph/id/source/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

claim:my-own-01 a hg:Claim ;
    dcterms:created "2026-12-01"^^xsd:date ;
    rdf:subject intervention:public-awareness-campaigns ;
    rdf:predicate hg:addresses ;
    rdf:object harm:normalisation ;
    hg:citation [ a hg:Citation ; hg:locator "p. 1" ;
        hg:source source:brown-shelling-2019-child-sex-dolls ] ;
    hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "A claim of a user's own, for the test."@en ;
    hg:direction hg:Supports ;
    hg:evidenceKind hg:ExpertOpinion .
"""


@pytest.fixture
def my_claims(tmp_path: Path) -> Path:
    path = tmp_path / "mine.ttl"
    path.write_text(MY_CLAIM, encoding="utf-8")
    return path


def test_api_adds_data_to_the_bundled_graph(my_claims: Path):
    from harmgraph import graph_stats, load_graph
    from harmgraph.rdf.load import kb_dir, unknown_references

    bundled = graph_stats(load_graph())
    added = load_graph([my_claims], with_bundled=True)
    counts = graph_stats(added)
    assert counts["claims"] == bundled["claims"] + 1
    assert counts["harms"] == bundled["harms"] > 0
    assert added.data_files[-1] == my_claims
    assert unknown_references(added) == []
    # The bundled folder named as well is read once.
    again = load_graph([kb_dir(), my_claims], with_bundled=True)
    assert again.data_files == added.data_files


def test_api_lists_what_data_alone_names_and_lacks(my_claims: Path):
    from harmgraph import load_graph
    from harmgraph.rdf.load import unknown_references

    found = unknown_references(load_graph([my_claims]))
    assert [(r.value.rsplit("/id/")[1], r.property, r.path, r.line) for r in found] == [
        ("harm/normalisation", "rdf:object", my_claims, 10),
        ("intervention/public-awareness-campaigns", "rdf:subject", my_claims, 10),
    ]


def test_data_alone_warns_it_replaced_the_bundled_graph(my_claims: Path, tmp_path: Path):
    """Regression: `--data mine.ttl gaps` replaced the bundled graph without a word."""
    done = run_cli("--data", str(my_claims), "gaps", cwd=tmp_path)
    lines = done.stderr.splitlines()
    assert (
        f"{my_claims}:10: warning: claim/my-own-01: names harm/normalisation (rdf:object), "
        "which the loaded graph lacks"
    ) in lines
    assert "intervention/public-awareness-campaigns (rdf:subject)" in done.stderr
    assert "the data names 2 entities that the loaded graph lacks" in lines[-1]
    assert "add --with-bundled" in lines[-1]
    assert "Traceback" not in done.stderr


def test_with_bundled_adds_data_to_the_bundled_graph(my_claims: Path, tmp_path: Path):
    bundled = json.loads(run_cli("stats", "--format", "json").stdout)
    done = run_cli(
        "--with-bundled", "--data", str(my_claims), "stats", "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    counts = json.loads(done.stdout)
    assert counts["claims"] == bundled["claims"] + 1
    assert counts["interventions"] == bundled["interventions"]
    neighbours = run_cli(
        "--with-bundled",
        "--data",
        str(my_claims),
        "neighbours",
        "harm/normalisation",
        "--format",
        "json",
        cwd=tmp_path,
    )
    claims = {c["claim"] for e in json.loads(neighbours.stdout)["edges"] for c in e["claims"]}
    assert "https://w3id.org/harmgraph/id/claim/my-own-01" in claims


def test_with_bundled_and_an_endpoint_is_a_usage_error():
    done = run_cli("--with-bundled", "--endpoint", "http://127.0.0.1:9/query", "stats")
    assert done.returncode == 2
    assert "cannot go with --data, --with-bundled or --store" in done.stderr
