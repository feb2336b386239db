"""Citations: RIS and BibTeX list every source's authors in the order of its own record
(``bibo:authorList``), from the CLI and from the same functions the app's Downloads page uses."""

from __future__ import annotations

import re

import rdflib
from rdflib.collection import Collection

from conftest import ROOT, run_cli
from harmgraph.analysis.entity import describe_entity
from harmgraph.publish.cite import sources_as_bibtex, sources_as_ris
from harmgraph.rdf.load import load_graph

# Written by hand from each source's own record (the arXiv record, the article's first page).
BY_HAND = {
    "birhane-2021-multimodal-datasets": [
        "Birhane, Abeba",
        "Prabhu, Vinay Uday",
        "Kahembwe, Emmanuel",
    ],
    "beier-2009-dunkelfeld-first-results": [
        "Beier, Klaus M.",
        "Neutze, Janina",
        "Mundt, Ingrid A.",
        "Ahlers, Christoph J.",
        "Goecker, David",
        "Konrad, Anna",
        "Schaefer, Gerard A.",
    ],
    "babchishin-2015-online-cp-offenders-different": [
        "Babchishin, Kelly M.",
        "Hanson, R. Karl",
        "VanZuylen, Heather",
    ],
}


def ris_authors(text: str) -> dict[str, list[str]]:
    found = {}
    for record in text.split("\nER  - ")[:-1]:
        key = re.search(r"^ID  - (.*)$", record, re.M).group(1)
        found[key] = re.findall(r"^AU  - (.*)$", record, re.M)
    return found


def bibtex_authors(text: str) -> dict[str, str]:
    found = {}
    for key, body in re.findall(r"@\w+\{([^,]+),\n(.*?)\n\}", text, re.S):
        match = re.search(r"^  author = \{(.*)\},?$", body, re.M)
        found[key] = match.group(1) if match else ""
    return found


def test_three_sources_export_their_authors_in_record_order():
    ris = run_cli("export", "--format", "ris")
    bib = run_cli("export", "--format", "bibtex")
    assert ris.returncode == 0 and bib.returncode == 0, ris.stderr + bib.stderr
    authors = ris_authors(ris.stdout)
    bib_authors = bibtex_authors(bib.stdout)
    for key, names in BY_HAND.items():
        assert authors[key] == names
        assert bib_authors[key] == " and ".join(names)


def test_every_multi_author_source_exports_in_the_order_of_its_record():
    """The expected order is read straight from the Turtle with rdflib, not through harmgraph."""
    turtle = rdflib.Graph().parse(ROOT / "graph" / "kb" / "sources.ttl", format="turtle")
    bibo = rdflib.Namespace("http://purl.org/ontology/bibo/")
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    expected = {}
    for source in set(turtle.subjects(dcterms.creator, None)):
        creators = list(turtle.objects(source, dcterms.creator))
        if len(creators) > 1:
            head = turtle.value(source, bibo.authorList)
            assert head is not None, f"{source} has no bibo:authorList"
            expected[str(source).rsplit("/", 1)[1]] = [str(n) for n in Collection(turtle, head)]
    assert len(expected) >= 40
    graph = load_graph()
    authors = ris_authors(sources_as_ris(graph))
    for key, names in expected.items():
        assert authors[key] == names, key


def test_cli_export_is_the_downloads_page_file(tmp_path):
    graph = load_graph()
    out = tmp_path / "sources.bib"
    assert run_cli("export", "--format", "bibtex", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == sources_as_bibtex(graph)


def test_entity_page_lists_authors_in_order():
    page = describe_entity(load_graph(), "source/birhane-2021-multimodal-datasets")
    assert page["source"]["authors"] == BY_HAND["birhane-2021-multimodal-datasets"]


def test_hostile_source_text_cannot_break_ris_or_bibtex(mini_with):
    folder = mini_with(
        """
source:hostile-cite
    a hg:EvidenceSource ;
    dcterms:title "Line one\\nER  - \\nTY  - JOUR} \\\\input{evil} 100% & #1_"@en ;
    dcterms:creator "Zed, Z." , "Amy, A." ;
    bibo:authorList ( "Zed, Z." "Amy, A." ) ;
    dcterms:date "2024"^^xsd:gYear ;
    schema:url "https://example.org/x" ;
    hg:sourceKind hg:Report .
"""
    )
    graph = load_graph([folder])
    ris = sources_as_ris(graph)
    record = next(r for r in ris.split("\nER  - ") if "hostile-cite" in r)
    assert record.count("\nTY  - ") + record.startswith("TY  - ") == 1
    assert ris_authors(ris)["hostile-cite"] == ["Zed, Z.", "Amy, A."]
    bib = sources_as_bibtex(graph)
    entry = bib[bib.index("{hostile-cite,") :]
    entry = entry[: entry.index("\n}")]
    assert "\\input" not in entry and "\\textbackslash{}input\\{evil\\}" in entry
    assert "100\\% \\& \\#1\\_" in entry
