"""`harmgraph site`: a page per entity at the path of its IRI, its data beside it, every page
well-formed HTML (parsed by html5lib in strict mode), data shown as text, and no request to
any other host. Expected counts and statements come from rdflib reading the same files."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import html5lib
import pytest
import rdflib
from hostile import HOSTILE, HOSTILE_LABEL
from rdflib.compare import isomorphic

from conftest import MINI, PREFIXES, ROOT, run_cli

KB = ROOT / "graph" / "kb"
HG = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
ID = "https://w3id.org/harmgraph/id/"
RDF_OBJECT = rdflib.RDF.object


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    done = run_cli("site", "--out", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def kb() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(KB.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize(
    ("cls", "kind"),
    [
        (HG.Harm, "harm"),
        (HG.Intervention, "intervention"),
        (HG.EvidenceSource, "source"),
        (HG.Claim, "claim"),
        (HG.Review, "review"),
        (HG.Gap, "gap"),
    ],
)
def test_every_entity_has_a_page_at_its_iri_path(site, kb, cls, kind):
    expected = {str(s)[len(ID) + len(kind) + 1 :] for s in kb.subjects(rdflib.RDF.type, cls)}
    pages = {p.stem for p in (site / "id" / kind).glob("*.html")} - {"index"}
    assert pages == expected
    for slug in expected:
        for suffix in (".ttl", ".jsonld"):
            assert (site / "id" / kind / f"{slug}{suffix}").is_file()


def test_a_page_shows_its_entity_and_links_its_data(site):
    page = (site / "id" / "harm" / "normalisation.html").read_text(encoding="utf-8")
    assert "<h1>normalisation of the sexual exploitation of children</h1>" in page
    assert '<link rel="alternate" type="text/turtle" href="normalisation.ttl">' in page
    assert '<link rel="alternate" type="application/ld+json" href="normalisation.jsonld">' in page
    assert 'href="../../index.html"' in page


def test_data_files_hold_the_entitys_own_statements(site, kb):
    """The .ttl holds every statement of the entity in the knowledge base (blank nodes such
    as citations followed), and the .jsonld is the same graph."""
    for path in ("harm/normalisation", "source/birhane-2021-multimodal-datasets"):
        iri = rdflib.URIRef(ID + path)
        expected = rdflib.Graph()
        queue, seen = [iri], set()
        while queue:
            node = queue.pop()
            for p, o in kb.predicate_objects(node):
                expected.add((node, p, o))
                if isinstance(o, rdflib.BNode) and o not in seen:
                    seen.add(o)
                    queue.append(o)
        # The direct relations harmgraph derives from claims when it loads belong to the
        # entity too: one for each claim with the entity as subject.
        for claim in kb.subjects(rdflib.RDF.subject, iri):
            if (claim, HG.direction, HG.Disputes) not in kb:
                expected.add(
                    (iri, kb.value(claim, rdflib.RDF.predicate), kb.value(claim, RDF_OBJECT))
                )
        ttl = rdflib.Graph().parse(site / "id" / f"{path}.ttl", format="turtle")
        jsonld = rdflib.Graph().parse(site / "id" / f"{path}.jsonld", format="json-ld")
        assert len(expected) > 5
        assert isomorphic(ttl, expected), path
        assert isomorphic(jsonld, expected), path


def test_every_page_is_well_formed_html_with_the_basics(site):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 1000
    for path in pages:
        try:
            tree = parser.parse(path.read_bytes(), transport_encoding="utf-8")
        except html5lib.html5parser.ParseError as error:
            raise AssertionError(f"{path.relative_to(site)}: {error}") from None
        assert tree.find("./head/title").text.strip(), path
        assert tree.get("lang") == "en", path
        assert tree.find(".//main") is not None, path
        for image in tree.iter("img"):
            assert image.get("alt"), path
        for field in tree.iter("input"):
            assert tree.find(f".//label[@for='{field.get('id')}']") is not None, path


def test_no_page_loads_anything_from_another_host(site):
    for path in site.rglob("*.html"):
        tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        for element in tree.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if value is None:
                    continue
                # Only a link may point elsewhere: anything else would load it.
                if element.tag != "a":
                    assert not urlparse(value).scheme, f"{path}: {element.tag} {value}"
                else:
                    assert urlparse(value).scheme in ("", "http", "https"), f"{path}: {value}"


def test_search_index_lists_every_page(site):
    text = (site / "search-index.js").read_text(encoding="utf-8")
    entries = json.loads(text[text.index("[") : text.rindex("]") + 1])
    assert all((site / href).is_file() for href, _, _ in entries)
    assert len(entries) == len([p for p in site.glob("id/*/*.html") if p.stem != "index"])


def test_hostile_data_is_shown_as_text(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "mini.ttl").write_text((MINI / "mini.ttl").read_text(encoding="utf-8"))
    # The site refuses data that does not conform, as build does, and the shapes refuse a
    # javascript: address; every other hostile string conforms and must reach the page as text.
    conforming = HOSTILE.replace('"javascript:alert(5)"', '"https://example.org/report"')
    (folder / "hostile.ttl").write_text(PREFIXES + conforming, encoding="utf-8")
    out = tmp_path / "site"
    done = run_cli("--data", str(folder), "site", "--out", str(out))
    assert done.returncode == 0, done.stderr
    for page in ("harm/hostile", "source/hostile", "claim/hostile", "intervention/hostile"):
        tree = html5lib.parse((out / "id" / f"{page}.html").read_bytes())
        text = "".join(tree.itertext())
        assert HOSTILE_LABEL in text, page
        ns = "{http://www.w3.org/1999/xhtml}"
        assert not list(tree.iter(f"{ns}img")), page
        assert [s.get("src") for s in tree.iter(f"{ns}script")] == [], page
        for link in tree.iter(f"{ns}a"):
            href = link.get("href", "")
            assert "evil.example" not in href and not href.startswith("javascript"), (page, href)
    index = (out / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index, "a label could close the script element"


def test_a_folder_that_is_not_a_site_is_refused_and_kept(tmp_path):
    keep = tmp_path / "mine.txt"
    keep.write_text("mine")
    done = run_cli("site", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "is not a harmgraph site" in done.stderr and "Traceback" not in done.stderr
    assert keep.read_text() == "mine"


def test_a_failed_run_leaves_the_previous_site(tmp_path):
    out = tmp_path / "site"
    assert run_cli("--data", str(MINI), "site", "--out", str(out)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + "claim:broken a hg:Claim .\n", encoding="utf-8")
    done = run_cli("--data", str(MINI), "--data", str(bad), "site", "--out", str(out))
    assert done.returncode == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_endpoint_is_refused_before_anything_is_read(tmp_path):
    out = tmp_path / "site"
    done = run_cli("--endpoint", "http://127.0.0.1:9/sparql", "site", "--out", str(out))
    assert done.returncode == 2 and "--endpoint" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
